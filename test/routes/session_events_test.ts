/**
 * @module Tests of `POST` and `GET /api/sessions/:id/events`: publishing with the WebSocket's
 * validation, and paging through history.
 */
import assert from "node:assert/strict";
import { call, createTestApp, errorOf } from "./_app.ts";

Deno.test("POST /api/sessions/:id/events publishes", async (t) => {
  const { app, close } = createTestApp();
  try {
    await t.step("one event: 201 with its seq, opening the session on first use", async () => {
      const res = await call(app, "POST", "/api/sessions/s/events", {
        event: "execution:started",
        payload: { task: "demo" },
      });
      assert.equal(res.status, 201);
      assert.deepEqual(res.body, { success: true, seqs: [1] });
      assert.equal((await call(app, "GET", "/api/sessions/s")).body.session.state, "running");
    });

    await t.step("an array: consecutive seqs in order", async () => {
      const res = await call(app, "POST", "/api/sessions/s/events", [
        { event: "agent:thought", payload: { content: "hmm" } },
        { event: "custom:metric", payload: { value: 3 } },
        { event: "file:created", payload: { path: "a.ts", extra: true } },
      ]);
      assert.equal(res.status, 201);
      assert.deepEqual(res.body.seqs, [2, 3, 4]);
    });

    await t.step("a missing payload counts as {} where the schema allows it", async () => {
      const res = await call(app, "POST", "/api/sessions/s/events", { event: "execution:resumed" });
      assert.deepEqual(res.body.seqs, [5]);
    });

    await t.step("stored payloads keep extra fields", async () => {
      const page = await call(app, "GET", "/api/sessions/s/events?after=3&limit=1");
      assert.deepEqual(page.body.events[0].payload, { path: "a.ts", extra: true });
    });
  } finally {
    close();
  }
});

Deno.test("POST /api/sessions/:id/events rejects what the WebSocket rejects", async (t) => {
  const { app, close } = createTestApp({ maxFrameBytes: 2048 });
  const post = (body: unknown) => call(app, "POST", "/api/sessions/s/events", body);
  try {
    await t.step("an unknown event: 400 UNKNOWN_EVENT", async () => {
      const res = await post({ event: "made:up", payload: {} });
      assert.equal(res.status, 400);
      const error = errorOf(res);
      assert.equal(error.code, "UNKNOWN_EVENT");
      assert.match(error.message, /"made:up"/);
    });

    await t.step(
      "server-made events cannot be forged: command, presence, bare custom:",
      async () => {
        for (const event of ["command", "presence:joined", "session:deleted", "custom:"]) {
          assert.equal(errorOf(await post({ event, payload: {} })).code, "UNKNOWN_EVENT", event);
        }
      },
    );

    await t.step("an invalid payload: 422 INVALID_PAYLOAD naming the field", async () => {
      const res = await post({
        event: "decision:point",
        payload: { decisionId: "d", question: "q", options: [] },
      });
      assert.equal(res.status, 422);
      const error = errorOf(res);
      assert.equal(error.code, "INVALID_PAYLOAD");
      assert.match(error.message, /"decision:point"/);
      assert.match(error.message, /Field "payload\.options"/);
    });

    await t.step("a wrong type deep inside: the message names the path", async () => {
      const res = await post({ event: "skill:progress", payload: { skill: "s", percent: 101 } });
      assert.match(errorOf(res).message, /Field "payload\.percent"/);
    });

    await t.step("one bad event in an array rejects the whole array", async () => {
      const before = await call(app, "GET", "/api/sessions/s/events");
      const res = await post([
        { event: "chat:message", payload: { text: "ok" } },
        { event: "chat:message", payload: {} },
      ]);
      assert.equal(res.status, 422);
      const after = await call(app, "GET", "/api/sessions/s/events");
      assert.equal(after.body.headSeq, before.body.headSeq);
    });

    await t.step("items that are not objects, and empty arrays: 422", async () => {
      assert.match(errorOf(await post([1])).message, /Event 0 must be an object/);
      assert.equal(errorOf(await post([])).code, "INVALID_PAYLOAD");
      assert.equal(errorOf(await post({ payload: {} })).code, "INVALID_FRAME");
    });

    await t.step("a body that is not JSON: 400 BAD_JSON", async () => {
      const res = await post("{not json");
      assert.equal(res.status, 400);
      assert.equal(errorOf(res).code, "BAD_JSON");
    });

    await t.step("a body over maxFrameBytes: 413 FRAME_TOO_LARGE", async () => {
      const res = await post({ event: "chat:message", payload: { text: "x".repeat(4096) } });
      assert.equal(res.status, 413);
      assert.equal(errorOf(res).code, "FRAME_TOO_LARGE");
    });

    await t.step("a malformed session id in the path is refused", async () => {
      const res = await call(app, "POST", "/api/sessions/-bad/events", { event: "chat:message" });
      assert.equal(res.status, 400);
      assert.equal(errorOf(res).code, "INVALID_FRAME", "as on the WebSocket");
      assert.match(errorOf(res).message, /"session"/);
    });
  } finally {
    close();
  }
});

