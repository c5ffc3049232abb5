/**
 * @module `GET /health` (liveness and a few gauges) and `GET /ready` (readiness: serving, not
 * starting or shutting down), never behind authentication.
 * A node whose shared store (Redis) is unreachable answers `"degraded"`: it is alive and keeps
 * its connections, but publishes and commands fail with `STORE_UNAVAILABLE` until it is back.
 */
import { Hono } from "hono";
import type { Hub } from "../hub/hub.ts";
import type { Lifecycle } from "../lifecycle.ts";
import type { StoreHealth } from "../observe/observed_store.ts";

/** Routes for `/health`. */
export function healthRoutes(
  hub: Hub,
  options: { version: string; startedAt: number; store: StoreHealth },
): Hono {
  const { store } = options;
  return new Hono().get("/", (c) =>
    c.json({
      // Still alive (200): a restart would not mend the store, but the operator should know.
      // A store that reports its reachability (Redis) is judged by it: the failure flag would
      // stay set until the next operation succeeds, which nobody may try while it says degraded.
      status: (hub.storeReportsAvailability ? !hub.storeAvailable : store.failing)
        ? "degraded"
        : "healthy",
      store: hub.storeAvailable ? "ok" : "unavailable",
      ...(store.failing ? { reason: `store failing: ${store.reason}` } : {}),
      version: options.version,
      timestamp: new Date().toISOString(),
      uptimeS: Math.round((Date.now() - options.startedAt) / 1000),
      activeSessions: hub.sessionCount,
      connectedClients: hub.connectionCount,
    }));
}

/** Routes for `/ready`: 200 while serving, 503 while starting or shutting down. */
export function readyRoutes(lifecycle: Lifecycle): Hono {
  return new Hono().get("/", (c) => {
    const { phase } = lifecycle;
    return c.json({ ready: phase === "ready", phase }, phase === "ready" ? 200 : 503);
  });
}
