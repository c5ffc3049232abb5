/**
 * @module The seeds' payloads, byte for byte: each is published verbatim over REST and over the
 * WebSocket, and a dashboard receives the canonical fields added beside every field as sent.
 */
import assert from "node:assert/strict";
import { api, startTestServer, TestSocket } from "../_helpers.ts";

const WORKFLOW = "550e8400-e29b-41d4-a716-446655440000";

/** `[event, payload as a seed publishes it, canonical fields a dashboard receives in addition]`. */
const SEED_TABLE: [string, Record<string, unknown>, Record<string, unknown>][] = [
  // Seeds 000/001/002: the orchestrator's helpers.
  ["skill:started", { skill_name: "test_skill", parameters: { param1: "value1" } }, {
    skill: "test_skill",
  }],
  ["skill:started", { skill_name: "lint", step_index: 0, parameters: {} }, { skill: "lint" }],
  ["skill:completed", { skill_name: "test_skill", result: { ok: true } }, { skill: "test_skill" }],
  ["skill:completed", { skill_name: "lint", step_index: 0, duration: 1.5 }, { skill: "lint" }],
  ["skill:failed", { skill_name: "test_skill", error: "boom" }, { skill: "test_skill" }],
  ["file:modified", { path: "/path/to/file.py", changes: "Added function", lines_changed: 10 }, {
    linesChanged: 10,
  }],
  ["decision:point", {
    decision_id: "decision_001",
    question: "Which approach?",
    options: ["A", "B", "C"],
    default: "A",
  }, { decisionId: "decision_001" }],
  ["execution:started", { plan_id: "p1", task: "create hello.py", steps_total: 2 }, {}],
  ["checkpoint:created", { checkpoint_id: "cp1", label: "before_lint", skill_name: "lint" }, {
    checkpointId: "cp1",
  }],
  ["execution:halted", { reason: "User requested", current_step: 1, steps_total: 2 }, {}],
  ["execution:rollback_started", { checkpoint_id: "cp1", current_step: 1 }, {
    checkpointId: "cp1",
  }],
  ["execution:rollback_completed", { checkpoint_id: "cp1" }, { checkpointId: "cp1" }],
  ["execution:rollback_failed", { checkpoint_id: "cp1", error: "disk full" }, {
    checkpointId: "cp1",
  }],
  ["execution:resumed", { current_step: 1, steps_remaining: 1 }, {}],
  ["execution:completed", { success: true, plan_id: "p1", steps_completed: 2, error: null }, {}],
  ["execution:failed", { success: false, plan_id: "p1", error: "Skill not found: x" }, {}],
  // Seed 004: Socket.IO agent events.
  ["agent:thought", {
    type: "thought",
    workflowId: WORKFLOW,
    data: { content: "Analyzing the user request..." },
    timestamp: "2026-01-21T12:00:00Z",
  }, { content: "Analyzing the user request..." }],
  ["agent:thought", {
    type: "thought",
    workflow_id: WORKFLOW,
    data: { content: "Snake case too" },
    timestamp: "2026-01-21T12:00:00Z",
  }, { content: "Snake case too", workflowId: WORKFLOW }],
  ["agent:tool_call", {
    type: "tool_call",
    workflowId: WORKFLOW,
    data: { tool_name: "generate_image", status: "in_progress", message: "Generating image..." },
    timestamp: "2026-01-21T12:00:01Z",
  }, { tool: "generate_image", status: "in_progress", message: "Generating image..." }],
  ["agent:result", {
    type: "result",
    workflowId: WORKFLOW,
    data: { status: "success", content_type: "text", content: "Here is your content..." },
    timestamp: "2026-01-21T12:00:05Z",
  }, { result: { status: "success", content_type: "text", content: "Here is your content..." } }],
  ["agent:error", {
    type: "error",
    workflowId: WORKFLOW,
    data: { code: "GENERATION_FAILED", message: "Failed to generate content", details: {} },
    timestamp: "2026-01-21T12:00:05Z",
  }, { code: "GENERATION_FAILED", message: "Failed to generate content", details: {} }],
  // The canonical spellings keep working, and win over a seed field that disagrees.
  ["skill:started", { skill: "lint", skill_name: "other" }, {}],
  ["file:modified", { path: "a.ts", linesChanged: 3 }, {}],
];

Deno.test("seed payloads are accepted verbatim over REST and WebSocket and delivered canonical", async () => {
  const server = await startTestServer();
  const dashboard = await TestSocket.open(server, "?session=seeds&role=dashboard");
  const orchestrator = await TestSocket.open(server, "?role=orchestrator");
  try {
    await dashboard.next((f) => f.event === "subscribed");
    let seq = 0;
    for (const [event, payload, added] of SEED_TABLE) {
      const sent = structuredClone(payload);
      const rest = await api(server, "POST", "/api/sessions/seeds/events", { event, payload });
      assert.equal(rest.status, 201, `${event} over REST: ${JSON.stringify(rest.body)}`);
      const ws = await orchestrator.request({ event, session: "seeds", payload });
      assert.equal(ws.ok, true, `${event} over WebSocket: ${JSON.stringify(ws)}`);
      assert.deepEqual(payload, sent, "the publisher's object is not touched");
      seq += 2;
      const received = (await dashboard.waitForEvents("seeds", seq)).slice(-2);
      for (const frame of received) {
        assert.equal(frame.event, event);
        assert.deepEqual(frame.payload, { ...payload, ...added }, `${event} as delivered`);
      }
    }
  } finally {
    await orchestrator.close();
    await dashboard.close();
    await server.close();
  }
});

Deno.test("a DECISION answers a seed decision point in both spellings", async () => {
  const server = await startTestServer();
  const orchestrator = await TestSocket.open(server, "?session=d&role=orchestrator");
  try {
    await orchestrator.next((f) => f.event === "subscribed");
    await api(server, "POST", "/api/sessions/d/events", {
      event: "decision:point",
      payload: { decision_id: "d1", question: "Which?", options: ["A", "B"], default: "A" },
    });
    const answer = await api(server, "POST", "/api/sessions/d/commands", {
      type: "DECISION",
      decision_id: "d1",
      choice: "B",
    });
    assert.equal(answer.status, 200, JSON.stringify(answer.body));
    const command = await orchestrator.next((f) => f.event === "command");
    assert.equal(command.payload.decision_id, "d1");
    assert.equal(command.payload.decisionId, "d1");
    assert.equal(command.payload.choice, "B");
    const events = (await api(server, "GET", "/api/sessions/d/events")).body.events;
    const made = events.find((e: { event: string }) => e.event === "decision:made");
    assert.deepEqual(made.payload.decision_id, "d1");
  } finally {
    await orchestrator.close();
    await server.close();
  }
});

Deno.test("a seed payload missing its required field is refused with INVALID_PAYLOAD", async () => {
  const server = await startTestServer();
  try {
    const thought = await api(server, "POST", "/api/sessions/x/events", {
      event: "agent:thought",
      payload: { type: "thought", workflowId: WORKFLOW, data: {} },
    });
    assert.equal(thought.status, 422);
    assert.equal(thought.body.error.code, "INVALID_PAYLOAD");
    const skill = await api(server, "POST", "/api/sessions/x/events", {
      event: "skill:started",
      payload: { skill_name: 7 },
    });
    assert.equal(skill.body.error.code, "INVALID_PAYLOAD");
  } finally {
    await server.close();
  }
});
