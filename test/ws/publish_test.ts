/**
 * @module Tests of publishing over the WebSocket: acks with seqs, the event envelope every
 * subscriber gets, who may publish what, and isolation between sessions.
 */
import assert from "node:assert/strict";
import { MemoryStore, type Store } from "../../src/mod.ts";
import { type Frame, startTestServer, TestSocket } from "../_helpers.ts";
import { assertSeqRun } from "./_stream.ts";

Deno.test("publish over the WebSocket", async (t) => {
  const server = await startTestServer();
  try {
    await t.step(
      "an orchestrator's publish is acked with its seq and reaches every subscriber",
      async () => {
        const orchestrator = await TestSocket.open(server, "?role=orchestrator");
        const dashA = await TestSocket.open(server, "?session=p1");
        const dashB = await TestSocket.open(server, "?session=p1");
        try {
          await dashA.next((f) => f.event === "subscribed");
          await dashB.next((f) => f.event === "subscribed");
          const first = await orchestrator.request({
            event: "skill:started",
            session: "p1",
            payload: { skill: "lint", parameters: { strict: true }, extra: "kept" },
          });
          assert.deepEqual(first, { ok: true, seq: 1 });
          for (let i = 2; i <= 5; i++) {
            const ack = await orchestrator.request({
              event: "skill:progress",
              session: "p1",
              payload: { skill: "lint", percent: i * 10 },
            });
            assert.deepEqual(ack, { ok: true, seq: i });
          }
          for (const dashboard of [dashA, dashB]) {
            const events = await dashboard.waitForEvents("p1", 5);
            assertSeqRun(events, 1, 5);
            const [started] = events;
            assert.deepEqual(Object.keys(started).sort(), [
              "event",
              "payload",
              "seq",
              "session",
              "ts",
            ]);
            assert.equal(started.event, "skill:started");
            assert.equal(started.session, "p1");
            assert.deepEqual(started.payload, {
              skill: "lint",
              parameters: { strict: true },
              extra: "kept",
            });
            assert.equal(typeof started.ts, "number");
            assert.ok(Math.abs(started.ts - Date.now()) < 60_000, "ts is a server timestamp");
          }
          // Control frames never carry a seq; only session events do.
          for (const frame of [...dashA.frames, ...orchestrator.frames]) {
            const isSessionEvent = !["connected", "subscribed", "ack", "presence"].includes(
              frame.event,
            );
            assert.equal(typeof frame.seq === "number", isSessionEvent, JSON.stringify(frame));
          }
        } finally {
          await orchestrator.close();
          await dashA.close();
          await dashB.close();
        }
      },
    );

    await t.step(
      "the publisher does not need to subscribe; without an id there is no ack",
      async () => {
        const orchestrator = await TestSocket.open(server, "?role=orchestrator");
        const dashboard = await TestSocket.open(server, "?session=p2");
        try {
          await dashboard.next((f) => f.event === "subscribed");
          orchestrator.send({ event: "agent:thought", session: "p2", payload: { content: "hm" } });
          const ack = await orchestrator.request({
            event: "agent:thought",
            session: "p2",
            payload: { content: "ok" },
          });
          assert.equal(ack.seq, 2);
          await dashboard.waitForEvents("p2", 2);
          assert.equal(orchestrator.frames.filter((f) => f.event === "ack").length, 1);
          assert.equal(orchestrator.frames.filter((f) => f.event === "error").length, 0);
        } finally {
          await orchestrator.close();
          await dashboard.close();
        }
      },
    );

    await t.step("session may be omitted when the connection holds exactly one", async () => {
      const orchestrator = await TestSocket.open(server, "?session=p3&role=orchestrator");
      const dashboard = await TestSocket.open(server, "?session=p3");
      try {
        await orchestrator.next((f) => f.event === "subscribed");
        await dashboard.next((f) => f.event === "subscribed");
        const ack = await orchestrator.request({
          event: "file:created",
          payload: { path: "src/a.ts" },
        });
        assert.deepEqual(ack, { ok: true, seq: 1 });
        const [event] = await dashboard.waitForEvents("p3", 1);
        assert.equal(event.session, "p3");
        assert.equal(event.event, "file:created");
      } finally {
        await orchestrator.close();
        await dashboard.close();
      }
    });

    await t.step("dashboards may publish chat:message but not orchestrator events", async () => {
      const dashA = await TestSocket.open(server, "?session=p4");
      const dashB = await TestSocket.open(server, "?session=p4");
      try {
        await dashA.next((f) => f.event === "subscribed");
        await dashB.next((f) => f.event === "subscribed");
        const forbidden = await dashA.request({
          event: "skill:started",
          session: "p4",
          payload: { skill: "x" },
        });
        assert.equal(forbidden.ok, false);
        assert.equal(forbidden.error.code, "FORBIDDEN");
        assert.match(forbidden.error.message, /skill:started/);
        const custom = await dashA.request({ event: "custom:x", payload: {} });
        assert.equal(custom.error.code, "FORBIDDEN");

        const chat = await dashA.request({
          event: "chat:message",
          session: "p4",
          payload: { text: "hello", author: "ann" },
        });
        assert.deepEqual(chat, { ok: true, seq: 1 });
        const [message] = await dashB.waitForEvents("p4", 1);
        assert.equal(message.event, "chat:message");
        assert.deepEqual(message.payload, { text: "hello", author: "ann" });
        // The sender is a subscriber too, so it sees its own message in the stream.
        const [own] = await dashA.waitForEvents("p4", 1);
        assert.equal(own.seq, 1);
        assert.equal(dashB.events("p4").length, 1, "the forbidden publishes appended nothing");
      } finally {
        await dashA.close();
        await dashB.close();
      }
    });

    await t.step("an admin may publish orchestrator events", async () => {
      const admin = await TestSocket.open(server, "?role=admin");
      try {
        const ack = await admin.request({
          event: "execution:started",
          session: "p5",
          payload: { task: "t" },
        });
        assert.deepEqual(ack, { ok: true, seq: 1 });
      } finally {
        await admin.close();
      }
    });

    await t.step("sessions are isolated: own seqs, no cross-talk", async () => {
      const orchestrator = await TestSocket.open(server, "?role=orchestrator");
      const onX = await TestSocket.open(server, "?session=iso-x");
      const onY = await TestSocket.open(server, "?session=iso-y");
      try {
        await onX.next((f) => f.event === "subscribed");
        await onY.next((f) => f.event === "subscribed");
        const acks: Frame[] = [];
        for (let i = 0; i < 6; i++) {
          const session = i % 3 === 0 ? "iso-y" : "iso-x";
          acks.push(
            await orchestrator.request({ event: "custom:n", session, payload: { session } }),
          );
        }
        assert.deepEqual(acks.map((a) => a.seq), [1, 1, 2, 2, 3, 4]);
        assertSeqRun(await onX.waitForEvents("iso-x", 4), 1, 4, "iso-x");
        assertSeqRun(await onY.waitForEvents("iso-y", 2), 1, 2, "iso-y");
        // A marker published last proves nothing else is still in flight.
        await orchestrator.request({ event: "custom:end", session: "iso-x", payload: {} });
        await onX.waitForEvents("iso-x", 5);
        const stray = [...onX.frames, ...onY.frames].filter((f) =>
          typeof f.seq === "number" && f.payload.session !== undefined &&
          f.payload.session !== f.session
        );
        assert.deepEqual(stray, []);
        assert.equal(onX.frames.filter((f) => f.session === "iso-y").length, 0);
        assert.equal(onY.frames.filter((f) => f.session === "iso-x").length, 0);
      } finally {
        await orchestrator.close();
        await onX.close();
        await onY.close();
      }
    });
  } finally {
    await server.close();
  }
});

Deno.test("a frame without a session right after connected goes to the URL's session", async () => {
  // A store slow to create sessions keeps the URL subscription registering for a while.
  class SlowStore extends MemoryStore {
    override async createSession(record: Parameters<Store["createSession"]>[0]): Promise<boolean> {
      await new Promise((resolve) => setTimeout(resolve, 200));
      return super.createSession(record);
    }
  }
  const slow = new SlowStore();
  const server = await startTestServer({}, { store: slow });
  try {
    const socket = await TestSocket.open(server, "?session=early&role=orchestrator");
    const ack = await socket.request({ event: "custom:first", payload: {} });
    assert.equal(ack.ok, true, JSON.stringify(ack));
    assert.equal(ack.seq, 1);
    await socket.close();
  } finally {
    await server.close();
  }
});
