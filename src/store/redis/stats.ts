/**
 * @module What one node's Redis store has done, as plain counters for `/metrics` to read when
 * scraped (so the store pays an integer increment per operation): notices from the other nodes,
 * resyncs after a (re)subscription, stream reads, appends and the head races they lost, commands
 * that failed because Redis was away, and the state of both connections.
 */
import type { Redis } from "ioredis";

/** Kinds of pub/sub notice a node receives. */
export type NoticeKind = "append" | "deleted";

/** The two connections of a node. */
export type ConnectionName = "commands" | "pubsub";

/** Counters of one Redis store; read them, never write them from outside the store. */
export class RedisStats {
  /** Notices received on the session channels this node watches, by kind. */
  readonly notices: Map<NoticeKind, number> = new Map([["append", 0], ["deleted", 0]]);
  /**
   * Watchers told to read the stream whatever the notices said, because notices may have been
   * missed: after a channel was (re)subscribed, e.g. when the pub/sub connection came back.
   */
  resyncs = 0;
  /** `XRANGE` reads of a session stream (replays to subscribers, and catching up with appends
   * of other nodes), and the events they returned. */
  streamReads = 0;
  eventsRead = 0;
  /** Append scripts run, events they stored, and appends refused because another node had
   * moved the head first (the hub re-plans those). */
  appends = 0;
  eventsAppended = 0;
  appendConflicts = 0;
  /** Commands that failed because Redis could not be reached (answered `STORE_UNAVAILABLE`). */
  unavailable = 0;
  /** Times each connection came back after being lost. */
  readonly reconnects: Map<ConnectionName, number> = new Map([["commands", 0], ["pubsub", 0]]);
  readonly #connections: Map<ConnectionName, Redis>;

  /** Watches the state of both connections (both ready already, as the store opens them). */
  constructor(client: Redis, subscriber: Redis) {
    this.#connections = new Map([["commands", client], ["pubsub", subscriber]]);
    for (const [name, connection] of this.#connections) {
      // Every `ready` after the first follows an outage.
      let first = connection.status !== "ready";
      connection.on("ready", () => {
        if (!first) this.reconnects.set(name, (this.reconnects.get(name) ?? 0) + 1);
        first = false;
      });
    }
  }

  /** Whether `connection` is connected and ready for commands now. */
  connected(connection: ConnectionName): boolean {
    return this.#connections.get(connection)?.status === "ready";
  }

  /** Counts one notice received. */
  noticed(kind: NoticeKind): void {
    this.notices.set(kind, (this.notices.get(kind) ?? 0) + 1);
  }
}
