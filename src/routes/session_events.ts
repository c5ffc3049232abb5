/**
 * @module `/api/sessions/:id/events` and `/commands`: publish and steer over plain HTTP, with
 * the same validation and semantics as the WebSocket.
 */
import { Hono } from "hono";
import { z } from "zod";
import type { Hub } from "../hub/hub.ts";
import {
  encodeSessionEvent,
  isJsonObject,
  parseCommand,
  parseEvent,
  parseOrThrow,
  sessionIdSchema,
  SwitchboardError,
} from "../protocol/mod.ts";
import type { ApiEnv } from "./_auth.ts";
import { readJson } from "./_respond.ts";

/** Most events one POST may carry. */
const MAX_EVENTS_PER_POST = 1000;

const pageSchema = z.object({
  after: z.coerce.number().int().min(0).safe().default(0),
  limit: z.coerce.number().int().min(1).max(1000).default(100),
});

/** Routes for publishing, paging history and sending commands. */
export function sessionEventRoutes(hub: Hub): Hono<ApiEnv> {
  return new Hono<ApiEnv>()
    .post("/:id/events", async (c) => {
      const session = parseOrThrow(sessionIdSchema, c.req.param("id"), {
        code: "INVALID_PAYLOAD",
        prefix: "sessionId",
      });
      const body = await readJson(c);
      const items = Array.isArray(body) ? body : [body];
      if (items.length === 0 || items.length > MAX_EVENTS_PER_POST) {
        throw new SwitchboardError(
          "INVALID_PAYLOAD",
          `Send 1 to ${MAX_EVENTS_PER_POST} events, got ${items.length}`,
        );
      }
      const events = items.map((item, index) => {
        if (!isJsonObject(item)) {
          throw new SwitchboardError("INVALID_PAYLOAD", `Event ${index} must be an object`);
        }
        return parseEvent(item.event, item.payload);
      });
      const seqs = await hub.publish(c.var.actor, session, events);
      return c.json({ success: true, seqs }, 201);
    })
    .get("/:id/events", async (c) => {
      const session = c.req.param("id");
      const { after, limit } = parseOrThrow(pageSchema, c.req.query(), {
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
      const result = await hub.command(c.var.actor, c.req.param("id"), parseCommand(withKey));
      return c.json(result);
    });
}
