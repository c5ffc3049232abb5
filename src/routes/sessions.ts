/**
 * @module `/api/sessions`: create, list, describe and delete sessions.
 */
import { Hono } from "hono";
import { z } from "zod";
import type { Hub } from "../hub/hub.ts";
import { parseOrThrow, sessionIdSchema } from "../protocol/mod.ts";
import { readJson } from "./_respond.ts";

const createSchema = z.object({
  sessionId: sessionIdSchema.optional(),
  metadata: z.record(z.string(), z.unknown()).optional(),
}).default({});

/** Routes for session lifecycle. */
export function sessionRoutes(hub: Hub): Hono {
  return new Hono()
    .get("/", (c) => c.json({ success: true, sessions: hub.sessions() }))
    .post("/", async (c) => {
      const body = parseOrThrow(createSchema, await readJson(c), { code: "INVALID_PAYLOAD" });
      const session = await hub.createSession(body.sessionId, body.metadata);
      return c.json({ success: true, session }, 201);
    })
    .get("/:id", (c) => c.json({ success: true, session: hub.session(c.req.param("id")) }))
    .delete("/:id", async (c) => {
      await hub.deleteSession(c.req.param("id"));
      return c.json({ success: true });
    });
}
