/**
 * @module Hub-level tests of replay then live delivery, driven through `Hub` with fake
 * transports and small replay batches: no gap and no duplicate while publishes race the
 * replays, honest `recovered: false` after trimming, back-pressure and cancellation.
 */
import assert from "node:assert/strict";
import { type Actor, developmentPrincipal, Hub, MemoryStore, type Store } from "../../src/mod.ts";
import FakeTimers from "@sinonjs/fake-timers";
import { SLOW_CONSUMER_GRACE_MS } from "../../src/hub/connection.ts";
import { FakeTransport } from "./_fake_transport.ts";
import { pagedStore } from "./_paged_store.ts";

const ORCHESTRATOR: Actor = { id: "orch", principal: developmentPrincipal("orchestrator") };

/** A deterministic pseudo-random generator (mulberry32), so a failure can be replayed. */
function random(seed: number): () => number {
  return () => {
    seed = (seed + 0x6D2B79F5) | 0;
    let t = Math.imul(seed ^ (seed >>> 15), 1 | seed);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** Resolves on a later macrotask. */
function tick(ms = 0): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}

/** The inclusive range `from..to`. */
function range(from: number, to: number): number[] {
  return Array.from({ length: Math.max(0, to - from + 1) }, (_, i) => from + i);
}

/** Publishes `custom:n` events numbered `from..to` one call each, all at once. */
function publishRange(hub: Hub, session: string, from: number, to: number): Promise<number[][]> {
  return Promise.all(
    range(from, to).map((n) =>
      hub.publish(ORCHESTRATOR, session, [{ event: "custom:n", payload: { n } }])
    ),
  );
}

Deno.test("Hub.subscribe() replays after lastSeq in batches, then delivers live", async () => {
  const store = pagedStore(new MemoryStore(), { pageSize: 100 });
  const hub = new Hub({ store, heartbeatMs: 0, replayBatchSize: 3 });
  try {
    await publishRange(hub, "s", 1, 10);
    const transport = new FakeTransport();
    const connection = hub.connect(transport, { role: "dashboard" });
    const readsBefore = store.reads;
    const result = await hub.subscribe(connection, "s", { lastSeq: 4 });
    assert.deepEqual(transport.seqs("s"), [5, 6, 7, 8, 9, 10]);
    assert.deepEqual(transport.events("s").map((f) => f.payload.n), [5, 6, 7, 8, 9, 10]);
    assert.equal(result.replayed, 6);
    assert.equal(result.headSeq, 10);
    assert.equal(result.recovered, true);
    assert.equal(typeof result.epoch, "string");
    assert.ok(store.reads - readsBefore >= 2, "six events in batches of three take two reads");
    await publishRange(hub, "s", 11, 12);
    assert.deepEqual(transport.seqs("s"), range(5, 12));
  } finally {
    hub.close();
  }
});

Deno.test("Hub.subscribe() has no gap and no duplicate while publishes race the replays", async (t) => {
  const variants: { name: string; store: () => Store }[] = [
    // Reads and appends resolve in microtasks: interleaving at the finest grain.
    { name: "memory store", store: () => new MemoryStore() },
    // Short pages on later macrotasks: replays span many event-loop turns.
    { name: "paged store", store: () => pagedStore(new MemoryStore(), { pageSize: 2 }) },
  ];
  for (const variant of variants) {
    for (const seed of [1, 2, 3]) {
      await t.step(`${variant.name}, seed ${seed}`, async () => {
        const rand = random(seed);
        const hub = new Hub({ store: variant.store(), heartbeatMs: 0, replayBatchSize: 3 });
        const subscribers: {
          transport: FakeTransport;
          lastSeq: number;
          even: boolean;
          done: Promise<{ replayed: number; headSeq: number; recovered: boolean }>;
        }[] = [];
        try {
          const total = 300;
          let published = 0;
          let acked = 0;
          const pending: Promise<unknown>[] = [];
          while (published < total) {
            // Start some subscribes and a burst of publishes in the same synchronous step, so
            // their store calls and fan-outs interleave; await only some of them.
            const joins = Math.floor(rand() * 3);
            for (let j = 0; j < joins; j++) {
              const transport = new FakeTransport();
              const connection = hub.connect(transport, { role: "dashboard" });
              // A client can only know seqs that were acknowledged (or delivered) already.
              const lastSeq = Math.floor(rand() * (acked + 1));
              const even = rand() < 0.3;
              const done = hub.subscribe(connection, "race", {
                lastSeq,
                events: even ? ["custom:even"] : undefined,
              });
              subscribers.push({ transport, lastSeq, even, done });
            }
            const burst = Math.min(total - published, 1 + Math.floor(rand() * 12));
            const from = published + 1;
            const to = (published += burst);
            const seqs = Promise.all(
              range(from, to).map((n) =>
                hub.publish(ORCHESTRATOR, "race", [
                  { event: n % 2 === 0 ? "custom:even" : "custom:odd", payload: { n } },
                ])
              ),
            ).then((all) => {
              assert.deepEqual(all.flat(), range(from, to));
              acked = Math.max(acked, to);
            });
            pending.push(seqs);
            if (rand() < 0.5) await seqs;
            if (rand() < 0.3) await tick();
          }
          await Promise.all(pending);
          assert.ok(subscribers.length > 20, `only ${subscribers.length} subscribers`);
          for (const { transport, lastSeq, even, done } of subscribers) {
            const result = await done;
            const who = `subscriber from ${lastSeq}${even ? " (even only)" : ""}`;
            const expected = range(lastSeq + 1, total).filter((s) => !even || s % 2 === 0);
            assert.deepEqual(transport.seqs("race"), expected, who);
            assert.deepEqual(
              transport.events("race").map((f) => f.payload.n),
              expected,
              `${who}: each seq carries its own payload`,
            );
            assert.equal(result.recovered, true, who);
            assert.ok(result.headSeq >= lastSeq, who);
            const replayed = expected.filter((s) => s <= result.headSeq).length;
            assert.equal(result.replayed, replayed, `${who}: replayed count`);
          }
        } finally {
          hub.close();
        }
      });
    }
  }
});

Deno.test("Hub.subscribe() reports recovered: false when lastSeq was trimmed away", async () => {
  const hub = new Hub({
    store: new MemoryStore({ maxEventsPerSession: 10 }),
    heartbeatMs: 0,
    replayBatchSize: 4,
  });
  try {
    for (let n = 1; n <= 40; n++) await publishRange(hub, "t", n, n);
    const late = new FakeTransport();
    const result = await hub.subscribe(hub.connect(late, { role: "dashboard" }), "t", {
      lastSeq: 5,
    });
    assert.equal(result.recovered, false);
    assert.equal(result.headSeq, 40);
    const seqs = late.seqs("t");
    assert.ok(seqs[0] > 6, `events 6.. were trimmed, yet got ${seqs[0]}`);
    assert.deepEqual(seqs, range(seqs[0], 40), "what is kept arrives without a gap");
    assert.equal(result.replayed, seqs.length);

    const recent = new FakeTransport();
    const ok = await hub.subscribe(hub.connect(recent, { role: "dashboard" }), "t", {
      lastSeq: 36,
    });
    assert.equal(ok.recovered, true);
    assert.deepEqual(recent.seqs("t"), [37, 38, 39, 40]);
  } finally {
    hub.close();
  }
});

Deno.test("Hub.subscribe() waits for a slow reader between replay batches", async () => {
  // maxBufferedBytes / 4 is the replay's high-water mark: 1024 bytes here.
  const hub = new Hub({
    store: new MemoryStore(),
    heartbeatMs: 0,
    replayBatchSize: 3,
    maxBufferedBytes: 4096,
  });
  try {
    await publishRange(hub, "bp", 1, 10);
    const transport = new FakeTransport();
    transport.bufferedAmount = 2000;
    const done = hub.subscribe(hub.connect(transport, { role: "dashboard" }), "bp");
    for (let i = 0; i < 5; i++) await tick(5);
    assert.deepEqual(transport.seqs("bp"), [1, 2, 3], "one batch, then a pause");
    transport.bufferedAmount = 0;
    const result = await done;
    assert.equal(result.replayed, 10);
    assert.deepEqual(transport.seqs("bp"), range(1, 10));
  } finally {
    hub.close();
  }
});

Deno.test("a connection twice over its outbound budget is closed as a slow consumer at once", async () => {
  const hub = new Hub({
    store: new MemoryStore(),
    heartbeatMs: 0,
    maxBufferedBytes: 4096,
    presenceIntervalMs: 0,
  });
  try {
    const slow = new FakeTransport();
    const fast = new FakeTransport();
    const slowConnection = hub.connect(slow, { role: "dashboard" });
    await hub.subscribe(slowConnection, "sc");
    const fastConnection = hub.connect(fast, { role: "dashboard" });
    await hub.subscribe(fastConnection, "sc");
    await tick(); // presence announces both
    await publishRange(hub, "sc", 1, 1);
    slow.bufferedAmount = 9000;
    await publishRange(hub, "sc", 2, 3);
    assert.equal(slow.closedWith?.code, 4101);
    assert.deepEqual(slow.seqs("sc"), [1, 2], "the frame that broke the budget was the last");
    assert.deepEqual(fast.seqs("sc"), [1, 2, 3]);
    assert.equal(hub.connectionCount, 1);
    assert.equal(hub.session("sc").subscribers.total, 1);
    await tick();
    const left = fast.frames.filter((f) => f.event === "presence").at(-1);
    assert.deepEqual(left?.payload.left, [slowConnection.id]);
  } finally {
    hub.close();
  }
});

Deno.test("a connection once over budget is closed only if it stays over for the grace period", async (t) => {
  const clock = FakeTimers.install({ toFake: ["setTimeout", "clearTimeout"] });
  const hub = new Hub({ store: new MemoryStore(), heartbeatMs: 0, maxBufferedBytes: 4096 });
  try {
    await t.step("a burst that drains in time: kept", async () => {
      const burst = new FakeTransport();
      await hub.subscribe(hub.connect(burst, { role: "dashboard" }), "g1");
      burst.bufferedAmount = 5000;
      await publishRange(hub, "g1", 1, 1);
      burst.bufferedAmount = 0; // the reader kept up
      clock.tick(SLOW_CONSUMER_GRACE_MS);
      assert.equal(burst.closedWith, undefined);
    });
    await t.step("still over after the grace period: closed with 4101", async () => {
      const stuck = new FakeTransport();
      await hub.subscribe(hub.connect(stuck, { role: "dashboard" }), "g2");
      stuck.bufferedAmount = 5000;
      await publishRange(hub, "g2", 1, 1);
      const closedWith = () => stuck.closedWith;
      clock.tick(SLOW_CONSUMER_GRACE_MS - 1);
      assert.equal(closedWith(), undefined);
      clock.tick(1);
      assert.equal(closedWith()?.code, 4101);
    });
  } finally {
    hub.close();
    clock.uninstall();
  }
});

Deno.test("subscribing again cancels the replay in progress", async () => {
  const store = pagedStore(new MemoryStore(), { pageSize: 2, delayMs: 2 });
  const hub = new Hub({ store, heartbeatMs: 0, replayBatchSize: 2 });
  try {
    await publishRange(hub, "rs", 1, 40);
    const transport = new FakeTransport();
    const connection = hub.connect(transport, { role: "dashboard" });
    const first = hub.subscribe(connection, "rs", { lastSeq: 0 });
    await tick(5);
    const second = await hub.subscribe(connection, "rs", { lastSeq: 36 });
    await first;
    assert.equal(second.replayed, 4);
    const seqs = transport.seqs("rs");
    const restart = seqs.lastIndexOf(37);
    assert.ok(restart >= 0);
    assert.deepEqual(seqs.slice(restart), [37, 38, 39, 40]);
    assert.ok(restart < 36, "the first replay stopped early");
    assert.deepEqual(seqs.slice(0, restart), range(1, restart), "the first replay had no gap");
    await publishRange(hub, "rs", 41, 41);
    assert.deepEqual(transport.seqs("rs").slice(restart), [37, 38, 39, 40, 41]);
  } finally {
    hub.close();
  }
});

Deno.test("Hub.unsubscribe() during a replay stops it", async () => {
  const store = pagedStore(new MemoryStore(), { pageSize: 2, delayMs: 2 });
  const hub = new Hub({ store, heartbeatMs: 0, replayBatchSize: 2 });
  try {
    await publishRange(hub, "us", 1, 30);
    const transport = new FakeTransport();
    const connection = hub.connect(transport, { role: "dashboard" });
    const done = hub.subscribe(connection, "us");
    await tick(5);
    hub.unsubscribe(connection, "us");
    const sentAtUnsubscribe = transport.seqs("us").length;
    await done;
    await publishRange(hub, "us", 31, 32);
    assert.ok(sentAtUnsubscribe < 30);
    assert.deepEqual(transport.seqs("us"), range(1, sentAtUnsubscribe), "nothing after it");
    assert.throws(() => hub.unsubscribe(connection, "us"), { code: "NOT_SUBSCRIBED" });
  } finally {
    hub.close();
  }
});
