/**
 * @module `GET /api/stats`: connections, traffic and round-trip times.
 */
import { Hono } from "hono";
import type { Hub } from "../hub/hub.ts";

/** Routes for `/api/stats`. */
export function statsRoutes(hub: Hub): Hono {
  return new Hono().get("/", (c) => c.json({ success: true, ...hub.stats() }));
}
