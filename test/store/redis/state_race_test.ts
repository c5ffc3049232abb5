/**
 * @module Commands and publishes racing on two nodes never violate the state machine: every
 * HALT was accepted while running, every RESUME while halted, each accepted command is stored
 * exactly once followed by its effect, and refused ones are refused with INVALID_STATE.
 */
import assert from "node:assert/strict";
import { api, type Frame, TestSocket } from "../../_helpers.ts";
import { assertExactlyOnce, startCluster } from "./_nodes.ts";

const ROUNDS = 12;

Deno.test("racing HALT/RESUME and publishes on two nodes keep the state machine valid", async () => {
  const cluster = await startCluster(2, { commandRate: 1000, subjectCommandRate: 5000 });
  const [a, b] = cluster.nodes;
  const sockets: TestSocket[] = [];
  const open = async (node: typeof a, role: string) => {
    const socket = await TestSocket.open(node, `?session=race&role=${role}`);
    sockets.push(socket);
    await socket.next((f) => f.event === "subscribed");
    return socket;
  };
  try {
    const watchers = [await open(a, "dashboard"), await open(b, "dashboard")];
    const orchestrators = [await open(a, "orchestrator"), await open(b, "orchestrator")];
    const dashboards = [
      await open(a, "dashboard"),
      await open(a, "dashboard"),
      await open(b, "dashboard"),
      await open(b, "dashboard"),
    ];
    assert.equal((await orchestrators[0].request({ event: "execution:started" })).ok, true);

    const accepted: Frame[] = [];
    const refused: Frame[] = [];
    const commanders = dashboards.map(async (dashboard, who) => {
      for (let round = 0; round < ROUNDS; round++) {
        const type = (round + who) % 2 === 0 ? "HALT" : "RESUME";
        const ack = await dashboard.request({ event: "command", payload: { type } });
        (ack.ok ? accepted : refused).push({ ...ack, type });
      }
    });
    const publishers = orchestrators.map(async (orchestrator, who) => {
      for (let i = 0; i < 40; i++) {
        const ack = await orchestrator.request({ event: "custom:n", payload: { who, i } });
        assert.equal(ack.ok, true, JSON.stringify(ack));
      }
    });
    await Promise.all([...commanders, ...publishers]);

    for (const ack of refused) assert.equal(ack.error.code, "INVALID_STATE", JSON.stringify(ack));
    assert.ok(accepted.length >= 2, `only ${accepted.length} commands accepted`);

    const stored = (await api(a, "GET", "/api/sessions/race/events?after=0&limit=1000")).body
      .events as Frame[];
    assertExactlyOnce(stored, 1, stored.length, "stored stream");
    assert.equal(stored.length, 1 + 80 + accepted.length * 2);

    // Walk the stored stream as the state machine would.
    let state = "idle";
    for (const [index, event] of stored.entries()) {
      if (event.event === "command") {
        const { type } = event.payload;
        assert.equal(state, type === "HALT" ? "running" : "halted", `seq ${event.seq}: ${type}`);
        const effect = stored[index + 1];
        assert.equal(effect.event, type === "HALT" ? "execution:halted" : "execution:resumed");
        assert.equal(effect.payload.commandId, event.payload.commandId);
      }
      if (event.event === "execution:started" || event.event === "execution:resumed") {
        state = "running";
      }
      if (event.event === "execution:halted") state = "halted";
    }
    const storedIds = stored.filter((e) => e.event === "command").map((e) => e.payload.commandId);
    assert.deepEqual(storedIds.sort(), accepted.map((ack) => ack.commandId).sort());

    for (const node of [a, b]) {
      const session = (await api(node, "GET", "/api/sessions/race")).body.session;
      assert.equal(session.state, state);
      assert.equal(session.headSeq, stored.length);
    }
    for (const watcher of watchers) {
      assertExactlyOnce(await watcher.waitForEvents("race", stored.length), 1, stored.length);
    }
  } finally {
    await Promise.all(sockets.map((s) => s.close()));
    await cluster.close();
  }
});
