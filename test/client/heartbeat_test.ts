/**
 * @module The heartbeat against a real server: the client answers pings (so the server keeps
 * it), measures latency, and treats a connection that went silent as dead and reconnects.
 */
import assert from "node:assert/strict";
import { startTestServer } from "../_helpers.ts";
import { client, closeAll, next, recordEvents, waitFor } from "./_helpers.ts";
import { startProxy } from "./_proxy.ts";

Deno.test("heartbeat: the client answers pings and measures latency", async () => {
  const server = await startTestServer({ heartbeatMs: 100 });
  const socket = client(server.url, { session: "s" });
  let disconnects = 0;
  socket.on("disconnect", () => disconnects++);
  await next(socket, "connect");
  // Each heartbeat brings a pong and a latency ping from the client: 20 frames = 10 heartbeats,
  // five times the two unanswered pings after which the server would close the connection.
  await waitFor(() => server.hub.stats().traffic!.framesIn >= 20, "ten heartbeats");
  const [rtt] = server.hub.stats().rtt.connections;
  assert.notEqual(rtt.lastMs, null, "the server got pongs");
  assert.equal(typeof socket.latency, "number");
  assert.equal(socket.connected, true);
  assert.equal(disconnects, 0);
  await closeAll(socket);
  await server.close();
});

Deno.test("heartbeat: a silent connection is dropped as dead and resumed", async () => {
  const server = await startTestServer({ heartbeatMs: 100 });
  const proxy = startProxy(server.port);
  const orchestrator = client(server.url, { session: "s", role: "orchestrator" });
  const dashboard = client(proxy.url, { session: "s" });
  const seen = recordEvents(dashboard);
  await Promise.all([next(orchestrator, "connect"), next(dashboard, "connect")]);
  await orchestrator.emitWithAck("custom:tick", { k: 1 });
  await waitFor(() => seen.length === 1, "the first event");

  proxy.freeze(); // the link stays up but nothing flows: only the heartbeat can tell
  const [reason] = await next(dashboard, "disconnect");
  assert.equal(reason, "ping timeout");
  await orchestrator.emitWithAck("custom:tick", { k: 2 });
  proxy.thaw();
  await next(dashboard, "connect");
  await waitFor(() => seen.length === 2, "the event sent while the link was dead");
  assert.deepEqual(seen.map((e) => e.seq), [1, 2]);
  await closeAll(dashboard, orchestrator);
  await proxy.close();
  await server.close();
});
