/**
 * @module `GET /api/stats`: connections, traffic and round-trip times.
 */
import { Hono } from "hono";
import type { Hub } from "../hub/hub.ts";
import type { ApiEnv } from "./_auth.ts";

/** Routes for `/api/stats`. */
export function statsRoutes(hub: Hub): Hono<ApiEnv> {
  return new Hono<ApiEnv>().get("/", (c) => c.json({ success: true, ...hub.stats(c.var.actor) }));
}
