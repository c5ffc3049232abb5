/**
 * @module Redis failures: while Redis is down publishes and commands fail fast with
 * STORE_UNAVAILABLE, connections stay open and /health says degraded; after a restart (AOF on,
 * even after SIGKILL) every node repairs its gaps and dashboards see every acknowledged event
 * exactly once, in order.
 */
import assert from "node:assert/strict";
import { api, type Frame, TestSocket, waitFor } from "../../_helpers.ts";
import { assertExactlyOnce, startCluster } from "./_nodes.ts";

Deno.test("Redis down: coded fast failures, open connections, degraded health; back: no gap", async () => {
  const cluster = await startCluster(2);
  const [a, b] = cluster.nodes;
  const orchestrator = await TestSocket.open(a, "?session=blip&role=orchestrator");
  const dashboard = await TestSocket.open(b, "?session=blip&role=dashboard");
  try {
    await dashboard.next((f) => f.event === "subscribed");
    await orchestrator.next((f) => f.event === "subscribed");
    for (let i = 0; i < 5; i++) await orchestrator.request({ event: "custom:n", payload: { i } });
    assert.equal((await orchestrator.request({ event: "execution:started" })).seq, 6);
    await dashboard.waitForEvents("blip", 6);

    await cluster.redis.stop("SIGKILL");
    await waitFor(
      async () => (await api(a, "GET", "/health")).body.status === "degraded" || undefined,
      "node A to report degraded",
    );
    const health = await api(b, "GET", "/health");
    assert.equal(health.status, 200);
    assert.deepEqual([health.body.status, health.body.store], ["degraded", "unavailable"]);

    const started = Date.now();
    const nack = await orchestrator.request({ event: "custom:n", payload: { i: "lost" } });
    assert.equal(nack.ok, false);
    assert.equal(nack.error.code, "STORE_UNAVAILABLE");
    const rest = await api(a, "POST", "/api/sessions/blip/events", { event: "custom:x" });
    assert.deepEqual([rest.status, rest.body.error.code], [503, "STORE_UNAVAILABLE"]);
    const halt = await dashboard.request({ event: "command", payload: { type: "HALT" } });
    assert.equal(halt.error.code, "STORE_UNAVAILABLE");
    assert.ok(Date.now() - started < 3000, `failing took ${Date.now() - started} ms`);
    assert.ok(orchestrator.isOpen && dashboard.isOpen, "connections stay open");

    await cluster.redis.start();
    for (const node of [a, b]) {
      await waitFor(
        async () => (await api(node, "GET", "/health")).body.status === "healthy" || undefined,
        "the node to see Redis again",
        10_000,
      );
    }
    // The state survived: HALT is valid (running), and its seq follows the AOF's head.
    const retried = await dashboard.request({ event: "command", payload: { type: "HALT" } });
    assert.equal(retried.ok, true, JSON.stringify(retried));
    assert.equal(retried.seq, 7);
    for (let i = 5; i < 10; i++) {
      assert.equal((await orchestrator.request({ event: "custom:n", payload: { i } })).ok, true);
    }
    await orchestrator.next((f) => f.event === "command" && f.payload.type === "HALT");
    const events = await dashboard.waitForEvents("blip", 13);
    await new Promise((resolve) => setTimeout(resolve, 100));
    assertExactlyOnce(dashboard.events("blip"), 1, 13);
    assert.deepEqual(events.slice(8).map((f) => f.payload.i), [5, 6, 7, 8, 9]);
  } finally {
    await orchestrator.close();
    await dashboard.close();
    await cluster.close();
  }
});

Deno.test("Redis killed mid-stream and restarted: every acked seq once, in order, on both nodes", async () => {
  const cluster = await startCluster(2);
  const [a, b] = cluster.nodes;
  const orchestrator = await TestSocket.open(a, "?session=stream&role=orchestrator");
  const watchers = [
    await TestSocket.open(a, "?session=stream&role=dashboard"),
    await TestSocket.open(b, "?session=stream&role=dashboard"),
  ];
  try {
    for (const w of watchers) await w.next((f) => f.event === "subscribed");
    const acked = new Map<number, number>();
    let failures = 0;
    let restarted: Promise<void> | undefined;
    const total = 400;
    for (let i = 0; acked.size < total; i++) {
      if (acked.size === 150 && !restarted) {
        await cluster.redis.stop("SIGKILL");
        restarted = new Promise((resolve) => setTimeout(resolve, 300))
          .then(() => cluster.redis.start());
      }
      const ack: Frame = await orchestrator.request({ event: "custom:n", payload: { i } });
      if (ack.ok) acked.set(ack.seq, i);
      else {
        assert.equal(ack.error.code, "STORE_UNAVAILABLE");
        failures++;
        await new Promise((resolve) => setTimeout(resolve, 20));
      }
    }
    await restarted;
    assert.ok(failures > 0, "the outage was seen");
    const stored: Frame[] = [];
    for (let after = 0;;) {
      const page = await api(b, "GET", `/api/sessions/stream/events?after=${after}&limit=1000`);
      stored.push(...page.body.events);
      if (page.body.events.length === 0) break;
      after = page.body.nextAfter;
    }
    assertExactlyOnce(stored, 1, stored.length, "stored");
    for (const [seq, i] of acked) assert.equal(stored[seq - 1].payload.i, i, `seq ${seq}`);
    for (const watcher of watchers) {
      await watcher.waitForEvents("stream", stored.length, 10_000);
      await new Promise((resolve) => setTimeout(resolve, 100));
      assertExactlyOnce(watcher.events("stream"), 1, stored.length);
    }
  } finally {
    await Promise.all([orchestrator, ...watchers].map((s) => s.close()));
    await cluster.close();
  }
});
