/**
 * @module `GET /client.js`: the browser client bundle that `deno task build:client` writes to
 * `dist/client.js`, so a page can `import { io } from "/client.js"`.
 */
import { Hono } from "hono";
import { SwitchboardError } from "../protocol/errors.ts";
import { errorResponse } from "./_respond.ts";

/** Options of {@linkcode clientBundleRoutes}. */
export interface ClientBundleOptions {
  /** The built bundle. @default dist/client.js at the repository root */
  path?: string | URL;
}

const DEFAULT_PATH = new URL("../../dist/client.js", import.meta.url);

/**
 * Routes for `/client.js`. The file is read on each request, so a rebuild needs no restart.
 * Without a build the answer is 503 `CLIENT_NOT_BUILT` rather than a build on demand: building
 * needs the Deno toolchain and run permission at serve time (absent from `deno compile`
 * binaries and production images) and would stall the first request.
 */
export function clientBundleRoutes(options: ClientBundleOptions = {}): Hono {
  const path = options.path ?? DEFAULT_PATH;
  return new Hono().get("/", async function serveClientBundle(c) {
    let body: Uint8Array<ArrayBuffer>;
    try {
      body = await Deno.readFile(path);
    } catch (error) {
      if (!(error instanceof Deno.errors.NotFound)) throw error;
      const missing = new SwitchboardError(
        "CLIENT_NOT_BUILT",
        'The client bundle is not built: run "deno task build:client"',
      );
      return errorResponse(c, missing);
    }
    return c.body(body, 200, {
      "content-type": "text/javascript; charset=utf-8",
      "cache-control": "no-cache",
      // Pages served from elsewhere may import the module too.
      "access-control-allow-origin": "*",
    });
  });
}
