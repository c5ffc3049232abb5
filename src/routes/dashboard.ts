/**
 * @module The dashboard: `GET /` and `GET /sessions/*` answer the page (one HTML file; the page
 * routes itself), `/dashboard.js` the bundle `deno task build:web` writes to `dist/web.js`, and
 * `/dashboard.css` its stylesheets (`web/styles/`, in order, as one file). Nothing is fetched
 * from elsewhere: the page works offline.
 */
import { type Context, Hono } from "hono";
import { SwitchboardError } from "../protocol/errors.ts";
import { errorResponse } from "./_respond.ts";

/** Options of {@linkcode dashboardRoutes}. */
export interface DashboardOptions {
  /** The built page bundle. @default dist/web.js at the repository root */
  bundle?: string | URL;
}

const ROOT = new URL("../../", import.meta.url);

/** The stylesheets, in cascade order (later ones override earlier ones). */
export const STYLESHEETS = ["base", "shell", "session", "responsive"].map((name) =>
  new URL(`web/styles/${name}.css`, ROOT)
);

/**
 * Only this server's scripts, styles and sockets: the page loads nothing from a CDN, and an
 * injected script could not phone home.
 */
const CSP = [
  "default-src 'self'",
  "connect-src 'self' ws: wss:",
  "img-src 'self' data:",
  "style-src 'self' 'unsafe-inline'",
  "frame-ancestors 'none'",
].join("; ");

/**
 * Routes for the dashboard page and its assets. Files are read on each request, so a rebuild
 * needs no restart; a missing bundle answers 503 `CLIENT_NOT_BUILT` (see `clientBundleRoutes`).
 */
export function dashboardRoutes(options: DashboardOptions = {}): Hono {
  const bundle = options.bundle ?? new URL("dist/web.js", ROOT);
  const page = async function servePage(c: Context) {
    const body = await Deno.readFile(new URL("web/index.html", ROOT));
    return c.body(body, 200, {
      "content-type": "text/html; charset=utf-8",
      "cache-control": "no-cache",
      "content-security-policy": CSP,
      "x-content-type-options": "nosniff",
    });
  };
  return new Hono()
    .get("/", page)
    .get("/sessions/*", page)
    .get("/dashboard.css", async function serveStyles(c) {
      const parts = await Promise.all(STYLESHEETS.map((url) => Deno.readTextFile(url)));
      return c.body(parts.join("\n"), 200, {
        "content-type": "text/css; charset=utf-8",
        "cache-control": "no-cache",
      });
    })
    .get("/dashboard.js", async function serveBundle(c) {
      let body: Uint8Array<ArrayBuffer>;
      try {
        body = await Deno.readFile(bundle);
      } catch (error) {
        if (!(error instanceof Deno.errors.NotFound)) throw error;
        const missing = new SwitchboardError(
          "CLIENT_NOT_BUILT",
          'The dashboard bundle is not built: run "deno task build:web"',
        );
        return errorResponse(c, missing);
      }
      return c.body(body, 200, {
        "content-type": "text/javascript; charset=utf-8",
        "cache-control": "no-cache",
      });
    });
}
