/**
 * @module `/api/sessions/:id/events` and `/commands`: publish and steer over plain HTTP through
 * the same gate as the WebSocket, so both refuse the same input with the same code.
 */
import { Hono } from "hono";
import { z } from "zod";
import type { EdgeContext } from "../app.ts";
import { encodeSessionEvent, isJsonObject, parseOrThrow } from "../protocol/mod.ts";
import type { ApiEnv } from "./_auth.ts";
import { readJson } from "./_respond.ts";

/** Query of `GET /api/sessions/:id/events`. */
export const pageQuerySchema = z.object({
  after: z.coerce.number().int().min(0).safe().default(0),
  limit: z.coerce.number().int().min(1).max(1000).default(100),
});

/** Routes for publishing, paging history and sending commands. */
export function sessionEventRoutes({ hub, gate }: EdgeContext): Hono<ApiEnv> {
  return new Hono<ApiEnv>()
    .post("/:id/events", async (c) => {
      const body = await readJson(c);
      const items = Array.isArray(body) ? body : [body];
      const queued = await gate.publish(c.var.caller, c.var.session, items);
      return c.json({ success: true, seqs: await queued.result }, 201);
    })
    .get("/:id/events", async (c) => {
      const session = c.var.session;
      const { after, limit } = parseOrThrow(pageQuerySchema, c.req.query(), {
        code: "INVALID_PAYLOAD",
        prefix: "query",
      });
      const events = await hub.readEvents(session, { after, limit, actor: c.var.actor });
      const headSeq = hub.session(session, c.var.actor).headSeq;
      const nextAfter = events.length > 0 ? events[events.length - 1].seq : after;
      // Stored events are concatenated as frames: no parse and re-stringify per event.
      const frames = events.map((e) => encodeSessionEvent(session, e)).join(",");
      c.header("content-type", "application/json");
      return c.body(
        `{"success":true,"events":[${frames}],"headSeq":${headSeq},"nextAfter":${nextAfter}}`,
      );
    })
    .post("/:id/commands", async (c) => {
      const body = await readJson(c);
      const key = c.req.header("idempotency-key");
      const withKey = key !== undefined && isJsonObject(body) && body.idempotencyKey === undefined
        ? { ...body, idempotencyKey: key }
        : body;
      return c.json(await gate.command(c.var.caller, c.var.session, withKey).result);
    });
}
