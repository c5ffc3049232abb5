/**
 * @module Tests of subscription filters (replay and live, orchestrators' default of commands
 * only) and of batched presence: diff frames, the membership in the subscribe answer and the
 * attached list.
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
        assert.equal(worker.frames.some((f) => f.event === "presence"), false);
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
    await t.step(
      "a join goes out in one presence diff, without seq, to every subscriber",
      async () => {
        const first = await TestSocket.open(server, "?session=pr1");
        const firstId = first.frames[0].payload.id;
        const subscribed = await first.next((f) => f.event === "subscribed");
        // Its own join was not announced yet when it was answered.
        assert.deepEqual(subscribed.payload.presence, { count: 0, members: [] });
        const own = await first.next((f) => f.event === "presence");
        assert.deepEqual(own.payload, {
          count: 1,
          joined: [{ id: firstId, role: "dashboard" }],
          left: [],
        });
        const mark = first.mark();
        const second = await TestSocket.open(server, "?session=pr1&role=admin");
        const elsewhere = await TestSocket.open(server, "?session=pr2");
        try {
          const secondId = second.frames[0].payload.id;
          const answer = await second.next((f) => f.event === "subscribed");
          assert.deepEqual(answer.payload.presence, {
            count: 1,
            members: [{ id: firstId, role: "dashboard" }],
          });
          const joined = await first.nextFrom(mark, (f) => f.event === "presence");
          assert.equal(joined.session, "pr1");
          assert.equal(joined.seq, undefined);
          assert.equal(typeof joined.ts, "number");
          assert.deepEqual(joined.payload, {
            count: 2,
            joined: [{ id: secondId, role: "admin" }],
            left: [],
          });
          // The newcomer gets the same diff: its answer plus the diff is the whole membership.
          const seen = await second.next((f) => f.event === "presence");
          assert.deepEqual(seen.payload, joined.payload);

          const info = await api(server, "GET", "/api/sessions/pr1");
          const attached = info.body.session.attached.map((a: Frame) => `${a.role}:${a.id}`).sort();
          assert.deepEqual(attached, [`admin:${secondId}`, `dashboard:${firstId}`].sort());
          assert.equal(info.body.session.subscribers.total, 2);

          const beforeLeave = first.mark();
          await second.close();
          const left = await first.nextFrom(beforeLeave, (f) => f.event === "presence");
          assert.deepEqual(left.payload, { count: 1, joined: [], left: [secondId] });
          await waitFor(async () => {
            const now = await api(server, "GET", "/api/sessions/pr1");
            return now.body.session.attached.length === 1 || undefined;
          }, "attached to shrink");

          const own2 = await elsewhere.next((f) => f.event === "presence");
          assert.equal(own2.session, "pr2", "only its own session's presence");
          assert.equal(elsewhere.frames.filter((f) => f.event === "presence").length, 1);
          // The presence frames were not appended to the stream.
          assert.equal((await api(server, "GET", "/api/sessions/pr1")).body.session.headSeq, 0);
        } finally {
          await first.close();
          await second.close();
          await elsewhere.close();
        }
      },
    );

    await t.step("joins close together share one frame", async () => {
      const watcher = await TestSocket.open(server, "?session=pr4");
      try {
        await watcher.next((f) => f.event === "presence");
        const mark = watcher.mark();
        // Five joins sent at once land within one 100 ms interval on any sane machine; allow two.
        const joiners = await Promise.all(
          Array.from({ length: 5 }, () => TestSocket.open(server, "?session=pr4")),
        );
        try {
          await waitFor(() => {
            const frames = watcher.frames.slice(mark).filter((f) => f.event === "presence");
            return frames.at(-1)?.payload.count === 6 || undefined;
          }, "all five to be announced");
          const frames = watcher.frames.slice(mark).filter((f) => f.event === "presence");
          assert.ok(frames.length <= 2, `${frames.length} presence frames for 5 joins`);
          const ids = frames.flatMap((f) => f.payload.joined.map((m: Frame) => m.id)).sort();
          assert.deepEqual(ids, joiners.map((j) => j.frames[0].payload.id).sort());
        } finally {
          await Promise.all(joiners.map((j) => j.close()));
        }
      } finally {
        await watcher.close();
      }
    });

    await t.step(
      "unsubscribing announces left; subscribing by frame announces joined",
      async () => {
        const watcher = await TestSocket.open(server, "?session=pr3");
        const mover = await TestSocket.open(server);
        try {
          await watcher.next((f) => f.event === "presence");
          const moverId = mover.frames[0].payload.id;
          const mark = watcher.mark();
          const ack = await mover.request({ event: "subscribe", session: "pr3" });
          assert.equal(ack.presence.count, 1, "the answer by ack carries presence too");
          const joined = await watcher.nextFrom(mark, (f) => f.event === "presence");
          assert.deepEqual(joined.payload.joined, [{ id: moverId, role: "dashboard" }]);
          // Subscribing again (a new lastSeq) is not a second join.
          await mover.request({ event: "subscribe", session: "pr3", payload: { lastSeq: 0 } });
          await mover.request({ event: "unsubscribe", session: "pr3" });
          const left = await watcher.nextFrom(
            mark,
            (f) => f.event === "presence" && f.payload.left.length > 0,
          );
          assert.deepEqual(left.payload, { count: 1, joined: [], left: [moverId] });
          const joins = watcher.frames.filter((f) =>
            f.event === "presence" && f.payload.joined.some((m: Frame) => m.id === moverId)
          );
          assert.equal(joins.length, 1);
        } finally {
          await watcher.close();
          await mover.close();
        }
      },
    );

    await t.step("a filter without presence receives none", async () => {
      const quiet = await TestSocket.open(server, "?session=pr5&events=custom:*");
      const loud = await TestSocket.open(server, "?session=pr5&events=presence");
      try {
        await loud.next((f) => f.event === "presence" && f.payload.count === 2);
        assert.equal(quiet.frames.some((f) => f.event === "presence"), false);
      } finally {
        await quiet.close();
        await loud.close();
      }
    });
  } finally {
    await server.close();
  }
});
