/**
 * @module Gap-free resume: while an orchestrator publishes, the dashboard's connection is dropped
 * by the server, cut by the network, or the server is restarted (in process, or killed as a
 * process), and the dashboard's handlers still see every seq exactly once, in order.
 */
import assert from "node:assert/strict";
import type { Socket } from "../../client/mod.ts";
import { MemoryStore } from "../../src/mod.ts";
import { startTestServer } from "../_helpers.ts";
import { client, closeAll, next, waitFor } from "./_helpers.ts";
import { startProxy } from "./_proxy.ts";
import { respawnServer, type ServerProcess, spawnServer } from "./_server_process.ts";

/** Publishes `custom:tick {k}` for k in [from, to], each acked; retries a publish the drop cut off. */
async function publish(socket: Socket, from: number, to: number): Promise<void> {
  for (let k = from; k <= to; k++) {
    while (true) {
      try {
        await socket.emitWithAck("custom:tick", { k });
        break;
      } catch (error) {
        // Sent but unanswered: it may or may not be stored; publishing again is at-least-once.
        if ((error as { code?: string }).code !== "DISCONNECTED") throw error;
      }
    }
  }
}

/** What a dashboard saw: each session event's seq, grouped by the stream epoch it belongs to. */
function recordByEpoch(socket: Socket): Map<string, number[]> {
  const byEpoch = new Map<string, number[]>();
  // Events replayed on a connection come before its `subscribed`, so hold them until then.
  let held: number[] = [];
  let epoch: string | undefined;
  socket.onAny((event, payload, meta) => {
    if (event === "connected") {
      epoch = undefined;
    } else if (event === "subscribed") {
      epoch = (payload as { epoch: string }).epoch;
      byEpoch.set(epoch, [...byEpoch.get(epoch) ?? [], ...held]);
      held = [];
    } else if (meta.seq !== undefined) {
      if (epoch === undefined) held.push(meta.seq);
      else byEpoch.get(epoch)!.push(meta.seq);
    }
  });
  return byEpoch;
}

function count(byEpoch: Map<string, number[]>): number {
  return [...byEpoch.values()].reduce((sum, seqs) => sum + seqs.length, 0);
}

function oneToN(n: number): number[] {
  return Array.from({ length: n }, (_, i) => i + 1);
}

Deno.test("resume: a connection closed by the server (1012) resumes with no gap", async () => {
  const server = await startTestServer();
  const orchestrator = client(server.url, { session: "s", role: "orchestrator" });
  const dashboard = client(server.url, { session: "s" });
  const seen = recordByEpoch(dashboard);
  const disconnects: unknown[] = [];
  dashboard.on("disconnect", (reason, code) => disconnects.push([reason, code]));
  await Promise.all([next(orchestrator, "connect"), next(dashboard, "connect")]);

  await publish(orchestrator, 1, 40);
  const rest = publish(orchestrator, 41, 120);
  server.hub.close(); // every connection closed with 1012 while the orchestrator publishes
  await rest;
  const head = server.hub.session("s").headSeq;
  await waitFor(() => count(seen) === head, `${head} events`);

  assert.equal(seen.size, 1);
  assert.deepEqual([...seen.values()][0], oneToN(head));
  assert.deepEqual(disconnects, [["transport close", 1012]]);
  assert.equal(dashboard.recovered, true);
  await closeAll(dashboard, orchestrator);
  await server.close();
});

Deno.test("resume: a network cut reconnects and resumes with no gap", async () => {
  const server = await startTestServer();
  const proxy = startProxy(server.port);
  const orchestrator = client(server.url, { session: "s", role: "orchestrator" });
  const dashboard = client(proxy.url, { session: "s" });
  const seen = recordByEpoch(dashboard);
  await Promise.all([next(orchestrator, "connect"), next(dashboard, "connect")]);

  await publish(orchestrator, 1, 40);
  const reconnected = next(dashboard, "reconnect");
  proxy.cut();
  await publish(orchestrator, 41, 120);
  await reconnected;
  await waitFor(() => count(seen) === 120, "120 events");

  assert.deepEqual([...seen.values()], [oneToN(120)]);
  assert.equal(dashboard.recovered, true);
  await closeAll(dashboard, orchestrator);
  await proxy.close();
  await server.close();
});

