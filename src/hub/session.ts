/**
 * @module A live session: its execution state, subscribers and the queue through which every
 * publish and command passes. The queue gives each session one writer: operations that arrive
 * together are checked in order against the state, appended in one store call (group commit),
 * then fanned out, each event encoded once for all subscribers.
 */
import type { Command, CommandResult, ExecutionState } from "../protocol/commands.ts";
import { encodeFrame, encodeSessionEvent, type StoredEvent } from "../protocol/encode.ts";
import { SwitchboardError } from "../protocol/errors.ts";
import type { EventFilter } from "../protocol/filter.ts";
import type { ValidEvent } from "../protocol/parse.ts";
import type { NewEvent, SessionRecord, Store } from "../store/store.ts";
import type { Connection } from "./connection.ts";
import { changesExecution, Execution, type ExecutionSnapshot } from "./execution.ts";
import { BoundedMap } from "./bounded_map.ts";
import { Presence, type PresenceOptions, type PresenceSnapshot } from "./presence.ts";
import {
  type CatchUpResult,
  type ReplayOptions,
  type StreamSource,
  Subscription,
} from "./subscription.ts";
import type { Actor } from "../auth/identity.ts";

/** What a session needs from the hub. */
export interface SessionContext {
  store: Store;
  clock: () => number;
  hasSkill: (name: string) => boolean;
  replay: ReplayOptions;
  newId: () => string;
  /** Presence batching: the interval and the size above which only counts are sent. */
  presence: Omit<PresenceOptions, "clock">;
}

/** The result of a subscribe: what was replayed and where live delivery starts. */
export interface SubscribeResult extends CatchUpResult {
  /** Seq after which live events follow. */
  headSeq: number;
  /** The stream's epoch; send it back with `lastSeq` when resuming. */
  epoch: string;
  /** Who is attached as of the last `presence` frame; later frames are changes to it. */
  presence: PresenceSnapshot;
}

interface Entry extends ValidEvent {
  stateful: boolean;
}

interface Op {
  plan(execution: Execution): Entry[];
  settle(stored: StoredEvent[], state: ExecutionState): void;
  fail(error: unknown): void;
}

const MAX_BATCH = 512;
const MAX_IDEMPOTENCY_KEYS = 1000;

/** One session's runtime state. */
export class Session implements StreamSource {
  /** Session id. */
  readonly id: string;
  /** Metadata given at creation. */
  readonly metadata: Record<string, unknown>;
  /** Creation time, milliseconds since the epoch. */
  readonly createdAt: number;
  /** This incarnation of the stream. */
  readonly epoch: string;
  /** Execution state, open decisions and checkpoints. */
  readonly execution = new Execution();
  /** Subscribers by connection. */
  readonly subscribers = new Map<Connection, Subscription>();
  /** Highest seq fanned out to subscribers. */
  publishedSeq: number;

  readonly #context: SessionContext;
  readonly #idempotency = new BoundedMap<
    string,
    { fingerprint: string; result: Promise<CommandResult> }
  >(
    MAX_IDEMPOTENCY_KEYS,
  );
  readonly #presence: Presence;
  #pending: Op[] = [];
  #draining = false;
  #deleted = false;

