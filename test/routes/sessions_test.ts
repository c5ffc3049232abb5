/**
 * @module Tests of `/api/sessions`: create, list, describe and delete.
 */
import assert from "node:assert/strict";
import { api, startTestServer, TestSocket } from "../_helpers.ts";
import { call, createTestApp, errorOf } from "./_app.ts";

Deno.test("POST /api/sessions creates sessions", async (t) => {
  const { app, close } = createTestApp();
  try {
    await t.step("with an id and metadata: 201 and the full description", async () => {
      const res = await call(app, "POST", "/api/sessions", {
        sessionId: "run-1",
        metadata: { owner: "ada", tags: ["x"] },
      });
      assert.equal(res.status, 201);
      assert.equal(res.body.success, true);
      const session = res.body.session;
      assert.equal(session.id, "run-1");
      assert.equal(session.state, "idle");
      assert.equal(session.headSeq, 0);
      assert.equal(typeof session.epoch, "string");
      assert.deepEqual(session.metadata, { owner: "ada", tags: ["x"] });
      assert.deepEqual(session.subscribers, { total: 0, orchestrator: 0, dashboard: 0, admin: 0 });
      assert.deepEqual(session.attached, []);
      assert.deepEqual(session.openDecisions, []);
      assert.deepEqual(session.checkpoints, []);
      assert.ok(!Number.isNaN(Date.parse(session.createdAt)));
    });

    await t.step("without a body: 201 with a generated id and empty metadata", async () => {
      const res = await call(app, "POST", "/api/sessions");
      assert.equal(res.status, 201);
      assert.match(res.body.session.id, /^[A-Za-z0-9][A-Za-z0-9_.:-]*$/);
      assert.notEqual(res.body.session.id, "run-1");
      assert.deepEqual(res.body.session.metadata, {});
    });

    await t.step("an existing id: 409 SESSION_EXISTS", async () => {
      const res = await call(app, "POST", "/api/sessions", { sessionId: "run-1" });
      assert.equal(res.status, 409);
      const error = errorOf(res);
      assert.equal(error.code, "SESSION_EXISTS");
      assert.match(error.message, /"run-1"/);
    });

    await t.step("an id taken by a publish: 409 SESSION_EXISTS", async () => {
      await call(app, "POST", "/api/sessions/implicit/events", { event: "execution:started" });
      const res = await call(app, "POST", "/api/sessions", { sessionId: "implicit" });
      assert.equal(errorOf(res).code, "SESSION_EXISTS");
    });

    await t.step("a malformed id: 400 INVALID_FRAME naming sessionId", async () => {
      for (const sessionId of ["has space", "-leading", "", "x".repeat(129), 42]) {
        const res = await call(app, "POST", "/api/sessions", { sessionId });
        assert.equal(res.status, 400, `sessionId ${JSON.stringify(sessionId)}`);
        const error = errorOf(res);
        assert.equal(error.code, "INVALID_FRAME");
        assert.match(error.message, /sessionId/);
      }
    });

    await t.step("metadata that is not an object: 422 naming metadata", async () => {
      const res = await call(app, "POST", "/api/sessions", { metadata: [1, 2] });
      assert.equal(res.status, 422);
      assert.match(errorOf(res).message, /metadata/);
    });

    await t.step("a body that is not JSON: 400 BAD_JSON", async () => {
      const res = await call(app, "POST", "/api/sessions", "{nope");
      assert.equal(res.status, 400);
      assert.equal(errorOf(res).code, "BAD_JSON");
    });
  } finally {
    close();
  }
});

Deno.test("GET /api/sessions lists summaries", async () => {
  const { app, close } = createTestApp();
  try {
    assert.deepEqual((await call(app, "GET", "/api/sessions")).body, {
      success: true,
      sessions: [],
    });
    await call(app, "POST", "/api/sessions", { sessionId: "a" });
    await call(app, "POST", "/api/sessions/b/events", [
      { event: "execution:started" },
      { event: "chat:message", payload: { text: "hi" } },
    ]);
    const res = await call(app, "GET", "/api/sessions");
    assert.equal(res.status, 200);
    const byId = Object.fromEntries(
      res.body.sessions.map((s: { id: string }) => [s.id, s]),
    );
    assert.deepEqual(Object.keys(byId).sort(), ["a", "b"]);
    assert.equal(byId.a.state, "idle");
    assert.equal(byId.a.headSeq, 0);
    assert.equal(byId.b.state, "running");
    assert.equal(byId.b.headSeq, 2);
    assert.equal(byId.b.subscribers, 0);
    assert.equal(typeof byId.b.epoch, "string");
    assert.ok(!Number.isNaN(Date.parse(byId.b.createdAt)));
  } finally {
    close();
  }
});

