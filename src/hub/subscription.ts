/**
 * @module One connection's subscription to one session: replays history after a seq, then
 * delivers live events, with no gap and no duplicate. The rule that makes this hold: the store
 * appends an event before the hub fans it out, and a subscription only ever advances its
 * position by one. A live event that would skip a seq sends it back to read the store.
 */
import { CLOSE_CODES } from "../protocol/close_codes.ts";
import { encodeSessionEvent, type StoredEvent } from "../protocol/encode.ts";
import type { EventFilter } from "../protocol/filter.ts";
import type { Connection } from "./connection.ts";

/** What a subscription reads its history from: the session it belongs to. */
export interface StreamSource {
  /** Session id. */
  readonly id: string;
  /** Highest seq already fanned out to live subscribers. */
  readonly publishedSeq: number;
  /** Reads stored events after `afterSeq`. */
  read(afterSeq: number, limit: number): Promise<StoredEvent[]>;
}

/** Outcome of bringing a subscription up to date. */
export interface CatchUpResult {
  /** Events sent during the replay (after filtering). */
  replayed: number;
  /** `false` when events after the requested seq were no longer stored. */
  recovered: boolean;
  /**
   * The position when the replay switched to live delivery: events up to it were replayed (or
   * filtered out), later ones come live. Read at the switch itself, because by the time a
   * caller resumes, live events may already have moved the position on.
   */
  headSeq: number;
}

/** Tuning for replays. */
export interface ReplayOptions {
  /** Events read from the store per batch. */
  batchSize: number;
  /** Outbound bytes above which a replay waits for the client to read. */
  highWaterBytes: number;
}

/** Delivers one session's stream to one connection. */
export class Subscription {
  /** The subscribed connection. */
  readonly connection: Connection;
  /** Which events this subscriber wants. */
  readonly filter: EventFilter;
  /** Seq of the last event considered (delivered or filtered out). */
  position: number;
  /**
   * Set once the first replay has handed over to live delivery (the subscribe was answered);
   * it stays set through later gap repairs. Presence diffs go only to live subscriptions, since
   * the answer carries the membership they apply to.
   */
  live = false;

  readonly #source: StreamSource;
  readonly #replay: ReplayOptions;
  #catchingUp = false;
  #cancelled = false;

  /** Creates a subscription positioned after `lastSeq`; call {@linkcode catchUp} to start. */
  constructor(
    connection: Connection,
    source: StreamSource,
    options: { lastSeq: number; filter: EventFilter; replay: ReplayOptions },
  ) {
    this.connection = connection;
    this.#source = source;
    this.filter = options.filter;
    this.position = options.lastSeq;
    this.#replay = options.replay;
  }

  /** Stops delivery; a running replay ends at its next batch. */
  cancel(): void {
    this.#cancelled = true;
  }

  /** Offers a live event that was just appended. Frames are shared, never re-encoded. */
  offer(stored: StoredEvent, frame: string): void {
    if (this.#catchingUp || this.#cancelled || stored.seq <= this.position) return;
    if (stored.seq !== this.position + 1) {
      // Something between our position and this event has not reached us: read it.
      this.catchUp().catch(() =>
        this.connection.close(CLOSE_CODES.INTERNAL_ERROR, "Replay failed")
      );
      return;
    }
    this.position = stored.seq;
    if (!this.filter(stored.event)) return;
    this.connection.send(frame);
    this.connection.deliveries++;
  }

  /**
   * Replays stored events after the position until it reaches what has been fanned out, then
   * switches to live delivery in the same synchronous step, so nothing falls in between.
   * `onLive` runs in that step too, so what it sends precedes every live event.
   */
  async catchUp(onLive?: (result: CatchUpResult) => void): Promise<CatchUpResult> {
    this.#catchingUp = true;
    let replayed = 0;
    let recovered = true;
    try {
      if (this.position > this.#source.publishedSeq) {
        // The client knows a longer stream than exists (e.g. the store was wiped): start over.
        this.position = 0;
        recovered = false;
      }
      const { batchSize, highWaterBytes } = this.#replay;
      while (!this.#cancelled && this.connection.isOpen) {
        // Everything fanned out before the read was issued is stored and must come back.
        const before = this.#source.publishedSeq;
        const batch = await this.#source.read(this.position, batchSize);
        if (this.#cancelled) break;
        if (batch.length > 0 && batch[0].seq !== this.position + 1) recovered = false;
        for (const stored of batch) {
          this.position = stored.seq;
          if (this.filter(stored.event)) {
            this.connection.send(encodeSessionEvent(this.#source.id, stored));
            replayed++;
          }
        }
        const published = this.#source.publishedSeq;
        if (batch.length < batchSize && this.position >= published) break;
        if (batch.length === 0) {
          // Only what was fanned out after the read was issued can be missing for good reason;
          // anything older is gone (trimmed meanwhile): skip ahead, honestly.
          if (this.position < before) {
            this.position = before;
            recovered = false;
          }
          continue;
        }
        await this.connection.drained(highWaterBytes);
      }
      const { counters } = this.connection;
      counters.replays++;
      counters.eventsReplayed += replayed;
      const result = { replayed, recovered, headSeq: this.position };
      if (!this.#cancelled) this.live = true;
      onLive?.(result);
      return result;
    } finally {
      this.#catchingUp = false;
    }
  }
}
