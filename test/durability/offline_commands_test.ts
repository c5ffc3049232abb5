/**
 * @module Commands sent while no orchestrator is connected reach it when it resumes, and its
 * `command:applied` reaches the dashboards.
 */
import assert from "node:assert/strict";
import { api, startTestServer, TestSocket } from "../_helpers.ts";

Deno.test("an orchestrator that was away receives queued commands and acknowledges them", async () => {
  const dir = await Deno.makeTempDir();
  const store = `sqlite:${dir}/offline.db`;
  let server = await startTestServer({ store });
  try {
    const orchestrator = await TestSocket.open(server, "?session=job&role=orchestrator");
    await orchestrator.request({ event: "execution:started", payload: {} });
    const lastSeq = 1;
    await orchestrator.close();

    const dashboard = await TestSocket.open(server, "?session=job&role=dashboard");
    const halt = await dashboard.request({
      event: "command",
      payload: { type: "HALT", reason: "lunch" },
    });
    assert.equal(halt.ok, true);
    const redirect = await dashboard.request({
      event: "command",
      payload: { type: "REDIRECT", instruction: "use the staging database" },
    });
    await dashboard.close();
    await server.close();

    // The orchestrator comes back to a restarted server and resumes from its last seq.
    server = await startTestServer({ store });
    const watcher = await TestSocket.open(server, "?session=job&role=dashboard&lastSeq=5");
    const back = await TestSocket.open(server, `?session=job&role=orchestrator&lastSeq=${lastSeq}`);
    await back.next((f) => f.event === "subscribed");
    // Orchestrators get only `command` events: both commands, in order, with their ids.
    const commands = back.events("job");
    assert.deepEqual(commands.map((f) => [f.event, f.payload.type]), [["command", "HALT"], [
      "command",
      "REDIRECT",
    ]]);
    assert.deepEqual(commands.map((f) => f.payload.commandId), [
      halt.commandId,
      redirect.commandId,
    ]);
    let session = (await api(server, "GET", "/api/sessions/job")).body.session;
    assert.deepEqual(session.pendingCommands.map((c: { type: string }) => c.type), [
      "HALT",
      "REDIRECT",
    ]);

    const applied = await back.request({
      event: "command:applied",
      payload: { commandId: halt.commandId, ok: true },
    });
    assert.equal(applied.ok, true);
    const seen = await watcher.next((f) => f.event === "command:applied");
    assert.equal(seen.payload.commandId, halt.commandId);
    session = (await api(server, "GET", "/api/sessions/job")).body.session;
    assert.deepEqual(session.pendingCommands.map((c: { type: string }) => c.type), ["REDIRECT"]);
    await back.close();
    await watcher.close();
  } finally {
    await server.close();
    await Deno.remove(dir, { recursive: true });
  }
});
