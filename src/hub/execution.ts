/**
 * @module A session's execution state machine: state, open decision points and checkpoints,
 * driven by the events orchestrators publish and checked by the commands dashboards send.
 */
import type { Command, ExecutionState } from "../protocol/commands.ts";
import { SwitchboardError } from "../protocol/errors.ts";
import { BoundedMap } from "./bounded_map.ts";

/** An open decision point waiting for a DECISION command. */
export interface OpenDecision {
  decisionId: string;
  question: string;
  options: string[];
  default?: string;
}

/** A checkpoint the session can be rolled back to. */
export interface Checkpoint {
  checkpointId: string;
  label?: string;
}

/** A command accepted but not yet reported applied by an orchestrator (`command:applied`). */
export interface PendingCommand {
  commandId: string;
  type: string;
}

/** Token totals of one model over a session's `agent:usage` events. */
export interface UsageTotals {
  model: string;
  inputTokens: number;
  outputTokens: number;
  cachedInputTokens: number;
  cacheWriteInputTokens: number;
  reasoningTokens: number;
  /** Number of `agent:usage` events counted. */
  calls: number;
}

/** An event to append as the effect of a command, besides the `command` event itself. */
export interface Effect {
  event: string;
  payload: Record<string, unknown>;
}

/** A serialisable copy of the state, for rollback of a failed append and for persistence. */
export interface ExecutionSnapshot {
  state: ExecutionState;
  decisions: OpenDecision[];
  checkpoints: Checkpoint[];
  pendingCommands?: PendingCommand[];
  usage?: UsageTotals[];
}

const MAX_DECISIONS = 1000;
const MAX_CHECKPOINTS = 1000;
const MAX_PENDING_COMMANDS = 1000;
/** Models tracked per session; a run that names more keeps the most recently used ones. */
const MAX_USAGE_MODELS = 100;
const USAGE_COUNTS = [
  "inputTokens",
  "outputTokens",
  "cachedInputTokens",
  "cacheWriteInputTokens",
  "reasoningTokens",
] as const;

const STATE_BY_EVENT: Readonly<Record<string, ExecutionState>> = {
  "execution:started": "running",
  "execution:resumed": "running",
  "execution:halted": "halted",
  "execution:completed": "completed",
  "execution:failed": "failed",
};

/** Tracks what the hub knows about a session's run. */
export class Execution {
  /** Current execution state. */
  state: ExecutionState = "idle";
  /** Open decision points by id. */
  readonly decisions = new BoundedMap<string, OpenDecision>(MAX_DECISIONS);
  /** Checkpoints, oldest first. */
  checkpoints: Checkpoint[] = [];
  /** Accepted commands no orchestrator has reported applied yet, oldest first. */
  readonly pendingCommands = new BoundedMap<string, PendingCommand>(MAX_PENDING_COMMANDS);
  /** Token totals per model, from `agent:usage` events. */
  readonly usage = new BoundedMap<string, UsageTotals>(MAX_USAGE_MODELS);

  /**
   * Updates the state from an event as it is appended (including `command` events and their
   * effects), so replaying a stored stream rebuilds the same state.
   */
  apply(event: string, payload: Record<string, unknown>): void {
    const next = STATE_BY_EVENT[event];
    if (next) this.state = next;
    if (event === "command") {
      this.pendingCommands.set(payload.commandId as string, {
        commandId: payload.commandId as string,
        type: payload.type as string,
      });
      if (payload.type === "ROLLBACK") this.#rollBackTo(payload.checkpointId as string);
    } else if (event === "command:applied") {
      this.pendingCommands.delete(payload.commandId as string);
    } else if (event === "decision:point") {
      const decision = payload as unknown as OpenDecision;
      this.decisions.set(decision.decisionId, {
        decisionId: decision.decisionId,
        question: decision.question,
        options: decision.options,
        ...(decision.default === undefined ? {} : { default: decision.default }),
      });
    } else if (event === "decision:made") {
      this.decisions.delete(payload.decisionId as string);
    } else if (event === "agent:usage") {
      this.#addUsage(payload);
    } else if (event === "checkpoint:created") {
      const label = payload.label as string | undefined;
      const checkpointId = payload.checkpointId as string;
      // Ids are unique: a checkpoint created again under the same id replaces the old one.
      this.checkpoints = this.checkpoints.filter((c) => c.checkpointId !== checkpointId);
      this.checkpoints.push({ checkpointId, ...(label === undefined ? {} : { label }) });
      if (this.checkpoints.length > MAX_CHECKPOINTS) this.checkpoints.shift();
    }
  }

