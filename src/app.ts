/**
 * @module Assembles the Hono app: the inbound gate, REST routes behind authentication and CORS,
 * the WebSocket endpoint, the client bundle and error mapping.
 */
import { Hono } from "hono";
import type { TokenVerifier } from "./auth/verifier.ts";
import { type Config, resolveConfig } from "./config/mod.ts";
import type { Hub } from "./hub/hub.ts";
import { Gate } from "./ingress/gate.ts";
import { Lifecycle } from "./lifecycle.ts";
import { Metrics } from "./observe/metrics.ts";
import type { StoreHealth } from "./observe/observed_store.ts";
import { metricsRoutes } from "./routes/metrics.ts";
import { clientAddressResolver } from "./net/client_address.ts";
import { apiDocsRoutes } from "./routes/api_docs.ts";
import { RateLimiter } from "./limits/rate_limiter.ts";
import { SwitchboardError } from "./protocol/errors.ts";
import { errorResponse } from "./routes/_respond.ts";
import { apiRoutes } from "./routes/api.ts";
import { clientBundleRoutes } from "./routes/client_bundle.ts";
import { dashboardRoutes } from "./routes/dashboard.ts";
import { healthRoutes, readyRoutes } from "./routes/health.ts";
import type { SkillRegistry } from "./skills/registry.ts";
import { VERSION } from "./version.ts";
import { createWebSocketEndpoint } from "./ws/upgrade.ts";

/** Options of {@linkcode createApp}. Everything but `hub` and `skills` has a safe default. */
export interface AppOptions {
  /** The hub every route talks to. */
  hub: Hub;
  /** Registered skills. */
  skills: SkillRegistry;
  /** Settings; any left out take their documented defaults. @default resolveConfig() */
  config?: Partial<Config>;
  /** Checks bearer tokens; without one the app runs in local development mode. */
  verifier?: TokenVerifier;
  /** Start time for `uptimeS`. @default Date.now() */
  startedAt?: number;
  /** The server's phase; `/ready` and the refusals while draining read it. @default ready */
  lifecycle?: Lifecycle;
  /** Metrics `/metrics` serves. @default counters read from the hub, no timings */
  metrics?: Metrics;
  /** Whether the store is failing, for `/health`. @default always healthy */
  storeHealth?: StoreHealth;
}

/** Everything the edges share: settings, the gate and the rate limits. */
export interface EdgeContext {
  /** The hub. */
  hub: Hub;
  /** Registered skills. */
  skills: SkillRegistry;
  /** The settings in force. */
  config: Config;
  /** The inbound gate. */
  gate: Gate;
  /** Per-connection and per-subject rate limits. */
  rateLimiter: RateLimiter;
  /** Checks bearer tokens; `undefined` in development mode. */
  verifier: TokenVerifier | undefined;
  /** The server's phase and open sockets. */
  lifecycle: Lifecycle;
}

/** Builds the HTTP application. */
export function createApp(options: AppOptions): Hono {
  const { hub } = options;
  const config: Config = { ...resolveConfig(), ...options.config };
  const context: EdgeContext = {
    hub,
    skills: options.skills,
    config,
    gate: new Gate(hub, config),
    rateLimiter: new RateLimiter(config),
    verifier: options.verifier,
    lifecycle: options.lifecycle ?? readyLifecycle(),
  };
  const { lifecycle } = context;
  const app = new Hono();
  app.onError((error, c) => errorResponse(c, error));
  app.notFound((c) =>
    errorResponse(c, new SwitchboardError("NOT_FOUND", `No route ${c.req.method} ${c.req.path}`))
  );
  // Shutting down: no new work. Probes still answer, so the proxy sees why.
  app.use("*", async function refuseWhileDraining(c, next) {
    if (lifecycle.draining && !PROBES.has(c.req.path)) {
      c.header("Connection", "close");
      throw new SwitchboardError("SHUTTING_DOWN", "The server is shutting down");
    }
    await next();
  });

  const webSocket = createWebSocketEndpoint(hub, { ...config, ...context });
  const resolveAddress = clientAddressResolver(config.trustProxy);
  app.get("/ws", (c) => {
    if (c.req.header("upgrade")?.toLowerCase() !== "websocket") {
      throw new SwitchboardError("INVALID_FRAME", "GET /ws needs a WebSocket upgrade");
    }
    return webSocket(c.req.raw, resolveAddress(peerAddress(c.env), c.req.raw.headers));
  });

  const storeHealth = options.storeHealth ?? { failing: false, reason: undefined };
  app.route(
    "/health",
    healthRoutes(hub, {
      version: VERSION,
      startedAt: options.startedAt ?? Date.now(),
      store: storeHealth,
    }),
  );
  app.route("/metrics", metricsRoutes(context, options.metrics ?? watching(hub, storeHealth)));
  app.route("/ready", readyRoutes(lifecycle));
  app.route("/", apiDocsRoutes(config));
  app.route("/client.js", clientBundleRoutes());
  app.route("/", dashboardRoutes());
  app.route("/api", apiRoutes(context));
  return app;
}

/** Paths that answer while the server drains. */
const PROBES: ReadonlySet<string> = new Set(["/health", "/ready", "/metrics"]);

/** Metrics of a hub that was built without them: its counters, no timings. */
function watching(hub: Hub, store: StoreHealth): Metrics {
  const metrics = new Metrics();
  metrics.watch(hub, store);
  return metrics;
}

/** An embedded app without a server around it is ready at once. */
function readyLifecycle(): Lifecycle {
  const lifecycle = new Lifecycle();
  lifecycle.ready();
  return lifecycle;
}

/** The peer's IP address from Deno.serve's connection info (absent under `app.request()`). */
function peerAddress(env: unknown): string {
  const remote = (env as { remoteAddr?: { hostname?: string } } | undefined)?.remoteAddr;
  return remote?.hostname ?? "unknown";
}
