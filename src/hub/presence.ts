/**
 * @module Batched presence for one session. Joins and leaves are collected and announced as one
 * `presence` diff per interval to the session's subscribers, so N connections joining cost
 * about one frame per subscriber per interval instead of one per join (N²/2 frames for N joins).
 *
 * The invariant a client relies on: the membership in a subscriber's `subscribed` answer is the
 * one as of the last diff sent, so that answer followed by every later diff is the session's
 * membership. Above `listLimit` members, lists give way to counts (a list of thousands of
 * members, sent to each of thousands of members, would be N² again, in bytes), and the interval
 * grows with the membership (`intervalMs × count / listLimit`), so that a session's presence
 * costs at most about `listLimit` frames per `intervalMs` whatever its size: otherwise a storm
 * of joins lasting T seconds would still cost N frames every interval, O(N·T).
 */
import type { Role } from "../protocol/envelope.ts";
import { encodeFrame } from "../protocol/encode.ts";

/** A subscriber as presence names it. */
export interface Member {
  /** The connection's id. */
  id: string;
  /** The connection's role. */
  role: Role;
}

/** Who is attached, as told to a new subscriber in its `subscribed` answer. */
export interface PresenceSnapshot {
  /** Subscribers of the session as of the last `presence` frame. */
  count: number;
  /** Those subscribers, when there are at most `listLimit` of them. */
  members?: Member[];
}

/**
 * The payload of a `presence` frame: what changed since the previous one. A frame carries the
 * lists `joined` and `left` while the session stays within `listLimit` members, the whole
 * `members` list when it comes back within the limit, and only `count` above it.
 */
export interface PresenceDiff {
  /** Subscribers now. */
  count: number;
  /** Connections that subscribed since the previous frame. */
  joined?: Member[];
  /** Ids of connections that left since the previous frame. */
  left?: string[];
  /** Every subscriber: replaces what the receiver had (after a stretch of counts only). */
  members?: Member[];
}

/** Options of {@linkcode Presence}. */
export interface PresenceOptions {
  /**
   * Milliseconds a change waits to be announced with the others of its interval (longer in
   * sessions above `listLimit`, in proportion to their size).
   */
  intervalMs: number;
  /** Most members listed by name; above it, frames and snapshots carry the count only. */
  listLimit: number;
  /** Milliseconds since the epoch, for the frame's `ts`. */
  clock: () => number;
}

/** One session's presence: who has been announced, and what changed since. */
export class Presence {
  readonly #session: string;
  readonly #broadcast: (frame: string) => void;
  readonly #options: PresenceOptions;
  /** Members as of the last frame sent (what every live subscriber believes). */
  readonly #announced = new Map<string, Role>();
  /** Changes since: a role for a join, `null` for a leave; the latest change per id wins. */
  #pending = new Map<string, Role | null>();
  /** The snapshot of the current `#announced`, shared by every subscribe until it changes. */
  #snapshot: PresenceSnapshot | undefined;
  #timer: ReturnType<typeof setTimeout> | undefined;
  #stopped = false;

  /** Announces `session`'s changes through `broadcast`, which sends one frame to subscribers. */
  constructor(session: string, broadcast: (frame: string) => void, options: PresenceOptions) {
    this.#session = session;
    this.#broadcast = broadcast;
    this.#options = options;
  }

  /** A connection subscribed. */
  joined(id: string, role: Role): void {
    this.#change(id, role);
  }

  /** A connection's subscription ended. */
  left(id: string): void {
    this.#change(id, null);
  }

  /** The membership as of the last frame sent: what a new subscriber starts from. */
  snapshot(): PresenceSnapshot {
    const count = this.#announced.size;
    return this.#snapshot ??= count > this.#options.listLimit
      ? { count }
      : { count, members: this.#members() };
  }

  /** Announces the changes collected so far now (the timer calls this). */
  flush(): void {
    clearTimeout(this.#timer);
    this.#timer = undefined;
    const before = this.#announced.size;
    const joined: Member[] = [];
    const left: string[] = [];
    for (const [id, role] of this.#pending) {
      // A join and a leave within one interval cancel out: nobody was told of either.
      if (role === null) {
        if (this.#announced.delete(id)) left.push(id);
      } else if (!this.#announced.has(id)) {
        this.#announced.set(id, role);
        joined.push({ id, role });
      }
    }
    this.#pending = new Map();
    if (joined.length === 0 && left.length === 0) return;
    this.#snapshot = undefined;
    const { listLimit, clock } = this.#options;
    const count = this.#announced.size;
    const payload: PresenceDiff = count > listLimit
      ? { count }
      : before > listLimit
      ? { count, members: this.#members() }
      : { count, joined, left };
    this.#broadcast(encodeFrame("presence", payload, { session: this.#session, ts: clock() }));
  }

  /** Cancels the pending frame and announces nothing more (the session is gone or closing). */
  stop(): void {
    this.#stopped = true;
    clearTimeout(this.#timer);
    this.#timer = undefined;
    this.#pending.clear();
  }

  #change(id: string, role: Role | null): void {
    if (this.#stopped) return;
    this.#pending.set(id, role);
    if (this.#timer !== undefined) return;
    const { intervalMs, listLimit } = this.#options;
    const scale = Math.max(1, this.#announced.size / listLimit);
    this.#timer = setTimeout(() => this.flush(), intervalMs * scale);
  }

  #members(): Member[] {
    return Array.from(this.#announced, ([id, role]) => ({ id, role }));
  }
}
