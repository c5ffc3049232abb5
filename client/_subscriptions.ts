/**
 * @module The sessions a socket follows and where it stands in each (last seq, epoch), so every
 * (re)connection resubscribes from exactly there: the first session through the URL, the others
 * with subscribe frames.
 */
import type { Outbox } from "./_outbox.ts";
import type { SwitchboardError } from "./errors.ts";
import type { SubscribeResult } from "./protocol.ts";

/** Where the client stands in one session's stream. */
export interface Position {
  /** Seq of the last event received (or skipped by a filter on the server). */
  lastSeq: number;
  /** The epoch `lastSeq` belongs to; unknown until the first subscription completes. */
  epoch?: string;
  /** Event patterns to receive; all when absent. */
  events?: string[];
  /** Highest seq received since the last request: the resume point if the epoch changed. */
  mark?: number;
  /** Subscribed on this connection, so the epoch is known and a seq can be judged a repeat. */
  live?: boolean;
  /** Settles a pending `subscribe()` call. */
  done?: (error: SwitchboardError | null, result?: SubscribeResult) => void;
}

/** Follows sessions for one socket across its connections. */
export class Subscriptions {
  /** Positions by session id, in the order the sessions were added. */
  readonly positions: Map<string, Position> = new Map();
  /** Whether every subscription of the current connection resumed without a gap. */
  recovered = false;
  readonly #outbox: Outbox;
  readonly #changed: (session: string, result?: SubscribeResult) => void;
  #waiting = new Set<string>();
  #urlSession: string | undefined;

  /**
   * Sends through `outbox`; `changed` hears of each subscription an ack completed (with its
   * result) or failed (without).
   */
  constructor(outbox: Outbox, changed: (session: string, result?: SubscribeResult) => void) {
    this.#outbox = outbox;
    this.#changed = changed;
  }

  /** `true` when no subscription of the current connection is still replaying. */
  get settled(): boolean {
    return this.#waiting.size === 0;
  }

  /** The one session followed, if there is exactly one. */
  only(): string | undefined {
    return this.positions.size === 1 ? this.positions.keys().next().value : undefined;
  }

  /** Follows `session` from `position`; subscribes at once when `open`. */
  follow(session: string, position: Position, open: boolean): void {
    this.positions.set(session, position);
    if (open) this.#request(session);
  }

  /** Stops following `session`; a pending `subscribe()` fails with `error`. */
  drop(session: string, error: SwitchboardError): void {
    this.positions.get(session)?.done?.(error);
    this.positions.delete(session);
    this.#waiting.delete(session);
  }

  /** Fails every pending `subscribe()` (on `disconnect()`); positions are kept. */
  fail(error: SwitchboardError): void {
    for (const position of this.positions.values()) {
      position.done?.(error);
      position.done = undefined;
    }
  }

  /**
   * Records a session event; `false` when it repeats one already delivered. The server sends
   * each subscription's events once, in order, but a second subscribe on a live connection
   * replays after the seq the client had when it asked, while later events were in flight.
   */
  seen(session: string, seq: number): boolean {
    const position = this.positions.get(session);
    if (position?.live && seq <= position.lastSeq) return false;
    if (position) position.lastSeq = position.mark = seq;
    return true;
  }

  /** Puts the first session and its resume point into a connection URL's query. */
  query(params: URLSearchParams): void {
    const [session] = this.positions.keys();
    this.#urlSession = session;
    if (session === undefined) return;
    const { lastSeq, epoch, events } = this.#resume(session);
    params.set("session", session);
    params.set("lastSeq", String(lastSeq));
    if (epoch) params.set("epoch", epoch);
    if (events) params.set("events", events.join(","));
  }

  /** A connection opened: the URL's session is on its way; resubscribe all the others. */
  opened(): void {
    this.recovered = true;
    // Until its subscription settles, a session's stream may be a new epoch starting over.
    for (const position of this.positions.values()) position.live = false;
    this.#waiting = new Set(this.positions.keys());
    for (const session of this.#waiting) {
      if (session !== this.#urlSession) this.#request(session);
    }
  }

  /** Whether an `error` frame naming `session` is the URL's subscription failing. */
  isUrlSubscription(session: string | undefined): boolean {
    return session === this.#urlSession && this.#waiting.has(session!);
  }

  /**
   * Applies a subscription's result. Events replayed before it already moved `lastSeq`; a new
   * epoch means the stream started over, so only what arrived since the request counts.
   */
  settle(session: string, result: SubscribeResult): void {
    const position = this.positions.get(session);
    if (!position) return;
    const seen = result.epoch === position.epoch ? position.lastSeq : position.mark ?? 0;
    position.lastSeq = Math.max(seen, result.headSeq);
    position.epoch = result.epoch;
    position.live = true;
    position.done?.(null, result);
    position.done = undefined;
    if (this.#waiting.delete(session)) this.recovered &&= result.recovered;
  }

  #request(session: string): void {
    const id = this.#outbox.track((error, result) => {
      // A connection lost mid-replay resubscribes on the next one: the session stays followed.
      if (error?.code === "DISCONNECTED") return;
      if (error) this.drop(session, error);
      else this.settle(session, result as unknown as SubscribeResult);
      this.#changed(session, error ? undefined : result as unknown as SubscribeResult);
    });
    this.#outbox.send({ event: "subscribe", session, id, payload: this.#resume(session) });
  }

  /** The payload `{lastSeq, epoch, events}` that resumes `session`; starts a new mark. */
  #resume(session: string): { lastSeq: number; epoch?: string; events?: string[] } {
    const position = this.positions.get(session)!;
    position.mark = 0;
    return { lastSeq: position.lastSeq, epoch: position.epoch, events: position.events };
  }
}
