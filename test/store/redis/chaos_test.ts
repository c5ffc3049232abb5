/**
 * @module Chaos: two node processes share Redis; node A is killed with SIGKILL while an
 * orchestrator publishes through it. The orchestrator and A's dashboard move to node B and
 * resume; everyone ends with every acknowledged seq exactly once, in order.
 */
import assert from "node:assert/strict";
import type { RunningServer } from "../../../src/mod.ts";
import { type Frame, TestSocket } from "../../_helpers.ts";
import { freePort, spawnServer } from "../../durability/_process.ts";
import { startRedis } from "../_redis_server.ts";
import { assertExactlyOnce } from "./_nodes.ts";

/** TestSocket only needs a URL. */
const at = (url: string) => ({ url }) as RunningServer;

/** The ack of `frame`, or `undefined` if the socket closed first. */
async function requestOrClosed(socket: TestSocket, frame: Frame): Promise<Frame | undefined> {
  const closed = socket.closed(10_000).then(() => undefined);
  return await Promise.race([socket.request(frame, 10_000), closed]);
}

Deno.test("kill -9 node A mid-stream: clients move to node B, every acked seq once, in order", async () => {
  const redis = await startRedis();
  const args = ["--store", redis.url, "--heartbeat-ms", "0"];
  const nodeA = await spawnServer(freePort(), args);
  const nodeB = await spawnServer(freePort(), args);
  const sockets: TestSocket[] = [];
  const open = async (url: string, query: string) => {
    const socket = await TestSocket.open(at(url), query);
    sockets.push(socket);
    await socket.next((f) => f.event === "subscribed");
    return socket;
  };
  try {
    let orchestrator = await open(nodeA.url, "?session=chaos&role=orchestrator");
    const dashA = await open(nodeA.url, "?session=chaos&role=dashboard");
    const dashB = await open(nodeB.url, "?session=chaos&role=dashboard");
    const epoch = (await dashA.next((f) => f.event === "subscribed")).payload.epoch;

    const acked = new Map<number, number>();
    let i = 0;
    let killing: Promise<Deno.CommandStatus> | undefined;
    while (true) {
      // Kill A while a publish is on its way through it.
      if (acked.size === 100) killing ??= nodeA.stop("SIGKILL");
      const ack = await requestOrClosed(orchestrator, { event: "custom:n", payload: { i } });
      if (!ack) break;
      assert.equal(ack.ok, true, JSON.stringify(ack));
      acked.set(ack.seq, i++);
    }
    assert.equal((await killing)?.signal, "SIGKILL");

    // Everyone who was on A reconnects to B; the dashboard resumes from what it saw.
    orchestrator = await open(nodeB.url, "?session=chaos&role=orchestrator");
    const seenOnA = dashA.events("chaos");
    const last = seenOnA.at(-1)?.seq ?? 0;
    const dashMoved = await open(
      nodeB.url,
      `?session=chaos&role=dashboard&lastSeq=${last}&epoch=${epoch}`,
    );
    assert.equal((await dashMoved.next((f) => f.event === "subscribed")).payload.recovered, true);
    for (let n = 0; n < 100; n++) {
      const ack = await orchestrator.request({ event: "custom:n", payload: { i } });
      acked.set(ack.seq, i++);
    }

    const head = Math.max(...acked.keys());
    const page = await fetch(`${nodeB.url}/api/sessions/chaos/events?after=0&limit=1000`);
    const stored = (await page.json()).events as Frame[];
    assertExactlyOnce(stored, 1, head, "stored");
    for (const [seq, n] of acked) assert.equal(stored[seq - 1].payload.i, n, `seq ${seq}`);
    assertExactlyOnce(await dashB.waitForEvents("chaos", head), 1, head, "dashboard on B");
    await dashMoved.waitForEvents("chaos", head - last);
    await new Promise((resolve) => setTimeout(resolve, 100));
    assertExactlyOnce([...seenOnA, ...dashMoved.events("chaos")], 1, head, "dashboard moved");
  } finally {
    await Promise.all(sockets.map((s) => s.close()));
    await nodeA.stop("SIGKILL");
    await nodeB.stop();
    await redis.close();
  }
});
