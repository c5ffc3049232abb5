/**
 * @module What the page knows about the whole hub, kept fresh by polling: the session list every
 * second (a conditional GET, so an unchanged list costs a 304), health and statistics every two
 * seconds with traffic rates from their deltas, and the open decisions of every session that
 * has some.
 */
import { api, ApiError, ConditionalGet } from "./api.ts";
import { Observable } from "./observable.ts";
import type { Health, OpenDecision, SessionInfo, SessionSummary, Stats } from "./types.ts";

/** Shortest time between two fetches of a session's decisions while their number is unchanged. */
const DECISION_REFRESH_MS = 3000;

/** An open decision and the session it belongs to. */
export interface InboxItem extends OpenDecision {
  sessionId: string;
}

/** Options of {@linkcode HubState}. */
export interface HubStateOptions {
  /** Called when the server refuses the token (401). */
  onUnauthorized: (error: ApiError) => void;
  /** Milliseconds between session list polls. @default 1000 */
  listMs?: number;
  /** Milliseconds between health and stats polls. @default 2000 */
  healthMs?: number;
}

/** The hub as the page sees it. */
export class HubState extends Observable {
  /** Sessions, as last listed. */
  sessions: SessionSummary[] = [];
  /** Whether the list has loaded once. */
  loaded = false;
  /** The last polling failure, cleared by the next success. */
  error: ApiError | undefined;
  /** `GET /health`, as last polled. */
  health: Health | undefined;
  /** `GET /api/stats`, as last polled (limited to what the token grants). */
  stats: Stats | undefined;
  /** Events in and WebSocket frames out per second, from the last two stats polls. */
  rates = { eventsIn: 0, framesOut: 0 };
  /** Open decisions across sessions, newest session first. */
  inbox: InboxItem[] = [];

  readonly #options: HubStateOptions;
  readonly #list = new ConditionalGet<{ sessions: SessionSummary[] }>("/api/sessions");
  readonly #decisions = new Map<
    string,
    { count: number; headSeq: number; at: number; items: InboxItem[] }
  >();
  readonly #timers: number[] = [];
  #lastStats: { at: number; stats: Stats } | undefined;
  #closed = false;

  /** Starts polling. */
  constructor(options: HubStateOptions) {
    super();
    this.#options = options;
    this.#every(options.listMs ?? 1000, () => this.refreshList());
    this.#every(options.healthMs ?? 2000, () => this.#refreshHealth());
  }

  /** The summary of `id`, if listed. */
  session(id: string): SessionSummary | undefined {
    return this.sessions.find((s) => s.id === id);
  }

  /** Drops a decision at once (answered here, or `decision:made` seen in a stream). */
  closeDecision(sessionId: string, decisionId: string): void {
    const before = this.inbox.length;
    this.inbox = this.inbox.filter((d) => d.sessionId !== sessionId || d.decisionId !== decisionId);
    const entry = this.#decisions.get(sessionId);
    if (entry) entry.items = entry.items.filter((d) => d.decisionId !== decisionId);
    if (this.inbox.length !== before) this.changed();
  }

  /** Polls the session list now. */
  async refreshList(): Promise<void> {
    try {
      const { body, changed } = await this.#list.get();
      if (this.#closed) return;
      const hadError = this.error !== undefined;
      this.error = undefined;
      if (changed || !this.loaded) {
        this.sessions = body.sessions;
        this.loaded = true;
        await this.#refreshDecisions();
        this.changed();
      } else if (hadError) this.changed();
    } catch (error) {
      this.#failed(error);
    }
  }

  /** Stops polling. */
  close(): void {
    this.#closed = true;
    for (const timer of this.#timers) clearInterval(timer);
  }

  /** Fetches the open decisions of sessions whose head moved and that have some. */
  async #refreshDecisions(): Promise<void> {
    const wanted = this.sessions.filter((s) => (s.openDecisionCount ?? 0) > 0);
    const ids = new Set(wanted.map((s) => s.id));
    for (const id of this.#decisions.keys()) if (!ids.has(id)) this.#decisions.delete(id);
    await Promise.all(wanted.map(async (summary) => {
      const known = this.#decisions.get(summary.id);
      const count = summary.openDecisionCount ?? 0;
      // Refetch when the count changed; a busy session's moving head alone (a decision may have
      // been replaced) at most every few seconds, so many busy sessions cost few requests.
      const now = performance.now();
      if (
        known && known.count === count &&
        (known.headSeq === summary.headSeq || now - known.at < DECISION_REFRESH_MS)
      ) return;
      try {
        const { session } = await api<{ session: SessionInfo }>(
          `/api/sessions/${encodeURIComponent(summary.id)}`,
        );
        const items = session.openDecisions.map((d) => ({ ...d, sessionId: summary.id }));
        this.#decisions.set(summary.id, { count, headSeq: summary.headSeq, at: now, items });
      } catch {
        // Deleted meanwhile, or not granted: it drops out with the next list.
      }
    }));
    this.inbox = [...this.#decisions.values()].flatMap((d) => d.items);
  }

  async #refreshHealth(): Promise<void> {
    try {
      const [health, stats] = await Promise.all([
        fetch("/health", { cache: "no-store" }).then((r) => r.json() as Promise<Health>),
        api<Stats>("/api/stats"),
      ]);
      if (this.#closed) return;
      const now = performance.now();
      if (this.#lastStats) {
        const seconds = (now - this.#lastStats.at) / 1000;
        const before = this.#lastStats.stats.traffic;
        this.rates = {
          eventsIn: Math.max(0, (stats.traffic.eventsIn - before.eventsIn) / seconds),
          framesOut: Math.max(0, (stats.traffic.framesOut - before.framesOut) / seconds),
        };
      }
      this.#lastStats = { at: now, stats };
      this.health = health;
      this.stats = stats;
      this.changed();
    } catch (error) {
      this.#failed(error);
    }
  }

  #failed(error: unknown): void {
    if (this.#closed) return;
    const failure = error instanceof ApiError
      ? error
      : new ApiError("INTERNAL", String((error as Error)?.message ?? error), 0);
    if (failure.status === 401) this.#options.onUnauthorized(failure);
    this.error = failure;
    this.changed();
  }

  #every(ms: number, run: () => Promise<void>): void {
    void run();
    let busy = false;
    this.#timers.push(setInterval(async () => {
      if (busy) return;
      busy = true;
      try {
        await run();
      } finally {
        busy = false;
      }
    }, ms));
  }
}
