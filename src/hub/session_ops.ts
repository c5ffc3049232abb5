/**
 * @module The operations a session's queue runs: a publish and a command, each planning the
 * entries it appends against the current execution state, then hearing how it went.
 */
import type { Command, CommandResult, ExecutionState } from "../protocol/commands.ts";
import type { StoredEvent } from "../protocol/encode.ts";
import type { NewEvent } from "../store/store.ts";
import { changesExecution, type Execution, type ExecutionSnapshot } from "./execution.ts";
import type { Actor } from "../auth/identity.ts";
import type { ValidEvent } from "../protocol/parse.ts";

/**
 * An event an operation will append; `stateful` ones change the execution state (when it is
 * not given, the event's name says: see {@linkcode changesExecution}).
 */
export interface Entry extends ValidEvent {
  stateful?: boolean;
}

/** One queued operation. `plan` may run more than once if a shared store's head moved. */
export interface Op {
  /** Checked against the state (a command): on a shared store the state must be current. */
  checksState?: boolean;
  /** Whether its entries may change the execution state (then it waits for earlier appends). */
  changesState: boolean;
  plan(execution: Execution): readonly Entry[];
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
    changesState: events.some((e) => changesExecution(e.event)),
    // The events as given: whether each changes state is read from its name when planned.
    plan: () => events,
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
    changesState: true,
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

/** An operation of a planned batch, with its records' range and the state it left. */
export interface PlannedOp {
  op: Op;
  from: number;
  to: number;
  state: ExecutionState;
}

/** A batch planned against the execution state: what to append, and for whom. */
export interface PlannedBatch {
  records: NewEvent[];
  planned: PlannedOp[];
  /** The state before the batch, if the batch changed it (restored if the append fails). */
  snapshot: ExecutionSnapshot | undefined;
}

/**
 * Plans `batch` in order against `execution`, applying the state changes as it goes; an
 * operation whose plan throws is failed and left out. Each payload is serialized here, once.
 */
export function planBatch(batch: readonly Op[], execution: Execution, ts: number): PlannedBatch {
  const records: NewEvent[] = [];
  const planned: PlannedOp[] = [];
  let snapshot: ExecutionSnapshot | undefined;
  for (const op of batch) {
    let entries: readonly Entry[];
    try {
      entries = op.plan(execution);
    } catch (error) {
      op.fail(error);
      continue;
    }
    const from = records.length;
    for (const entry of entries) {
      if (entry.stateful ?? changesExecution(entry.event)) {
        snapshot ??= execution.snapshot();
        execution.apply(entry.event, entry.payload);
      }
      records.push({ event: entry.event, data: JSON.stringify(entry.payload), ts });
    }
    planned.push({ op, from, to: records.length, state: execution.state });
  }
  return { records, planned, snapshot };
}
