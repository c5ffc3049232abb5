/**
 * @module Tests of the `Execution` state machine: how events move it, and which commands it
 * accepts in which state.
 */
import assert from "node:assert/strict";
import { changesExecution, Execution } from "../../src/hub/execution.ts";
import type { Command, ExecutionState } from "../../src/protocol/commands.ts";
import { type ErrorCode, SwitchboardError } from "../../src/protocol/errors.ts";

const SKILLS = { hasSkill: (name: string) => name === "lint" };

/** An execution brought into `state` by the events an orchestrator would publish. */
function inState(state: ExecutionState): Execution {
  const execution = new Execution();
  if (state === "idle") return execution;
  execution.apply("execution:started", {});
  if (state === "halted") execution.apply("execution:halted", {});
  if (state === "completed") execution.apply("execution:completed", {});
  if (state === "failed") execution.apply("execution:failed", { error: "boom" });
  return execution;
}

/** Plans `command` and applies what the session would append: the command, then its effects. */
function run(execution: Execution, command: Command): void {
  const { args, effects } = execution.plan(command, SKILLS);
  execution.apply("command", { commandId: "c", type: command.type, ...args });
  for (const effect of effects) execution.apply(effect.event, effect.payload);
}

/** Asserts that planning `command` fails with `code`, and returns the message. */
function refusal(execution: Execution, command: Command, code: ErrorCode): string {
  let message = "";
  assert.throws(() => execution.plan(command, SKILLS), (error: unknown) => {
    assert.ok(error instanceof SwitchboardError, `not a SwitchboardError: ${error}`);
    assert.equal(error.code, code);
    message = error.message;
    return true;
  });
  return message;
}

const STATES: readonly ExecutionState[] = ["idle", "running", "halted", "completed", "failed"];

Deno.test("Execution.apply() follows execution:* events", async (t) => {
  await t.step("a new execution is idle with nothing open", () => {
    const execution = new Execution();
    assert.equal(execution.state, "idle");
    assert.equal(execution.decisions.size, 0);
    assert.deepEqual(execution.checkpoints, []);
  });

  await t.step("each execution event sets its state", () => {
    const execution = new Execution();
    const path: [string, ExecutionState][] = [
      ["execution:started", "running"],
      ["agent:thought", "running"],
      ["execution:halted", "halted"],
      ["chat:message", "halted"],
      ["execution:resumed", "running"],
      ["execution:completed", "completed"],
      ["execution:started", "running"],
      ["execution:failed", "failed"],
    ];
    for (const [event, state] of path) {
      execution.apply(event, {});
      assert.equal(execution.state, state, `after ${event}`);
    }
  });

  await t.step("changesExecution() names exactly the events apply() reads", () => {
    for (const event of ["execution:started", "command", "decision:point", "checkpoint:created"]) {
      assert.ok(changesExecution(event), event);
    }
    for (const event of ["chat:message", "agent:thought", "custom:x", "decision:other"]) {
      assert.ok(!changesExecution(event), event);
    }
  });
});

Deno.test("Execution.apply() tracks open decisions and checkpoints", async (t) => {
  await t.step("decision:point opens a decision with only its known fields", () => {
    const execution = new Execution();
    execution.apply("decision:point", { decisionId: "d1", question: "?", options: ["a"], x: 1 });
    execution.apply("decision:point", {
      decisionId: "d2",
      question: "Q",
      options: ["y", "n"],
      default: "n",
    });
    assert.deepEqual([...execution.decisions.values()], [
      { decisionId: "d1", question: "?", options: ["a"] },
      { decisionId: "d2", question: "Q", options: ["y", "n"], default: "n" },
    ]);
  });

  await t.step("a repeated decisionId replaces the open decision", () => {
    const execution = new Execution();
    execution.apply("decision:point", { decisionId: "d", question: "old", options: ["a"] });
    execution.apply("decision:point", { decisionId: "d", question: "new", options: ["b"] });
    assert.equal(execution.decisions.size, 1);
    assert.deepEqual(execution.decisions.get("d")?.options, ["b"]);
  });

  await t.step("decision:made closes it; an unknown one changes nothing", () => {
    const execution = new Execution();
    execution.apply("decision:point", { decisionId: "d", question: "?", options: ["a"] });
    execution.apply("decision:made", { decisionId: "other", choice: "a" });
    assert.equal(execution.decisions.size, 1);
    execution.apply("decision:made", { decisionId: "d", choice: "a" });
    assert.equal(execution.decisions.size, 0);
  });

  await t.step("checkpoint:created appends checkpoints oldest first", () => {
    const execution = new Execution();
    execution.apply("checkpoint:created", { checkpointId: "c1", label: "first" });
    execution.apply("checkpoint:created", { checkpointId: "c2" });
    assert.deepEqual(execution.checkpoints, [
      { checkpointId: "c1", label: "first" },
      { checkpointId: "c2" },
    ]);
  });
});

