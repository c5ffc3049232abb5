/**
 * @module The client's zero-dependency copy of the wire protocol's types; a type-level test
 * checks them against the server's zod schemas in both directions, so drift fails to compile.
 */

/** A JSON object with any fields. */
export type JsonObject = { [key: string]: unknown };

/** A connection role. Admins may do everything. */
export type Role = "orchestrator" | "dashboard" | "admin";

/** Payload of each catalogued session event. Extra fields are kept, so payloads are open. */
export interface EventPayloads {
  /** A skill began, with its parameters. */
  "skill:started": { skill: string; parameters?: JsonObject; [key: string]: unknown };
  /** A skill finished, with its result. */
  "skill:completed": { skill: string; result?: unknown; [key: string]: unknown };
  /** A skill failed, with the error. */
  "skill:failed": { skill: string; error: string; [key: string]: unknown };
  /** A skill's progress, in percent and/or words. */
  "skill:progress": {
    skill: string;
    percent?: number;
    message?: string;
    [key: string]: unknown;
  };
  /** A file was created. */
  "file:created": { path: string; [key: string]: unknown };
  /** A file was changed. */
  "file:modified": { path: string; linesChanged?: number; [key: string]: unknown };
  /** A file was deleted. */
  "file:deleted": { path: string; [key: string]: unknown };
  /** The run waits for a choice among `options` (answer with a DECISION command). */
  "decision:point": {
    decisionId: string;
    question: string;
    options: string[];
    default?: string;
    [key: string]: unknown;
  };
  /** A decision point was answered. */
  "decision:made": { decisionId: string; choice: string; [key: string]: unknown };
  /** A validation began. */
  "validation:started": { name: string; [key: string]: unknown };
  /** A validation's outcome. */
  "validation:result": { name: string; passed: boolean; [key: string]: unknown };
  /** An agent was started. */
  "agent:spawned": { agentId: string; [key: string]: unknown };
  /** An agent's progress. */
  "agent:progress": {
    agentId: string;
    percent?: number;
    message?: string;
    [key: string]: unknown;
  };
  /** An agent finished. */
  "agent:completed": { agentId: string; result?: unknown; [key: string]: unknown };
  /** An agent's reasoning step. */
  "agent:thought": {
    agentId?: string;
    workflowId?: string;
    content: string;
    [key: string]: unknown;
  };
  /** An agent called a tool. */
  "agent:tool_call": {
    agentId?: string;
    workflowId?: string;
    tool: string;
    arguments?: unknown;
    status?: string;
    message?: string;
    [key: string]: unknown;
  };
  /** An agent's result. */
  "agent:result": {
    agentId?: string;
    workflowId?: string;
    result: unknown;
    [key: string]: unknown;
  };
  /** An agent's error. */
  "agent:error": {
    agentId?: string;
    workflowId?: string;
    message: string;
    code?: string;
    details?: unknown;
    [key: string]: unknown;
  };
  /** Tokens a model call used; the session keeps totals per model. */
  "agent:usage": {
    model: string;
    inputTokens: number;
    outputTokens: number;
    cachedInputTokens?: number;
    cacheWriteInputTokens?: number;
    reasoningTokens?: number;
    provider?: string;
    [key: string]: unknown;
  };
  /** The run started (state `running`). */
  "execution:started": { task?: string; [key: string]: unknown };
  /** The run completed (state `completed`). */
  "execution:completed": { result?: unknown; [key: string]: unknown };
  /** The run failed (state `failed`). */
  "execution:failed": { error: string; [key: string]: unknown };
  /** The run was halted (state `halted`), e.g. by a HALT command. */
  "execution:halted": { reason?: string; [key: string]: unknown };
  /** The run was resumed (state `running`). */
  "execution:resumed": { [key: string]: unknown };
  /** The orchestrator began rolling back to a checkpoint (e.g. after a ROLLBACK). */
  "execution:rollback_started": { checkpointId: string; [key: string]: unknown };
  /** The rollback to a checkpoint is done. */
  "execution:rollback_completed": { checkpointId: string; [key: string]: unknown };
  /** The rollback to a checkpoint failed. */
  "execution:rollback_failed": { checkpointId: string; error: string; [key: string]: unknown };
  /** A checkpoint the run can be rolled back to. */
  "checkpoint:created": { checkpointId: string; label?: string; [key: string]: unknown };
  /** A chat message (dashboards may publish these too). */
  "chat:message": { text: string; author?: string; [key: string]: unknown };
  /** An orchestrator reports a command applied (or not, with `ok: false`). */
  "command:applied": { commandId: string; ok?: boolean; message?: string; [key: string]: unknown };
  /** One AG-UI event as an agent emitted it (see docs/PROTOCOL.md, AG-UI in). */
  "ag-ui:event": { type: string; [key: string]: unknown };
}

