/**
 * @module Claude Code steering: turns one hook request into session events (through the gate)
 * and the answer Claude Code expects. A `PreToolUse` is denied while the session is HALTed,
 * held open as a `decision:point` when the session's approval policy names the tool, and
 * otherwise left to Claude Code's own permissions; a `Stop` hands queued REDIRECT and INJECT
 * instructions back as `{"decision":"block"}`. Nothing here waits unless a human is asked.
 */
import { type Actor, developmentPrincipal } from "../auth/identity.ts";
import type { Hub } from "../hub/hub.ts";
import type { Caller, Gate } from "../ingress/gate.ts";
import type { SessionId } from "../ingress/inbound_limits.ts";
import type { ExecutionState } from "../protocol/commands.ts";
import { SwitchboardError } from "../protocol/errors.ts";
import type { SkillRegistry } from "../skills/registry.ts";
import { type ActivePolicy, ApprovalPolicies } from "./approval_policy.ts";
import { HOOK_EVENT_PREFIX, type HookBody, hookEventName, mapHook } from "./claude_code_map.ts";
import { HeldRequests } from "./held_requests.ts";
import { SessionWatch } from "./session_watch.ts";

/** What Claude Code is answered: the JSON of its hook output (`{}` for "carry on"). */
export type HookOutput = Record<string, unknown>;

/** Options of {@linkcode ClaudeCodeHooks}. */
export interface ClaudeCodeHooksOptions {
  /** The hub. */
  hub: Hub;
  /** The inbound gate every publish goes through. */
  gate: Gate;
  /** Registered skills, to describe an INJECT. */
  skills: SkillRegistry;
  /** Default milliseconds a held tool call waits for a DECISION. */
  approvalTimeoutMs: number;
  /** Tool calls held at once. */
  maxHeld: number;
}

/** Sessions watched at once; watching one more stops watching the least recently used. */
const MAX_WATCHES = 1000;

/** The server answering a held decision itself (timeout, HALT): a trusted in-process actor. */
function steeringActor(why: "timeout" | "halt"): Actor {
  return { id: `claude-code:${why}`, principal: developmentPrincipal("dashboard") };
}

/** Builds the `PreToolUse` answer. */
export function permission(decision: "allow" | "deny" | "ask", reason: string): HookOutput {
  return {
    hookSpecificOutput: {
      hookEventName: "PreToolUse",
      permissionDecision: decision,
      permissionDecisionReason: reason,
    },
  };
}

/** Handles Claude Code hook requests for every session. */
export class ClaudeCodeHooks {
  /** Approval policies by session. */
  readonly policies = new ApprovalPolicies();
  readonly #options: ClaudeCodeHooksOptions;
  readonly #watches = new Map<string, Promise<SessionWatch>>();
  readonly #held: HeldRequests;

  /** Creates the handler. */
  constructor(options: ClaudeCodeHooksOptions) {
    this.#options = options;
    this.#held = new HeldRequests(options.maxHeld);
  }

  /** Publishes the hook's events and resolves with Claude Code's answer. */
  handle(caller: Caller, session: SessionId, body: HookBody): Promise<HookOutput> {
    switch (hookEventName(body)) {
      case "PreToolUse":
        return this.#preToolUse(caller, session, body);
      case "Stop":
        return this.#stop(caller, session, body);
      default:
        return this.#publish(caller, session, mapHook(body, this.#state(caller, session)))
          .then(() => ({}));
    }
  }