Deno.test("Execution.plan() accepts state-bound commands only in their states", async (t) => {
  const cases: [Command, readonly ExecutionState[], string][] = [
    [{ type: "HALT" }, ["running"], "running"],
    [{ type: "RESUME" }, ["halted"], "halted"],
    [{ type: "REDIRECT", instruction: "go" }, ["running", "halted"], "running or halted"],
    [{ type: "INJECT", skill: "lint" }, ["idle", "running", "halted"], "idle or running or halted"],
  ];
  for (const [command, allowed, wording] of cases) {
    for (const state of STATES) {
      const ok = allowed.includes(state);
      await t.step(`${command.type} while ${state} is ${ok ? "accepted" : "INVALID_STATE"}`, () => {
        const execution = inState(state);
        if (ok) {
          execution.plan(command, SKILLS);
        } else {
          const message = refusal(execution, command, "INVALID_STATE");
          assert.equal(
            message,
            `${command.type} needs the session to be ${wording}, but it is ${state}`,
          );
        }
      });
    }
  }
});

Deno.test("Execution.plan() describes each command's record and effects", async (t) => {
  await t.step("HALT halts with its reason; RESUME resumes", () => {
    const execution = inState("running");
    const halt = execution.plan({ type: "HALT", reason: "why", idempotencyKey: "k" }, SKILLS);
    assert.deepEqual(halt.args, { reason: "why" }, "type and idempotencyKey are not args");
    assert.deepEqual(halt.effects, [{ event: "execution:halted", payload: { reason: "why" } }]);
    assert.equal(execution.state, "running", "plan() changes nothing");
    run(execution, { type: "HALT" });
    assert.equal(execution.state, "halted");
    const resume = execution.plan({ type: "RESUME" }, SKILLS);
    assert.deepEqual(resume, { args: {}, effects: [{ event: "execution:resumed", payload: {} }] });
    run(execution, { type: "RESUME" });
    assert.equal(execution.state, "running");
  });

  await t.step("REDIRECT records instruction and target, with no effect", () => {
    const plan = inState("halted").plan(
      { type: "REDIRECT", instruction: "try b", target: "agent-2" },
      SKILLS,
    );
    assert.deepEqual(plan, { args: { instruction: "try b", target: "agent-2" }, effects: [] });
  });

  await t.step("INJECT needs a registered skill, in any live state", () => {
    const execution = inState("running");
    const message = refusal(execution, { type: "INJECT", skill: "nope" }, "SKILL_NOT_FOUND");
    assert.match(message, /"nope"/);
    const plan = execution.plan({ type: "INJECT", skill: "lint", parameters: { a: 1 } }, SKILLS);
    assert.deepEqual(plan, { args: { skill: "lint", parameters: { a: 1 } }, effects: [] });
    // The state check comes first: a finished run refuses even a registered skill.
    refusal(inState("completed"), { type: "INJECT", skill: "lint" }, "INVALID_STATE");
  });
});

Deno.test("Execution.plan() and apply() handle DECISION", async (t) => {
  const execution = inState("running");
  execution.apply("decision:point", { decisionId: "d1", question: "?", options: ["a", "b"] });

  await t.step("an unknown decision: DECISION_NOT_FOUND", () => {
    const message = refusal(
      execution,
      { type: "DECISION", decisionId: "d2", choice: "a" },
      "DECISION_NOT_FOUND",
    );
    assert.match(message, /"d2"/);
  });

  await t.step("a choice that is not an option: INVALID_CHOICE", () => {
    const message = refusal(
      execution,
      { type: "DECISION", decisionId: "d1", choice: "c" },
      "INVALID_CHOICE",
    );
    assert.match(message, /"c" is not one of \["a","b"\]/);
  });

  await t.step("a valid choice appends decision:made, which closes the decision", () => {
    const plan = execution.plan({ type: "DECISION", decisionId: "d1", choice: "b" }, SKILLS);
    assert.deepEqual(plan.effects, [
      { event: "decision:made", payload: { decisionId: "d1", decision_id: "d1", choice: "b" } },
    ]);
    assert.equal(execution.decisions.size, 1, "still open until applied");
    run(execution, { type: "DECISION", decisionId: "d1", choice: "b" });
    assert.equal(execution.decisions.size, 0);
    refusal(execution, { type: "DECISION", decisionId: "d1", choice: "b" }, "DECISION_NOT_FOUND");
  });

  await t.step("a decision stays answerable while halted", () => {
    const halted = inState("halted");
    halted.apply("decision:point", { decisionId: "d", question: "?", options: ["x"] });
    halted.plan({ type: "DECISION", decisionId: "d", choice: "x" }, SKILLS);
  });
});

