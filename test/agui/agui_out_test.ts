/**
 * @module AG-UI out: `HttpAgent.runAgent` from `@ag-ui/client`, whose verifier runs on every
 * event, renders golden Switchboard sessions (text, tool call, state, decision interrupt and
 * resume, failure, a Claude Code session) from a real server.
 */
import assert from "node:assert/strict";
import { api, type Frame, startTestServer } from "../_helpers.ts";
import { hookBody, postHook } from "../hooks/_hooks.ts";
import { agentFor, publish, run } from "./_agui.ts";

const types = (events: Frame[]) => events.map((e) => e.type);

Deno.test("AG-UI out: a text session renders as messages", async () => {
  const server = await startTestServer();
  try {
    await publish(server, "text", "execution:started", { task: "greet" });
    await publish(server, "text", "chat:message", { text: "Hello?", author: "user" });
    await publish(server, "text", "agent:thought", { content: "They want a greeting" });
    await publish(server, "text", "chat:message", { text: "Hello!", author: "agent" });
    await publish(server, "text", "execution:completed", { result: "greeted" });
    const agent = agentFor(server, "text");
    const { result, events } = await run(agent);
    assert.deepEqual(types(events), [
      "RUN_STARTED",
      "STATE_SNAPSHOT",
      "TEXT_MESSAGE_START",
      "TEXT_MESSAGE_CONTENT",
      "TEXT_MESSAGE_END",
      "REASONING_START",
      "REASONING_MESSAGE_START",
      "REASONING_MESSAGE_CONTENT",
      "REASONING_MESSAGE_END",
      "REASONING_END",
      "TEXT_MESSAGE_START",
      "TEXT_MESSAGE_CONTENT",
      "TEXT_MESSAGE_END",
      "RUN_FINISHED",
    ]);
    assert.equal(result.result, "greeted");
    assert.deepEqual(
      agent.messages.map((m) => [m.role, m.content]),
      [["user", "Hello?"], ["reasoning", "They want a greeting"], ["assistant", "Hello!"]],
    );
    assert.equal(events[0].threadId, "text");
  } finally {
    await server.close();
  }
});

Deno.test("AG-UI out: tool calls pair with results; steps and usage come along", async () => {
  const server = await startTestServer();
  try {
    const s = "tools";
    await publish(server, s, "execution:started");
    await publish(server, s, "skill:started", { skill: "research" });
    await publish(server, s, "agent:tool_call", {
      tool: "search",
      toolUseId: "call-1",
      arguments: { q: "deno" },
    });
    await publish(server, s, "agent:usage", { model: "m-1", inputTokens: 10, outputTokens: 2 });
    await publish(server, s, "agent:result", { toolUseId: "call-1", result: { hits: 3 } });
    await publish(server, s, "skill:completed", { skill: "research" });
    await publish(server, s, "file:created", { path: "notes.md" });
    await publish(server, s, "execution:completed");
    const agent = agentFor(server, s);
    const { events } = await run(agent);
    assert.deepEqual(types(events).slice(2), [
      "STEP_STARTED",
      "TOOL_CALL_START",
      "TOOL_CALL_ARGS",
      "TOOL_CALL_END",
      "TOOL_CALL_RESULT",
      "STEP_FINISHED",
      "CUSTOM",
      "RUN_FINISHED",
    ]);
    const call = agent.messages.find((m) => m.role === "assistant") as Frame;
    assert.deepEqual(call.toolCalls[0].function, { name: "search", arguments: '{"q":"deno"}' });
    const result = agent.messages.find((m) => m.role === "tool") as Frame;
    assert.equal(result.toolCallId, "call-1");
    assert.equal(result.content, '{"hits":3}');
    assert.deepEqual(events.at(-1)!.usage, [{ model: "m-1", inputTokens: 10, outputTokens: 2 }]);
    assert.deepEqual(events.find((e) => e.type === "CUSTOM")!.value, { path: "notes.md" });
  } finally {
    await server.close();
  }
});

Deno.test("AG-UI out: HALT and RESUME show as state snapshots", async () => {
  const server = await startTestServer();
  try {
    const s = "state";
    await publish(server, s, "execution:started");
    await api(server, "POST", `/api/sessions/${s}/commands`, { type: "HALT", reason: "look" });
    const agent = agentFor(server, s);
    const running = run(agent);
    await api(server, "POST", `/api/sessions/${s}/commands`, { type: "RESUME" });
    await publish(server, s, "execution:completed");
    const { events } = await running;
    const snapshots = events.filter((e) => e.type === "STATE_SNAPSHOT").map((e) => e.snapshot);
    assert.deepEqual(snapshots, [
      { execution: "running" },
      { execution: "halted", haltReason: "look" },
      { execution: "running" },
    ]);
    assert.deepEqual(agent.state, { execution: "running" });
  } finally {
    await server.close();
  }
});