Deno.test("GET /api/sessions/:id describes state, decisions and checkpoints", async (t) => {
  const { app, close } = createTestApp();
  try {
    await t.step("an unknown id: 404 SESSION_NOT_FOUND", async () => {
      const res = await call(app, "GET", "/api/sessions/ghost");
      assert.equal(res.status, 404);
      const error = errorOf(res);
      assert.equal(error.code, "SESSION_NOT_FOUND");
      assert.match(error.message, /"ghost"/);
    });

    await t.step("a session with history", async () => {
      await call(app, "POST", "/api/sessions", { sessionId: "s", metadata: { n: 1 } });
      await call(app, "POST", "/api/sessions/s/events", [
        { event: "execution:started" },
        { event: "checkpoint:created", payload: { checkpointId: "c1", label: "first" } },
        {
          event: "decision:point",
          payload: { decisionId: "d1", question: "Go?", options: ["yes", "no"], default: "no" },
        },
      ]);
      const res = await call(app, "GET", "/api/sessions/s");
      assert.equal(res.status, 200);
      const session = res.body.session;
      assert.equal(session.state, "running");
      assert.equal(session.headSeq, 3);
      assert.deepEqual(session.metadata, { n: 1 });
      assert.deepEqual(session.openDecisions, [
        { decisionId: "d1", question: "Go?", options: ["yes", "no"], default: "no" },
      ]);
      assert.deepEqual(session.checkpoints, [{ checkpointId: "c1", label: "first" }]);
    });
  } finally {
    close();
  }
});

Deno.test("GET /api/sessions/:id counts subscribers by role and lists who is attached", async () => {
  const server = await startTestServer();
  const sockets: TestSocket[] = [];
  try {
    for (const role of ["dashboard", "dashboard", "orchestrator"]) {
      const socket = await TestSocket.open(server, `?session=s&role=${role}`);
      sockets.push(socket);
      await socket.next((f) => f.event === "subscribed");
    }
    const res = await api(server, "GET", "/api/sessions/s");
    assert.equal(res.status, 200);
    const session = res.body.session;
    assert.deepEqual(session.subscribers, { total: 3, orchestrator: 1, dashboard: 2, admin: 0 });
    assert.equal(session.attached.length, 3);
    const ids = sockets.map((s) => s.frames.find((f) => f.event === "connected")!.payload.id);
    assert.deepEqual(
      session.attached.map((a: { id: string }) => a.id).sort(),
      [...ids].sort(),
    );
  } finally {
    for (const socket of sockets) await socket.close();
    await server.close();
  }
});

Deno.test("DELETE /api/sessions/:id removes a session", async (t) => {
  const { app, close } = createTestApp();
  let firstEpoch: string | undefined;
  try {
    await t.step("an unknown id: 404 SESSION_NOT_FOUND", async () => {
      const res = await call(app, "DELETE", "/api/sessions/ghost");
      assert.equal(res.status, 404);
      assert.equal(errorOf(res).code, "SESSION_NOT_FOUND");
    });

    await t.step("an existing one: 200, then gone from every view", async () => {
      const created = await call(app, "POST", "/api/sessions", { sessionId: "s" });
      await call(app, "POST", "/api/sessions/s/events", { event: "execution:started" });
      const res = await call(app, "DELETE", "/api/sessions/s");
      assert.equal(res.status, 200);
      assert.deepEqual(res.body, { success: true });
      assert.equal((await call(app, "GET", "/api/sessions/s")).status, 404);
      assert.equal((await call(app, "GET", "/api/sessions/s/events")).status, 404);
      assert.deepEqual((await call(app, "GET", "/api/sessions")).body.sessions, []);
      assert.equal((await call(app, "DELETE", "/api/sessions/s")).status, 404);
      firstEpoch = created.body.session.epoch;
    });

    await t.step("the id can be reused: a fresh stream with a new epoch", async () => {
      const again = await call(app, "POST", "/api/sessions", { sessionId: "s" });
      assert.equal(again.status, 201);
      assert.equal(again.body.session.headSeq, 0);
      assert.equal(again.body.session.state, "idle");
      assert.equal(typeof firstEpoch, "string");
      assert.notEqual(again.body.session.epoch, firstEpoch);
    });
  } finally {
    close();
  }
});
