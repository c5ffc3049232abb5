/**
 * @module Tests of subscribe and unsubscribe over the WebSocket: replay after lastSeq, the ack
 * that closes the replay, epochs, several sessions on one connection and session deletion.
 */
import assert from "node:assert/strict";
import { api, startTestServer, TestSocket } from "../_helpers.ts";
import { assertSeqRun, publishRest } from "./_stream.ts";

Deno.test("subscribe and unsubscribe over the WebSocket", async (t) => {
  const server = await startTestServer();
  try {
    await publishRest(server, "s1", 6);

    await t.step(
      "subscribe replays seq > lastSeq in order, then acks, then goes live",
      async () => {
        const socket = await TestSocket.open(server);
        try {
          const ack = await socket.request({
            event: "subscribe",
            session: "s1",
            payload: { lastSeq: 2 },
          });
          assert.equal(ack.ok, true);
          assert.equal(ack.headSeq, 6);
          assert.equal(ack.replayed, 4);
          assert.equal(ack.recovered, true);
          assert.equal(typeof ack.epoch, "string");
          const ackIndex = socket.frames.findIndex((f) => f.event === "ack");
          const replay = socket.events("s1");
          assertSeqRun(replay, 3, 6);
          assert.deepEqual(replay.map((f) => f.payload.n), [3, 4, 5, 6]);
          assert.ok(
            replay.every((f) => socket.frames.indexOf(f) < ackIndex),
            "the replay comes before the ack",
          );

          await publishRest(server, "s1", 2, 7);
          assertSeqRun(await socket.waitForEvents("s1", 6), 3, 8);
        } finally {
          await socket.close();
        }
      },
    );

    await t.step("without an id, a subscribed frame follows the replay", async () => {
      const socket = await TestSocket.open(server);
      try {
        socket.send({ event: "subscribe", session: "s1", payload: { lastSeq: 5 } });
        const subscribed = await socket.next((f) => f.event === "subscribed");
        assert.equal(subscribed.session, "s1");
        assert.equal(subscribed.payload.headSeq, 8);
        assert.equal(subscribed.payload.replayed, 3);
        assertSeqRun(socket.events("s1"), 6, 8);
        assert.ok(
          socket.frames.indexOf(subscribed) > socket.frames.indexOf(socket.events("s1")[2]),
        );
        assert.equal(socket.frames.filter((f) => f.event === "ack").length, 0);
      } finally {
        await socket.close();
      }
    });

    await t.step("a missing payload means lastSeq 0: the whole stream", async () => {
      const socket = await TestSocket.open(server);
      try {
        const ack = await socket.request({ event: "subscribe", session: "s1" });
        assert.equal(ack.replayed, 8);
        assertSeqRun(socket.events("s1"), 1, 8);
      } finally {
        await socket.close();
      }
    });

    await t.step("a lastSeq past the head replays from the start, recovered false", async () => {
      const socket = await TestSocket.open(server);
      try {
        const ack = await socket.request({
          event: "subscribe",
          session: "s1",
          payload: { lastSeq: 999 },
        });
        assert.equal(ack.recovered, false);
        assert.equal(ack.headSeq, 8);
        assertSeqRun(socket.events("s1"), 1, 8);
      } finally {
        await socket.close();
      }
    });

    await t.step("the epoch decides whether lastSeq still means anything", async () => {
      const probe = await TestSocket.open(server);
      const same = await TestSocket.open(server);
      const other = await TestSocket.open(server);
      try {
        const { epoch } = await probe.request({
          event: "subscribe",
          session: "s1",
          payload: { lastSeq: 8 },
        });
        const resumed = await same.request({
          event: "subscribe",
          session: "s1",
          payload: { lastSeq: 6, epoch },
        });
        assert.equal(resumed.recovered, true);
        assertSeqRun(same.events("s1"), 7, 8);
        const restarted = await other.request({
          event: "subscribe",
          session: "s1",
          payload: { lastSeq: 6, epoch: `not-${epoch}` },
        });
        assert.equal(restarted.recovered, false);
        assert.equal(restarted.epoch, epoch);
        assertSeqRun(other.events("s1"), 1, 8);
      } finally {
        await probe.close();
        await same.close();
        await other.close();
      }
    });

    await t.step("unsubscribe stops delivery; a second one is NOT_SUBSCRIBED", async () => {
      const leaver = await TestSocket.open(server, "?session=s2");
      const stayer = await TestSocket.open(server, "?session=s2");
      try {
        await leaver.next((f) => f.event === "subscribed");
        await stayer.next((f) => f.event === "subscribed");
        await publishRest(server, "s2", 1);
        await leaver.waitForEvents("s2", 1);
        assert.deepEqual(await leaver.request({ event: "unsubscribe", session: "s2" }), {
          ok: true,
        });
        await publishRest(server, "s2", 2, 2);
        // The stayer seeing seq 3 proves seqs 2 and 3 were fanned out.
        await stayer.waitForEvents("s2", 3);
        assert.deepEqual(leaver.events("s2").map((f) => f.seq), [1]);

        const again = await leaver.request({ event: "unsubscribe", session: "s2" });
        assert.equal(again.ok, false);
        assert.equal(again.error.code, "NOT_SUBSCRIBED");
        const unnamed = await leaver.request({ event: "unsubscribe" });
        assert.equal(unnamed.error.code, "SESSION_REQUIRED");
        const never = await leaver.request({ event: "unsubscribe", session: "nowhere" });
        assert.equal(never.error.code, "NOT_SUBSCRIBED");

        // Subscribing again from where it left off fills the hole exactly.
        const back = await leaver.request({
          event: "subscribe",
          session: "s2",
          payload: { lastSeq: 1 },
        });
        assert.equal(back.replayed, 2);
        assertSeqRun(leaver.events("s2"), 1, 3);
      } finally {
        await leaver.close();
        await stayer.close();
      }
    });

    await t.step("one connection holds several sessions, each with its own seqs", async () => {
      const socket = await TestSocket.open(server, "?session=m1");
      try {
        await socket.next((f) => f.event === "subscribed");
        await socket.request({ event: "subscribe", session: "m2" });
        await socket.request({ event: "subscribe", session: "m3" });
        await publishRest(server, "m1", 2);
        await publishRest(server, "m2", 3);
        await publishRest(server, "m3", 1);
        assertSeqRun(await socket.waitForEvents("m1", 2), 1, 2, "m1");
        assertSeqRun(await socket.waitForEvents("m2", 3), 1, 3, "m2");
        assertSeqRun(await socket.waitForEvents("m3", 1), 1, 1, "m3");
        const stats = await api(server, "GET", "/api/stats");
        for (const id of ["m1", "m2", "m3"]) {
          assert.equal(stats.body.connections.bySession[id], 1);
        }
        // Unsubscribing one leaves the others flowing.
        await socket.request({ event: "unsubscribe", session: "m2" });
        await publishRest(server, "m2", 1, 4);
        await publishRest(server, "m1", 1, 3);
        await socket.waitForEvents("m1", 3);
        assert.equal(socket.events("m2").length, 3);
      } finally {
        await socket.close();
      }
    });

    await t.step("subscribing again to the same session replaces the subscription", async () => {
      const socket = await TestSocket.open(server, "?session=s3");
      try {
        await socket.next((f) => f.event === "subscribed");
        await publishRest(server, "s3", 3);
        await socket.waitForEvents("s3", 3);
        const ack = await socket.request({
          event: "subscribe",
          session: "s3",
          payload: { lastSeq: 1 },
        });
        assert.equal(ack.replayed, 2);
        await publishRest(server, "s3", 1, 4);
        await socket.waitForEvents("s3", 6);
        // 1..3 live, 2..3 replayed on request, then 4 once: never twice from one subscribe.
        assert.deepEqual(socket.events("s3").map((f) => f.seq), [1, 2, 3, 2, 3, 4]);
        const info = await api(server, "GET", "/api/sessions/s3");
        assert.equal(info.body.session.subscribers.total, 1);
      } finally {
        await socket.close();
      }
    });

    await t.step("DELETE /api/sessions/:id sends session:deleted to its subscribers", async () => {
      const a = await TestSocket.open(server, "?session=gone");
      const b = await TestSocket.open(server, "?session=gone");
      const bystander = await TestSocket.open(server, "?session=kept");
      try {
        await a.next((f) => f.event === "subscribed");
        await b.next((f) => f.event === "subscribed");
        await bystander.next((f) => f.event === "subscribed");
        await publishRest(server, "gone", 2);
        await a.waitForEvents("gone", 2);
        const res = await api(server, "DELETE", "/api/sessions/gone");
        assert.equal(res.status, 200);
        for (const socket of [a, b]) {
          const deleted = await socket.next((f) => f.event === "session:deleted");
          assert.equal(deleted.session, "gone");
          assert.equal(deleted.seq, undefined);
          assert.ok(socket.isOpen, "deleting a session does not close its connections");
        }
        assert.equal(bystander.frames.some((f) => f.event === "session:deleted"), false);
        assert.equal((await api(server, "GET", "/api/sessions/gone")).status, 404);
        // The connection no longer holds the session: an unnamed publish has nowhere to go.
        const unnamed = await a.request({ event: "chat:message", payload: { text: "hi" } });
        assert.equal(unnamed.error.code, "SESSION_REQUIRED");
        // The id can be used again: a new stream with a new epoch, from seq 1.
        const fresh = await a.request({ event: "subscribe", session: "gone" });
        assert.equal(fresh.headSeq, 0);
        assert.equal(fresh.replayed, 0);
        await publishRest(server, "gone", 1);
        const [first] = (await a.waitForEvents("gone", 3)).slice(2);
        assert.equal(first.seq, 1);
      } finally {
        await a.close();
        await b.close();
        await bystander.close();
      }
    });
  } finally {
    await server.close();
  }
});
