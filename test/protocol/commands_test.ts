/**
 * @module Tests of the command schema and `parseCommand()`: what a well-formed command is, before
 * any state is consulted.
 */
import assert from "node:assert/strict";
import {
  COMMAND_TYPES,
  commandSchema,
  executionStateSchema,
  parseCommand,
  SwitchboardError,
} from "../../src/protocol/mod.ts";

Deno.test("commandSchema accepts each command in its documented shape", () => {
  const valid: unknown[] = [
    { type: "HALT" },
    { type: "HALT", reason: "checking", idempotencyKey: "k1" },
    { type: "RESUME" },
    { type: "ROLLBACK", steps: 1 },
    { type: "ROLLBACK", steps: 5 },
    { type: "ROLLBACK", checkpointId: "c1" },
    { type: "REDIRECT", instruction: "try b" },
    { type: "REDIRECT", instruction: "try b", target: "agent-2" },
    { type: "DECISION", decisionId: "d1", choice: "a" },
    { type: "INJECT", skill: "lint" },
    { type: "INJECT", skill: "lint", parameters: { fix: true, depth: 2 } },
  ];
  for (const command of valid) {
    const result = commandSchema.safeParse(command);
    assert.ok(result.success, `${JSON.stringify(command)}: ${result.error?.message}`);
    assert.deepEqual(result.data, command);
  }
});

Deno.test("commandSchema rejects malformed commands", async (t) => {
  const invalid: [string, unknown][] = [
    ["no type", {}],
    ["an unknown type", { type: "EXPLODE" }],
    ["a lowercase type", { type: "halt" }],
    ["a non-object", "HALT"],
    ["ROLLBACK with neither steps nor checkpointId", { type: "ROLLBACK" }],
    ["ROLLBACK with both", { type: "ROLLBACK", steps: 1, checkpointId: "c1" }],
    ["ROLLBACK steps 0", { type: "ROLLBACK", steps: 0 }],
    ["ROLLBACK fractional steps", { type: "ROLLBACK", steps: 1.5 }],
    ["ROLLBACK empty checkpointId", { type: "ROLLBACK", checkpointId: "" }],
    ["REDIRECT without instruction", { type: "REDIRECT" }],
    ["REDIRECT empty instruction", { type: "REDIRECT", instruction: "" }],
    ["REDIRECT empty target", { type: "REDIRECT", instruction: "x", target: "" }],
    ["DECISION without choice", { type: "DECISION", decisionId: "d1" }],
    ["DECISION without decisionId", { type: "DECISION", choice: "a" }],
    ["INJECT without skill", { type: "INJECT" }],
    ["INJECT with array parameters", { type: "INJECT", skill: "x", parameters: [1] }],
    ["HALT with a too long reason", { type: "HALT", reason: "r".repeat(1001) }],
    ["an empty idempotencyKey", { type: "HALT", idempotencyKey: "" }],
    ["a too long idempotencyKey", { type: "RESUME", idempotencyKey: "k".repeat(129) }],
  ];
  for (const [name, command] of invalid) {
    await t.step(name, () => {
      assert.equal(commandSchema.safeParse(command).success, false, JSON.stringify(command));
    });
  }
});

Deno.test("parseCommand() fails with INVALID_COMMAND naming the field", async (t) => {
  const cases: [unknown, RegExp][] = [
    [{ type: "REDIRECT" }, /^Invalid command: Field "payload\.instruction"/],
    [{ type: "ROLLBACK", steps: 0 }, /Field "payload\.steps"/],
    [{ type: "ROLLBACK" }, /Give exactly one of steps \(>= 1\) or checkpointId/],
    [{ type: "NOPE" }, /Field "payload\.type"/],
    [undefined, /^Invalid command/],
  ];
  for (const [payload, message] of cases) {
    await t.step(JSON.stringify(payload) ?? "undefined", () => {
      assert.throws(() => parseCommand(payload), (error: unknown) => {
        assert.ok(error instanceof SwitchboardError);
        assert.equal(error.code, "INVALID_COMMAND");
        assert.equal(error.status, 422);
        assert.match(error.message, message);
        return true;
      });
    });
  }
});

Deno.test("COMMAND_TYPES lists every command the schema accepts", () => {
  assert.deepEqual([...COMMAND_TYPES].sort(), [
    "DECISION",
    "HALT",
    "INJECT",
    "REDIRECT",
    "RESUME",
    "ROLLBACK",
  ]);
  for (const type of COMMAND_TYPES) {
    const result = commandSchema.safeParse({ type });
    // Commands with required fields fail on those fields, never on the type itself.
    const typeIssue = result.error?.issues.some((issue) => issue.path.join(".") === "type");
    assert.ok(!typeIssue, `${type} is not a schema option`);
  }
});

Deno.test("executionStateSchema names the five states", () => {
  assert.deepEqual(executionStateSchema.options, [
    "idle",
    "running",
    "halted",
    "completed",
    "failed",
  ]);
});
