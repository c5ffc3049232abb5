/**
 * @module Tests of `Idempotency-Key` on `POST /api/sessions/:id/events`: a retry gets the first
 * answer (same status, same seqs) and appends nothing; another body under the same key is a
 * conflict; keys are checked.
 */
import assert from "node:assert/strict";
import { call, createTestApp } from "./_app.ts";
import { history } from "./_session_calls.ts";

const EVENTS = [{ event: "custom:a", payload: { n: 1 } }, { event: "custom:b" }];

Deno.test("POST /api/sessions/:id/events honours Idempotency-Key", async (t) => {
  const { app, close } = createTestApp();
  const post = (body: unknown, key?: string) =>
    call(app, "POST", "/api/sessions/s/events", body, key ? { "idempotency-key": key } : {});
  try {
    await t.step("a retry gets the first answer and appends nothing", async () => {
      const first = await post(EVENTS, "k1");
      const second = await post(EVENTS, "k1");
      assert.equal(first.status, 201);
      assert.equal(second.status, 201);
      assert.deepEqual(first.body, { success: true, seqs: [1, 2] });
      assert.deepEqual(second.body, first.body);
      assert.equal(second.headers.get("idempotent-replayed"), "true");
      assert.equal((await history(app)).length, 2);
    });

    await t.step("concurrent requests with one key append once", async () => {
      const answers = await Promise.all([1, 2, 3].map(() => post(EVENTS, "k2")));
      for (const answer of answers) assert.deepEqual(answer.body, { success: true, seqs: [3, 4] });
      assert.equal((await history(app)).length, 4);
    });

    await t.step("the same key with another body is IDEMPOTENCY_CONFLICT", async () => {
      const other = await post([{ event: "custom:c" }], "k1");
      assert.equal(other.status, 422);
      assert.equal(other.body.error.code, "IDEMPOTENCY_CONFLICT");
      assert.equal((await history(app)).length, 4);
    });

    await t.step("a refused request is not remembered: fixed, it goes through", async () => {
      const refused = await post({ event: "skill:started", payload: {} }, "k3");
      assert.equal(refused.body.error.code, "INVALID_PAYLOAD");
      const again = await post({ event: "skill:started", payload: {} }, "k3");
      assert.equal(again.body.error.code, "INVALID_PAYLOAD");
      const fixed = await post({ event: "skill:started", payload: { skill: "x" } }, "k3");
      assert.deepEqual(fixed.body, { success: true, seqs: [5] });
    });

    await t.step("without a key every request appends", async () => {
      await post([{ event: "custom:d" }]);
      await post([{ event: "custom:d" }]);
      assert.equal((await history(app)).length, 7);
    });

    await t.step("keys are per session", async () => {
      const elsewhere = await call(app, "POST", "/api/sessions/t/events", EVENTS, {
        "idempotency-key": "k1",
      });
      assert.deepEqual(elsewhere.body, { success: true, seqs: [1, 2] });
    });

    await t.step("a malformed key is INVALID_PAYLOAD", async () => {
      for (const key of ["x".repeat(129), "has space"]) {
        const bad = await post(EVENTS, key);
        assert.equal(bad.status, 422, key);
        assert.equal(bad.body.error.code, "INVALID_PAYLOAD");
      }
    });
  } finally {
    close();
  }
});
