/**
 * @module Connection lifecycle against a real server: the bounded offline buffer and volatile
 * emits, `auth` called on every (re)connect, final close codes, giving up after
 * `reconnectionAttempts`, and `disconnect()` releasing everything.
 */
import assert from "node:assert/strict";
import { startTestServer } from "../_helpers.ts";
import { client, closeAll, next, recordEvents, waitFor } from "./_helpers.ts";
import { startProxy } from "./_proxy.ts";

Deno.test("offline: emits are buffered up to maxBufferedEmits; volatile ones are dropped", async () => {
  const server = await startTestServer();
  const socket = client(server.url, { session: "s", autoConnect: false, maxBufferedEmits: 3 });
  const seen = recordEvents(socket);
  const results: unknown[] = [];
  for (const text of ["a", "b", "c", "d"]) {
    socket.emit("chat:message", { text }, (error, result) => results.push(error?.code ?? result));
  }
  socket.volatile.emit("chat:message", { text: "v" }, (error) => results.push(error?.code));
  socket.volatile.emit("chat:message", { text: "w" });
  assert.deepEqual(results, ["BUFFER_FULL", "DISCONNECTED"], "refused at once, not later");

  socket.connect();
  await waitFor(() => results.length === 5, "three acks");
  assert.deepEqual(results.slice(2), [{ seq: 1 }, { seq: 2 }, { seq: 3 }]);
  socket.volatile.emit("chat:message", { text: "online" }); // connected: volatile goes out
  await waitFor(() => seen.length === 4, "four events");
  assert.deepEqual(seen.map((e) => e.payload.text), ["a", "b", "c", "online"]);
  await closeAll(socket);
  await server.close();
});

Deno.test("offline: emits made during an outage go out in order after the reconnect", async () => {
  const server = await startTestServer();
  const proxy = startProxy(server.port);
  const socket = client(proxy.url, { session: "s" });
  const seen = recordEvents(socket);
  await next(socket, "connect");
  proxy.freeze(); // new connections hang, so the outage lasts until thaw()
  const disconnected = next(socket, "disconnect");
  proxy.cut();
  await disconnected;
  const acks = ["x", "y"].map((text) => socket.emitWithAck("chat:message", { text }));
  assert.equal(socket.connected, false);
  proxy.thaw();
  assert.deepEqual(await Promise.all(acks), [{ seq: 1 }, { seq: 2 }]);
  await waitFor(() => seen.length === 2, "two events");
  assert.deepEqual(seen.map((e) => e.payload.text), ["x", "y"]);
  await closeAll(socket);
  await proxy.close();
  await server.close();
});

Deno.test("offline: auth is called before every connect and reconnect", async () => {
  const server = await startTestServer();
  let calls = 0;
  const socket = client(server.url, {
    session: "s",
    auth: async () => {
      calls++;
      await Promise.resolve();
      if (calls === 1) throw new Error("Token service unavailable");
      return { token: `token-${calls}` };
    },
  });
  const [error] = await next(socket, "connect_error");
  assert.equal(error.code, "CONNECT_FAILED");
  await next(socket, "connect");
  assert.equal(calls, 2);
  assert.deepEqual(socket.auth, { token: "token-2" });
  server.hub.close(); // drop it: the reconnect must fetch a fresh token
  await next(socket, "reconnect");
  assert.equal(calls, 3);
  assert.deepEqual(socket.auth, { token: "token-3" });
  await closeAll(socket);
  await server.close();
});

Deno.test("offline: a final close code (4009) stops reconnection", async () => {
  const server = await startTestServer({ maxFrameBytes: 1024 });
  const socket = client(server.url, { session: "s" });
  const attempts: number[] = [];
  socket.on("reconnect_attempt", (n) => attempts.push(n));
  await next(socket, "connect");
  const disconnected = next(socket, "disconnect");
  socket.emit("chat:message", { text: "x".repeat(2000) });
  assert.deepEqual(await disconnected, ["io server disconnect", 4009]);
  assert.equal(socket.active, false);
  assert.equal(socket.connected, false);
  assert.deepEqual(attempts, []);
  await closeAll(socket);
  await server.close();
});

Deno.test("offline: reconnect_failed after reconnectionAttempts", async () => {
  const listener = Deno.listen({ hostname: "127.0.0.1", port: 0 });
  const { port } = listener.addr as Deno.NetAddr;
  listener.close(); // nothing listens here now: every attempt is refused
  const socket = client(`http://127.0.0.1:${port}`, { reconnectionAttempts: 2 });
  const log: unknown[] = [];
  socket.on("connect_error", (error) => log.push(error.code));
  socket.on("reconnect_attempt", (n) => log.push(n));
  await next(socket, "reconnect_failed");
  assert.deepEqual(log, ["CONNECT_FAILED", 1, "CONNECT_FAILED", 2, "CONNECT_FAILED"]);
  assert.equal(socket.active, false);
  await closeAll(socket);
});

Deno.test("offline: disconnect() fails pending acks and subscriptions and stops for good", async () => {
  const server = await startTestServer();
  const proxy = startProxy(server.port);
  const socket = client(proxy.url, { session: "s" });
  const reasons: unknown[] = [];
  socket.on("disconnect", (reason) => reasons.push(reason));
  await next(socket, "connect");
  proxy.freeze();
  const sent = socket.emitWithAck("chat:message", { text: "x" }).catch((e) => e.code);
  const subscribing = socket.subscribe("other").catch((e) => e.code);
  socket.disconnect();
  assert.deepEqual(await Promise.all([sent, subscribing]), ["DISCONNECTED", "DISCONNECTED"]);
  assert.deepEqual(reasons, ["io client disconnect"]);
  assert.equal(socket.active, false);
  await proxy.close();
  await closeAll();
  await server.close();
});

Deno.test("offline: an attempt without a connected frame in time fails with CONNECT_TIMEOUT", async () => {
  const server = await startTestServer();
  const proxy = startProxy(server.port);
  proxy.freeze(); // the handshake never completes
  const socket = client(proxy.url, { timeout: 100 });
  const [error] = await next(socket, "connect_error");
  assert.equal(error.code, "CONNECT_TIMEOUT");
  proxy.thaw();
  await next(socket, "connect");
  await closeAll(socket);
  await proxy.close();
  await server.close();
});
