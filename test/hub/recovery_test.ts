/**
 * @module How the hub reports a resume that retention or a new epoch made impossible:
 * `recovered: false`, the current epoch, and what is still stored.
 */
import assert from "node:assert/strict";
import { api, startTestServer, TestSocket } from "../_helpers.ts";

Deno.test("Hub.subscribe() reports recovered:false when retention dropped the gap", async (t) => {
  const server = await startTestServer({ historyLimit: 3 });
  const socket = await TestSocket.open(server, "?role=dashboard");
  try {
    const batch = Array.from({ length: 10 }, (_, i) => ({
      event: "chat:message",
      payload: { text: `m${i + 1}` },
    }));
    const posted = await api(server, "POST", "/api/sessions/s/events", batch);
    assert.deepEqual(posted.body.seqs, Array.from({ length: 10 }, (_, i) => i + 1));

    await t.step("lastSeq inside what is kept: recovered, only the rest replayed", async () => {
      const ack = await socket.request({
        event: "subscribe",
        session: "s",
        payload: { lastSeq: 8 },
      });
      assert.equal(ack.ok, true);
      assert.equal(ack.recovered, true);
      assert.equal(ack.replayed, 2);
      assert.equal(ack.headSeq, 10);
    });

    await t.step("lastSeq before what is kept: not recovered, the kept tail replayed", async () => {
      const from = socket.frames.length;
      const ack = await socket.request({
        event: "subscribe",
        session: "s",
        payload: { lastSeq: 2 },
      });
      assert.equal(ack.recovered, false);
      assert.equal(ack.replayed, 3);
      assert.equal(ack.headSeq, 10);
      const replayed = socket.frames.slice(from).filter((f) => f.session === "s" && f.seq);
      assert.deepEqual(replayed.map((f) => f.seq), [8, 9, 10]);
    });
  } finally {
    await socket.close();
    await server.close();
  }
});

Deno.test("Hub.subscribe() reports recovered:false when the epoch differs", async (t) => {
  const server = await startTestServer({ historyLimit: 3 });
  const socket = await TestSocket.open(server, "?role=dashboard");
  try {
    await api(server, "POST", "/api/sessions/s/events", [
      { event: "execution:started" },
      { event: "execution:halted" },
    ]);
    const { epoch } = (await api(server, "GET", "/api/sessions/s")).body.session;
    assert.equal(typeof epoch, "string");

    await t.step("the stream's own epoch: recovered, nothing to replay", async () => {
      const ack = await socket.request({
        event: "subscribe",
        session: "s",
        payload: { lastSeq: 2, epoch },
      });
      assert.equal(ack.recovered, true);
      assert.equal(ack.replayed, 0);
      assert.equal(ack.epoch, epoch);
    });

    await t.step("another epoch: not recovered, replayed from the start", async () => {
      const ack = await socket.request({
        event: "subscribe",
        session: "s",
        payload: { lastSeq: 2, epoch: `${epoch}-old` },
      });
      assert.equal(ack.recovered, false);
      assert.equal(ack.replayed, 2);
      assert.equal(ack.epoch, epoch, "the answer carries the current epoch");
    });

    await t.step("a deleted and recreated session gets a new epoch", async () => {
      await api(server, "DELETE", "/api/sessions/s");
      await api(server, "POST", "/api/sessions/s/events", { event: "execution:started" });
      const ack = await socket.request({
        event: "subscribe",
        session: "s",
        payload: { lastSeq: 2, epoch },
      });
      assert.equal(ack.recovered, false);
      assert.notEqual(ack.epoch, epoch);
      assert.equal(ack.replayed, 1);
      assert.equal(ack.headSeq, 1);
    });
  } finally {
    await socket.close();
    await server.close();
  }
});
