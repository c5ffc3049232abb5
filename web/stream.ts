/**
 * @module One session's event stream as the page holds it: the recent history from REST, then
 * live events from the shared client (which resumes after reconnects without gap or duplicate),
 * appended in one batch per animation frame so a busy session costs one render per frame; older
 * pages from REST on demand.
 */
import type { Socket } from "../client/mod.ts";
import { api } from "./api.ts";
import { Observable } from "./observable.ts";
import { type Row, toRow } from "./row.ts";

export type { Row };

/** Rows a page keeps (live and paged in); the oldest go first. About 20 MB at most. */
export const MAX_ROWS = 100_000;
const TRIM_CHUNK = 10_000;

/** Shortest time between two batches, in ms. */
const MIN_BATCH_MS = 50;

/** Options of {@linkcode SessionStream}. */
export interface StreamOptions {
  /** Live events replayed on opening (older ones come from history on demand). @default 10000 */
  initial?: number;
  /** Events per history page. @default 500 */
  pageSize?: number;
  /** Called for every new event (after its frame's batch), e.g. to close answered decisions. */
  onEvent?: (row: Row) => void;
}

/** Wire envelope of a stored event, as `GET /api/sessions/:id/events` returns it. */
interface Envelope {
  event: string;
  seq: number;
  ts: number;
  payload?: Record<string, unknown>;
}

/** A session's events, oldest first, without gaps or repeats. */
export class SessionStream extends Observable {
  /** The session's id. */
  readonly id: string;
  /** Events held, by increasing seq. */
  rows: Row[] = [];
  /** Lowest seq that history may still hold before `rows[0]`; 0 when everything is loaded. */
  olderThan = 0;
  /** Whether a history page is loading. */
  loadingOlder = false;
  /** Set when the session's stream started over (a new epoch): earlier rows were dropped. */
  restarted = false;
  /** Events received since opening (for rate displays and tests). */
  received = 0;

  readonly #socket: Socket;
  readonly #options: StreamOptions;
  #pending: Row[] = [];
  #closed = false;
  #frame = 0;
  #fallback = 0;
  #flushedAt = -Infinity;
  readonly #off: () => void;

  /** Follows `id` on `socket`, from `initial` events before `headSeq`. */
  constructor(socket: Socket, id: string, headSeq: number, options: StreamOptions = {}) {
    super();
    this.id = id;
    this.#socket = socket;
    this.#options = options;
    const from = Math.max(0, headSeq - (options.initial ?? 10_000));
    this.olderThan = from;
    this.#off = socket.onAny((event, payload, meta) => {
      if (meta.session !== id || meta.seq === undefined) return;
      this.#push(toRow(event, meta.seq, meta.ts ?? Date.now(), payload));
    });
    void this.#open(from, headSeq);
  }

  /**
   * Loads the events up to `headSeq` over REST (a few large pages parse far faster than
   * thousands of WebSocket frames), then subscribes from the last one loaded: the server
   * replays whatever came meanwhile, then goes live, with no gap.
   */
  async #open(from: number, headSeq: number): Promise<void> {
    let lastSeq = from;
    const limit = 1000;
    try {
      const pages = [];
      for (let after = from; after < headSeq; after += limit) pages.push(after);
      const results = await Promise.all(pages.map((after) =>
        api<{ events: Envelope[] }>(
          `/api/sessions/${encodeURIComponent(this.id)}/events?after=${after}&limit=${limit}`,
        )
      ));
      if (this.#closed) return;
      const rows = results.flatMap((r) => r.events).map((e) =>
        toRow(e.event, e.seq, e.ts, e.payload)
      );
      if (rows.length > 0) {
        this.rows = rows;
        this.received += rows.length;
        lastSeq = rows[rows.length - 1].seq;
        this.changed();
      }
    } catch {
      // The session may not exist yet (subscribing creates it): the replay brings everything.
      lastSeq = from;
    }
    if (this.#closed) return;
    this.#socket.subscribe(this.id, { lastSeq }).catch(() => {});
  }

  /**
   * Loads history back to `seq` (pages of 1,000), so the row is held; resolves `false` when that
   * would mean holding more than {@linkcode MAX_ROWS} rows.
   */
  async loadFrom(seq: number): Promise<boolean> {
    const pages = Math.ceil(Math.max(0, this.olderThan - seq + 1) / 1000);
    if (this.rows.length + pages * 1000 > MAX_ROWS) return false;
    while (this.olderThan >= seq && this.olderThan > 0) {
      const before = this.olderThan;
      await this.loadOlder(1000);
      if (this.olderThan === before) break;
    }
    return true;
  }

  /** Loads the page of history before the oldest row held. */
  async loadOlder(pageSize = this.#options.pageSize ?? 500): Promise<void> {
    if (this.olderThan <= 0 || this.loadingOlder) return;
    this.loadingOlder = true;
    this.changed();
    try {
      const limit = Math.min(pageSize, this.olderThan);
      const after = this.olderThan - limit;
      const { events } = await api<{ events: Envelope[] }>(
        `/api/sessions/${encodeURIComponent(this.id)}/events?after=${after}&limit=${limit}`,
      );
      const first = this.rows[0]?.seq ?? Infinity;
      const older = events.filter((e) => e.seq < first).map((e) =>
        toRow(e.event, e.seq, e.ts, e.payload)
      );
      this.rows = [...older, ...this.rows];
      this.olderThan = after;
    } finally {
      this.loadingOlder = false;
      this.changed();
    }
  }

  /** Stops following and releases the subscription. */
  close(): void {
    this.#closed = true;
    this.#off();
    cancelAnimationFrame(this.#frame);
    clearTimeout(this.#fallback);
    this.#socket.unsubscribe(this.id).catch(() => {});
  }

  #push(row: Row): void {
    this.#pending.push(row);
    if (this.#pending.length > 1) return;
    this.#frame = requestAnimationFrame(() => this.#onFrame());
    // Hidden tabs get no animation frames: still flush, a few times a second.
    this.#fallback = setTimeout(() => this.#flush(), 250);
  }

  /** Appends the frame's batch: one change notification, so one render, per frame. */
  /**
   * At most one batch per {@linkcode MIN_BATCH_MS}: a stream arriving faster than anyone reads
   * then costs about twenty renders a second instead of one per display frame.
   */
  #onFrame(): void {
    if (performance.now() - this.#flushedAt < MIN_BATCH_MS) {
      this.#frame = requestAnimationFrame(() => this.#onFrame());
    } else this.#flush();
  }

  #flush(): void {
    this.#flushedAt = performance.now();
    cancelAnimationFrame(this.#frame);
    clearTimeout(this.#fallback);
    if (this.#pending.length === 0) return;
    const batch = this.#pending;
    this.#pending = [];
    for (const row of batch) {
      const last = this.rows.length > 0 ? this.rows[this.rows.length - 1].seq : 0;
      if (row.seq <= last) {
        // Seq 1 again: the stream started over (a new epoch). Anything else lower is a frame
        // of an earlier subscription still in flight, already held.
        if (row.seq !== 1) continue;
        this.rows = [];
        this.olderThan = 0;
        this.restarted = true;
      }
      this.rows.push(row);
      this.received++;
      this.#options.onEvent?.(row);
    }
    // Bounded: past the limit the oldest rows go, in chunks (one copy per 10,000 events), and
    // can be paged back in from the history.
    if (this.rows.length > MAX_ROWS + TRIM_CHUNK) {
      this.rows = this.rows.slice(-MAX_ROWS);
      this.olderThan = this.rows[0].seq - 1;
    }
    this.changed();
  }
}