Deno.test("AG-UI out: a decision point interrupts the run; resume[] answers it as a DECISION", async () => {
  const server = await startTestServer();
  try {
    const s = "approve";
    await publish(server, s, "execution:started");
    await publish(server, s, "decision:point", {
      decisionId: "deploy",
      question: "Deploy to production?",
      options: ["yes", "no"],
    });
    const agent = agentFor(server, s);
    const first = await run(agent);
    const finished = first.events.at(-1)!;
    assert.equal(finished.type, "RUN_FINISHED");
    assert.equal(finished.outcome.type, "interrupt");
    assert.deepEqual(agent.pendingInterrupts.map((i) => [i.id, i.message]), [
      ["deploy", "Deploy to production?"],
    ]);
    // The client refuses to run on without answering the interrupt.
    await assert.rejects(() => run(agent), /pending interrupt/);

    const resumed = run(agent, {
      resume: [{ interruptId: "deploy", status: "resolved", payload: { choice: "yes" } }],
    });
    const made = await (async () => {
      for (let i = 0; i < 200; i++) {
        const { body } = await api(server, "GET", `/api/sessions/${s}/events?after=2`);
        const found = body.events.find((e: Frame) => e.event === "decision:made");
        if (found) return found;
        await new Promise((r) => setTimeout(r, 10));
      }
    })();
    assert.equal(made.payload.choice, "yes");
    await publish(server, s, "chat:message", { text: "Deployed." });
    await publish(server, s, "execution:completed", { result: "ok" });
    const second = await resumed;
    assert.equal(second.result.result, "ok");
    assert.deepEqual(second.result.newMessages.map((m) => m.content), ["Deployed."]);
    assert.deepEqual(agent.pendingInterrupts, []);
    const customs = second.events.filter((e) => e.type === "CUSTOM").map((e) => e.name);
    assert.deepEqual(customs, ["command", "decision:made"]);
    const bad = await api(server, "POST", `/api/sessions/${s}/ag-ui`, {
      threadId: s,
      runId: "r",
      messages: [],
      resume: [{ interruptId: "deploy", status: "resolved", payload: { choice: "yes" } }],
    });
    assert.equal(bad.body.error.code, "DECISION_NOT_FOUND");
  } finally {
    await server.close();
  }
});

Deno.test("AG-UI out: a failed run ends in RUN_ERROR", async () => {
  const server = await startTestServer();
  try {
    const s = "fails";
    await publish(server, s, "execution:started");
    await publish(server, s, "agent:tool_call", { tool: "build", toolUseId: "b1" });
    await publish(server, s, "agent:error", { toolUseId: "b1", message: "compiler crashed" });
    await publish(server, s, "execution:failed", { error: "build failed" });
    const agent = agentFor(server, s);
    const errors: Frame[] = [];
    const { events } = await run(agent, {}, {
      onRunErrorEvent: ({ event }) => {
        errors.push(event as unknown as Frame);
      },
    });
    assert.deepEqual(errors.map((e) => e.message), ["build failed"]);
    const result = events.find((e) => e.type === "TOOL_CALL_RESULT")!;
    assert.equal(result.content, "Error: compiler crashed");
  } finally {
    await server.close();
  }
});

Deno.test("AG-UI out: a Claude Code session renders through HttpAgent", async () => {
  const server = await startTestServer();
  try {
    for (const name of ["SessionStart", "UserPromptSubmit", "PreToolUse", "PostToolUseFailure"]) {
      await postHook(server, hookBody(name));
    }
    await postHook(server, hookBody("Stop", { stop_hook_active: false }));
    const agent = agentFor(server, "claude-abc123");
    await run(agent);
    const user = agent.messages.find((m) => m.role === "user");
    assert.equal(user?.content, "Write a function to calculate the factorial of a number");
    const call = agent.messages.find((m) => m.role === "assistant") as Frame;
    assert.equal(call.toolCalls[0].id, "toolu_01ABC123...");
    assert.equal(call.toolCalls[0].function.name, "Bash");
    const result = agent.messages.find((m) => m.role === "tool") as Frame;
    assert.equal(result.toolCallId, "toolu_01ABC123...");
    assert.match(result.content, /non-zero status code 1/);
  } finally {
    await server.close();
  }
});

Deno.test("AG-UI out: a Claude Code approval is answered from HttpAgent's resume", async () => {
  const server = await startTestServer();
  try {
    const s = "claude-abc123";
    await postHook(server, hookBody("UserPromptSubmit"));
    await api(server, "PUT", `/api/sessions/${s}/approval-policy`, { tools: "Bash" });
    const held = postHook(server, hookBody("PreToolUse"));
    const agent = agentFor(server, s);
    await run(agent);
    const [interrupt] = agent.pendingInterrupts;
    assert.equal(interrupt.id, "tool:toolu_01ABC123...");
    assert.equal(interrupt.toolCallId, "toolu_01ABC123...");
    const resumed = run(agent, {
      resume: [{ interruptId: interrupt.id, status: "resolved", payload: { choice: "allow" } }],
    });
    const answer = await held;
    assert.equal(answer.body.hookSpecificOutput.permissionDecision, "allow");
    await postHook(server, hookBody("PostToolUseFailure"));
    await postHook(server, hookBody("Stop", { stop_hook_active: false }));
    const { events } = await resumed;
    assert.ok(events.some((e) => e.type === "TOOL_CALL_RESULT"));
    assert.equal(events.at(-1)!.type, "RUN_FINISHED");
  } finally {
    await server.close();
  }
});
