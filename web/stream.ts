/**
 * @module One session's event stream as the page holds it: live events from the shared client
 * (which resumes after reconnects without gap or duplicate), older pages from the REST history,
 * appended in one batch per animation frame so a busy session costs one render per frame.
 */
import type { Socket } from "../client/mod.ts";
import { api } from "./api.ts";
import { Observable } from "./observable.ts";
import { summarize } from "./summary.ts";

/** A stream entry. */
export interface Row {
  seq: number;
  event: string;
  ts: number;
  payload: Record<string, unknown>;
  /** One-line summary. */
  summary: string;
  /** Lower-case text the text filter searches: name, summary and payload. */
  haystack: string;
}

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

function toRow(event: string, seq: number, ts: number, payload: unknown): Row {
  const p = (payload ?? {}) as Record<string, unknown>;
  const summary = summarize(event, p);
  const raw = JSON.stringify(p);
  return {
    seq,
    event,
    ts,
    payload: p,
    summary,
    haystack: `${event} ${raw.length > 2000 ? raw.slice(0, 2000) : raw}`.toLowerCase(),
  };
}

/** A session's events, oldest first, without gaps or repeats. */
export class SessionStream extends Observable {
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
  #frame = 0;
  #fallback = 0;
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
    socket.subscribe(id, { lastSeq: from }).catch(() => {});
  }

  /** Loads the page of history before the oldest row held. */
  async loadOlder(): Promise<void> {
    if (this.olderThan <= 0 || this.loadingOlder) return;
    this.loadingOlder = true;
    this.changed();
    try {
      const limit = Math.min(this.#options.pageSize ?? 500, this.olderThan);
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
    this.#off();
    cancelAnimationFrame(this.#frame);
    clearTimeout(this.#fallback);
    this.#socket.unsubscribe(this.id).catch(() => {});
  }

  #push(row: Row): void {
    this.#pending.push(row);
    if (this.#pending.length > 1) return;
    this.#frame = requestAnimationFrame(() => this.#flush());
    // Hidden tabs get no animation frames: still flush, a few times a second.
    this.#fallback = setTimeout(() => this.#flush(), 250);
  }

  /** Appends the frame's batch: one change notification, so one render, per frame. */
  #flush(): void {
    cancelAnimationFrame(this.#frame);
    clearTimeout(this.#fallback);
    if (this.#pending.length === 0) return;
    const batch = this.#pending;
    this.#pending = [];
    for (const row of batch) {
      const last = this.rows.length > 0 ? this.rows[this.rows.length - 1].seq : 0;
      if (row.seq <= last) {
        // The client never repeats a seq; a lower one means the stream started over.
        this.rows = [];
        this.olderThan = 0;
        this.restarted = true;
      }
      this.rows.push(row);
      this.received++;
      this.#options.onEvent?.(row);
    }
    this.changed();
  }
}
