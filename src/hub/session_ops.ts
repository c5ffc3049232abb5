/**
 * @module The operations a session's queue runs: a publish and a command, each planning the
 * entries it appends against the current execution state, then hearing how it went.
 */
import type { Command, CommandResult, ExecutionState } from "../protocol/commands.ts";
import type { StoredEvent } from "../protocol/encode.ts";
import { changesExecution, type Execution } from "./execution.ts";
import type { Actor } from "../auth/identity.ts";
import type { ValidEvent } from "../protocol/parse.ts";

/** An event an operation will append; `stateful` ones change the execution state. */
export interface Entry extends ValidEvent {
  stateful: boolean;
}

/** One queued operation. `plan` may run more than once if a shared store's head moved. */
export interface Op {
  /** Checked against the state (a command): on a shared store the state must be current. */
  checksState?: boolean;
  plan(execution: Execution): Entry[];
  settle(stored: StoredEvent[], state: ExecutionState): void;
  fail(error: unknown): void;
}

/** A publish of `events`; resolves their seqs. */
export function publishOp(
  events: readonly ValidEvent[],
  resolve: (seqs: number[]) => void,
  reject: (error: unknown) => void,
): Op {
  return {
    plan: () => events.map((e) => ({ ...e, stateful: changesExecution(e.event) })),
    settle: (stored) => resolve(stored.map((s) => s.seq)),
    fail: reject,
  };
}

/** A command by `actor`, checked against the state, recorded as `command` plus its effects. */
export function commandOp(
  actor: Actor,
  command: Command,
  options: {
    commandId: string;
    hasSkill: (name: string) => boolean;
    resolve: (result: CommandResult) => void;
    reject: (error: unknown) => void;
  },
): Op {
  const { commandId } = options;
  const { subject, role } = actor.principal;
  const by = subject === undefined ? { id: actor.id, role } : { id: actor.id, role, sub: subject };
  return {
    checksState: true,
    plan: (execution) => {
      const { args, effects } = execution.plan(command, options);
      const recorded = { commandId, type: command.type, ...args, by };
      return [
        { event: "command", payload: recorded, stateful: true },
        ...effects.map((e) => ({
          event: e.event,
          payload: { ...e.payload, commandId, by },
          stateful: true,
        })),
      ];
    },
    settle: (stored, state) =>
      options.resolve({
        success: true,
        command: command.type,
        commandId,
        state,
        seq: stored[0].seq,
      }),
    fail: options.reject,
  };
}
