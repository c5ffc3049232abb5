/**
 * @module How a Claude Code hook becomes session events: a pure function of the hook's JSON body
 * and the session's execution state. Every event carries the whole body under `hook`, and tool
 * events carry `toolUseId` so a dashboard pairs a call with its result.
 */
import type { ExecutionState } from "../protocol/commands.ts";
import { isJsonObject } from "../protocol/parse.ts";

/** An event to publish, as the gate takes it. */
export interface MappedEvent {
  /** Catalogue or `custom:` event name. */
  event: string;
  /** Its payload. */
  payload: Record<string, unknown>;
}

/** A hook body: any JSON object Claude Code posts (unknown fields are kept). */
export type HookBody = Record<string, unknown>;

/** Prefix of the events for hooks that have no catalogue equivalent. */
export const HOOK_EVENT_PREFIX = "custom:claude-code.";

/** The prefix of the session a hook lands in when no `?session=` is given. */
export const SESSION_PREFIX = "claude-";

/** `hook_event_name`, or `"unknown"` when missing or not a plain name. */
export function hookEventName(body: HookBody): string {
  const name = body.hook_event_name;
  return typeof name === "string" && /^[A-Za-z0-9_.-]{1,64}$/.test(name) ? name : "unknown";
}

/**
 * The default session of a hook: `claude-<session_id>`, so one Claude Code session is one
 * Switchboard session. `undefined` when the body has no usable `session_id`.
 */
export function defaultSessionId(body: HookBody): string | undefined {
  const id = body.session_id;
  return typeof id === "string" && id.length > 0 ? `${SESSION_PREFIX}${id}` : undefined;
}

/** Whether the session counts as in a run (a HALT applies, no `execution:started` needed). */
function inRun(state: ExecutionState): boolean {
  return state === "running" || state === "halted";
}

function text(value: unknown): string | undefined {
  return typeof value === "string" && value.length > 0 ? value : undefined;
}

/** Copies the defined entries only, so optional catalogue fields are left out, not `undefined`. */
function defined(fields: Record<string, unknown>): Record<string, unknown> {
  return Object.fromEntries(Object.entries(fields).filter(([, v]) => v !== undefined));
}

/** The fields every tool event shares: the tool, its id for pairing, the subagent if any. */
function toolFields(body: HookBody): Record<string, unknown> {
  return defined({
    tool: text(body.tool_name) ?? "unknown",
    toolUseId: text(body.tool_use_id),
    agentId: text(body.agent_id),
  });
}

function custom(name: string, body: HookBody): MappedEvent {
  return { event: `${HOOK_EVENT_PREFIX}${name}`, payload: { hook: body } };
}

function started(task: string, body: HookBody): MappedEvent {
  return { event: "execution:started", payload: { task, hook: body } };
}

/**
 * Maps one hook to the events it publishes, given the session's state before it. `extra` is
 * merged into the main event's payload (the permission decision of a `PreToolUse`).
 */
export function mapHook(
  body: HookBody,
  state: ExecutionState,
  extra: Record<string, unknown> = {},
): MappedEvent[] {
  const name = hookEventName(body);
  switch (name) {
    case "SessionStart":
      return [{
        event: "execution:started",
        payload: defined({
          task: `Claude Code session (${text(body.source) ?? "startup"})`,
          source: text(body.source),
          model: text(body.model),
          hook: body,
        }),
      }];
    case "UserPromptSubmit": {
      const prompt = text(body.prompt);
      const message: MappedEvent = prompt === undefined
        ? custom(name, body)
        : { event: "chat:message", payload: { text: prompt, author: "user", hook: body } };
      return inRun(state) ? [message] : [started(prompt ?? "Claude Code prompt", body), message];
    }
    case "PreToolUse": {
      const call: MappedEvent = {
        event: "agent:tool_call",
        payload: { ...toolFields(body), arguments: body.tool_input ?? {}, ...extra, hook: body },
      };
      return inRun(state) ? [call] : [started("Claude Code tool use", body), call];
    }
    case "PostToolUse":
      return [{
        event: "agent:result",
        payload: { ...toolFields(body), result: body.tool_response ?? null, hook: body },
      }];
    case "PostToolUseFailure":
      return [{
        event: "agent:error",
        payload: {
          ...toolFields(body),
          message: text(body.error) ?? "The tool failed",
          code: body.is_interrupt === true ? "interrupted" : "tool_failed",
          hook: body,
        },
      }];
    case "SubagentStart":
      return [{
        event: "agent:spawned",
        payload: defined({
          agentId: text(body.agent_id) ?? text(body.agent_type) ?? "subagent",
          agentType: text(body.agent_type),
          hook: body,
        }),
      }];
    case "SubagentStop":
      return [{
        event: "agent:completed",
        payload: defined({
          agentId: text(body.agent_id) ?? text(body.agent_type) ?? "subagent",
          agentType: text(body.agent_type),
          hook: body,
        }),
      }];
    case "Stop":
      return [{
        event: "execution:completed",
        payload: defined({ result: text(body.last_assistant_message), hook: body }),
      }];
    case "SessionEnd":
      // A Stop already completed the last turn; only a session ended mid-run completes here.
      return inRun(state)
        ? [{ event: "execution:completed", payload: { reason: body.reason, hook: body } }]
        : [custom(name, body)];
    case "Notification": {
      const message = text(body.message);
      if (message === undefined) return [custom(name, body)];
      return [{
        event: "chat:message",
        payload: defined({
          text: message,
          author: "claude-code",
          title: text(body.title),
          notificationType: text(body.notification_type),
          hook: body,
        }),
      }];
    }
    default:
      return [custom(name, body)];
  }
}

/** Reads the body as a hook: a JSON object, or `undefined`. */
export function asHookBody(value: unknown): HookBody | undefined {
  return isJsonObject(value) ? value : undefined;
}
