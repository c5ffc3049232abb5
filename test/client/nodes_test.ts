/**
 * @module `io([nodeA, nodeB])`: when the node a client is connected to goes away, it moves to the
 * next one and resumes there, so with two nodes sharing Redis the dashboard still sees every
 * seq exactly once, in order, and the orchestrator's publishes go on.
 */
import assert from "node:assert/strict";
import type { Socket } from "../../client/mod.ts";
import { startCluster } from "../store/redis/_nodes.ts";
import { client, closeAll, waitFor } from "./_helpers.ts";

/** Publishes `custom:tick {k}` for k in [from, to]; a publish cut off by the move is retried. */
async function publish(socket: Socket, from: number, to: number): Promise<void> {
  for (let k = from; k <= to; k++) {
    while (true) {
      try {
        await socket.emitWithAck("custom:tick", { k });
        break;
      } catch (error) {
        const code = (error as { code?: string }).code;
        if (code !== "DISCONNECTED" && code !== "STORE_UNAVAILABLE") throw error;
      }
    }
  }
}

Deno.test("io([a, b]) moves to node B when node A shuts down, with no gap or duplicate", async () => {
  const cluster = await startCluster(2);
  const [a, b] = cluster.nodes;
  const urls = [a.url, b.url];
  const orchestrator = client(urls, { session: "s", role: "orchestrator" });
  const dashboard = client(urls, { session: "s" });
  const seqs: number[] = [];
  dashboard.onAny((_event, _payload, meta) => {
    if (meta.seq !== undefined) seqs.push(meta.seq);
  });
  try {
    await waitFor(() => orchestrator.connected && dashboard.connected, "both connected");
    await publish(orchestrator, 1, 30);
    await waitFor(() => seqs.length === 30, "the first 30 events");
    assert.equal(a.hub.connectionCount, 2, "both started on the first URL");
    const moving = publish(orchestrator, 31, 60);
    await a.close();
    await moving;
    const head = (await (await fetch(`${b.url}/api/sessions/s`)).json()).session.headSeq;
    assert.ok(head >= 60);
    await waitFor(() => seqs.length >= head, `${head} events on the dashboard`, 10_000);
    assert.deepEqual(seqs, Array.from({ length: head }, (_, i) => i + 1));
    assert.equal(b.hub.connectionCount, 2, "both moved to the second URL");
  } finally {
    await closeAll(orchestrator, dashboard);
    await cluster.close();
  }
});
