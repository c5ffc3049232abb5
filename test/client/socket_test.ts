/**
 * @module The event API against a real server: on/once/off/onAny, emit with acks, emitWithAck's
 * coded errors, ack timeouts, reserved names, ping, and the seeds' dashboard snippet.
 */
import assert from "node:assert/strict";
import { SwitchboardError } from "../../client/mod.ts";
import { startTestServer } from "../_helpers.ts";
import { client, closeAll, next, recordEvents, waitFor } from "./_helpers.ts";
import { startProxy } from "./_proxy.ts";

Deno.test("Socket: the seeds' dashboard snippet works with only its import changed", async () => {
  const server = await startTestServer();
  const orchestrator = client(server.url, { session: "session_abc", role: "orchestrator" });
  await next(orchestrator, "connect");
  await orchestrator.emitWithAck("execution:started", { task: "demo" });

  // The snippet, as in ../shared/seeds ("Connecting from Dashboard"), but for its import line.
  const socket = client(server.url, { query: { session_id: "session_abc" } });
  const log: unknown[] = [];
  socket.on("connected", (data) => log.push(["connected", data.role]));
  socket.on("skill:started", (event) => log.push(["skill:started", event.skill]));
  socket.emit("command", { type: "HALT", reason: "User pause" });
  socket.on("command:result", (result) => log.push(["command:result", result.success]));

  await next(socket, "command:result");
  await orchestrator.emitWithAck("skill:started", { skill: "lint" });
  await waitFor(() => log.length === 3, "the skill:started event");
  assert.deepEqual(log, [
    ["connected", "dashboard"],
    ["command:result", true],
    ["skill:started", "lint"],
  ]);
  await closeAll(socket, orchestrator);
  await server.close();
});

Deno.test("Socket: handlers get (payload, meta); acks carry results and coded errors", async (t) => {
  const server = await startTestServer();
  const orchestrator = client(server.url, { session: "s1", role: "orchestrator" });
  const dashboard = client(server.url, { session: "s1" });
  await Promise.all([next(orchestrator, "connect"), next(dashboard, "connect")]);

  await t.step("emit(event, payload, ack) acks with the stored seq", async () => {
    const ack = await new Promise<[unknown, unknown]>((resolve) =>
      orchestrator.emit("execution:started", {}, (error, result) => resolve([error, result]))
    );
    assert.deepEqual(ack, [null, { seq: 1 }]);
  });

  await t.step("a session event reaches handlers as (payload, meta)", async () => {
    const received = next(dashboard, "skill:started");
    await orchestrator.emitWithAck("skill:started", { skill: "build", parameters: { a: 1 } });
    const [payload, meta] = await received;
    assert.deepEqual(payload, { skill: "build", parameters: { a: 1 } });
    assert.equal(meta.event, "skill:started");
    assert.equal(meta.session, "s1");
    assert.equal(meta.seq, 2);
    assert.equal(typeof meta.ts, "number");
  });

  await t.step("a command's ack and command:result carry the result", async () => {
    const result = next(dashboard, "command:result");
    const ack = await dashboard.emitWithAck("command", { type: "HALT", reason: "look" });
    assert.equal(ack.success, true);
    assert.equal(ack.command, "HALT");
    assert.equal(ack.state, "halted");
    const [pushed] = await result;
    assert.deepEqual(pushed, ack);
  });

  await t.step("emitWithAck rejects with the server's coded error", async () => {
    const failure = next(dashboard, "command:result");
    const error = await dashboard.emitWithAck("command", { type: "HALT" }).catch((e) => e);
    assert.ok(error instanceof SwitchboardError);
    assert.equal(error.code, "INVALID_STATE");
    const [result] = await failure;
    assert.equal(result.success, false);
    const forbidden = await dashboard.emitWithAck("skill:started", { skill: "x" }).catch((e) => e);
    assert.equal(forbidden.code, "FORBIDDEN");
  });

  await t.step("to(session) addresses a session when several are followed", async () => {
    await dashboard.subscribe("s2");
    const error = await dashboard.emitWithAck("chat:message", { text: "hi" }).catch((e) => e);
    assert.equal(error.code, "SESSION_REQUIRED");
    assert.deepEqual(await dashboard.to("s2").emitWithAck("chat:message", { text: "hi" }), {
      seq: 1,
    });
    await dashboard.unsubscribe("s2");
  });

  await t.step("once, off, the unsubscribe function and onAny", async () => {
    const calls: string[] = [];
    const handler = (p: { text: string }) => calls.push(`on:${p.text}`);
    const off = dashboard.on("chat:message", handler);
    dashboard.on("chat:message", handler); // the same function again: still one registration
    dashboard.once("chat:message", (p) => calls.push(`once:${p.text}`));
    const offAny = dashboard.onAny((event, payload) => {
      if (event === "chat:message") calls.push(`any:${(payload as { text: string }).text}`);
    });
    await dashboard.emitWithAck("chat:message", { text: "a" });
    await waitFor(() => calls.length === 3, "three calls");
    off();
    offAny();
    await dashboard.emitWithAck("chat:message", { text: "b" });
    const seen = recordEvents(dashboard);
    await dashboard.emitWithAck("chat:message", { text: "c" });
    await waitFor(() => seen.length === 1, "the last event");
    assert.deepEqual(calls, ["on:a", "once:a", "any:a"]);
  });

  await t.step("reserved names throw a TypeError", () => {
    for (const name of ["connect", "disconnect", "connect_error", "reconnect", "subscribe"]) {
      // @ts-expect-error: reserved names are not in the emit map either
      assert.throws(() => dashboard.emit(name, {}), TypeError);
    }
  });

  await t.step("ping() resolves with a round trip and sets latency", async () => {
    const ms = await dashboard.ping();
    assert.ok(ms >= 0);
    assert.equal(dashboard.latency, ms);
  });

  await closeAll(dashboard, orchestrator);
  await server.close();
});

Deno.test("Socket: an ack that does not come in time fails with ACK_TIMEOUT", async () => {
  const server = await startTestServer();
  const proxy = startProxy(server.port);
  const socket = client(proxy.url, { session: "s1", ackTimeout: 60_000 });
  await next(socket, "connect");
  proxy.freeze(); // the server never sees the frame, so no ack can come
  const error = await socket.timeout(50).emitWithAck("chat:message", { text: "x" }).catch((e) => e);
  assert.equal(error.code, "ACK_TIMEOUT");
  const viaCallback = await new Promise((resolve) =>
    socket.timeout(50).emit("chat:message", { text: "y" }, (e) => resolve(e?.code))
  );
  assert.equal(viaCallback, "ACK_TIMEOUT");
  socket.disconnect();
  await proxy.close();
  await closeAll();
  await server.close();
});
