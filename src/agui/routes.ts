/**
 * @module `/api/sessions/:id/ag-ui`: AG-UI out (`POST` a `RunAgentInput`, answered as an AG-UI
 * event stream `HttpAgent` reads unchanged; `GET` the same live for dashboards, with `id:` lines
 * and `Last-Event-ID` resume) and AG-UI in (`POST .../ag-ui/events`). A run whose `resume[]`
 * answers the interrupt a `decision:point` ended becomes the DECISION command.
 */
import { RunAgentInputSchema } from "@ag-ui/core/schemas";
import { Hono } from "hono";
import { z } from "zod";
import type { EdgeContext } from "../app.ts";
import type { Caller } from "../ingress/gate.ts";
import type { SessionId } from "../ingress/inbound_limits.ts";
import { SwitchboardError } from "../protocol/errors.ts";
import { isJsonObject } from "../protocol/parse.ts";
import { parseOrThrow } from "../protocol/validate.ts";
import type { ApiEnv } from "../routes/_auth.ts";
import { readJson } from "../routes/_respond.ts";
import { aguiItems } from "./agui_in.ts";
import { aguiStream } from "./sse.ts";

const SSE_HEADERS = {
  "content-type": "text/event-stream",
  "cache-control": "no-cache",
  "x-accel-buffering": "no",
};

/** `Last-Event-ID` (or `?lastEventId=`) of `GET /api/sessions/:id/ag-ui`. */
export const lastEventIdSchema = z.coerce.number().int().min(0).safe();

/** The AG-UI routes under `/api/sessions`. */
export function aguiRoutes({ hub, gate }: EdgeContext): Hono<ApiEnv> {
  return new Hono<ApiEnv>()
    .post("/:id/ag-ui/events", async (c) => {
      const queued = await gate.publish(c.var.caller, c.var.session, aguiItems(await readJson(c)));
      return c.json({ success: true, seqs: await queued.result }, 201);
    })
    .post("/:id/ag-ui", async (c) => {
      const parsed = RunAgentInputSchema.safeParse(await readJson(c));
      if (!parsed.success) {
        const issue = parsed.error.issues[0];
        throw new SwitchboardError(
          "INVALID_PAYLOAD",
          `Not a RunAgentInput: ${issue?.path.join(".") || "body"}: ${issue?.message}`,
        );
      }
      // What came before the answer only rebuilds the projection (the run the interrupt ended,
      // the tool calls it opened), so the stream shows what follows and pairs it up.
      const resumeAfter = await answerResume(
        c.var.caller,
        c.var.session,
        parsed.data.resume ?? [],
      );
      const stream = await aguiStream({
        hub,
        gate,
        principal: c.var.actor.principal,
        session: c.var.session,
        resumeAfter,
        mode: "run",
      });
      return new Response(stream, { headers: SSE_HEADERS });
    })
    .get("/:id/ag-ui", async (c) => {
      const header = c.req.header("last-event-id") ?? c.req.query("lastEventId");
      const resumeAfter = header === undefined ? 0 : parseOrThrow(lastEventIdSchema, header, {
        code: "INVALID_PAYLOAD",
        prefix: "Last-Event-ID",
      });
      const stream = await aguiStream({
        hub,
        gate,
        principal: c.var.actor.principal,
        session: c.var.session,
        resumeAfter,
        mode: "watch",
      });
      return new Response(stream, { headers: SSE_HEADERS });
    });

  /**
   * Sends each resume entry as a DECISION; the run then shows what follows the first of them.
   * A cancelled entry takes the decision's default. Without entries the run shows the session
   * from its start.
   */
  async function answerResume(
    caller: Caller,
    session: SessionId,
    resume: { interruptId: string; status: string; payload?: unknown }[],
  ): Promise<number> {
    let after: number | undefined;
    for (const entry of resume) {
      const choice = entry.status === "cancelled"
        ? hub.session(session, caller.actor).openDecisions
          .find((d) => d.decisionId === entry.interruptId)?.default
        : typeof entry.payload === "string"
        ? entry.payload
        : isJsonObject(entry.payload) && typeof entry.payload.choice === "string"
        ? entry.payload.choice
        : undefined;
      if (choice === undefined) {
        throw new SwitchboardError(
          "INVALID_PAYLOAD",
          `Resume of "${entry.interruptId}" needs a payload {"choice": ...} (or a default to cancel to)`,
        );
      }
      const result = await gate.command(caller, session, {
        type: "DECISION",
        decisionId: entry.interruptId,
        choice,
      }).result;
      after ??= result.seq - 1;
    }
    return after ?? 0;
  }
}
