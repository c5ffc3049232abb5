/**
 * @module The AG-UI projection, property-tested: whatever order a session's events come in
 * (catalogue events, and AG-UI events passed through with missing openers, stray closers and
 * duplicate starts), every projected event passes `@ag-ui/core`'s schema and the stream passes
 * `@ag-ui/client`'s own verifier.
 */
import { verifyEvents } from "@ag-ui/client";
import { EventSchemas } from "@ag-ui/core/schemas";
import fc from "fast-check";
import assert from "node:assert/strict";
import { from, lastValueFrom, toArray } from "rxjs";
import { AguiProjection, type SourceEvent } from "../../src/agui/projection.ts";
import type { Frame } from "../_helpers.ts";

const id = fc.constantFrom("a", "b", "c");

const catalogue = fc.oneof(
  fc.constant({ event: "execution:started", payload: {} }),
  fc.constant({ event: "execution:completed", payload: { result: 1 } }),
  fc.constant({ event: "execution:failed", payload: { error: "boom" } }),
  fc.constant({ event: "execution:halted", payload: { reason: "wait" } }),
  fc.constant({ event: "execution:resumed", payload: {} }),
  id.map((d) => ({
    event: "decision:point",
    payload: { decisionId: d, question: "ok?", options: ["yes", "no"] },
  })),
  id.map((d) => ({ event: "decision:made", payload: { decisionId: d, choice: "yes" } })),
  id.map((t) => ({ event: "agent:tool_call", payload: { tool: "x", toolUseId: t } })),
  id.map((t) => ({ event: "agent:result", payload: { toolUseId: t, result: { ok: 1 } } })),
  id.map((t) => ({ event: "agent:error", payload: { toolUseId: t, message: "no" } })),
  fc.constant({ event: "agent:result", payload: { result: "free" } }),
  fc.constant({ event: "agent:thought", payload: { content: "hmm" } }),
  fc.constant({ event: "chat:message", payload: { text: "hi", author: "user" } }),
  id.map((s) => ({ event: "skill:started", payload: { skill: s } })),
  id.map((s) => ({ event: "skill:completed", payload: { skill: s } })),
  id.map((s) => ({ event: "skill:failed", payload: { skill: s, error: "x" } })),
  id.map((a) => ({ event: "agent:spawned", payload: { agentId: a } })),
  id.map((a) => ({ event: "agent:completed", payload: { agentId: a } })),
  fc.constant({ event: "agent:usage", payload: { model: "m", inputTokens: 1, outputTokens: 2 } }),
  fc.constant({ event: "command", payload: { commandId: "c", type: "HALT" } }),
  fc.constant({ event: "custom:thing", payload: { n: 1 } }),
  fc.constant({ event: "execution:completed", payload: { via: "ag-ui" } }),
);

const agui = fc.oneof(
  id.map((r) => ({ type: "RUN_STARTED", threadId: "t", runId: r })),
  id.map((r) => ({ type: "RUN_FINISHED", threadId: "t", runId: r })),
  fc.constant({ type: "RUN_ERROR", message: "bad" }),
  id.map((m) => ({ type: "TEXT_MESSAGE_START", messageId: m, role: "assistant" })),
  id.map((m) => ({ type: "TEXT_MESSAGE_CONTENT", messageId: m, delta: "x" })),
  id.map((m) => ({ type: "TEXT_MESSAGE_END", messageId: m })),
  id.map((t) => ({ type: "TOOL_CALL_START", toolCallId: t, toolCallName: "f" })),
  id.map((t) => ({ type: "TOOL_CALL_ARGS", toolCallId: t, delta: "{}" })),
  id.map((t) => ({ type: "TOOL_CALL_END", toolCallId: t })),
  id.map((s) => ({ type: "STEP_STARTED", stepName: s })),
  id.map((s) => ({ type: "STEP_FINISHED", stepName: s })),
  id.map((m) => ({ type: "REASONING_START", messageId: m })),
  id.map((m) => ({ type: "REASONING_END", messageId: m })),
  fc.constant({ type: "STATE_SNAPSHOT", snapshot: { k: 1 } }),
  fc.constant({ type: "CUSTOM", name: "n", value: 1 }),
).map((payload) => ({ event: "ag-ui:event", payload }));

Deno.test("AguiProjection: the verifier used below does refuse a bad stream", async () => {
  const bad = [{ type: "TEXT_MESSAGE_CONTENT", messageId: "m", delta: "x" }];
  // deno-lint-ignore no-explicit-any
  await assert.rejects(() => lastValueFrom(from(bad as any[]).pipe(verifyEvents())), /RUN_STARTED/);
  const open = [
    { type: "RUN_STARTED", threadId: "t", runId: "r" },
    { type: "STEP_STARTED", stepName: "s" },
    { type: "RUN_FINISHED", threadId: "t", runId: "r" },
  ];
  // deno-lint-ignore no-explicit-any
  await assert.rejects(() => lastValueFrom(from(open as any[]).pipe(verifyEvents())), /steps/);
});

Deno.test("AguiProjection: any event order projects to a stream AG-UI's verifier accepts", async () => {
  await fc.assert(
    fc.asyncProperty(fc.array(fc.oneof(catalogue, agui), { maxLength: 60 }), async (input) => {
      const projection = new AguiProjection("thread");
      const out: Frame[] = [];
      input.forEach((e, i) => {
        const source: SourceEvent = { seq: i + 1, ts: 1_700_000_000_000 + i, ...e };
        out.push(...projection.push(source));
      });
      for (const event of out) {
        const parsed = EventSchemas.safeParse(event);
        assert.ok(parsed.success, `${JSON.stringify(event)}: ${parsed.error?.message}`);
      }
      // deno-lint-ignore no-explicit-any
      await lastValueFrom(from(out as any[]).pipe(verifyEvents(), toArray()), {
        defaultValue: [],
      });
    }),
    { numRuns: 300 },
  );
});

Deno.test("AguiProjection: a resume rebuilt from the same events continues the same stream", () => {
  const events: SourceEvent[] = [
    { seq: 1, event: "execution:started", payload: {} },
    { seq: 2, event: "skill:started", payload: { skill: "s" } },
    { seq: 3, event: "chat:message", payload: { text: "x" } },
    { seq: 4, event: "execution:completed", payload: {} },
  ];
  const whole = new AguiProjection("t");
  const all = events.flatMap((e) => whole.push(e));
  const resumed = new AguiProjection("t");
  events.slice(0, 2).forEach((e) => resumed.push(e));
  const tail = events.slice(2).flatMap((e) => resumed.push(e));
  assert.deepEqual(tail, all.slice(all.length - tail.length));
  assert.equal(tail.at(-2)!.type, "STEP_FINISHED", "the step opened before the resume is closed");
});
