/**
 * @module `/api/sessions`: create, list, describe and delete sessions.
 */
import { Hono } from "hono";
import { etag } from "hono/etag";
import { z } from "zod";
import type { Hub } from "../hub/hub.ts";
import type { ApiEnv } from "./_auth.ts";
import { parseOrThrow, sessionIdSchema, SwitchboardError } from "../protocol/mod.ts";
import { readJson } from "./_respond.ts";

const createSchema = z.object({
  sessionId: sessionIdSchema.optional(),
  metadata: z.record(z.string(), z.unknown()).optional(),
}).default({});

/** Routes for session lifecycle. */
export function sessionRoutes(hub: Hub, limits: { maxSessionIdLength: number }): Hono<ApiEnv> {
  return new Hono<ApiEnv>()
    // Dashboards poll the list: an unchanged list answers 304 with no body.
    .get("/", etag(), (c) => c.json({ success: true, sessions: hub.sessions(c.var.actor) }))
    .post("/", async (c) => {
      const body = parseOrThrow(createSchema, await readJson(c), { code: "INVALID_PAYLOAD" });
      if (body.sessionId !== undefined && body.sessionId.length > limits.maxSessionIdLength) {
        throw new SwitchboardError(
          "INVALID_PAYLOAD",
          `Field "sessionId": at most ${limits.maxSessionIdLength} characters`,
        );
      }
      const session = await hub.createSession(body, c.var.actor);
      return c.json({ success: true, session }, 201);
    })
    .get(
      "/:id",
      (c) => c.json({ success: true, session: hub.session(c.req.param("id"), c.var.actor) }),
    )
    .delete("/:id", async (c) => {
      await hub.deleteSession(c.req.param("id"), c.var.actor);
      return c.json({ success: true });
    });
}
