/**
 * @module Pub/sub notices between nodes. A channel is subscribed only while this node has a
 * watcher for the session. Notices are hints: after a (re)subscription is confirmed every
 * watcher of the channel gets a `resync`, so whatever was published while the subscription
 * was down is read from the stream instead of being lost.
 */
import type { Redis } from "ioredis";
import type { StoreNotice } from "../store.ts";
import type { RedisStats } from "./stats.ts";

type Listener = (notice: StoreNotice) => void;

/** Parses a channel message (`a <epoch> <head>` or `d <epoch>`). */
export function parseNotice(message: string): StoreNotice | undefined {
  const [kind, epoch, head] = message.split(" ");
  if (kind === "a" && epoch && Number.isSafeInteger(Number(head))) {
    return { kind: "append", epoch, head: Number(head) };
  }
  if (kind === "d" && epoch) return { kind: "deleted", epoch };
  return undefined;
}

/** Routes channel messages to the watchers of each channel. */
export class RedisFanOut {
  readonly #subscriber: Redis;
  readonly #listeners = new Map<string, Set<Listener>>();
  readonly #stats: RedisStats | undefined;
  #connectedBefore = false;
  #closed = false;

  /** Listens on `subscriber`, a connection used for nothing else; counts into `stats`. */
  constructor(subscriber: Redis, stats?: RedisStats) {
    this.#subscriber = subscriber;
    this.#stats = stats;
    subscriber.on("message", (channel: string, message: string) => {
      const notice = parseNotice(message);
      if (!notice) return;
      if (notice.kind !== "resync") this.#stats?.noticed(notice.kind);
      this.#emit(channel, notice);
    });
    subscriber.on("ready", () => {
      // The first ready is the initial connect; later ones follow an outage.
      if (this.#connectedBefore) void this.#resubscribe();
      this.#connectedBefore = true;
    });
    if (subscriber.status === "ready") this.#connectedBefore = true;
  }

  /** Calls `listener` for notices on `channel`; returns the disposer. */
  watch(channel: string, listener: Listener): () => void {
    let listeners = this.#listeners.get(channel);
    if (!listeners) {
      listeners = new Set();
      this.#listeners.set(channel, listeners);
      this.#subscribe([channel]);
    }
    listeners.add(listener);
    return () => {
      const current = this.#listeners.get(channel);
      if (!current?.delete(listener) || current.size > 0) return;
      this.#listeners.delete(channel);
      if (!this.#closed) this.#subscriber.unsubscribe(channel).catch(() => {});
    };
  }

  /** Forgets every watcher. */
  close(): void {
    this.#closed = true;
    this.#listeners.clear();
  }

  /** Subscribes, then tells the channels' watchers to read what they may have missed. */
  #subscribe(channels: string[]): void {
    this.#subscriber.subscribe(...channels).then(
      () => {
        for (const channel of channels) {
          if (this.#stats) this.#stats.resyncs += this.#listeners.get(channel)?.size ?? 0;
          this.#emit(channel, { kind: "resync" });
        }
      },
      // Offline: the next `ready` subscribes again and resyncs.
      () => {},
    );
  }

  /**
   * After a reconnect ioredis resubscribes on its own; subscribing again (idempotent) gives a
   * reply that proves the subscription is in force before the watchers read the gap.
   */
  #resubscribe(): void {
    const channels = [...this.#listeners.keys()];
    if (channels.length > 0 && !this.#closed) this.#subscribe(channels);
  }

  #emit(channel: string, notice: StoreNotice): void {
    for (const listener of this.#listeners.get(channel) ?? []) listener(notice);
  }
}
