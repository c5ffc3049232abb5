/**
 * @module Tests of commands sent over the WebSocket: the sender's command:result and ack, the
 * command event and its effects in the session stream, rejections, and idempotency keys. Each
 * command's WS path is covered once valid and once invalid; the full state table is tested at
 * the state-machine level.
 */
import assert from "node:assert/strict";
import { api, type Frame, startTestServer, TestSocket } from "../_helpers.ts";

Deno.test("commands over the WebSocket", async (t) => {
  const server = await startTestServer();
  const worker = await TestSocket.open(server, "?session=c&role=orchestrator");
  const dash = await TestSocket.open(server, "?session=c");
  const watcher = await TestSocket.open(server, "?session=c");
  const dashId = dash.frames[0].payload.id;
  try {
    for (const s of [worker, dash, watcher]) await s.next((f) => f.event === "subscribed");
    await worker.request({ event: "execution:started", payload: { task: "t" } });
    await worker.request({
      event: "decision:point",
      payload: { decisionId: "d1", question: "Which?", options: ["a", "b"] },
    });

    /** Sends a command with an id (to no session when `null`); resolves with the ack and the sender's command:result. */
    const command = async (payload: Frame, session: string | null = "c") => {
      const from = dash.mark();
      const ack = await dash.request({ event: "command", session: session ?? undefined, payload });
      const result = await dash.nextFrom(from, (f) => f.event === "command:result");
      const resultIndex = dash.frames.indexOf(result);
      const ackIndex = dash.frames.findIndex((f, i) => i >= from && f.event === "ack");
      assert.ok(resultIndex < ackIndex, "command:result comes before the ack");
      return { ack, result };
    };
    /** Publishes a marker and returns the watcher's session events up to it (exclusive). */
    const eventsUpToMarker = async (): Promise<Frame[]> => {
      const { seq } = await worker.request({ event: "custom:marker", payload: {} });
      await watcher.waitForEvents("c", seq);
      return watcher.events("c").filter((f) => f.seq < seq);
    };
    /** Asserts a rejection: ack ok:false and a failed command:result, both with `code`. */
    const assertRejected = (outcome: { ack: Frame; result: Frame }, type: string, code: string) => {
      assert.equal(outcome.ack.ok, false);
      assert.equal(outcome.ack.error.code, code, outcome.ack.error.message);
      assert.equal(outcome.result.payload.success, false);
      assert.equal(outcome.result.payload.command, type);
      assert.equal(outcome.result.payload.error.code, code);
      assert.equal(outcome.result.seq, undefined);
    };

    await t.step(
      "HALT: command:result and ack to the sender, command + execution:halted to the session",
      async () => {
        const before = (await eventsUpToMarker()).length;
        const { ack, result } = await command({ type: "HALT", reason: "check" });
        assert.equal(result.session, "c");
        assert.equal(result.seq, undefined, "command:result is not a stream event");
        const { commandId } = result.payload;
        assert.equal(typeof commandId, "string");
        assert.deepEqual(result.payload, {
          success: true,
          command: "HALT",
          commandId,
          state: "halted",
          seq: result.payload.seq,
        });
        assert.equal(ack.ok, true);
        assert.equal(ack.commandId, commandId);
        assert.equal(ack.state, "halted");

        const events = (await eventsUpToMarker()).slice(before + 1);
        assert.deepEqual(events.map((f) => f.event), ["command", "execution:halted"]);
        const [cmd, halted] = events;
        assert.equal(cmd.seq, result.payload.seq);
        assert.equal(halted.seq, cmd.seq + 1);
        assert.deepEqual(cmd.payload, {
          commandId,
          type: "HALT",
          reason: "check",
          by: { id: dashId, role: "dashboard" },
        });
        assert.equal(halted.payload.commandId, commandId);
        assert.equal(halted.payload.reason, "check");
        // The orchestrator got the command (its default filter), and only that.
        const forWorker = await worker.next((f) => f.event === "command" && f.seq === cmd.seq);
        assert.equal(forWorker.payload.commandId, commandId);
        assert.equal(worker.events("c").some((f) => f.event === "execution:halted"), false);
        // The sender is a subscriber too: it sees the command in the stream.
        await dash.next((f) => f.event === "command" && f.seq === cmd.seq);
      },
    );

    await t.step("HALT when halted: INVALID_STATE, nothing appended", async () => {
      const before = await eventsUpToMarker();
      const outcome = await command({ type: "HALT" });
      assertRejected(outcome, "HALT", "INVALID_STATE");
      assert.match(outcome.ack.error.message, /halted/);
      const after = await eventsUpToMarker();
      assert.deepEqual(after.slice(before.length).map((f) => f.event), ["custom:marker"]);
    });

    await t.step("RESUME: valid when halted, INVALID_STATE when running", async () => {
      const ok = await command({ type: "RESUME" });
      assert.equal(ok.ack.state, "running");
      await watcher.next((f) =>
        f.event === "execution:resumed" && f.payload.commandId === ok.ack.commandId
      );
      assertRejected(await command({ type: "RESUME" }), "RESUME", "INVALID_STATE");
    });

    await t.step("DECISION: a valid choice closes the decision with decision:made", async () => {
      assertRejected(
        await command({ type: "DECISION", decisionId: "d1", choice: "c" }),
        "DECISION",
        "INVALID_CHOICE",
      );
      assertRejected(
        await command({ type: "DECISION", decisionId: "d9", choice: "a" }),
        "DECISION",
        "DECISION_NOT_FOUND",
      );
      const ok = await command({ type: "DECISION", decisionId: "d1", choice: "b" });
      assert.equal(ok.ack.ok, true);
      const made = await watcher.next((f) => f.event === "decision:made");
      assert.deepEqual(made.payload, {
        decisionId: "d1",
        decision_id: "d1",
        choice: "b",
        commandId: ok.ack.commandId,
        by: { id: dashId, role: "dashboard" },
      });
      assert.equal(made.seq, ok.ack.seq + 1);
      assertRejected(
        await command({ type: "DECISION", decisionId: "d1", choice: "b" }),
        "DECISION",
        "DECISION_NOT_FOUND",
      );
    });

    await t.step("ROLLBACK: needs a checkpoint; names it in the command event", async () => {
      assertRejected(
        await command({ type: "ROLLBACK", steps: 1 }),
        "ROLLBACK",
        "CHECKPOINT_NOT_FOUND",
      );
      await worker.request({ event: "checkpoint:created", payload: { checkpointId: "cp1" } });
      await worker.request({ event: "checkpoint:created", payload: { checkpointId: "cp2" } });
      const ok = await command({ type: "ROLLBACK", steps: 2 });
      assert.equal(ok.ack.ok, true);
      const cmd = await watcher.next((f) => f.event === "command" && f.seq === ok.ack.seq);
      assert.equal(cmd.payload.checkpointId, "cp1");
      const both = await command({ type: "ROLLBACK", steps: 1, checkpointId: "cp1" });
      assertRejected(both, "ROLLBACK", "INVALID_COMMAND");
      // cp2 was rolled back past, so it is gone.
      assertRejected(
        await command({ type: "ROLLBACK", checkpointId: "cp2" }),
        "ROLLBACK",
        "CHECKPOINT_NOT_FOUND",
      );
    });

    await t.step("REDIRECT: needs an instruction, and a running or halted session", async () => {
      const bad = await command({ type: "REDIRECT" });
      assertRejected(bad, "REDIRECT", "INVALID_COMMAND");
      assert.match(bad.ack.error.message, /payload\.instruction/);
      const ok = await command({ type: "REDIRECT", instruction: "try b", target: "agent-1" });
      const cmd = await watcher.next((f) => f.event === "command" && f.seq === ok.ack.seq);
      assert.equal(cmd.payload.instruction, "try b");
      assert.equal(cmd.payload.target, "agent-1");
      assert.equal(
        (await api(server, "POST", "/api/sessions", { sessionId: "c-idle" })).status,
        201,
      );
      assertRejected(
        await command({ type: "REDIRECT", instruction: "x" }, "c-idle"),
        "REDIRECT",
        "INVALID_STATE",
      );
    });

    await t.step("INJECT: needs a registered skill", async () => {
      assertRejected(
        await command({ type: "INJECT", skill: "ws-probe" }),
        "INJECT",
        "SKILL_NOT_FOUND",
      );
      const put = await api(server, "PUT", "/api/skills/ws-probe", { description: "A probe" });
      assert.ok(put.status === 201 || put.status === 200, JSON.stringify(put.body));
      const ok = await command({ type: "INJECT", skill: "ws-probe", parameters: { depth: 2 } });
      const cmd = await watcher.next((f) => f.event === "command" && f.seq === ok.ack.seq);
      assert.deepEqual(cmd.payload.parameters, { depth: 2 });
    });

    await t.step("the same idempotency key is applied once and answered alike", async () => {
      const first = await command({ type: "HALT", idempotencyKey: "halt-1" });
      const second = await command({ type: "HALT", idempotencyKey: "halt-1" });
      assert.equal(first.ack.ok, true);
      assert.deepEqual(second.ack, first.ack);
      assert.deepEqual(second.result.payload, first.result.payload);
      const events = await eventsUpToMarker();
      const commands = events.filter((f) =>
        f.event === "command" && f.payload.commandId === first.ack.commandId
      );
      assert.equal(commands.length, 1);
      assert.equal(
        events.filter((f) => f.event === "execution:halted").length,
        2,
        "one per HALT applied",
      );
      // The same key for a different command is a client bug, not a retry.
      assertRejected(
        await command({ type: "RESUME", idempotencyKey: "halt-1" }),
        "RESUME",
        "IDEMPOTENCY_CONFLICT",
      );
      // A new key is a new command, checked against the state now: halted already.
      assertRejected(
        await command({ type: "HALT", idempotencyKey: "halt-2" }),
        "HALT",
        "INVALID_STATE",
      );
      await command({ type: "RESUME" });
    });

    await t.step(
      "without an id: command:result only, or command:result plus an error frame",
      async () => {
        const from = dash.mark();
        dash.send({
          event: "command",
          session: "c",
          payload: { type: "REDIRECT", instruction: "go" },
        });
        const result = await dash.nextFrom(from, (f) => f.event === "command:result");
        assert.equal(result.payload.success, true);
        dash.send({ event: "command", session: "c", payload: { type: "RESUME" } });
        const error = await dash.nextFrom(from, (f) => f.event === "error");
        assert.equal(error.payload.code, "INVALID_STATE");
        assert.equal(error.session, "c");
        const failed = await dash.nextFrom(
          from,
          (f) => f.event === "command:result" && f.payload.success === false,
        );
        assert.equal(failed.payload.command, "RESUME");
        assert.equal(
          dash.frames.slice(from).some((f) => f.event === "ack"),
          false,
        );
      },
    );

    await t.step("session may be omitted when the sender holds one session", async () => {
      const { ack } = await command({ type: "REDIRECT", instruction: "again" }, null);
      assert.equal(ack.ok, true);
    });

    await t.step("malformed or misdirected commands get coded rejections", async () => {
      assertRejected(await command({ type: "EXPLODE" }), "EXPLODE", "INVALID_COMMAND");
      const unknown = await command({ type: "HALT" }, "no-such-session");
      assertRejected(unknown, "HALT", "SESSION_NOT_FOUND");
      const noPayload = await dash.request({ event: "command", session: "c" });
      assert.equal(noPayload.error.code, "INVALID_COMMAND");
      const fromWorker = await worker.request({
        event: "command",
        session: "c",
        payload: { type: "HALT" },
      });
      assert.equal(fromWorker.ok, false);
      assert.equal(fromWorker.error.code, "FORBIDDEN");
      const state = await api(server, "GET", "/api/sessions/c");
      assert.equal(state.body.session.state, "running", "no rejected command changed the state");
    });
  } finally {
    await worker.close();
    await dash.close();
    await watcher.close();
    await server.close();
  }
});
