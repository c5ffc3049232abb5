/**
 * @module Steering Claude Code from Switchboard, against a real server: HALT denies the next
 * tool call, an approval policy holds one until a DECISION (or its timeout) answers it, a
 * REDIRECT or INJECT reaches the agent at its next Stop, and the held calls are bounded.
 */
import assert from "node:assert/strict";
import type { RunningServer } from "../../src/mod.ts";
import { api, type Frame, startTestServer, waitFor } from "../_helpers.ts";
import { mint, SECRET } from "../security/_tokens.ts";
import { hookBody, postHook, sessionEvents } from "./_hooks.ts";

const SESSION = "claude-abc123";

function command(server: RunningServer, payload: Frame): Promise<{ status: number; body: Frame }> {
  return api(server, "POST", `/api/sessions/${SESSION}/commands`, payload);
}

async function openDecision(server: RunningServer): Promise<Frame> {
  return await waitFor(async () => {
    const { body } = await api(server, "GET", `/api/sessions/${SESSION}`);
    return body.session?.openDecisions?.[0];
  }, "an open decision");
}

Deno.test("Steering: a HALTed session denies the next tool call, RESUME lets it through", async () => {
  const server = await startTestServer();
  try {
    await postHook(server, hookBody("SessionStart"));
    assert.equal((await command(server, { type: "HALT", reason: "Wrong branch" })).status, 200);
    const denied = await postHook(server, hookBody("PreToolUse"));
    assert.deepEqual(denied.body, {
      hookSpecificOutput: {
        hookEventName: "PreToolUse",
        permissionDecision: "deny",
        permissionDecisionReason: "Halted from Switchboard: Wrong branch",
      },
    });
    // Generous for a shared machine: the point is that nobody is waited for.
    assert.ok(denied.ms < 1000, `a denial needs no human: ${denied.ms} ms`);
    const call = (await sessionEvents(server, SESSION)).at(-1)!;
    assert.equal(call.event, "agent:tool_call");
    assert.equal(call.payload.permission.decision, "deny");
    await command(server, { type: "RESUME" });
    assert.deepEqual((await postHook(server, hookBody("PreToolUse"))).body, {});
  } finally {
    await server.close();
  }
});

Deno.test("Steering: an approval policy holds the call until a DECISION answers it", async () => {
  const server = await startTestServer();
  try {
    await postHook(server, hookBody("SessionStart"));
    const policy = { tools: "Bash|Write|Edit", timeoutMs: 30_000, default: "deny" };
    const set = await api(server, "PUT", `/api/sessions/${SESSION}/approval-policy`, policy);
    assert.equal(set.status, 200);
    assert.deepEqual(
      (await api(server, "GET", `/api/sessions/${SESSION}/approval-policy`)).body.policy,
      policy,
    );
    // Read is not in the policy: no wait.
    const read = hookBody("PreToolUse", { tool_name: "Read", tool_use_id: "toolu_read" });
    assert.deepEqual((await postHook(server, read)).body, {});

    const held = postHook(server, hookBody("PreToolUse"));
    const decision = await openDecision(server);
    assert.equal(decision.decisionId, "tool:toolu_01ABC123...");
    assert.deepEqual(decision.options, ["allow", "deny"]);
    const answered = await command(server, {
      type: "DECISION",
      decisionId: decision.decisionId,
      choice: "allow",
    });
    assert.equal(answered.status, 200);
    const answer = await held;
    assert.equal(answer.body.hookSpecificOutput.permissionDecision, "allow");
    assert.match(answer.body.hookSpecificOutput.permissionDecisionReason, /Allowed in Switchboard/);
    const events = await sessionEvents(server, SESSION);
    const applied = await waitFor(
      async () =>
        (await sessionEvents(server, SESSION)).find((e) =>
          e.event === "command:applied" && e.payload.commandId === answered.body.commandId
        ),
      "command:applied for the DECISION",
    );
    assert.equal(applied.payload.ok, true);
    assert.ok(events.some((e) => e.event === "decision:point"));
    const info = await api(server, "GET", `/api/sessions/${SESSION}`);
    assert.deepEqual(info.body.session.openDecisions, []);

    // A deny answers deny.
    const second = postHook(server, hookBody("PreToolUse", { tool_use_id: "toolu_2" }));
    await openDecision(server);
    await command(server, { type: "DECISION", decisionId: "tool:toolu_2", choice: "deny" });
    assert.equal((await second).body.hookSpecificOutput.permissionDecision, "deny");
  } finally {
    await server.close();
  }
});

