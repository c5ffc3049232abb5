/**
 * @module Per-session activity for session lists: when the last event was appended and how many
 * events per second arrive. O(1) per append; memory is one small record per active session.
 */

/** What {@linkcode ActivityMeter.of} reports for one session. */
export interface Activity {
  /** Server time of the last append seen since start, ms since the epoch; `null` if none yet. */
  lastEventAt: number | null;
  /** Events appended per second, over the last whole window. */
  eventsPerSecond: number;
}

interface Counter {
  lastAt: number;
  /** Start of the window being counted. */
  windowStart: number;
  count: number;
  /** Count of the window before it. */
  previous: number;
}

/** Counts appends per session in fixed windows; the rate is the last complete window's. */
export class ActivityMeter {
  readonly #records = new Map<string, Counter>();
  readonly #windowMs: number;

  /** `windowMs`: the window the rate is measured over. @default 2000 */
  constructor(windowMs = 2_000) {
    this.#windowMs = windowMs;
  }

  /** Notes `count` events appended to `sessionId` at `now`. */
  record(sessionId: string, count: number, now: number): void {
    const record = this.#records.get(sessionId);
    if (!record) {
      this.#records.set(sessionId, { lastAt: now, windowStart: now, count, previous: 0 });
      return;
    }
    this.#roll(record, now);
    record.count += count;
    record.lastAt = now;
  }

  /** The activity of `sessionId` as of `now`. */
  of(sessionId: string, now: number): Activity {
    const record = this.#records.get(sessionId);
    if (!record) return { lastEventAt: null, eventsPerSecond: 0 };
    this.#roll(record, now);
    const rate = record.previous / (this.#windowMs / 1000);
    return { lastEventAt: record.lastAt, eventsPerSecond: Math.round(rate * 10) / 10 };
  }

  /** Forgets a deleted session. */
  forget(sessionId: string): void {
    this.#records.delete(sessionId);
  }

  /** Moves the window forward to contain `now`; a silent window in between counts as zero. */
  #roll(record: Counter, now: number): void {
    const elapsed = now - record.windowStart;
    if (elapsed < this.#windowMs) return;
    record.previous = elapsed < 2 * this.#windowMs ? record.count : 0;
    record.count = 0;
    record.windowStart = now - (elapsed % this.#windowMs);
  }
}
