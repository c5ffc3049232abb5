/**
 * @module `GET /health`: liveness and a few gauges, never behind authentication.
 */
import { Hono } from "hono";
import type { Hub } from "../hub/hub.ts";

/** Routes for `/health`. */
export function healthRoutes(hub: Hub, options: { version: string; startedAt: number }): Hono {
  return new Hono().get("/", (c) =>
    c.json({
      status: "healthy",
      version: options.version,
      timestamp: new Date().toISOString(),
      uptimeS: Math.round((Date.now() - options.startedAt) / 1000),
      activeSessions: hub.sessionCount,
      connectedClients: hub.connectionCount,
    }));
}
