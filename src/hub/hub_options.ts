/**
 * @module The options of the hub and of its subscribe operation, with their defaults.
 */
import type { Store } from "../store/store.ts";
import type { HubCounters, HubObserver } from "./counters.ts";
import type { SubscribeResult } from "./session.ts";

/** Options of {@linkcode Hub}. */
export interface HubOptions {
  /** Where session streams live. */
  store: Store;
  /**
   * Milliseconds between heartbeat pings; 0 turns the heartbeat off.
   * @default 25000
   */
  heartbeatMs?: number;
  /**
   * Outbound bytes a connection may have queued before it is closed as a slow consumer.
   * @default 8388608 (8 MiB)
   */
  maxBufferedBytes?: number;
  /**
   * Events read from the store per replay batch.
   * @default 500
   */
  replayBatchSize?: number;
  /** Whether a skill is registered (INJECT needs one). @default () => false */
  hasSkill?: (name: string) => boolean;
  /** Milliseconds since the epoch, for event timestamps. @default Date.now */
  clock?: () => number;
  /** Monotonic milliseconds with sub-ms precision, for round trips. @default performance.now */
  monotonicClock?: () => number;
  /**
   * Sessions one connection may subscribe to.
   * @default 100
   */
  maxSessionsPerConnection?: number;
  /** Makes unique ids for connections, sessions and commands. @default crypto.randomUUID */
  newId?: () => string;
  /**
   * Milliseconds joins and leaves are collected before one `presence` frame announces them.
   * @default 100
   */
  presenceIntervalMs?: number;
  /**
   * Most subscribers presence lists by name; a larger session gets counts only.
   * @default 100
   */
  presenceListLimit?: number;
  /** Totals for metrics, bumped as things happen. @default a fresh HubCounters */
  counters?: HubCounters;
  /** Told of connections, commands, confirmations and round trips. @default none */
  observer?: HubObserver;
}

/** Options of {@linkcode Hub.subscribe}. */
export interface SubscribeOptions {
  /** Replay events after this seq. @default 0 */
  lastSeq?: number;
  /** The stream epoch `lastSeq` belongs to; a different one replays from the start. */
  epoch?: string;
  /** Event patterns to receive; orchestrators default to `["command"]`, others to all. */
  events?: readonly string[];
  /**
   * Called at the instant the replay ends and live delivery begins, before any live event:
   * the place to send the subscribe ack.
   */
  onLive?: (result: SubscribeResult) => void;
}