  /** Creates the runtime for a stored session whose stream ends at `headSeq`. */
  constructor(record: SessionRecord, headSeq: number, context: SessionContext) {
    this.id = record.id;
    this.metadata = record.metadata;
    this.createdAt = record.createdAt;
    this.epoch = record.epoch;
    this.publishedSeq = headSeq;
    this.#context = context;
    this.#presence = new Presence(this.id, (frame) => this.#sendPresence(frame), {
      ...context.presence,
      clock: context.clock,
    });
  }

  /** Reads the stored stream (for replays). */
  read(afterSeq: number, limit: number): Promise<StoredEvent[]> {
    return this.#context.store.read(this.id, afterSeq, limit);
  }

  /** Appends events in order and resolves with their seqs once stored. */
  publish(events: readonly ValidEvent[]): Promise<number[]> {
    return new Promise((resolve, reject) => {
      this.#enqueue({
        plan: () => events.map((e) => ({ ...e, stateful: changesExecution(e.event) })),
        settle: (stored) => resolve(stored.map((s) => s.seq)),
        fail: reject,
      });
    });
  }

  /**
   * Checks a command against the state, appends it as a `command` event with its effects and
   * resolves with the result. A repeated idempotency key gets the first answer.
   */
  command(actor: Actor, command: Command): Promise<CommandResult> {
    const { idempotencyKey: key, ...rest } = command;
    const fingerprint = JSON.stringify(rest);
    const earlier = key === undefined ? undefined : this.#idempotency.get(key);
    if (earlier && earlier.fingerprint !== fingerprint) {
      return Promise.reject(
        new SwitchboardError(
          "IDEMPOTENCY_CONFLICT",
          `Idempotency key "${key}" was used for a different command`,
        ),
      );
    }
    if (earlier) return earlier.result;
    const result = new Promise<CommandResult>((resolve, reject) => {
      const commandId = this.#context.newId();
      const { subject, role } = actor.principal;
      const by = subject === undefined
        ? { id: actor.id, role }
        : { id: actor.id, role, sub: subject };
      this.#enqueue({
        plan: (execution) => {
          const { args, effects } = execution.plan(command, this.#context);
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
          resolve({ success: true, command: command.type, commandId, state, seq: stored[0].seq }),
        fail: reject,
      });
    });
    if (key !== undefined) {
      this.#idempotency.set(key, { fingerprint, result });
      // A failure to store is not an answer: let a retry with the same key try again.
      result.catch((error) => {
        if (error instanceof SwitchboardError && error.code === "STORE_FAILED") {
          this.#idempotency.delete(key);
        }
      });
    }
    return result;
  }

  /** Subscribes a connection after `lastSeq`; resolves once the replay is done and live. */
  subscribe(
    connection: Connection,
    options: {
      lastSeq: number;
      recovered: boolean;
      filter: EventFilter;
      onLive?: (result: SubscribeResult) => void;
    },
  ): Promise<SubscribeResult> {
    if (this.#deleted) throw new SwitchboardError("SESSION_NOT_FOUND", `No session "${this.id}"`);
    const previous = this.subscribers.get(connection);
    previous?.cancel();
    const subscription = new Subscription(connection, this, {
      lastSeq: options.lastSeq,
      filter: options.filter,
      replay: this.#context.replay,
    });
    this.subscribers.set(connection, subscription);
    connection.subscriptions.set(this.id, subscription);
    if (!previous) this.#presence.joined(connection.id, connection.role);
    let subscribed: SubscribeResult | undefined;
    return subscription.catchUp((result) => {
      subscribed = {
        ...result,
        recovered: result.recovered && options.recovered,
        epoch: this.epoch,
        presence: this.#presence.snapshot(),
      };
      options.onLive?.(subscribed);
    }).then(() => subscribed!);
  }

  /** Removes a connection's subscription; returns `false` when it had none. */
  unsubscribe(connection: Connection): boolean {
    const subscription = this.subscribers.get(connection);
    if (!subscription) return false;
    subscription.cancel();
    this.subscribers.delete(connection);
    connection.subscriptions.delete(this.id);
    this.#presence.left(connection.id);
    return true;
  }

  /** Stops the session's timers (the hub is shutting down); nothing more is announced. */
  close(): void {
    this.#presence.stop();
  }

  /** Tells subscribers the session is gone, drops them and fails queued operations. */
  markDeleted(): void {
    this.#deleted = true;
    this.#presence.stop();
    const frame = encodeFrame("session:deleted", {}, {
      session: this.id,
      ts: this.#context.clock(),
    });
    for (const [connection, subscription] of this.subscribers) {
      subscription.cancel();
      connection.subscriptions.delete(this.id);
      connection.send(frame);
    }
    this.subscribers.clear();
  }

  /** One encoded `presence` frame to every live subscriber whose filter takes it. */
  #sendPresence(frame: string): void {
    for (const [connection, subscription] of this.subscribers) {
      if (subscription.live && subscription.filter("presence")) connection.send(frame);
    }
  }

  #enqueue(op: Op): void {
    this.#pending.push(op);
    if (!this.#draining) void this.#drain();
  }

  async #drain(): Promise<void> {
    this.#draining = true;
    try {
      while (this.#pending.length > 0) {
        const batch = this.#pending.length <= MAX_BATCH
          ? this.#pending
          : this.#pending.slice(0, MAX_BATCH);
        this.#pending = this.#pending.length <= MAX_BATCH ? [] : this.#pending.slice(MAX_BATCH);
        await this.#commit(batch);
      }
    } finally {
      this.#draining = false;
    }
  }

  async #commit(batch: Op[]): Promise<void> {
    if (this.#deleted) {
      const gone = new SwitchboardError("SESSION_NOT_FOUND", `Session "${this.id}" was deleted`);
      for (const op of batch) op.fail(gone);
      return;
    }
    const ts = this.#context.clock();
    const records: NewEvent[] = [];
    const planned: { op: Op; from: number; to: number; state: ExecutionState }[] = [];
    let snapshot: ExecutionSnapshot | undefined;
    for (const op of batch) {
      let entries: Entry[];
      try {
        entries = op.plan(this.execution);
      } catch (error) {
        op.fail(error);
        continue;
      }
      const from = records.length;
      for (const entry of entries) {
        if (entry.stateful) {
          snapshot ??= this.execution.snapshot();
          this.execution.apply(entry.event, entry.payload);
        }
        records.push({ event: entry.event, data: JSON.stringify(entry.payload), ts });
      }
      planned.push({ op, from, to: records.length, state: this.execution.state });
    }
    if (records.length === 0) return;
    let stored: StoredEvent[];
    try {
      const state = snapshot === undefined ? undefined : this.execution.snapshot();
      stored = await this.#context.store.append(this.id, records, { state });
    } catch (cause) {
      if (snapshot) this.execution.restore(snapshot);
      const error = new SwitchboardError("STORE_FAILED", "The event could not be stored", {
        cause,
      });
      for (const { op } of planned) op.fail(error);
      return;
    }
    for (const event of stored) this.#fanOut(event);
    for (const { op, from, to, state } of planned) op.settle(stored.slice(from, to), state);
  }

  #fanOut(stored: StoredEvent): void {
    this.publishedSeq = stored.seq;
    if (this.subscribers.size === 0) return;
    const frame = encodeSessionEvent(this.id, stored);
    for (const subscription of this.subscribers.values()) subscription.offer(stored, frame);
  }
}