Deno.test("Steering: past its timeout a held call gets the policy's default", async () => {
  const server = await startTestServer();
  try {
    await postHook(server, hookBody("SessionStart"));
    await api(server, "PUT", `/api/sessions/${SESSION}/approval-policy`, {
      tools: "*",
      timeoutMs: 300,
      default: "allow",
    });
    const answer = await postHook(server, hookBody("PreToolUse"));
    assert.ok(answer.ms >= 250, `answered after ${answer.ms} ms, before the timeout`);
    assert.equal(answer.body.hookSpecificOutput.permissionDecision, "allow");
    assert.match(answer.body.hookSpecificOutput.permissionDecisionReason, /No decision/);
    const made = (await sessionEvents(server, SESSION)).find((e) => e.event === "decision:made")!;
    assert.equal(made.payload.choice, "allow");
    assert.equal(made.payload.by.id, "claude-code:timeout");
    // The timeout's answer is a real DECISION: a late one finds the decision closed.
    const late = await command(server, {
      type: "DECISION",
      decisionId: "tool:toolu_01ABC123...",
      choice: "deny",
    });
    assert.equal(late.body.error.code, "DECISION_NOT_FOUND");
  } finally {
    await server.close();
  }
});

Deno.test("Steering: a HALT while a call is held denies it at once", async () => {
  const server = await startTestServer();
  try {
    await postHook(server, hookBody("SessionStart"));
    await api(server, "PUT", `/api/sessions/${SESSION}/approval-policy`, { tools: "Bash" });
    const held = postHook(server, hookBody("PreToolUse"));
    await openDecision(server);
    await command(server, { type: "HALT", reason: "Stop everything" });
    const answer = await held;
    assert.deepEqual(answer.body.hookSpecificOutput.permissionDecision, "deny");
    assert.equal(
      answer.body.hookSpecificOutput.permissionDecisionReason,
      "Halted from Switchboard: Stop everything",
    );
  } finally {
    await server.close();
  }
});

Deno.test("Steering: held calls are bounded; past the bound the default is answered", async () => {
  const server = await startTestServer({ hookMaxHeld: 1 });
  try {
    await postHook(server, hookBody("SessionStart"));
    await api(server, "PUT", `/api/sessions/${SESSION}/approval-policy`, { tools: "Bash" });
    const first = postHook(server, hookBody("PreToolUse"));
    await openDecision(server);
    const second = await postHook(server, hookBody("PreToolUse", { tool_use_id: "toolu_2" }));
    assert.equal(second.body.hookSpecificOutput.permissionDecision, "deny");
    assert.match(second.body.hookSpecificOutput.permissionDecisionReason, /Too many/);
    await command(server, {
      type: "DECISION",
      decisionId: "tool:toolu_01ABC123...",
      choice: "allow",
    });
    assert.equal((await first).body.hookSpecificOutput.permissionDecision, "allow");
  } finally {
    await server.close();
  }
});

