/**
 * @module A live session: its execution state, subscribers and the queue through which every
 * publish and command passes. The queue gives each session one writer: operations that arrive
 * together are checked in order against the state, appended in one store call, then fanned out,
 * each event encoded once for all subscribers. On a local store, appends that change no state
 * do not wait for the one before, so the store can commit several together (group commit).
 */
import type { Command, CommandResult } from "../protocol/commands.ts";
import { encodeFrame, encodeSessionEvent, type StoredEvent } from "../protocol/encode.ts";
import { SwitchboardError } from "../protocol/errors.ts";
import type { SessionRecord, Store, StoreNotice } from "../store/store.ts";
import { StoreError } from "../store/store_error.ts";
import type { Connection } from "./connection.ts";

import { changesExecution, Execution, type ExecutionSnapshot } from "./execution.ts";
import { IdempotencyKeys, onceAcrossNodes } from "./idempotency.ts";
import { isConflict, RemoteFeed, storeFailure } from "./remote_feed.ts";
import { commandOp, type Op, planBatch, type PlannedOp, publishOp } from "./session_ops.ts";
import type { ValidEvent } from "../protocol/parse.ts";
import { Presence } from "./presence.ts";
import { type StreamSource, Subscription } from "./subscription.ts";
import type { AttachOptions, SessionContext, SubscribeResult } from "./session_types.ts";
import type { Actor } from "../auth/identity.ts";

export type { AttachOptions, SessionContext, SubscribeResult } from "./session_types.ts";

const MAX_BATCH = 512;

/** A batch whose append has started. */
interface Appending {
  planned: PlannedOp[];
  snapshot: ExecutionSnapshot | undefined;
  appended: Promise<StoredEvent[]>;
}

