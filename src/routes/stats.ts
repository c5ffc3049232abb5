/**
 * @module `GET /api/stats`: connections, traffic and round-trip times, and on a shared store the
 * nodes alive.
 */
import { Hono } from "hono";
import type { Hub } from "../hub/hub.ts";
import type { ApiEnv } from "./_auth.ts";

/** Routes for `/api/stats`. */
export function statsRoutes(hub: Hub): Hono<ApiEnv> {
  return new Hono<ApiEnv>().get("/", async (c) => {
    const stats = hub.stats(c.var.actor);
    // Several nodes on one store: admins also see which nodes are alive.
    const cluster = await hub.cluster(c.var.actor).catch(() => undefined);
    return c.json({ success: true, ...stats, ...(cluster ? { cluster } : {}) });
  });
}