/** Name of a catalogued session event. */
export type CatalogEventName = keyof EventPayloads;

/** Seed 004's agent events: `{type, workflowId | workflow_id, data: {...}, timestamp}`. */
type Seed004<T extends string, D> = {
  type?: T;
  workflowId?: string;
  workflow_id?: string;
  data: D;
  timestamp?: string;
  [key: string]: unknown;
};

/**
 * The seeds' spellings a publisher may send instead (`skill_name`, `lines_changed`, ...).
 * Subscribers receive the canonical {@linkcode EventPayloads} shape, with the fields as sent kept.
 */
export interface SeedEventPayloads {
  /** `skill:started` as the seeds send it. */
  "skill:started": { skill_name: string; parameters?: JsonObject; [key: string]: unknown };
  /** `skill:completed` as the seeds send it. */
  "skill:completed": { skill_name: string; result?: unknown; [key: string]: unknown };
  /** `skill:failed` as the seeds send it. */
  "skill:failed": { skill_name: string; error: string; [key: string]: unknown };
  /** `skill:progress` as the seeds send it. */
  "skill:progress": {
    skill_name: string;
    percent?: number;
    message?: string;
    [key: string]: unknown;
  };
  /** `file:modified` as the seeds send it. */
  "file:modified": { path: string; lines_changed?: number; [key: string]: unknown };
  /** `decision:point` as the seeds send it. */
  "decision:point": {
    decision_id: string;
    question: string;
    options: string[];
    default?: string;
    [key: string]: unknown;
  };
  /** `decision:made` in the seeds' spelling. */
  "decision:made": { decision_id: string; choice: string; [key: string]: unknown };
  /** `checkpoint:created` as the seed orchestrator sends it. */
  "checkpoint:created": { checkpoint_id: string; label?: string; [key: string]: unknown };
  /** `execution:rollback_started` as the seed orchestrator sends it. */
  "execution:rollback_started": { checkpoint_id: string; [key: string]: unknown };
  /** `execution:rollback_completed` as the seed orchestrator sends it. */
  "execution:rollback_completed": { checkpoint_id: string; [key: string]: unknown };
  /** `execution:rollback_failed` as the seed orchestrator sends it. */
  "execution:rollback_failed": { checkpoint_id: string; error: string; [key: string]: unknown };
  /** Seed 004's `agent:thought`. */
  "agent:thought": Seed004<"thought", { content: string; [key: string]: unknown }>;
  /** Seed 004's `agent:tool_call`. */
  "agent:tool_call": Seed004<
    "tool_call",
    { tool_name: string; status?: string; message?: string; [key: string]: unknown }
  >;
  /** Seed 004's `agent:result`. */
  "agent:result": Seed004<"result", JsonObject>;
  /** Seed 004's `agent:error`. */
  "agent:error": Seed004<
    "error",
    { code?: string; message: string; details?: unknown; [key: string]: unknown }
  >;
}

/** Name of an event that has a seed spelling. */
export type SeedEventName = keyof SeedEventPayloads;

/** A free-form session event: `custom:<name>` carries any JSON object. */
export type CustomEventName = `custom:${string}`;

/** The commands a dashboard sends to steer a session, discriminated by `type`. */
export type Command =
  | { type: "HALT"; reason?: string; idempotencyKey?: string }
  | { type: "RESUME"; idempotencyKey?: string }
  | { type: "ROLLBACK"; steps?: number; checkpointId?: string; idempotencyKey?: string }
  | { type: "REDIRECT"; instruction: string; target?: string; idempotencyKey?: string }
  | { type: "DECISION"; decisionId: string; choice: string; idempotencyKey?: string }
  | { type: "INJECT"; skill: string; parameters?: JsonObject; idempotencyKey?: string };

/** A command name. */
export type CommandType = Command["type"];

/** A session's execution state. */
export type ExecutionState = "idle" | "running" | "halted" | "completed" | "failed";

