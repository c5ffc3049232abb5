/**
 * @module The dashboard's pure logic, without a browser: one-line summaries, the stream filter
 * (incremental), span pairing for the timeline, and reading a token's claims.
 */
import assert from "node:assert/strict";
import { canCommand, readClaims } from "../../web/auth.ts";
import { FilteredView, typeMatcher } from "../../web/filter.ts";
import { type Row, toRow } from "../../web/row.ts";
import { MAX_SPANS, SpanBuilder } from "../../web/spans.ts";
import { ago, duration, summarize } from "../../web/summary.ts";

let seq = 0;
function row(event: string, payload: Record<string, unknown> = {}, ts = seq * 10): Row {
  return toRow(event, ++seq, ts, payload);
}

Deno.test("summarize() writes one line per catalogued event, JSON otherwise", () => {
  assert.equal(summarize("skill:failed", { skill: "lint", error: "3 errors" }), "lint: 3 errors");
  assert.equal(
    summarize("decision:point", { decisionId: "d", question: "Ship?", options: ["y", "n"] }),
    "Ship? [y / n]",
  );
  assert.equal(
    summarize("command", { type: "HALT", commandId: "x", reason: "r", by: { role: "dashboard" } }),
    'HALT {"reason":"r"} by dashboard',
  );
  assert.equal(summarize("custom:x", { a: 1 }), '{"a":1}');
  assert.equal(
    summarize("agent:usage", { model: "m", inputTokens: 150, outputTokens: 25 }),
    "m: 150 in, 25 out",
  );
  assert.equal(summarize("agent:thought", { content: "x".repeat(300) }).length, 120);
  // A payload without the catalogued shape still gets a line.
  assert.equal(typeof summarize("decision:point", { options: 3 }), "string");
  assert.equal(duration(850), "850 ms");
  assert.equal(duration(185_000), "3 m 05 s");
  assert.equal(ago(null), "—");
  assert.equal(ago(new Date(0).toISOString(), 90_000), "1 m");
});

Deno.test("typeMatcher() takes exact names, prefixes with *, and lists", () => {
  const match = typeMatcher("skill:*, agent:tool_call");
  assert.ok(match("skill:started") && match("agent:tool_call"));
  assert.ok(!match("agent:thought") && !match("skills"));
  assert.ok(typeMatcher("")("anything"));
  assert.ok(typeMatcher("*")("anything"));
});

Deno.test("FilteredView tests appended rows only, and starts over on a new filter", () => {
  const rows = [row("skill:started", { skill: "a" }), row("custom:x", { note: "Needle" })];
  const view = new FilteredView();
  assert.equal(view.update(rows, { types: "skill:*", text: "" }).length, 1);
  rows.push(row("skill:completed", { skill: "a" }));
  const after = view.update(rows, { types: "skill:*", text: "" });
  assert.deepEqual(after.map((r) => r.event), ["skill:started", "skill:completed"]);
  assert.deepEqual(view.update(rows, { types: "", text: "needle" }).map((r) => r.event), [
    "custom:x",
  ]);
  // A replaced array (older history paged in) is read again.
  const older = [row("skill:progress", { skill: "a" }), ...rows];
  assert.equal(view.update(older, { types: "skill:*", text: "" }).length, 3);
});

Deno.test("SpanBuilder pairs starts and ends, marks failures, keeps running ones open", () => {
  const rows = [
    row("skill:started", { skill: "plan" }, 0),
    row("agent:spawned", { agentId: "coder" }, 5),
    row("agent:tool_call", { agentId: "coder", tool: "grep" }, 7),
    row("skill:completed", { skill: "plan" }, 20),
    row("skill:started", { skill: "test" }, 30),
  ];
  const builder = new SpanBuilder();
  let spans = builder.update(rows);
  assert.deepEqual(spans.map((s) => [s.label, s.start, s.end, s.failed]), [
    ["skill plan", 0, 20, false],
    ["agent coder", 5, undefined, false],
    ["skill test", 30, undefined, false],
  ]);
  assert.deepEqual(spans[1].ticks, [7]);
  rows.push(row("skill:failed", { skill: "test", error: "boom" }, 45));
  spans = builder.update(rows);
  assert.deepEqual([spans[2].end, spans[2].failed], [45, true]);

  const many = Array.from({ length: 3 * MAX_SPANS }, (_, i) => [
    row("skill:started", { skill: `s${i}` }),
    row("skill:completed", { skill: `s${i}` }),
  ]).flat();
  const recent = new SpanBuilder().update(many);
  assert.equal(recent.length, MAX_SPANS);
  assert.equal(recent.at(-1)?.label, `skill s${3 * MAX_SPANS - 1}`);
});

Deno.test("SpanBuilder pairs tool calls with their result or error by toolUseId", () => {
  const rows = [
    row("agent:tool_call", { tool: "Bash", toolUseId: "t1" }, 0),
    row("agent:tool_call", { tool: "Read", toolUseId: "t2" }, 2),
    row("agent:error", { tool: "Read", toolUseId: "t2", message: "no file" }, 5),
    row("agent:result", { tool: "Bash", toolUseId: "t1", result: "ok" }, 9),
    row("agent:tool_call", { tool: "Edit", toolUseId: "t3" }, 12),
  ];
  const spans = new SpanBuilder().update(rows);
  assert.deepEqual(spans.map((s) => [s.kind, s.label, s.start, s.end, s.failed]), [
    ["tool", "tool Bash", 0, 9, false],
    ["tool", "tool Read", 2, 5, true],
    ["tool", "tool Edit", 12, undefined, false],
  ]);
});

Deno.test("readClaims() reads a JWT's payload; canCommand() follows the role rules", () => {
  const payload = btoa(JSON.stringify({ sub: "ada", role: "orchestrator" }))
    .replace(/\+/g, "-").replace(/\//g, "_").replace(/=+$/, "");
  const claims = readClaims(`e30.${payload}.sig`);
  assert.deepEqual(claims, { sub: "ada", role: "orchestrator" });
  assert.equal(readClaims("not-a-jwt"), undefined);
  assert.equal(canCommand(claims), false);
  assert.equal(canCommand({ role: "orchestrator", scope: "publish commands" }), true);
  assert.equal(canCommand({ role: "dashboard" }), true);
  assert.equal(canCommand(undefined), true, "development mode");
});
