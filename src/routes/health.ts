/**
 * @module `GET /health`: liveness and a few gauges, never behind authentication. A node whose
 * shared store (Redis) is unreachable answers `"degraded"`: it is alive and keeps its
 * connections, but publishes and commands fail with `STORE_UNAVAILABLE` until the store is back.
 */
import { Hono } from "hono";
import type { Hub } from "../hub/hub.ts";

/** Routes for `/health`. */
export function healthRoutes(hub: Hub, options: { version: string; startedAt: number }): Hono {
  return new Hono().get("/", (c) =>
    c.json({
      status: hub.storeAvailable ? "healthy" : "degraded",
      store: hub.storeAvailable ? "ok" : "unavailable",
      version: options.version,
      timestamp: new Date().toISOString(),
      uptimeS: Math.round((Date.now() - options.startedAt) / 1000),
      activeSessions: hub.sessionCount,
      connectedClients: hub.connectionCount,
    }));
}