Deno.test("resume: a restart on the same port with the store kept loses nothing", async () => {
  // The store outlives the server, as durable history does: this is a restart, not a new store.
  const store = new MemoryStore();
  let server = await startTestServer({}, { store });
  const orchestrator = client(server.url, { session: "s", role: "orchestrator" });
  const dashboard = client(server.url, { session: "s" });
  const seen = recordByEpoch(dashboard);
  await Promise.all([next(orchestrator, "connect"), next(dashboard, "connect")]);

  await publish(orchestrator, 1, 40);
  const rest = publish(orchestrator, 41, 120);
  await server.close();
  server = await startTestServer({ port: server.port }, { store });
  await rest;
  const head = server.hub.session("s").headSeq;
  await waitFor(() => count(seen) === head, `${head} events`);

  assert.equal(seen.size, 1, "one epoch: the stream continued across the restart");
  assert.deepEqual([...seen.values()][0], oneToN(head));
  assert.equal(dashboard.recovered, true);
  await closeAll(dashboard, orchestrator);
  await server.close();
  await store.close();
});

Deno.test("resume: subscribing again to a followed session repeats no event", async () => {
  const server = await startTestServer();
  const orchestrator = client(server.url, { session: "s", role: "orchestrator" });
  const dashboard = client(server.url, { session: "s" });
  const seen = recordByEpoch(dashboard);
  await Promise.all([next(orchestrator, "connect"), next(dashboard, "connect")]);

  // A burst of publishes, and resubscribes while its events are in flight to the dashboard:
  // each replays after the last seq the client had seen when it asked.
  const acks = Array.from(
    { length: 300 },
    (_, k) => orchestrator.emitWithAck("custom:tick", { k }),
  );
  const resubscribes = Array.from({ length: 10 }, () => dashboard.subscribe("s"));
  await Promise.all([...acks, ...resubscribes]);
  await dashboard.subscribe("s");
  await orchestrator.emitWithAck("custom:tick", { k: 300 });
  await waitFor(() => count(seen) >= 301, "301 events");
  assert.deepEqual([...seen.values()], [oneToN(301)]);
  await closeAll(dashboard, orchestrator);
  await server.close();
});

/** Kills the server process mid-publish, restarts it on the same port, returns what was seen. */
async function killAndRestart(args: string[]) {
  let server: ServerProcess = await spawnServer(["--port", "0", ...args]);
  const orchestrator = client(server.url, { session: "s", role: "orchestrator" });
  const dashboard = client(server.url, { session: "s" });
  const seen = recordByEpoch(dashboard);
  try {
    await Promise.all([next(orchestrator, "connect"), next(dashboard, "connect")]);
    await publish(orchestrator, 1, 40);
    const rest = publish(orchestrator, 41, 120);
    await server.kill();
    server = await respawnServer(server.port, args);
    await rest;
    const response = await fetch(`${server.url}/api/sessions/s`);
    const { session } = await response.json();
    await waitFor(() => seen.get(session.epoch)?.length === session.headSeq, "the last event");
    return { seen, head: session.headSeq as number, epoch: session.epoch as string, dashboard };
  } finally {
    await closeAll(dashboard, orchestrator);
    await server.kill();
  }
}

Deno.test("resume: the server process killed and restarted (memory store)", async () => {
  const { seen, head, epoch, dashboard } = await killAndRestart(["--store", "memory"]);
  // Memory history died with the process: the restarted server began a new epoch at seq 1.
  assert.equal(seen.size, 2);
  for (const seqs of seen.values()) assert.deepEqual(seqs, oneToN(seqs.length));
  assert.deepEqual(seen.get(epoch), oneToN(head));
  assert.equal(dashboard.recovered, false, "the resume says history was lost");
});

Deno.test("resume: the server process killed and restarted (SQLite store)", async () => {
  const dir = await Deno.makeTempDir();
  try {
    const { seen, head, dashboard } = await killAndRestart(["--store", `sqlite:${dir}/s.db`]);
    assert.equal(seen.size, 1, "one epoch: durable history survived the kill");
    assert.deepEqual([...seen.values()][0], oneToN(head));
    assert.equal(dashboard.recovered, true);
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});

Deno.test("resume: after a 1012 the client reconnects at once, not after its backoff", async () => {
  const store = new MemoryStore();
  let server = await startTestServer({}, { store });
  // A first retry after 5 s (±50 %) would miss the deadline below; a 1012 skips the backoff.
  const dashboard = client(server.url, { session: "s", reconnectionDelay: 5_000 });
  const disconnects: unknown[] = [];
  dashboard.on("disconnect", (reason, code) => disconnects.push([reason, code]));
  await next(dashboard, "connect");
  const reconnected = next(dashboard, "reconnect", 2_000);
  const started = Date.now();
  await server.close();
  server = await startTestServer({ port: server.port }, { store });
  await reconnected;
  assert.ok(Date.now() - started < 2_000);
  assert.deepEqual(disconnects, [["transport close", 1012]]);
  await closeAll(dashboard);
  await server.close();
  await store.close();
});
