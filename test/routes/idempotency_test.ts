/**
 * @module Tests of idempotent commands over REST: the `Idempotency-Key` header and the
 * `idempotencyKey` field each make a retried command apply once.
 */
import assert from "node:assert/strict";
import { createTestApp } from "./_app.ts";
import { command, history, publish } from "./_session_calls.ts";

Deno.test("POST /api/sessions/:id/commands honours idempotency keys", async (t) => {
  const { app, close } = createTestApp();
  const commandEvents = async () => (await history(app)).filter((e) => e.event === "command");
  try {
    await publish(app, { event: "execution:started" });

    await t.step("Idempotency-Key header: the same key twice is applied once", async () => {
      const headers = { "idempotency-key": "halt-1" };
      const first = await command(app, { type: "HALT" }, headers);
      const second = await command(app, { type: "HALT" }, headers);
      assert.equal(first.status, 200);
      assert.equal(second.status, 200, "a retry is not refused as INVALID_STATE");
      assert.deepEqual(second.body, first.body);
      assert.equal((await commandEvents()).length, 1);
    });

    await t.step("idempotencyKey field: the same key twice is applied once", async () => {
      const body = { type: "RESUME", idempotencyKey: "resume-1" };
      const [first, second] = await Promise.all([command(app, body), command(app, body)]);
      assert.equal(first.status, 200);
      assert.equal(second.body.commandId, first.body.commandId);
      assert.equal(second.body.seq, first.body.seq);
      const recorded = await commandEvents();
      assert.equal(recorded.length, 2);
      assert.equal(recorded.filter((e) => e.payload.type === "RESUME").length, 1);
      assert.equal(recorded[1].payload.commandId, first.body.commandId);
      assert.equal(recorded[1].payload.idempotencyKey, undefined, "keys are not recorded");
    });

    await t.step("a key in the body wins over the header", async () => {
      const res = await command(app, { type: "HALT", idempotencyKey: "halt-1" }, {
        "idempotency-key": "halt-2",
      });
      assert.equal(res.body.state, "halted", "answered from halt-1");
      assert.equal((await commandEvents()).length, 2);
    });

    await t.step("different keys are different commands", async () => {
      const a = await command(app, { type: "REDIRECT", instruction: "x" }, {
        "idempotency-key": "a",
      });
      const b = await command(app, { type: "REDIRECT", instruction: "x" }, {
        "idempotency-key": "b",
      });
      assert.notEqual(a.body.commandId, b.body.commandId);
      assert.equal((await commandEvents()).length, 4);
    });

    await t.step("a key reused for a different command is refused", async () => {
      const res = await command(app, { type: "REDIRECT", instruction: "y" }, {
        "idempotency-key": "a",
      });
      assert.equal(res.status, 422);
      assert.equal(res.body.error.code, "IDEMPOTENCY_CONFLICT");
      assert.equal((await commandEvents()).length, 4);
    });
  } finally {
    close();
  }
});
