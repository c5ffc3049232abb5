/**
 * @module Tests of subscription filters (replay and live, orchestrators' default of commands
 * only) and of presence: joined and left frames and the attached list.
 */
import assert from "node:assert/strict";
import { api, type Frame, startTestServer, TestSocket, waitFor } from "../_helpers.ts";

/** A mixed run of events, as an orchestrator would publish it. */
const MIXED = [
  { event: "execution:started", payload: { task: "t" } },
  { event: "skill:started", payload: { skill: "a" } },
  { event: "file:created", payload: { path: "x" } },
  { event: "decision:point", payload: { decisionId: "d1", question: "q?", options: ["y", "n"] } },
  { event: "skill:completed", payload: { skill: "a" } },
  { event: "agent:thought", payload: { content: "c" } },
];

Deno.test("subscription filters", async (t) => {
  const server = await startTestServer();
  const orchestrator = await TestSocket.open(server, "?role=orchestrator");
  try {
    /** Publishes the mixed run into `session` and resolves with the last seq. */
    const publishMixed = async (session: string): Promise<number> => {
      let seq = 0;
      for (const e of MIXED) seq = (await orchestrator.request({ ...e, session })).seq;
      return seq;
    };
    const pick = (frames: Frame[]) => frames.map((f) => [f.seq, f.event]);

    await t.step("events patterns filter the replay and the live stream alike", async () => {
      await publishMixed("f1");
      const socket = await TestSocket.open(server);
      try {
        const ack = await socket.request({
          event: "subscribe",
          session: "f1",
          payload: { events: ["skill:*", "decision:point"] },
        });
        assert.equal(ack.replayed, 3);
        assert.equal(ack.headSeq, 6);
        assert.deepEqual(pick(socket.events("f1")), [
          [2, "skill:started"],
          [4, "decision:point"],
          [5, "skill:completed"],
        ]);
        await publishMixed("f1");
        await socket.waitForEvents("f1", 6);
        assert.deepEqual(pick(socket.events("f1")).slice(3), [
          [8, "skill:started"],
          [10, "decision:point"],
          [11, "skill:completed"],
        ]);
        // Nothing unwanted arrived meanwhile (seq 12 is the last of the run and is filtered).
        await orchestrator.request({
          event: "skill:progress",
          session: "f1",
          payload: { skill: "a" },
        });
        await socket.waitForEvents("f1", 7);
        assert.equal(socket.events("f1").length, 7);
        assert.equal(socket.events("f1")[6].seq, 13);
      } finally {
        await socket.close();
      }
    });

    await t.step(
      "a replay from lastSeq skips filtered events and counts only sent ones",
      async () => {
        const socket = await TestSocket.open(server);
        try {
          const ack = await socket.request({
            event: "subscribe",
            session: "f1",
            payload: { lastSeq: 4, events: ["skill:completed", "agent:*"] },
          });
          assert.deepEqual(pick(socket.events("f1")), [
            [5, "skill:completed"],
            [6, "agent:thought"],
            [11, "skill:completed"],
            [12, "agent:thought"],
          ]);
          assert.equal(ack.replayed, 4);
        } finally {
          await socket.close();
        }
      },
    );

    await t.step('"*" and an empty list both mean everything', async () => {
      const star = await TestSocket.open(server);
      const empty = await TestSocket.open(server);
      try {
        assert.equal(
          (await star.request({ event: "subscribe", session: "f1", payload: { events: ["*"] } }))
            .replayed,
          13,
        );
        assert.equal(
          (await empty.request({ event: "subscribe", session: "f1", payload: { events: [] } }))
            .replayed,
          13,
        );
      } finally {
        await star.close();
        await empty.close();
      }
    });

    await t.step("orchestrators receive only command events by default", async () => {
      const worker = await TestSocket.open(server, "?session=f2&role=orchestrator");
      const dashboard = await TestSocket.open(server, "?session=f2");
      try {
        await worker.next((f) => f.event === "subscribed");
        await dashboard.next((f) => f.event === "subscribed");
        await publishMixed("f2");
        const result = await dashboard.request({
          event: "command",
          session: "f2",
          payload: { type: "HALT", reason: "look" },
        });
        assert.equal(result.ok, true);
        const [command] = await worker.waitForEvents("f2", 1);
        assert.equal(command.event, "command");
        assert.equal(command.seq, 7);
        assert.equal(command.payload.type, "HALT");
        // The dashboard saw seq 8 (execution:halted): the worker was offered it and dropped it.
        await dashboard.waitForEvents("f2", 8);
        assert.deepEqual(pick(worker.events("f2")), [[7, "command"]]);
        assert.equal(worker.frames.some((f) => f.event === "presence:joined"), false);
      } finally {
        await worker.close();
        await dashboard.close();
      }
    });

    await t.step("an orchestrator may ask for more than commands", async () => {
      const worker = await TestSocket.open(server, "?role=orchestrator");
      try {
        const ack = await worker.request({
          event: "subscribe",
          session: "f2",
          payload: { events: ["*"] },
        });
        assert.equal(ack.replayed, 8);
      } finally {
        await worker.close();
      }
    });
  } finally {
    await orchestrator.close();
    await server.close();
  }
});