  /**
   * Checks a command against the state and returns the command's arguments as they will be
   * recorded plus the effect events it implies. Throws a coded error when the command is not
   * valid now. Does not change the state: {@linkcode apply} does, for each appended event.
   */
  plan(command: Command, options: { hasSkill: (name: string) => boolean }): {
    args: Record<string, unknown>;
    effects: Effect[];
  } {
    const { idempotencyKey: _key, type: _type, ...args } = command;
    switch (command.type) {
      case "HALT":
        this.#require(["running"], command.type);
        return {
          args,
          effects: [{ event: "execution:halted", payload: { reason: command.reason } }],
        };
      case "RESUME":
        this.#require(["halted"], command.type);
        return { args, effects: [{ event: "execution:resumed", payload: {} }] };
      case "ROLLBACK": {
        const target = this.#rollbackTarget(command);
        return { args: { ...args, checkpointId: target.checkpointId }, effects: [] };
      }
      case "REDIRECT":
        this.#require(["running", "halted"], command.type);
        return { args, effects: [] };
      case "DECISION": {
        const decision = this.decisions.get(command.decisionId);
        if (!decision) {
          throw new SwitchboardError(
            "DECISION_NOT_FOUND",
            `No open decision "${command.decisionId}"`,
          );
        }
        if (!decision.options.includes(command.choice)) {
          throw new SwitchboardError(
            "INVALID_CHOICE",
            `Choice "${command.choice}" is not one of ${JSON.stringify(decision.options)}`,
          );
        }
        // Both spellings: an orchestrator written for the seeds looks for `decision_id`.
        const named = { decisionId: command.decisionId, decision_id: command.decisionId };
        const payload = { ...named, choice: command.choice };
        return { args: { ...args, ...named }, effects: [{ event: "decision:made", payload }] };
      }
      case "INJECT":
        this.#require(["idle", "running", "halted"], command.type);
        if (!options.hasSkill(command.skill)) {
          throw new SwitchboardError(
            "SKILL_NOT_FOUND",
            `Skill "${command.skill}" is not registered`,
          );
        }
        return { args, effects: [] };
    }
  }

  #addUsage(payload: Record<string, unknown>): void {
    const model = payload.model as string;
    const totals = this.usage.get(model) ?? {
      model,
      inputTokens: 0,
      outputTokens: 0,
      cachedInputTokens: 0,
      cacheWriteInputTokens: 0,
      reasoningTokens: 0,
      calls: 0,
    };
    for (const count of USAGE_COUNTS) {
      const value = payload[count];
      if (typeof value === "number") totals[count] += value;
    }
    totals.calls++;
    // Set again so the model counts as recently used in the bounded map.
    this.usage.set(model, totals);
  }

  /** Forgets the checkpoints after a ROLLBACK's target. */
  #rollBackTo(checkpointId: string): void {
    const index = this.checkpoints.findIndex((c) => c.checkpointId === checkpointId);
    if (index >= 0) this.checkpoints = this.checkpoints.slice(0, index + 1);
  }

  /** A deep copy of the state. */
  snapshot(): ExecutionSnapshot {
    return structuredClone({
      state: this.state,
      decisions: [...this.decisions.values()],
      checkpoints: this.checkpoints,
      pendingCommands: [...this.pendingCommands.values()],
      usage: [...this.usage.values()],
    });
  }

  /** Replaces the state with a snapshot. */
  restore(snapshot: ExecutionSnapshot): void {
    this.state = snapshot.state;
    this.decisions.clear();
    for (const d of snapshot.decisions) this.decisions.set(d.decisionId, d);
    this.checkpoints = [...snapshot.checkpoints];
    this.pendingCommands.clear();
    for (const c of snapshot.pendingCommands ?? []) this.pendingCommands.set(c.commandId, c);
    this.usage.clear();
    for (const u of snapshot.usage ?? []) this.usage.set(u.model, u);
  }

  #require(states: readonly ExecutionState[], command: string): void {
    if (states.includes(this.state)) return;
    throw new SwitchboardError(
      "INVALID_STATE",
      `${command} needs the session to be ${states.join(" or ")}, but it is ${this.state}`,
    );
  }

  #rollbackTarget(command: Extract<Command, { type: "ROLLBACK" }>): Checkpoint {
    if (command.checkpointId !== undefined) {
      const found = this.checkpoints.find((c) => c.checkpointId === command.checkpointId);
      if (found) return found;
      throw new SwitchboardError(
        "CHECKPOINT_NOT_FOUND",
        `No checkpoint "${command.checkpointId}"`,
      );
    }
    const steps = command.steps ?? 1;
    const target = this.checkpoints[this.checkpoints.length - steps];
    if (target) return target;
    throw new SwitchboardError(
      "CHECKPOINT_NOT_FOUND",
      `Cannot roll back ${steps} step(s): the session has ${this.checkpoints.length} checkpoint(s)`,
    );
  }
}

const STATEFUL_EVENTS: ReadonlySet<string> = new Set([
  ...Object.keys(STATE_BY_EVENT),
  "command",
  "command:applied",
  "decision:point",
  "decision:made",
  "checkpoint:created",
  "agent:usage",
]);

/** Whether appending `event` can change an {@linkcode Execution}. */
export function changesExecution(event: string): boolean {
  return STATEFUL_EVENTS.has(event);
}
