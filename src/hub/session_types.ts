/**
 * @module The shapes a {@linkcode Session} takes and gives: what it needs from the hub, the
 * options of a subscribe and its result.
 */
import type { EventFilter } from "../protocol/filter.ts";
import type { Store } from "../store/store.ts";
import type { PresenceOptions, PresenceSnapshot } from "./presence.ts";
import type { Session } from "./session.ts";
import type { CatchUpResult, ReplayOptions } from "./subscription.ts";

/** What a session needs from the hub. */
export interface SessionContext {
  store: Store;
  clock: () => number;
  hasSkill: (name: string) => boolean;
  replay: ReplayOptions;
  newId: () => string;
  /** Called when a shared store says the session was deleted on another node. */
  onGone?: (session: Session) => void;
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

/** Options of {@linkcode Session.subscribe}. */
export interface AttachOptions {
  /** Replay after this seq. */
  lastSeq: number;
  /** `false` when the caller already knows the resume cannot be complete (another epoch). */
  recovered: boolean;
  /** Which events the subscriber wants. */
  filter: EventFilter;
  /** Runs at the switch from replay to live (see `Subscription.catchUp`). */
  onLive?: (result: SubscribeResult) => void;
}
