/**
 * @module `/metrics` of two nodes on a real Redis: appends counted where they happen, notices
 * and stream reads where another node's events arrive, the connection state falling to 0 while
 * Redis is down (with the refused publishes counted) and the reconnect and resync once it is
 * back. A node on another store has no Redis metrics at all.
 */
import assert from "node:assert/strict";
import { scrape } from "./_scrape.ts";
import type { RunningServer } from "../../src/mod.ts";
import { startTestServer, TestSocket, waitFor } from "../_helpers.ts";
import { startCluster } from "../store/redis/_nodes.ts";

/** Polls `/metrics` until `check` holds (Redis and pub/sub take a moment). */
async function until(
  server: RunningServer,
  check: (m: Map<string, number>) => boolean,
  what: string,
): Promise<Map<string, number>> {
  return await waitFor(
    async () => {
      const metrics = await scrape(server);
      return check(metrics) ? metrics : undefined;
    },
    what,
    10_000,
  );
}

const CONNECTED = 'switchboard_redis_connected{connection="commands"}';
const PUBSUB = 'switchboard_redis_connected{connection="pubsub"}';

Deno.test("/metrics of two nodes on Redis counts appends, notices, reads, outages and resyncs", async () => {
  const cluster = await startCluster(2);
  const [a, b] = cluster.nodes;
  const onB = await TestSocket.open(b, "?session=m&role=dashboard");
  const orchestrator = await TestSocket.open(a, "?session=m&role=orchestrator");
  try {
    await onB.next((f) => f.event === "subscribed");
    await orchestrator.next((f) => f.event === "subscribed");
    const before = await scrape(b);
    assert.equal(before.get(CONNECTED), 1);
    assert.equal(before.get(PUBSUB), 1);
    assert.equal(before.get('switchboard_redis_reconnects_total{connection="commands"}'), 0);

    const total = 20;
    for (let i = 0; i < total; i++) {
      assert.ok((await orchestrator.request({ event: "custom:n", payload: { i } })).seq);
    }
    await onB.waitForEvents("m", total, 10_000);
    const onA = await scrape(a);
    assert.equal(onA.get("switchboard_redis_events_appended_total"), total);
    assert.ok(onA.get("switchboard_redis_appends_total")! >= 1);
    assert.equal(onA.get("switchboard_redis_append_conflicts_total"), 0);
    // Node B learnt of every append by notice and read the events from the stream.
    const metricsB = await until(
      b,
      (m) => m.get('switchboard_redis_notices_total{kind="append"}')! >= 1,
      "node B counted no append notice",
    );
    assert.ok(metricsB.get("switchboard_redis_stream_reads_total")! >= 1);
    assert.ok(metricsB.get("switchboard_redis_stream_events_read_total")! >= total);
    assert.equal(metricsB.get("switchboard_redis_events_appended_total"), 0);
    // Subscribing to the session's channel told its watcher to read the stream once.
    assert.ok(metricsB.get("switchboard_redis_resyncs_total")! >= 1);
    const resyncs = metricsB.get("switchboard_redis_resyncs_total")!;

    await cluster.redis.stop();
    await until(a, (m) => m.get(CONNECTED) === 0 && m.get(PUBSUB) === 0, "A still connected");
    const refused = await orchestrator.request({ event: "custom:n", payload: { i: -1 } });
    assert.equal(refused.error?.code, "STORE_UNAVAILABLE");
    assert.ok((await scrape(a)).get("switchboard_redis_unavailable_total")! >= 1);

    await cluster.redis.start();
    await until(a, (m) => m.get(CONNECTED) === 1 && m.get(PUBSUB) === 1, "A not reconnected");
    const back = await until(
      b,
      (m) =>
        m.get('switchboard_redis_reconnects_total{connection="pubsub"}')! >= 1 &&
        m.get("switchboard_redis_resyncs_total")! > resyncs,
      "node B did not count its reconnect and resync",
    );
    assert.ok(back.get('switchboard_redis_reconnects_total{connection="commands"}')! >= 1);
  } finally {
    await Promise.all([onB, orchestrator].map((s) => s.close()));
    await cluster.close();
  }
});

Deno.test("/metrics of a node on another store has no Redis metrics", async () => {
  const server = await startTestServer();
  try {
    const metrics = await scrape(server);
    assert.ok(metrics.has("switchboard_deliveries_total"));
    assert.deepEqual([...metrics.keys()].filter((k) => k.startsWith("switchboard_redis_")), []);
  } finally {
    await server.close();
  }
});
