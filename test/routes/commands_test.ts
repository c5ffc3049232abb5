/**
 * @module Tests of `POST /api/sessions/:id/commands`: command semantics over HTTP and the events
 * a command appends.
 */
import assert from "node:assert/strict";
import { call, createTestApp, errorOf } from "./_app.ts";
import { command, history, publish } from "./_session_calls.ts";

Deno.test("POST /api/sessions/:id/commands applies HALT and RESUME", async (t) => {
  const { app, close } = createTestApp();
  try {
    await call(app, "POST", "/api/sessions", { sessionId: "s" });

    await t.step("HALT while idle: 409 INVALID_STATE, nothing appended", async () => {
      const res = await command(app, { type: "HALT" });
      assert.equal(res.status, 409);
      const error = errorOf(res);
      assert.equal(error.code, "INVALID_STATE");
      assert.match(error.message, /HALT needs the session to be running, but it is idle/);
      assert.deepEqual(await history(app), []);
    });

    await publish(app, { event: "execution:started" });

    await t.step("HALT while running: 200 with the result", async () => {
      const res = await command(app, { type: "HALT", reason: "look" });
      assert.equal(res.status, 200);
      assert.equal(res.body.success, true);
      assert.equal(res.body.command, "HALT");
      assert.equal(res.body.state, "halted");
      assert.equal(res.body.seq, 2);
      assert.equal(typeof res.body.commandId, "string");

      const [, recorded, effect] = await history(app);
      assert.equal(recorded.event, "command");
      assert.deepEqual(recorded.payload, {
        commandId: res.body.commandId,
        type: "HALT",
        reason: "look",
        by: { id: "rest", role: "admin" },
      });
      assert.equal(effect.event, "execution:halted");
      assert.equal(effect.seq, 3);
      assert.equal(effect.payload.reason, "look");
      assert.equal(effect.payload.commandId, res.body.commandId);
    });

    await t.step("HALT while halted and RESUME twice: the second is refused", async () => {
      assert.equal(errorOf(await command(app, { type: "HALT" })).code, "INVALID_STATE");
      const resumed = await command(app, { type: "RESUME" });
      assert.equal(resumed.status, 200);
      assert.equal(resumed.body.state, "running");
      assert.equal((await history(app)).at(-1)!.event, "execution:resumed");
      const again = await command(app, { type: "RESUME" });
      assert.equal(again.status, 409);
      assert.match(errorOf(again).message, /RESUME needs the session to be halted/);
    });
  } finally {
    close();
  }
});

Deno.test("POST /api/sessions/:id/commands checks ROLLBACK, REDIRECT and DECISION", async (t) => {
  const { app, close } = createTestApp();
  try {
    await publish(
      app,
      { event: "execution:started" },
      { event: "checkpoint:created", payload: { checkpointId: "c1" } },
      { event: "checkpoint:created", payload: { checkpointId: "c2" } },
      { event: "checkpoint:created", payload: { checkpointId: "c3" } },
      {
        event: "decision:point",
        payload: { decisionId: "d1", question: "?", options: ["a", "b"] },
      },
    );

    await t.step("ROLLBACK to a missing checkpoint: 409 CHECKPOINT_NOT_FOUND", async () => {
      assert.equal(
        errorOf(await command(app, { type: "ROLLBACK", steps: 4 })).code,
        "CHECKPOINT_NOT_FOUND",
      );
      const res = await command(app, { type: "ROLLBACK", checkpointId: "zz" });
      assert.equal(res.status, 409);
      assert.match(errorOf(res).message, /"zz"/);
    });

    await t.step("ROLLBACK steps=2 targets c2 and drops c3", async () => {
      const res = await command(app, { type: "ROLLBACK", steps: 2 });
      assert.equal(res.status, 200);
      const recorded = (await history(app)).at(-1)!;
      assert.equal(recorded.event, "command");
      assert.equal(recorded.payload.checkpointId, "c2");
      const session = (await call(app, "GET", "/api/sessions/s")).body.session;
      assert.deepEqual(session.checkpoints, [{ checkpointId: "c1" }, { checkpointId: "c2" }]);
    });

    await t.step("ROLLBACK with both or neither of steps/checkpointId: 422", async () => {
      for (
        const body of [{ type: "ROLLBACK" }, { type: "ROLLBACK", steps: 1, checkpointId: "c1" }]
      ) {
        const res = await command(app, body);
        assert.equal(res.status, 422);
        assert.equal(errorOf(res).code, "INVALID_COMMAND");
      }
    });

    await t.step("REDIRECT while running is recorded with its target", async () => {
      const res = await command(app, { type: "REDIRECT", instruction: "try B", target: "agent-1" });
      assert.equal(res.status, 200);
      const recorded = (await history(app)).at(-1)!;
      assert.equal(recorded.payload.instruction, "try B");
      assert.equal(recorded.payload.target, "agent-1");
    });

    await t.step("DECISION for an unknown decision or a foreign choice is refused", async () => {
      const missing = await command(app, { type: "DECISION", decisionId: "d9", choice: "a" });
      assert.equal(missing.status, 409);
      assert.equal(errorOf(missing).code, "DECISION_NOT_FOUND");
      const wrong = await command(app, { type: "DECISION", decisionId: "d1", choice: "c" });
      assert.equal(wrong.status, 422);
      assert.equal(errorOf(wrong).code, "INVALID_CHOICE");
    });

    await t.step("DECISION closes the decision and appends decision:made", async () => {
      const res = await command(app, { type: "DECISION", decisionId: "d1", choice: "b" });
      assert.equal(res.status, 200);
      const made = (await history(app)).at(-1)!;
      assert.equal(made.event, "decision:made");
      assert.equal(made.payload.choice, "b");
      const session = (await call(app, "GET", "/api/sessions/s")).body.session;
      assert.deepEqual(session.openDecisions, []);
      assert.equal(
        errorOf(await command(app, { type: "DECISION", decisionId: "d1", choice: "b" })).code,
        "DECISION_NOT_FOUND",
      );
    });

    await publish(app, { event: "execution:completed" });

    await t.step("REDIRECT after completion: 409 INVALID_STATE", async () => {
      const res = await command(app, { type: "REDIRECT", instruction: "again" });
      assert.equal(errorOf(res).code, "INVALID_STATE");
    });
  } finally {
    close();
  }
});