Deno.test("Steering: REDIRECT and INJECT reach Claude Code at its next Stop, then are applied", async () => {
  const server = await startTestServer();
  try {
    await api(server, "PUT", "/api/skills/run-tests", {
      description: "Run the test suite",
      instructions: "Run deno task test and fix what fails.",
    });
    await postHook(server, hookBody("UserPromptSubmit"));
    const redirect = await command(server, { type: "REDIRECT", instruction: "Use Python instead" });
    const inject = await command(server, { type: "INJECT", skill: "run-tests" });
    assert.equal(inject.status, 200, JSON.stringify(inject.body));
    const stop = await postHook(server, hookBody("Stop", { stop_hook_active: false }));
    assert.equal(stop.body.decision, "block");
    assert.match(stop.body.reason, /^Use Python instead\n\nRun the skill "run-tests"\./);
    assert.match(stop.body.reason, /Run deno task test and fix what fails\./);
    const events = await sessionEvents(server, SESSION);
    const applied = events.filter((e) => e.event === "command:applied");
    assert.deepEqual(
      applied.map((e) => e.payload.commandId),
      [redirect.body.commandId, inject.body.commandId],
    );
    const info = await api(server, "GET", `/api/sessions/${SESSION}`);
    assert.deepEqual(info.body.session.pendingCommands, []);
    assert.equal(info.body.session.state, "running", "a blocked Stop does not end the run");
    // Each instruction is handed over once: the next Stop ends the turn.
    assert.deepEqual((await postHook(server, hookBody("Stop"))).body, {});
    assert.equal((await sessionEvents(server, SESSION)).at(-1)!.event, "execution:completed");
  } finally {
    await server.close();
  }
});

Deno.test("Steering: hooks authenticate with an orchestrator token", async () => {
  const server = await startTestServer({ jwtSecret: SECRET });
  try {
    const missing = await postHook(server, hookBody("SessionStart"));
    assert.equal(missing.status, 401);
    const token = await mint({ role: "orchestrator", sessions: [SESSION] });
    const ok = await postHook(server, hookBody("SessionStart"), { token });
    assert.equal(ok.status, 200, JSON.stringify(ok.body));
    const other = await postHook(server, hookBody("SessionStart", { session_id: "xyz" }), {
      token,
    });
    assert.equal(other.body.error.code, "FORBIDDEN");
    const halted = await postHook(server, hookBody("PreToolUse"), { token });
    assert.deepEqual(halted.body, {});
    // An orchestrator may not set the approval policy (that is steering).
    const policy = await fetch(`${server.url}/api/sessions/${SESSION}/approval-policy`, {
      method: "PUT",
      headers: { authorization: `Bearer ${token}`, "content-type": "application/json" },
      body: JSON.stringify({ tools: "Bash" }),
    });
    assert.equal(policy.status, 403);
    await policy.body?.cancel();
  } finally {
    await server.close();
  }
});

Deno.test("Steering: deleting the session or shutting down answers held calls at once", async () => {
  const server = await startTestServer();
  let closed = false;
  try {
    await postHook(server, hookBody("SessionStart"));
    await api(server, "PUT", `/api/sessions/${SESSION}/approval-policy`, {
      tools: "Bash",
      default: "deny",
    });
    const held = postHook(server, hookBody("PreToolUse"));
    await openDecision(server);
    assert.equal((await api(server, "DELETE", `/api/sessions/${SESSION}`)).status, 200);
    const answer = await held;
    assert.equal(answer.body.hookSpecificOutput.permissionDecision, "deny");
    assert.match(answer.body.hookSpecificOutput.permissionDecisionReason, /stopped waiting/);

    await postHook(server, hookBody("SessionStart"));
    const second = postHook(server, hookBody("PreToolUse", { tool_use_id: "toolu_2" }));
    await openDecision(server);
    const started = performance.now();
    const closing = server.close();
    closed = true;
    const late = await second;
    await closing;
    assert.equal(late.body.hookSpecificOutput.permissionDecision, "deny");
    assert.ok(performance.now() - started < 5000, "shutdown did not wait for the approval timeout");
  } finally {
    if (!closed) await server.close();
  }
});
