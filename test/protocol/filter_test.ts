/**
 * @module Tests of subscription filters: `compileFilter()` and the pattern schema.
 */
import assert from "node:assert/strict";
import { compileFilter, eventPatternSchema } from "../../src/protocol/mod.ts";

const EVENTS = [
  "agent:thought",
  "agent:tool_call",
  "agent",
  "subagent:spawned",
  "skill:started",
  "command",
  "command:applied",
  "custom:metric",
  "presence:joined",
];

/** The events of {@linkcode EVENTS} that pass `patterns`. */
function passing(patterns: readonly string[] | undefined): string[] {
  const matches = compileFilter(patterns);
  return EVENTS.filter((event) => matches(event));
}

Deno.test("compileFilter() lets everything through without patterns or with *", () => {
  assert.deepEqual(passing(undefined), EVENTS);
  assert.deepEqual(passing([]), EVENTS);
  assert.deepEqual(passing(["*"]), EVENTS);
  assert.deepEqual(passing(["command", "*"]), EVENTS, "* among others still means everything");
});

Deno.test("compileFilter() matches exact names exactly", () => {
  assert.deepEqual(passing(["command"]), ["command"]);
  assert.deepEqual(passing(["agent", "skill:started"]), ["agent", "skill:started"]);
  assert.deepEqual(passing(["skill"]), [], "a bare prefix is not a wildcard");
  assert.deepEqual(passing(["Command"]), [], "names are case-sensitive");
});

Deno.test("compileFilter() matches prefix:* wildcards by prefix", () => {
  assert.deepEqual(
    passing(["agent:*"]),
    ["agent:thought", "agent:tool_call"],
    "a prefix, not a substring",
  );
  assert.deepEqual(passing(["command*"]), ["command", "command:applied"]);
  assert.deepEqual(passing(["agent:*", "custom:*", "command"]), [
    "agent:thought",
    "agent:tool_call",
    "command",
    "custom:metric",
  ]);
});

Deno.test("compileFilter() gives the same verdicts past its memo of 1024 names", () => {
  const matches = compileFilter(["agent:*", "exact"]);
  for (let i = 0; i < 3000; i++) {
    assert.equal(matches(`agent:n${i}`), true);
    assert.equal(matches(`other:n${i}`), false);
  }
  // Asked again after the memo filled up: verdicts must not change.
  assert.equal(matches("agent:n0"), true);
  assert.equal(matches("other:n2999"), false);
  assert.equal(matches("exact"), true);
});

Deno.test("eventPatternSchema accepts names with an optional trailing *", async (t) => {
  for (const pattern of ["*", "command", "agent:*", "custom:my.metric", "a*"]) {
    await t.step(`accepts ${JSON.stringify(pattern)}`, () => {
      assert.ok(eventPatternSchema.safeParse(pattern).success);
    });
  }
  for (const pattern of ["", "a*b", "**", "*:x", "has space", "tab\t", "x".repeat(129), 7]) {
    await t.step(`rejects ${JSON.stringify(pattern).slice(0, 16)}`, () => {
      assert.equal(eventPatternSchema.safeParse(pattern).success, false);
    });
  }
});
