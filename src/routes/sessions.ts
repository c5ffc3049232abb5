/**
 * @module `/api/sessions`: create, list, describe and delete sessions.
 */
import { Hono } from "hono";
import { etag } from "hono/etag";
import { z } from "zod";
import type { EdgeContext } from "../app.ts";
import { parseOrThrow } from "../protocol/mod.ts";
import type { ApiEnv } from "./_auth.ts";
import { readJson } from "./_respond.ts";

/** Body of `POST /api/sessions` (the id is then checked by the gate). */
export const createSessionSchema = z.object({
  /** Checked by the gate, like every session id. */
  sessionId: z.unknown().optional(),
  metadata: z.record(z.string(), z.unknown()).optional(),
}).default({});

/** Routes for session lifecycle. */
export function sessionRoutes({ hub, gate }: EdgeContext): Hono<ApiEnv> {
  return new Hono<ApiEnv>()
    // Dashboards poll the list: an unchanged list answers 304 with no body.
    .get("/", etag(), (c) => c.json({ success: true, sessions: hub.sessions(c.var.actor) }))
    .post("/", async (c) => {
      const body = parseOrThrow(createSessionSchema, await readJson(c), {
        code: "INVALID_PAYLOAD",
      });
      const sessionId = body.sessionId === undefined
        ? undefined
        : gate.sessionId(body.sessionId, "sessionId");
      const session = await hub.createSession(
        { sessionId, metadata: body.metadata },
        c.var.actor,
      );
      return c.json({ success: true, session }, 201);
    })
    .get(
      "/:id",
      async (c) =>
        c.json({ success: true, session: await hub.describe(c.var.session, c.var.actor) }),
    )
    .delete("/:id", async (c) => {
      await hub.deleteSession(c.var.session, c.var.actor);
      return c.json({ success: true });
    });
}