Deno.test("presence", async (t) => {
  const server = await startTestServer();
  try {
    await t.step("joined and left go to the session's other subscribers, without seq", async () => {
      const first = await TestSocket.open(server, "?session=pr1");
      await first.next((f) => f.event === "subscribed");
      const second = await TestSocket.open(server, "?session=pr1&role=admin");
      const elsewhere = await TestSocket.open(server, "?session=pr2");
      try {
        const secondId = second.frames[0].payload.id;
        const joined = await first.next((f) => f.event === "presence:joined");
        assert.equal(joined.session, "pr1");
        assert.equal(joined.seq, undefined);
        assert.deepEqual(joined.payload, { id: secondId, role: "admin" });
        await second.next((f) => f.event === "subscribed");
        assert.equal(
          second.frames.some((f) => f.event === "presence:joined"),
          false,
          "not to itself",
        );

        const info = await api(server, "GET", "/api/sessions/pr1");
        const attached = info.body.session.attached.map((a: Frame) => `${a.role}:${a.id}`).sort();
        assert.deepEqual(
          attached,
          [`admin:${secondId}`, `dashboard:${first.frames[0].payload.id}`].sort(),
        );
        assert.equal(info.body.session.subscribers.total, 2);

        await second.close();
        const left = await first.next((f) => f.event === "presence:left");
        assert.deepEqual(left.payload, { id: secondId, role: "admin" });
        assert.equal(left.seq, undefined);
        await waitFor(async () => {
          const now = await api(server, "GET", "/api/sessions/pr1");
          return now.body.session.attached.length === 1 || undefined;
        }, "attached to shrink");

        assert.equal(elsewhere.frames.some((f) => f.event.startsWith("presence:")), false);
        // The presence frames were not appended to the stream.
        assert.equal((await api(server, "GET", "/api/sessions/pr1")).body.session.headSeq, 0);
      } finally {
        await first.close();
        await second.close();
        await elsewhere.close();
      }
    });

    await t.step(
      "unsubscribing announces left; subscribing by frame announces joined",
      async () => {
        const watcher = await TestSocket.open(server, "?session=pr3");
        const mover = await TestSocket.open(server);
        try {
          await watcher.next((f) => f.event === "subscribed");
          const moverId = mover.frames[0].payload.id;
          await mover.request({ event: "subscribe", session: "pr3" });
          const joined = await watcher.next((f) => f.event === "presence:joined");
          assert.equal(joined.payload.id, moverId);
          // Subscribing again (a new lastSeq) is not a second join.
          await mover.request({ event: "subscribe", session: "pr3", payload: { lastSeq: 0 } });
          await mover.request({ event: "unsubscribe", session: "pr3" });
          const left = await watcher.next((f) => f.event === "presence:left");
          assert.equal(left.payload.id, moverId);
          assert.equal(watcher.frames.filter((f) => f.event === "presence:joined").length, 1);
        } finally {
          await watcher.close();
          await mover.close();
        }
      },
    );
  } finally {
    await server.close();
  }
});