Deno.test("Execution.plan() and apply() handle ROLLBACK", async (t) => {
  const withCheckpoints = () => {
    const execution = inState("running");
    for (const id of ["c1", "c2", "c3"]) {
      execution.apply("checkpoint:created", { checkpointId: id });
    }
    return execution;
  };
  const ids = (execution: Execution) => execution.checkpoints.map((c) => c.checkpointId);

  await t.step("steps=1 targets the most recent checkpoint", () => {
    const plan = withCheckpoints().plan({ type: "ROLLBACK", steps: 1 }, SKILLS);
    assert.deepEqual(plan, { args: { steps: 1, checkpointId: "c3" }, effects: [] });
  });

  await t.step("steps=n counts back from the most recent", () => {
    const execution = withCheckpoints();
    assert.equal(execution.plan({ type: "ROLLBACK", steps: 2 }, SKILLS).args.checkpointId, "c2");
    assert.equal(execution.plan({ type: "ROLLBACK", steps: 3 }, SKILLS).args.checkpointId, "c1");
  });

  await t.step("more steps than checkpoints: CHECKPOINT_NOT_FOUND", () => {
    const message = refusal(
      withCheckpoints(),
      { type: "ROLLBACK", steps: 4 },
      "CHECKPOINT_NOT_FOUND",
    );
    assert.match(message, /4 step\(s\).*3 checkpoint\(s\)/);
    refusal(inState("running"), { type: "ROLLBACK", steps: 1 }, "CHECKPOINT_NOT_FOUND");
  });

  await t.step("checkpointId must name an existing checkpoint", () => {
    const execution = withCheckpoints();
    const plan = execution.plan({ type: "ROLLBACK", checkpointId: "c1" }, SKILLS);
    assert.deepEqual(plan.args, { checkpointId: "c1" });
    const message = refusal(
      execution,
      { type: "ROLLBACK", checkpointId: "c9" },
      "CHECKPOINT_NOT_FOUND",
    );
    assert.match(message, /"c9"/);
  });

  await t.step("later checkpoints are dropped once the command event is applied", () => {
    const execution = withCheckpoints();
    execution.plan({ type: "ROLLBACK", steps: 2 }, SKILLS);
    assert.deepEqual(ids(execution), ["c1", "c2", "c3"], "plan() drops nothing");
    run(execution, { type: "ROLLBACK", steps: 2 });
    assert.deepEqual(ids(execution), ["c1", "c2"]);
    run(execution, { type: "ROLLBACK", checkpointId: "c1" });
    assert.deepEqual(ids(execution), ["c1"]);
    assert.equal(execution.state, "running", "ROLLBACK does not change the state");
  });
});

Deno.test("Execution.snapshot() and restore() round-trip a deep copy", () => {
  const execution = inState("halted");
  execution.apply("decision:point", { decisionId: "d", question: "?", options: ["a"] });
  execution.apply("checkpoint:created", { checkpointId: "c1" });
  const snapshot = execution.snapshot();

  run(execution, { type: "RESUME" });
  run(execution, { type: "DECISION", decisionId: "d", choice: "a" });
  execution.apply("checkpoint:created", { checkpointId: "c2" });
  execution.checkpoints[0].label = "changed in place";
  // Later changes do not reach the snapshot.
  assert.equal(snapshot.state, "halted");
  assert.deepEqual(snapshot.decisions, [{ decisionId: "d", question: "?", options: ["a"] }]);
  assert.deepEqual(snapshot.checkpoints, [{ checkpointId: "c1" }]);

  execution.restore(snapshot);
  assert.equal(execution.state, "halted");
  assert.deepEqual([...execution.decisions.keys()], ["d"]);
  assert.deepEqual(execution.checkpoints, [{ checkpointId: "c1" }]);
});
