/**
 * @module Assembles the Hono app: REST routes behind authentication and CORS, the WebSocket
 * endpoint, the client bundle and error mapping.
 */
import { Hono, type MiddlewareHandler } from "hono";
import { bodyLimit } from "hono/body-limit";
import { cors } from "hono/cors";
import type { TokenVerifier } from "./auth/verifier.ts";
import type { Hub } from "./hub/hub.ts";
import { RateLimiter, type RateLimitOptions } from "./limits/rate_limiter.ts";
import { SwitchboardError } from "./protocol/errors.ts";
import { type ApiEnv, authenticate } from "./routes/_auth.ts";
import { errorResponse } from "./routes/_respond.ts";
import { clientBundleRoutes } from "./routes/client_bundle.ts";
import { dashboardRoutes } from "./routes/dashboard.ts";
import { healthRoutes } from "./routes/health.ts";
import { sessionEventRoutes } from "./routes/session_events.ts";
import { sessionRoutes } from "./routes/sessions.ts";
import { skillRoutes } from "./routes/skills.ts";
import { statsRoutes } from "./routes/stats.ts";
import type { SkillRegistry } from "./skills/registry.ts";
import { VERSION } from "./version.ts";
import type { FrameLimits } from "./ws/dispatch.ts";
import { isOriginAllowed } from "./ws/origin.ts";
import { createWebSocketEndpoint } from "./ws/upgrade.ts";

/** Options of {@linkcode createApp}. Everything but `hub` and `skills` has a safe default. */
export interface AppOptions extends Partial<FrameLimits> {
  /** The hub every route talks to. */
  hub: Hub;
  /** Registered skills. */
  skills: SkillRegistry;
  /** Largest inbound frame or body, in bytes. @default 1048576 */
  maxFrameBytes?: number;
  /** Checks bearer tokens; without one the app runs in local development mode. */
  verifier?: TokenVerifier;
  /** Milliseconds a socket may take to authenticate. @default 5000 */
  authTimeoutMs?: number;
  /** Browser origins allowed besides the server's own; `*` for any. @default loopback only */
  allowedOrigins?: readonly string[];
  /** Inbound rate limits. @default see RateLimitOptions */
  rateLimits?: Partial<RateLimitOptions>;
  /** Open sockets per client address. @default 1000 */
  maxConnectionsPerIp?: number;
  /** Start time for `uptimeS`. @default Date.now() */
  startedAt?: number;
}

/** Builds the HTTP application. */
export function createApp(options: AppOptions): Hono {
  const { hub, allowedOrigins } = options;
  const maxFrameBytes = options.maxFrameBytes ?? 1024 * 1024;
  const app = new Hono();
  app.onError((error, c) => errorResponse(c, error));
  app.notFound((c) =>
    errorResponse(c, new SwitchboardError("NOT_FOUND", `No route ${c.req.method} ${c.req.path}`))
  );

  const rateLimiter = new RateLimiter({
    frameRate: 500,
    commandRate: 20,
    subjectFrameRate: 2_000,
    subjectCommandRate: 50,
    abuseLimit: 200,
    ...options.rateLimits,
  });
  const webSocket = createWebSocketEndpoint(hub, {
    verifier: options.verifier,
    authTimeoutMs: options.authTimeoutMs ?? 5_000,
    rateLimiter,
    maxFrameBytes,
    maxPayloadDepth: options.maxPayloadDepth ?? 32,
    maxEventNameLength: options.maxEventNameLength ?? 128,
    maxSessionIdLength: options.maxSessionIdLength ?? 128,
    allowedOrigins,
    maxConnectionsPerIp: options.maxConnectionsPerIp ?? 1_000,
  });
  app.get("/ws", (c) => {
    if (c.req.header("upgrade")?.toLowerCase() !== "websocket") {
      throw new SwitchboardError("INVALID_FRAME", "GET /ws needs a WebSocket upgrade");
    }
    return webSocket(c.req.raw, clientAddress(c.env));
  });

  app.route(
    "/health",
    healthRoutes(hub, { version: VERSION, startedAt: options.startedAt ?? Date.now() }),
  );
  app.route("/client.js", clientBundleRoutes());
  app.route("/", dashboardRoutes());

  app.route("/api", apiRoutes(options, { maxFrameBytes, rateLimiter }));
  return app;
}

/** `/api/*`: CORS, origin, body limit, authentication and rate limits before the resources. */
function apiRoutes(
  options: AppOptions,
  { maxFrameBytes, rateLimiter }: { maxFrameBytes: number; rateLimiter: RateLimiter },
): Hono<ApiEnv> {
  const { hub, skills, allowedOrigins } = options;
  const api = new Hono<ApiEnv>();
  api.use(
    "*",
    cors({
      origin: (origin, c) => isOriginAllowed(origin, c.req.url, allowedOrigins) ? origin : null,
      allowHeaders: ["Authorization", "Content-Type", "Idempotency-Key"],
      allowMethods: ["GET", "POST", "PUT", "DELETE"],
      maxAge: 600,
    }),
  );
  const limitBody = bodyLimit({
    maxSize: maxFrameBytes,
    onError: (c) =>
      errorResponse(
        c,
        new SwitchboardError("FRAME_TOO_LARGE", `Body is larger than ${maxFrameBytes} bytes`),
      ),
  });
  // Only requests that may carry a body: wrapping a GET or DELETE would rebuild it for nothing.
  api.on(["POST", "PUT", "PATCH"], "*", limitBody);
  // CORS only hides answers from other sites; a simple cross-site POST would still act.
  api.use("*", async function refuseForeignOrigins(c, next) {
    if (!isOriginAllowed(c.req.header("origin"), c.req.url, allowedOrigins)) {
      throw new SwitchboardError("FORBIDDEN", "Origin not allowed");
    }
    await next();
  });
  api.use("*", authenticate(options.verifier));
  // The configured id limit, which may be stricter than the protocol's 128 characters.
  const maxId = options.maxSessionIdLength ?? 128;
  const checkSessionId: MiddlewareHandler<ApiEnv> = async function checkSessionId(c, next) {
    const id = c.req.param("id") ?? "";
    if (id.length > maxId) {
      throw new SwitchboardError("INVALID_PAYLOAD", `Session ids are at most ${maxId} characters`);
    }
    await next();
  };
  api.use("/sessions/:id", checkSessionId);
  api.use("/sessions/:id/*", checkSessionId);
  // REST calls draw on the same per-subject buckets as the subject's sockets.
  api.on(["POST", "PUT", "DELETE"], "*", async function limitSubject(c, next) {
    const { subject } = c.var.actor.principal;
    const kind = c.req.path.endsWith("/commands") ? "command" : "frame";
    if (!rateLimiter.allowSubject(subject, kind)) {
      throw new SwitchboardError("RATE_LIMITED", "Too many requests: slow down");
    }
    await next();
  });
  api.route("/sessions", sessionRoutes(hub, { maxSessionIdLength: maxId }));
  api.route("/sessions", sessionEventRoutes(hub));
  api.route("/skills", skillRoutes(skills));
  api.route("/stats", statsRoutes(hub));
  return api;
}

/** The client's IP address from Deno.serve's connection info (absent under `app.request()`). */
function clientAddress(env: unknown): string {
  const remote = (env as { remoteAddr?: { hostname?: string } } | undefined)?.remoteAddr;
  return remote?.hostname ?? "unknown";
}
