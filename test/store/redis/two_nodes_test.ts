/**
 * @module Two nodes sharing one Redis serve one session: what is published on node A reaches a
 * dashboard on node B in order and exactly once, commands flow B → A, and a node started
 * later serves the whole history.
 */
import assert from "node:assert/strict";
import { api, TestSocket } from "../../_helpers.ts";
import { assertExactlyOnce, startCluster } from "./_nodes.ts";

Deno.test("an orchestrator on node A reaches dashboards on both nodes, in order, once", async () => {
  const cluster = await startCluster(2);
  const [a, b] = cluster.nodes;
  const onB = await TestSocket.open(b, "?session=run&role=dashboard");
  const onA = await TestSocket.open(a, "?session=run&role=dashboard");
  const orchestrator = await TestSocket.open(a, "?session=run&role=orchestrator");
  try {
    await onB.next((f) => f.event === "subscribed");
    await onA.next((f) => f.event === "subscribed");
    const total = 300;
    // Pipelined, 30 in flight: acks arrive while B is reading ranges.
    const acks = [];
    for (let i = 0; i < total; i += 30) {
      acks.push(
        ...await Promise.all(
          Array.from(
            { length: 30 },
            (_, k) => orchestrator.request({ event: "custom:n", payload: { i: i + k } }),
          ),
        ),
      );
    }
    assert.deepEqual(acks.map((ack) => ack.seq), Array.from({ length: total }, (_, i) => i + 1));
    for (const [name, dashboard] of [["B", onB], ["A", onA]] as const) {
      const events = await dashboard.waitForEvents("run", total, 10_000);
      await new Promise((resolve) => setTimeout(resolve, 100)); // room for a stray duplicate
      assertExactlyOnce(dashboard.events("run"), 1, total, `dashboard on ${name}`);
      assert.deepEqual(events.map((f) => f.payload.i), Array.from({ length: total }, (_, i) => i));
    }
  } finally {
    await Promise.all([onA, onB, orchestrator].map((s) => s.close()));
    await cluster.close();
  }
});

Deno.test("commands sent on node B reach the orchestrator on node A", async () => {
  const cluster = await startCluster(2);
  const [a, b] = cluster.nodes;
  const orchestrator = await TestSocket.open(a, "?session=job&role=orchestrator");
  const dashboard = await TestSocket.open(b, "?session=job&role=dashboard");
  try {
    await orchestrator.next((f) => f.event === "subscribed");
    await dashboard.next((f) => f.event === "subscribed");
    assert.equal((await orchestrator.request({ event: "execution:started" })).seq, 1);
    await dashboard.waitForEvents("job", 1);

    const halt = await dashboard.request({
      event: "command",
      payload: { type: "HALT", reason: "review" },
    });
    assert.equal(halt.ok, true, JSON.stringify(halt));
    assert.equal(halt.state, "halted");
    const command = await orchestrator.next((f) => f.event === "command");
    assert.equal(command.payload.type, "HALT");
    assert.equal(command.payload.commandId, halt.commandId);

    // The state node A plans against followed node B's command.
    const again = await api(a, "POST", "/api/sessions/job/commands", { type: "HALT" });
    assert.equal(again.status, 409);
    assert.equal(again.body.error.code, "INVALID_STATE");
    const resume = await api(a, "POST", "/api/sessions/job/commands", { type: "RESUME" });
    assert.equal(resume.status, 200);
    const described = (await api(b, "GET", "/api/sessions/job")).body.session;
    assert.equal(described.state, "running");
    assert.equal(described.headSeq, resume.body.seq + 1);

    const applied = await orchestrator.request({
      event: "command:applied",
      payload: { commandId: halt.commandId, ok: true },
    });
    assert.equal(applied.ok, true);
    const seen = await dashboard.next((f) => f.event === "command:applied");
    assert.equal(seen.payload.commandId, halt.commandId);
  } finally {
    await orchestrator.close();
    await dashboard.close();
    await cluster.close();
  }
});

Deno.test("a node started after events were published serves the whole history", async () => {
  const cluster = await startCluster(1);
  const [a] = cluster.nodes;
  try {
    const batch = Array.from({ length: 50 }, (_, i) => ({ event: "custom:n", payload: { i } }));
    await api(a, "POST", "/api/sessions", { sessionId: "old", metadata: { team: "x" } });
    assert.equal((await api(a, "POST", "/api/sessions/old/events", batch)).status, 201);
    await api(a, "POST", "/api/sessions/old/events", { event: "execution:started" });
    const epoch = (await api(a, "GET", "/api/sessions/old")).body.session.epoch;

    const { startTestServer } = await import("../../_helpers.ts");
    const late = await startTestServer({ store: cluster.redis.url });
    cluster.nodes.push(late);
    const described = (await api(late, "GET", "/api/sessions/old")).body.session;
    assert.equal(described.headSeq, 51);
    assert.equal(described.epoch, epoch);
    assert.equal(described.state, "running");
    assert.deepEqual(described.metadata, { team: "x" });
    const page = await api(late, "GET", "/api/sessions/old/events?after=0&limit=1000");
    assert.equal(page.body.events.length, 51);
    const dashboard = await TestSocket.open(late, "?session=old&role=dashboard");
    const ack = await dashboard.next((f) => f.event === "subscribed");
    assert.equal(ack.payload.epoch ?? epoch, epoch);
    assertExactlyOnce(await dashboard.waitForEvents("old", 51), 1, 51);
    // A session created on A after the late node started is found there too.
    await api(a, "POST", "/api/sessions/new/events", { event: "custom:x" });
    assert.equal((await api(late, "GET", "/api/sessions/new")).body.session.headSeq, 1);
    assert.equal((await api(late, "POST", "/api/sessions", { sessionId: "new" })).status, 409);
    await dashboard.close();
  } finally {
    await cluster.close();
  }
});

Deno.test("an orchestrator that comes back on another node gets the commands it missed", async () => {
  const cluster = await startCluster(2);
  const [a, b] = cluster.nodes;
  const dashboard = await TestSocket.open(b, "?session=away&role=dashboard");
  try {
    const orchestrator = await TestSocket.open(a, "?session=away&role=orchestrator");
    await orchestrator.next((f) => f.event === "subscribed");
    const started = await orchestrator.request({ event: "execution:started" });
    await orchestrator.close();

    const halt = await dashboard.request({ event: "command", payload: { type: "HALT" } });
    const redirect = await dashboard.request({
      event: "command",
      payload: { type: "REDIRECT", instruction: "staging" },
    });
    assert.equal(halt.ok && redirect.ok, true);

    const back = await TestSocket.open(b, `?session=away&role=orchestrator&lastSeq=${started.seq}`);
    try {
      await back.next((f) => f.event === "subscribed");
      const commands = back.events("away").filter((f) => f.event === "command");
      assert.deepEqual(commands.map((f) => f.payload.commandId), [
        halt.commandId,
        redirect.commandId,
      ]);
      await back.request({
        event: "command:applied",
        payload: { commandId: halt.commandId, ok: true },
      });
      const session = (await api(a, "GET", "/api/sessions/away")).body.session;
      assert.deepEqual(session.pendingCommands.map((c: { type: string }) => c.type), ["REDIRECT"]);
    } finally {
      await back.close();
    }
  } finally {
    await dashboard.close();
    await cluster.close();
  }
});