  async #preToolUse(caller: Caller, session: SessionId, body: HookBody): Promise<HookOutput> {
    const watch = await this.#watch(session);
    const state = this.#state(caller, session);
    if (state === "halted") {
      const reason = `Halted from Switchboard${watch.haltReason ? `: ${watch.haltReason}` : ""}`;
      const decided = { permission: { decision: "deny", reason, by: "halt" } };
      await this.#publish(caller, session, mapHook(body, state, decided));
      return permission("deny", reason);
    }
    const policy = this.policies.get(session);
    const tool = typeof body.tool_name === "string" ? body.tool_name : "unknown";
    if (!policy?.matches(tool)) {
      await this.#publish(caller, session, mapHook(body, state));
      return {};
    }
    if (this.#held.isFull) {
      const reason = `Too many tool calls wait for approval in Switchboard: ${policy.default}`;
      const decided = { permission: { decision: policy.default, reason, by: "limit" } };
      await this.#publish(caller, session, mapHook(body, state, decided));
      return permission(policy.default, reason);
    }
    return await this.#askHuman(caller, { session, body, state, watch, policy, tool });
  }

  async #askHuman(caller: Caller, ask: {
    session: SessionId;
    body: HookBody;
    state: ExecutionState;
    watch: SessionWatch;
    policy: ActivePolicy;
    tool: string;
  }): Promise<HookOutput> {
    const { session, body, watch, policy, tool } = ask;
    const toolUseId = typeof body.tool_use_id === "string" ? body.tool_use_id : undefined;
    let decisionId = `tool:${toolUseId ?? crypto.randomUUID()}`;
    // The same tool call posted twice (a retry) gets a point of its own.
    if (this.#held.has(decisionId)) decisionId = `${decisionId}:${crypto.randomUUID()}`;
    const timeoutMs = policy.timeoutMs ?? this.#options.approvalTimeoutMs;
    // Waiting starts before the point is published, so the quickest DECISION is not missed.
    const made = this.#held.hold(decisionId, {
      watch,
      timeoutMs,
      onTimeout: () => this.#decide(session, decisionId, policy.default, "timeout"),
      onHalt: () => this.#decide(session, decisionId, "deny", "halt"),
      onClosed: () =>
        this.#held.release(decisionId, { choice: policy.default, by: "claude-code:closed" }),
    });
    try {
      await this.#publish(caller, session, [
        ...mapHook(body, ask.state, { approval: { decisionId, tools: policy.tools } }),
        {
          event: "decision:point",
          payload: {
            decisionId,
            question: `Allow Claude Code to use ${tool}?`,
            options: ["allow", "deny"],
            default: policy.default,
            tool,
            ...(toolUseId === undefined ? {} : { toolUseId }),
            arguments: body.tool_input ?? {},
            timeoutMs,
          },
        },
      ]);
    } catch (error) {
      this.#held.release(decisionId, { choice: policy.default, by: "error" });
      throw error;
    }
    const { choice, by, commandId } = await made;
    if (commandId !== undefined) {
      // The DECISION command has now been carried out: tell its sender.
      await this.#publish(caller, session, [{
        event: "command:applied",
        payload: { commandId, ok: true, message: `Claude Code was answered "${choice}"` },
      }]).catch(() => {});
    }
    const verdict = choice === "allow" ? "allow" : "deny";
    return permission(verdict, describeChoice(verdict, by, timeoutMs, watch.haltReason));
  }

  /** Answers a held decision as the server: a DECISION command, or directly when that fails. */
  async #decide(
    session: string,
    decisionId: string,
    choice: string,
    why: "timeout" | "halt",
  ): Promise<void> {
    const actor = steeringActor(why);
    try {
      const result = await this.#options.hub.command(actor, session, {
        type: "DECISION",
        decisionId,
        choice,
      });
      this.#held.release(decisionId, { choice, by: actor.id, commandId: result.commandId });
    } catch (error) {
      // Someone else decided first: their decision:made resolves the hold.
      if (error instanceof SwitchboardError && error.code === "DECISION_NOT_FOUND") return;
      this.#held.release(decisionId, { choice, by: actor.id });
    }
  }

  async #stop(caller: Caller, session: SessionId, body: HookBody): Promise<HookOutput> {
    const watch = await this.#watch(session);
    const queued = watch.takeQueued();
    if (queued.length === 0) {
      await this.#publish(caller, session, mapHook(body, this.#state(caller, session)));
      return {};
    }
    await this.#publish(caller, session, [
      ...queued.map((q) => ({
        event: "command:applied",
        payload: { commandId: q.commandId, ok: true, message: "Handed to Claude Code at Stop" },
      })),
      {
        event: `${HOOK_EVENT_PREFIX}Stop`,
        payload: { blocked: true, commandIds: queued.map((q) => q.commandId), hook: body },
      },
    ]);
    return { decision: "block", reason: queued.map((q) => q.instruction).join("\n\n") };
  }

  #state(caller: Caller, session: string): ExecutionState {
    try {
      return this.#options.hub.session(session, caller.actor).state;
    } catch (error) {
      if (error instanceof SwitchboardError && error.code === "SESSION_NOT_FOUND") return "idle";
      throw error;
    }
  }

  async #publish(
    caller: Caller,
    session: SessionId,
    events: { event: string; payload: Record<string, unknown> }[],
  ): Promise<number[]> {
    return await (await this.#options.gate.publish(caller, session, events)).result;
  }

  /** The watch of `session`, opened on first use (most recently used kept, bounded). */
  async #watch(session: string): Promise<SessionWatch> {
    let watch = this.#watches.get(session);
    this.#watches.delete(session);
    if (watch && !(await watch.catch(() => undefined))?.isOpen) watch = undefined;
    if (!watch) {
      const opening = new SessionWatch(session, {
        describeSkill: (name) => this.#options.skills.get(name)?.instructions,
      });
      watch = opening.open(this.#options.hub).then(() => opening);
      watch.catch(() => this.#watches.delete(session));
    }
    this.#watches.set(session, watch);
    if (this.#watches.size > MAX_WATCHES) {
      const [oldest, evicted] = this.#watches.entries().next().value!;
      this.#watches.delete(oldest);
      void evicted.then((w) => w.closeWhenIdle(), () => {});
    }
    return await watch;
  }
}

function describeChoice(
  verdict: "allow" | "deny",
  by: string,
  timeoutMs: number,
  haltReason: string | undefined,
): string {
  if (by === "claude-code:timeout") {
    return `No decision in Switchboard within ${timeoutMs / 1000} s: ${verdict} by default`;
  }
  if (by === "claude-code:closed") {
    return `Switchboard stopped waiting for a decision: ${verdict} by default`;
  }
  if (by === "claude-code:halt") {
    return `Halted from Switchboard${haltReason ? `: ${haltReason}` : ""}`;
  }
  return `${verdict === "allow" ? "Allowed" : "Denied"} in Switchboard by ${by}`;
}
