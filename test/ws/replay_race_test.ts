/**
 * @module The replay-then-live guarantee under load: dashboards subscribe from various lastSeq
 * while an orchestrator publishes without pause, and each one ends with exactly the seqs after
 * its lastSeq. A paging, macrotask-delayed store makes every replay take many batches, so live
 * events are appended in the middle of them.
 */
import assert from "node:assert/strict";
import { MemoryStore } from "../../src/mod.ts";
import { type Frame, startTestServer, TestSocket, waitFor } from "../_helpers.ts";
import { pagedStore } from "../hub/_paged_store.ts";
import { assertSeqRun } from "./_stream.ts";

const TOTAL = 1200;
/** Frames the orchestrator sends between two awaited acks. */
const BURST = 24;

/** Who subscribes when: once `at` events are acked, subscribe from `lastSeq`. */
const PLAN = [
  { at: 40, lastSeq: 0, via: "frame" },
  { at: 150, lastSeq: 100, via: "frame" },
  { at: 300, lastSeq: 0, via: "query" },
  { at: 520, lastSeq: 510, via: "frame" },
  { at: 700, lastSeq: 123, via: "query" },
  { at: 950, lastSeq: 0, via: "frame" },
] as const;

Deno.test("subscribers joining mid-stream get no gap and no duplicate", async () => {
  const store = pagedStore(new MemoryStore(), { pageSize: 7 });
  // The orchestrator publishes far faster than a real one: lift the per-connection rate limit.
  const server = await startTestServer({ frameRate: 1_000_000 }, { store });
  const sockets: TestSocket[] = [];
  try {
    const orchestrator = await TestSocket.open(server, "?session=race&role=orchestrator");
    sockets.push(orchestrator);
    await orchestrator.next((f) => f.event === "subscribed");
    const frameSubscribers = await Promise.all(
      PLAN.filter((p) => p.via === "frame").map(() => TestSocket.open(server)),
    );
    sockets.push(...frameSubscribers);

    const joined: { socket: TestSocket; lastSeq: number; done: Promise<Frame> }[] = [];
    const joins: Promise<void>[] = [];
    let nextPlan = 0;
    let acked = 0;
    let n = 0;
    while (n < TOTAL) {
      // Start every join that is due without awaiting it, then keep publishing.
      while (nextPlan < PLAN.length && PLAN[nextPlan].at <= acked) {
        const { lastSeq, via } = PLAN[nextPlan++];
        if (via === "frame") {
          const socket = frameSubscribers.shift()!;
          const done = socket.nextNew((f) => f.event === "ack" && f.id === "sub", 20_000);
          socket.send({ event: "subscribe", session: "race", id: "sub", payload: { lastSeq } });
          joined.push({ socket, lastSeq, done });
        } else {
          joins.push(
            TestSocket.open(server, `?session=race&lastSeq=${lastSeq}`).then((socket) => {
              sockets.push(socket);
              const done = socket.next((f) => f.event === "subscribed", 20_000);
              joined.push({ socket, lastSeq, done });
            }),
          );
        }
      }
      const burst = Math.min(BURST, TOTAL - n);
      for (let i = 1; i < burst; i++) {
        orchestrator.send({ event: "custom:n", payload: { n: ++n } });
      }
      const ack = await orchestrator.request({ event: "custom:n", payload: { n: ++n } });
      assert.equal(ack.seq, n, "the orchestrator's publishes are stored in order");
      acked = ack.seq;
    }
    await Promise.all(joins);
    assert.equal(joined.length, PLAN.length);
    assert.ok(store.reads > TOTAL / 7, "replays went through many short pages");

    for (const { socket, lastSeq, done } of joined) {
      const who = `subscriber from lastSeq ${lastSeq}`;
      const end = await done;
      const result = end.payload;
      assert.notEqual(result.ok, false, `${who}: ${JSON.stringify(result)}`);
      await waitFor(() => socket.events("race").at(-1)?.seq === TOTAL || undefined, who, 20_000);
      const events = socket.events("race");
      assertSeqRun(events, lastSeq + 1, TOTAL, who);
      assert.deepEqual(
        events.map((f) => f.payload.n),
        events.map((f) => f.seq),
        `${who}: payloads match their seqs`,
      );
      // Everything up to headSeq is the replay and precedes the ack (or subscribed frame)...
      const endIndex = socket.frames.indexOf(end);
      assert.ok(result.headSeq >= lastSeq && result.headSeq <= TOTAL, who);
      assert.equal(result.replayed, result.headSeq - lastSeq, `${who}: replayed count`);
      assert.equal(result.recovered, true, who);
      const replayed = events.filter((f) => f.seq <= result.headSeq);
      assert.ok(replayed.every((f) => socket.frames.indexOf(f) < endIndex), who);
      // ...and live events follow it: nothing after headSeq slips in before the ack.
      const early = events.filter((f) =>
        f.seq > result.headSeq && socket.frames.indexOf(f) < endIndex
      );
      assert.deepEqual(early.map((f) => f.seq), [], `${who}: live events before the ack`);
    }
  } finally {
    for (const socket of sockets) await socket.close();
    await server.close();
  }
});
