/**
 * @module Durable history: state, skills and seqs survive a restart; epochs and trimming make
 * a resume honest (`recovered:false`) instead of silently gappy.
 */
import assert from "node:assert/strict";
import { api, startTestServer, TestSocket } from "../_helpers.ts";

async function tempDb(): Promise<{ spec: string; path: string; dir: string }> {
  const dir = await Deno.makeTempDir();
  return { spec: `sqlite:${dir}/switchboard.db`, path: `${dir}/switchboard.db`, dir };
}

Deno.test("sessions, state, skills and seqs survive a restart", async () => {
  const db = await tempDb();
  try {
    let server = await startTestServer({ store: db.spec });
    await api(server, "POST", "/api/sessions", { sessionId: "run", metadata: { agent: "a1" } });
    await api(server, "POST", "/api/sessions/run/events", [
      { event: "execution:started" },
      { event: "checkpoint:created", payload: { checkpointId: "c1" } },
      {
        event: "decision:point",
        payload: { decisionId: "d1", question: "Go?", options: ["yes", "no"] },
      },
    ]);
    const halt = await api(server, "POST", "/api/sessions/run/commands", { type: "HALT" });
    assert.equal(halt.status, 200);
    await api(server, "PUT", "/api/skills/lint", { description: "Lints code" });
    const before = (await api(server, "GET", "/api/sessions/run")).body.session;
    await server.close();

    server = await startTestServer({ store: db.spec });
    try {
      const after = (await api(server, "GET", "/api/sessions/run")).body.session;
      assert.equal(after.state, "halted");
      assert.equal(after.headSeq, 5);
      assert.equal(after.epoch, before.epoch);
      assert.deepEqual(after.metadata, { agent: "a1" });
      assert.deepEqual(after.openDecisions, before.openDecisions);
      assert.deepEqual(after.checkpoints, [{ checkpointId: "c1" }]);
      assert.deepEqual(after.pendingCommands, before.pendingCommands);
      assert.equal((await api(server, "GET", "/api/skills/lint")).status, 200);
      // The state machine continues where it was: RESUME is valid, seq continues at 6.
      const resume = await api(server, "POST", "/api/sessions/run/commands", { type: "RESUME" });
      assert.equal(resume.body.seq, 6);
      const inject = await api(server, "POST", "/api/sessions/run/commands", {
        type: "INJECT",
        skill: "lint",
      });
      assert.equal(inject.status, 200);
    } finally {
      await server.close();
    }
  } finally {
    await Deno.remove(db.dir, { recursive: true });
  }
});

Deno.test("a resume from a stream that no longer exists gets recovered:false and the new stream", async () => {
  const db = await tempDb();
  try {
    let server = await startTestServer({ store: db.spec });
    await api(server, "POST", "/api/sessions/s/events", [{ event: "custom:a" }, {
      event: "custom:b",
    }, {
      event: "custom:c",
    }]);
    const oldEpoch = (await api(server, "GET", "/api/sessions/s")).body.session.epoch;
    await server.close();
    await Deno.remove(db.path);

    server = await startTestServer({ store: db.spec });
    try {
      await api(server, "POST", "/api/sessions/s/events", [{ event: "custom:x" }, {
        event: "custom:y",
      }]);
      const dashboard = await TestSocket.open(server);
      const ack = await dashboard.request({
        event: "subscribe",
        session: "s",
        payload: { lastSeq: 3, epoch: oldEpoch },
      });
      assert.equal(ack.ok, true);
      assert.equal(ack.recovered, false);
      assert.notEqual(ack.epoch, oldEpoch);
      assert.equal(ack.replayed, 2);
      assert.deepEqual(dashboard.events("s").map((f) => [f.seq, f.event]), [[1, "custom:x"], [
        2,
        "custom:y",
      ]]);
      // With the current epoch, the same position resumes completely.
      const again = await dashboard.request({
        event: "subscribe",
        session: "s",
        payload: { lastSeq: 1, epoch: ack.epoch },
      });
      assert.equal(again.recovered, true);
      assert.equal(again.replayed, 1);
      await dashboard.close();
    } finally {
      await server.close();
    }
  } finally {
    await Deno.remove(db.dir, { recursive: true });
  }
});

Deno.test("a resume from a trimmed seq gets recovered:false and what is left", async () => {
  const db = await tempDb();
  const server = await startTestServer({ store: db.spec, historyLimit: 5 });
  try {
    const batch = Array.from({ length: 12 }, (_, i) => ({ event: "custom:n", payload: { i } }));
    await api(server, "POST", "/api/sessions/t/events", batch);
    // Retention runs on a timer; a restart or the next sweep would do the same.
    assert.equal(await server.hub.trimHistory(), 7);
    const dashboard = await TestSocket.open(server);
    const ack = await dashboard.request({
      event: "subscribe",
      session: "t",
      payload: { lastSeq: 2 },
    });
    assert.equal(ack.recovered, false);
    assert.deepEqual(dashboard.events("t").map((f) => f.seq), [8, 9, 10, 11, 12]);
    const recent = await dashboard.request({
      event: "subscribe",
      session: "t",
      payload: { lastSeq: 9 },
    });
    assert.equal(recent.recovered, true);
    await dashboard.close();
  } finally {
    await server.close();
    await Deno.remove(db.dir, { recursive: true });
  }
});

Deno.test("concurrent publishers to one session get unique consecutive seqs, none lost", async () => {
  const db = await tempDb();
  const server = await startTestServer({ store: db.spec });
  const publishers = await Promise.all(
    [0, 1, 2, 3].map(() => TestSocket.open(server, "?session=busy&role=orchestrator")),
  );
  const dashboard = await TestSocket.open(server, "?session=busy&role=dashboard");
  try {
    const perPublisher = 50;
    const acks = await Promise.all(
      publishers.map((p, who) =>
        Promise.all(
          Array.from({ length: perPublisher }, (_, i) =>
            p.request({ event: "custom:tick", payload: { who, i } })),
        )
      ),
    );
    const seqs = acks.flat().map((a) => a.seq as number).sort((a, b) => a - b);
    const total = perPublisher * publishers.length;
    assert.deepEqual(seqs, Array.from({ length: total }, (_, i) => i + 1));
    // Each publisher's own events keep their order.
    for (const list of acks) {
      const own = list.map((a) => a.seq as number);
      assert.deepEqual(own, [...own].sort((a, b) => a - b));
    }
    const received = await dashboard.waitForEvents("busy", total);
    assert.deepEqual(received.map((f) => f.seq), Array.from({ length: total }, (_, i) => i + 1));
    const stored = await api(server, "GET", `/api/sessions/busy/events?limit=1000`);
    assert.equal(stored.body.events.length, total);
  } finally {
    await Promise.all([...publishers, dashboard].map((s) => s.close()));
    await server.close();
    await Deno.remove(db.dir, { recursive: true });
  }
});