Deno.test("GET /api/sessions/:id/events pages through history", async (t) => {
  const { app, close } = createTestApp();
  try {
    const events = Array.from({ length: 5 }, (_, i) => ({
      event: "chat:message",
      payload: { text: `m${i + 1}` },
    }));
    const posted = await call(app, "POST", "/api/sessions/s/events", events);
    assert.deepEqual(posted.body.seqs, [1, 2, 3, 4, 5]);

    await t.step("defaults: everything from seq 1, as session event frames", async () => {
      const res = await call(app, "GET", "/api/sessions/s/events");
      assert.equal(res.status, 200);
      assert.equal(res.body.success, true);
      assert.equal(res.body.headSeq, 5);
      assert.equal(res.body.nextAfter, 5);
      assert.deepEqual(res.body.events.map((e: { seq: number }) => e.seq), [1, 2, 3, 4, 5]);
      const [first] = res.body.events;
      assert.equal(first.event, "chat:message");
      assert.equal(first.session, "s");
      assert.deepEqual(first.payload, { text: "m1" });
      assert.equal(typeof first.ts, "number");
    });

    await t.step("after and limit walk the stream with nextAfter", async () => {
      const seen: number[] = [];
      let after = 0;
      for (let pages = 0; pages < 10; pages++) {
        const res = await call(app, "GET", `/api/sessions/s/events?after=${after}&limit=2`);
        assert.equal(res.body.headSeq, 5);
        if (res.body.events.length === 0) {
          assert.equal(res.body.nextAfter, after, "an empty page keeps the cursor");
          break;
        }
        seen.push(...res.body.events.map((e: { seq: number }) => e.seq));
        assert.ok(res.body.events.length <= 2);
        after = res.body.nextAfter;
      }
      assert.deepEqual(seen, [1, 2, 3, 4, 5]);
    });

    await t.step("bad paging parameters: 422 naming the parameter", async () => {
      const cases = ["after=-1", "after=x", "limit=0", "limit=1001"];
      for (const query of cases) {
        const field = query.split("=")[0];
        const res = await call(app, "GET", `/api/sessions/s/events?${query}`);
        assert.equal(res.status, 422, query);
        assert.match(errorOf(res).message, new RegExp(`"query\\.${field}"`), query);
      }
    });

    await t.step("an unknown session: 404 SESSION_NOT_FOUND", async () => {
      const res = await call(app, "GET", "/api/sessions/ghost/events");
      assert.equal(res.status, 404);
      assert.equal(errorOf(res).code, "SESSION_NOT_FOUND");
    });
  } finally {
    close();
  }
});

Deno.test("GET /api/sessions/:id/events skips what retention trimmed", async () => {
  const { app, close } = createTestApp({ historyLimit: 3 });
  try {
    const events = Array.from({ length: 6 }, () => ({ event: "execution:started" }));
    await call(app, "POST", "/api/sessions/s/events", events);
    const res = await call(app, "GET", "/api/sessions/s/events?after=0");
    assert.deepEqual(res.body.events.map((e: { seq: number }) => e.seq), [4, 5, 6]);
    assert.equal(res.body.headSeq, 6);
    assert.equal(res.body.nextAfter, 6);
  } finally {
    close();
  }
});