/** Times a batch is re-planned after losing the race for the head to another node. */
const MAX_REPLANS = 8;

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
  readonly #idempotency = new IdempotencyKeys();
  readonly #presence: Presence;
  #pending: Op[] = [];
  #draining = false;
  /** The last batch appending without waiting for the one before (see #drain). */
  #tail: Promise<void> | undefined;
  #deleted = false;
  /** Only on a store several nodes share: their appends reach this session through it. */
  readonly #remote: RemoteFeed | undefined;
  /** The seq `execution` reflects; behind `publishedSeq` never, ahead of it after a reload. */
  #stateHead: number;

  /** Creates the runtime for a stored session whose stream ends at `headSeq`. */
  constructor(record: SessionRecord, headSeq: number, context: SessionContext) {
    this.id = record.id;
    this.metadata = record.metadata;
    this.createdAt = record.createdAt;
    this.epoch = record.epoch;
    this.publishedSeq = headSeq;
    this.#stateHead = headSeq;
    this.#context = context;
    const { store } = context;
    if (store.watch) {
      const shared = store as Store & Required<Pick<Store, "watch">>;
      this.#remote = new RemoteFeed(shared, this.id, (notice) => this.#onNotice(notice));
    }
    this.#presence = new Presence(this.id, (frame) => this.#sendPresence(frame), {
      ...context.presence,
      clock: context.clock,
    });
  }

  /** Reads the stored stream (for replays). */
  read(afterSeq: number, limit: number): Promise<StoredEvent[]> {
    return this.#context.store.read(this.id, afterSeq, limit).catch((error) => {
      throw error instanceof StoreError ? storeFailure(this.id, error) : error;
    });
  }

  /** Appends events in order and resolves with their seqs once stored. */
  publish(events: readonly ValidEvent[]): Promise<number[]> {
    return new Promise((resolve, reject) => this.#enqueue(publishOp(events, resolve, reject)));
  }

  /**
   * Checks a command against the state, appends it as a `command` event with its effects and
   * resolves with the result. A repeated idempotency key gets the first answer.
   */
  command(actor: Actor, command: Command): Promise<CommandResult> {
    const { idempotencyKey: key, ...rest } = command;
    const fingerprint = JSON.stringify(rest);
    const earlier = key === undefined ? undefined : this.#idempotency.earlier(key, fingerprint);
    if (earlier) return earlier;
    const run = () =>
      new Promise<CommandResult>((resolve, reject) => {
        const { newId, hasSkill } = this.#context;
        this.#enqueue(commandOp(actor, command, { commandId: newId(), hasSkill, resolve, reject }));
      });
    const shared = this.#context.store.idempotency;
    const result = key !== undefined && shared
      ? onceAcrossNodes(shared, { session: this.id, key, fingerprint }, run)
      : run();
    if (key !== undefined) this.#idempotency.remember(key, fingerprint, result);
    return result;
  }

  /** Subscribes a connection after `lastSeq`; resolves once the replay is done and live. */
  subscribe(connection: Connection, options: AttachOptions): Promise<SubscribeResult> {
    if (this.#deleted) throw new SwitchboardError("SESSION_NOT_FOUND", `No session "${this.id}"`);
    if (!this.#remote) return this.#attach(connection, options);
    // Watch first, then read what other nodes appended: nothing falls in between.
    this.#remote.start();
    return this.refresh().then(() => {
      if (this.#deleted) throw new SwitchboardError("SESSION_NOT_FOUND", `No session "${this.id}"`);
      const result = this.#attach(connection, options);
      if (!connection.isOpen) this.unsubscribe(connection);
      return result;
    }, (error) => {
      if (this.subscribers.size === 0) this.#remote?.stop();
      throw error;
    });
  }

  /**
   * On a shared store, catches up with what other nodes appended (through the queue, so no
   * commit runs meanwhile); rejects with a coded error when the store cannot be read.
   */
  refresh(): Promise<void> {
    if (!this.#remote) return Promise.resolve();
    const synced = this.#remote.request();
    if (!this.#draining) void this.#drain();
    return synced;
  }

  #attach(connection: Connection, options: AttachOptions): Promise<SubscribeResult> {
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
    // Without local subscribers there is nobody to deliver to: stop listening to other nodes.
    if (this.subscribers.size === 0) this.#remote?.stop();
    return true;
  }

  /** Stops the session's timers (the hub is shutting down); nothing more is announced. */
  close(): void {
    this.#presence.stop();
  }

  /** Tells subscribers the session is gone, drops them and fails queued operations. */
  markDeleted(): void {
    this.#deleted = true;
    this.#remote?.stop();
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
      while (this.#pending.length > 0 || this.#remote?.wanted) {
        if (this.#remote?.wanted) await this.#syncRemote(this.#remote);
        if (this.#pending.length === 0) continue;
        const batch = this.#pending.length <= MAX_BATCH
          ? this.#pending
          : this.#pending.slice(0, MAX_BATCH);
        this.#pending = this.#pending.length <= MAX_BATCH ? [] : this.#pending.slice(MAX_BATCH);
        // On a local store, a batch that leaves the state alone need not wait for the append
        // before it: both join the store's next transaction (group commit) and finish in order.
        // A batch that changes the state waits, and holds later ones, so it plans on what is
        // stored and can be undone alone.
        if (!this.#remote && !batch.some((op) => op.changesState)) this.#overlap(batch);
        else {
          await this.#tail;
          await this.#commit(batch);
        }
      }
    } finally {
      this.#draining = false;
    }
  }

  /** Starts the append of `batch` now; it finishes after every earlier overlapping one. */
  #overlap(batch: Op[]): void {
    const appending = this.#begin(batch);
    if (!appending) return;
    // Marked handled now: the failure is read when this batch's turn to finish comes.
    appending.appended.catch(() => {});
    const finish = () => this.#finish(appending, 0);
    this.#tail = this.#tail === undefined ? finish() : this.#tail.then(finish, finish);
  }

  async #commit(batch: Op[], replans = 0): Promise<void> {
    if (this.#remote && !this.#deleted && replans === 0 && batch.some((op) => op.checksState)) {
      // A refusal must not come from a stale view: catch up with the stored state first.
      try {
        if (await this.#context.store.head(this.id) > this.#stateHead) {
          this.#stateHead = await this.#remote.reloadState(this.execution, this.epoch);
        }
      } catch (cause) {
        const error = storeFailure(this.id, cause);
        for (const op of batch) op.fail(error);
        return;
      }
    }
    const appending = this.#begin(batch);
    if (appending) await this.#finish(appending, replans);
  }

  /** Plans `batch` against the state and starts its append; `undefined` if nothing to append. */
  #begin(batch: Op[]): Appending | undefined {
    if (this.#deleted) {
      const gone = new SwitchboardError("SESSION_NOT_FOUND", `Session "${this.id}" was deleted`);
      for (const op of batch) op.fail(gone);
      return undefined;
    }
    const { records, planned, snapshot } = planBatch(batch, this.execution, this.#context.clock());
    if (records.length === 0) return undefined;
    const state = snapshot === undefined ? undefined : this.execution.snapshot();
    let appended: Promise<StoredEvent[]>;
    try {
      appended = this.#context.store.append(this.id, records, {
        state,
        // Shared store: a state change was planned against #stateHead and must land right
        // after it; events that change no state may land after whatever another node added.
        ...(this.#remote ? { epoch: this.epoch } : {}),
        ...(this.#remote && snapshot ? { expectedHead: this.#stateHead } : {}),
      });
    } catch (cause) {
      appended = Promise.reject(cause);
    }
    return { planned, snapshot, appended };
  }

  /** Waits for a begun append, then delivers and settles it (or re-plans, or fails it). */
  async #finish({ planned, snapshot, appended }: Appending, replans: number): Promise<void> {
    let stored: StoredEvent[];
    try {
      stored = await appended;
    } catch (cause) {
      if (snapshot) this.execution.restore(snapshot);
      let failure = cause;
      if (this.#remote && replans < MAX_REPLANS && isConflict(cause)) {
        // Another node appended first: take the state it left and plan the batch again.
        failure = await this.#remote.reloadState(this.execution, this.epoch).then((head) => {
          this.#stateHead = head;
        }, (error) => error);
        if (failure === undefined) return this.#commit(planned.map((p) => p.op), replans + 1);
      }
      const error = storeFailure(this.id, failure);
      for (const { op } of planned) op.fail(error);
      if (this.#remote && error.code === "SESSION_NOT_FOUND") this.#context.onGone?.(this);
      return;
    }
    if (this.#remote && stored[0].seq > this.publishedSeq + 1) {
      // Other nodes appended since we last looked: deliver theirs first, in seq order.
      await this.#deliverRemote(this.#remote, stored[0].seq - 1).catch(() => {});
    }
    // The state moves past our events only if nothing of another node's lies in between.
    if (stored[0].seq === this.#stateHead + 1) this.#stateHead = stored.at(-1)!.seq;
    if (!this.#remote || stored[0].seq === this.publishedSeq + 1) {
      for (const event of stored) this.#fanOut(event);
    } else {
      // The gap could not be read now: leave these for the next sync, never deliver a hole.
      this.#remote.want(true);
    }
    for (const { op, from, to, state } of planned) op.settle(stored.slice(from, to), state);
  }

  /** A notice from the shared store: ask the queue to read, or drop the session. */
  #onNotice(notice: StoreNotice): void {
    if (this.#deleted || !this.#remote) return;
    if (notice.kind !== "resync" && notice.epoch !== this.epoch) return;
    if (notice.kind === "deleted") {
      this.#context.onGone?.(this);
      return;
    }
    if (notice.kind === "append" && notice.head <= this.publishedSeq) return;
    this.#remote.want(notice.kind === "resync", notice.kind === "append" ? notice.head : 0);
    if (!this.#draining) void this.#drain();
  }

  /** Reads what other nodes appended and delivers it; settles whoever waited for it. */
  async #syncRemote(remote: RemoteFeed): Promise<void> {
    const { forced, noticed, settle } = remote.take();
    try {
      if (this.subscribers.size === 0) {
        // Nobody here to deliver to: take the state the store holds and move to its head.
        this.#stateHead = await remote.reloadState(this.execution, this.epoch);
        this.publishedSeq = Math.max(this.publishedSeq, this.#stateHead);
      } else if (forced || noticed > this.publishedSeq) {
        // A notice of an append already delivered (usually our own) needs no read.
        await this.#deliverRemote(remote, Infinity);
      }
      settle();
    } catch (cause) {
      const error = storeFailure(this.id, cause);
      if (error.code === "SESSION_NOT_FOUND") this.#context.onGone?.(this);
      settle(error);
    }
  }

  /** Delivers stored events after `publishedSeq` up to `upTo`, keeping the state in step. */
  async #deliverRemote(remote: RemoteFeed, upTo: number): Promise<void> {
    await remote.readRange(this.publishedSeq, upTo, (event) => {
      if (event.seq === this.#stateHead + 1) {
        if (changesExecution(event.event)) {
          this.execution.apply(event.event, JSON.parse(event.data));
        }
        this.#stateHead = event.seq;
      }
      this.#fanOut(event);
    });
  }

  #fanOut(stored: StoredEvent): void {
    this.publishedSeq = stored.seq;
    if (this.subscribers.size === 0) return;
    const frame = encodeSessionEvent(this.id, stored);
    for (const subscription of this.subscribers.values()) subscription.offer(stored, frame);
  }
}