/** What an accepted command reports back, in `command:result` and in the ack. */
export interface CommandResult {
  /** Always `true` here; failures arrive as {@linkcode CommandFailure}. */
  success: true;
  /** The command's type. */
  command: CommandType;
  /** Server-assigned id, also in the appended `command` event. */
  commandId: string;
  /** The session's execution state after the command. */
  state: ExecutionState;
  /** Seq of the appended `command` event. */
  seq: number;
}

/** The `command:result` of a rejected command; the ack carries the same error. */
export interface CommandFailure {
  /** Always `false`. */
  success: false;
  /** The command's type, when the payload had one. */
  command?: unknown;
  /** Why it was rejected. */
  error: ErrorBody;
}

/** The `command` session event: a command as the session recorded it, for orchestrators. */
export interface CommandEvent {
  /** Server-assigned command id. */
  commandId: string;
  /** The command's type; its arguments follow as further fields. */
  type: CommandType;
  /** Who sent it. */
  by: { id: string; role: Role };
  /** The command's arguments, e.g. `reason` of HALT. */
  [key: string]: unknown;
}

/** Stable error codes the server sends (see docs/PROTOCOL.md). */
export type ServerErrorCode =
  | "BAD_JSON"
  | "INVALID_FRAME"
  | "UNKNOWN_EVENT"
  | "INVALID_PAYLOAD"
  | "INVALID_COMMAND"
  | "INVALID_CHOICE"
  | "SESSION_REQUIRED"
  | "FRAME_TOO_LARGE"
  | "UNAUTHORIZED"
  | "FORBIDDEN"
  | "NOT_FOUND"
  | "SESSION_NOT_FOUND"
  | "SKILL_NOT_FOUND"
  | "DECISION_NOT_FOUND"
  | "CHECKPOINT_NOT_FOUND"
  | "NOT_SUBSCRIBED"
  | "SESSION_EXISTS"
  | "INVALID_STATE"
  | "IDEMPOTENCY_CONFLICT"
  | "RATE_LIMITED"
  | "LIMIT_EXCEEDED"
  | "STORE_FAILED"
  | "STORE_UNAVAILABLE"
  | "CLIENT_NOT_BUILT"
  | "SHUTTING_DOWN"
  | "INTERNAL";

/** The wire form of an error, in `ack` and `error` frames. */
export interface ErrorBody {
  /** Stable machine-readable code. */
  code: ServerErrorCode;
  /** Human-readable sentence; may change between versions. */
  message: string;
}

/** Payload of the first frame the server sends on every connection. */
export interface ConnectedPayload {
  /** The connection's id. */
  id: string;
  /** The connection's role. */
  role: Role;
  /** The session joined through the URL, if any. */
  sessions: string[];
  /** Milliseconds between the server's heartbeat pings; 0 when off. */
  heartbeatMs: number;
  /** Largest frame the server accepts, in bytes. */
  maxFrameBytes: number;
  /** Wire protocol version. */
  protocol: number;
}

/** The outcome of a (re)subscription: what was replayed and where live delivery starts. */
export interface SubscribeResult {
  /** Seq after which live events follow. */
  headSeq: number;
  /** Events replayed (after filtering). */
  replayed: number;
  /** `false` when events after the requested seq were lost (trimmed, or a new epoch). */
  recovered: boolean;
  /** The stream's epoch; it changes when the session's history starts over. */
  epoch: string;
  /** Who is attached; later `presence` frames change it. */
  presence: PresenceSnapshot;
}

/** A subscriber as presence names it. */
export interface Member {
  /** The connection's id. */
  id: string;
  /** The connection's role. */
  role: Role;
}

/** Who is attached, in a `subscribed` answer: the base that `presence` frames change. */
export interface PresenceSnapshot {
  /** Subscribers of the session. */
  count: number;
  /** Those subscribers, when the session has at most the server's list limit (100). */
  members?: Member[];
}

/**
 * Payload of `presence`, sent at most once per interval (100 ms) when a session's subscribers
 * changed: `joined` and `left` to apply to what the client has, or `members` to replace it, or
 * (in a larger session) only `count`.
 */
export interface PresenceDiff {
  /** Subscribers now. */
  count: number;
  /** Connections that subscribed since the previous frame. */
  joined?: Member[];
  /** Ids of connections that left since the previous frame. */
  left?: string[];
  /** Every subscriber: replaces the list the client had. */
  members?: Member[];
}

/** Close codes 4000–4099 are final: the client does not reconnect on its own. */
export function isFinalCloseCode(code: number): boolean {
  return code >= 4000 && code < 4100;
}