Deno.test("POST /api/sessions/:id/commands INJECTs registered skills only", async () => {
  const { app, close } = createTestApp();
  try {
    await publish(app, { event: "execution:started" });
    const missing = await command(app, { type: "INJECT", skill: "lint" });
    assert.equal(missing.status, 404);
    assert.equal(errorOf(missing).code, "SKILL_NOT_FOUND");

    const put = await call(app, "PUT", "/api/skills/lint", { description: "Runs the linter" });
    assert.equal(put.status, 201);
    const res = await command(app, { type: "INJECT", skill: "lint", parameters: { fix: true } });
    assert.equal(res.status, 200);
    assert.deepEqual((await history(app)).at(-1)!.payload.parameters, { fix: true });

    await publish(app, { event: "execution:failed", payload: { error: "boom" } });
    assert.equal(
      errorOf(await command(app, { type: "INJECT", skill: "lint" })).code,
      "INVALID_STATE",
    );
  } finally {
    close();
  }
});

Deno.test("POST /api/sessions/:id/commands rejects bad requests", async (t) => {
  const { app, close } = createTestApp();
  try {
    await t.step("an unknown session: 404 SESSION_NOT_FOUND", async () => {
      const res = await call(app, "POST", "/api/sessions/ghost/commands", { type: "HALT" });
      assert.equal(res.status, 404);
      assert.equal(errorOf(res).code, "SESSION_NOT_FOUND");
    });

    await publish(app, { event: "execution:started" });

    await t.step("invalid commands: 422 INVALID_COMMAND naming the field", async () => {
      const cases: [unknown, RegExp][] = [
        [{ type: "EXPLODE" }, /payload\.type/],
        [{ type: "REDIRECT" }, /payload\.instruction/],
        [{ type: "ROLLBACK", steps: 0 }, /payload\.steps/],
        [{ type: "DECISION", decisionId: "d" }, /payload\.choice/],
        [{ type: "INJECT", skill: "x", parameters: [] }, /payload\.parameters/],
        [{ type: "HALT", idempotencyKey: "k".repeat(129) }, /payload\.idempotencyKey/],
        [[], /Invalid command/],
      ];
      for (const [body, field] of cases) {
        const res = await command(app, body);
        assert.equal(res.status, 422, JSON.stringify(body));
        const error = errorOf(res);
        assert.equal(error.code, "INVALID_COMMAND");
        assert.match(error.message, field);
      }
      assert.equal((await history(app)).length, 1, "nothing was appended");
    });

    await t.step("a body that is not JSON: 400 BAD_JSON", async () => {
      assert.equal(errorOf(await command(app, "HALT")).code, "BAD_JSON");
    });
  } finally {
    close();
  }
});
