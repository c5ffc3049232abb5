/**
 * @module Graceful shutdown of a real server process: SIGTERM while an orchestrator publishes and
 * a dashboard watches. Clients see 1012 (not a reset), every acknowledged event is stored, and the
 * dashboard resumes on the restarted server with no gap. In process: readiness and refusals.
 */
import assert from "node:assert/strict";
import type { Socket } from "../client/mod.ts";
import { api, startTestServer, TestSocket } from "./_helpers.ts";
import { client, closeAll, next, waitFor } from "./client/_helpers.ts";
import { respawnServer, type ServerProcess, spawnServer } from "./client/_server_process.ts";

/** Publishes `custom:tick {k}` for k in [from, to]; records the seq of every acknowledged one. */
async function publish(socket: Socket, from: number, to: number, acked: Map<number, number>) {
  for (let k = from; k <= to; k++) {
    while (true) {
      try {
        const { seq } = await socket.emitWithAck("custom:tick", { k });
        acked.set(seq as number, k);
        break;
      } catch (error) {
        // Sent but unanswered (the drain began): publish again on the next connection.
        if ((error as { code?: string }).code !== "DISCONNECTED") throw error;
      }
    }
  }
}

Deno.test("SIGTERM under load: 1012 for every client, every ack stored, resume with no gap", async () => {
  const dir = await Deno.makeTempDir();
  const args = ["--store", `sqlite:${dir}/s.db`, "--store-sync", "normal"];
  let server: ServerProcess = await spawnServer(["--port", "0", ...args]);
  const orchestrator = client(server.url, { session: "s", role: "orchestrator" });
  const dashboard = client(server.url, { session: "s" });
  const codes: (number | undefined)[] = [];
  for (const socket of [orchestrator, dashboard]) {
    socket.on("disconnect", (_reason, code) => codes.push(code));
  }
  const seen: number[] = [];
  const epochs = new Set<string>();
  dashboard.on("subscribed", (payload) => epochs.add(payload.epoch));
  dashboard.onAny((_event, _payload, meta) => {
    if (meta.seq !== undefined) seen.push(meta.seq);
  });
  const acked = new Map<number, number>();
  try {
    await Promise.all([next(orchestrator, "connect"), next(dashboard, "connect")]);
    await publish(orchestrator, 1, 30, acked);
    const rest = publish(orchestrator, 31, 150, acked);
    await waitFor(() => acked.size >= 60, "60 acks");
    const stopped = await server.stop("SIGTERM");
    assert.equal(stopped.status.code, 0, "a graceful shutdown exits 0");
    server = await respawnServer(server.port, args);
    await rest;

    const { body } = await fetchJson(`${server.url}/api/sessions/s/events?after=0&limit=1000`);
    const stored = new Map<number, number>(
      body.events.map((e: { seq: number; payload: { k: number } }) => [e.seq, e.payload.k]),
    );
    for (const [seq, k] of acked) assert.equal(stored.get(seq), k, `acked seq ${seq} is stored`);
    const head = Math.max(...stored.keys());
    await waitFor(() => seen.length >= head, `${head} events on the dashboard`);
    assert.deepEqual(seen, Array.from({ length: head }, (_, i) => i + 1), "no gap, no repeat");
    assert.equal(epochs.size, 1, "durable history: one epoch across the restart");
    assert.deepEqual(codes, [1012, 1012], "both clients saw the graceful close, not 1006");
    assert.equal(dashboard.recovered, true);
  } finally {
    await closeAll(dashboard, orchestrator);
    await server.kill();
    await Deno.remove(dir, { recursive: true });
  }
});

Deno.test("close(): /ready fails and new requests get 503 SHUTTING_DOWN while draining", async () => {
  const server = await startTestServer();
  const ready = await api(server, "GET", "/ready");
  assert.deepEqual([ready.status, ready.body], [200, { ready: true, phase: "ready" }]);
  const socket = await TestSocket.open(server, "?session=s&role=orchestrator");
  server.lifecycle.drain();
  const draining = await api(server, "GET", "/ready");
  assert.deepEqual([draining.status, draining.body.phase], [503, "draining"]);
  const refused = await api(server, "GET", "/api/sessions");
  assert.equal(refused.status, 503);
  assert.equal(refused.body.error.code, "SHUTTING_DOWN");
  const health = await api(server, "GET", "/health");
  assert.equal(health.status, 200, "liveness still answers");
  await assert.rejects(TestSocket.openRaw(server, "?session=s"), "no new WebSockets");
  const closing = socket.closed();
  assert.equal(await server.close(), true, "finished within the deadline");
  assert.equal((await closing).code, 1012);
  assert.equal(server.lifecycle.phase, "stopped");
});

async function fetchJson(url: string) {
  const response = await fetch(url);
  return { status: response.status, body: await response.json() };
}
