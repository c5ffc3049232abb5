/**
 * @module A session's full description (`GET /api/sessions/:id`: attached connections,
 * checkpoints, decisions, pending commands), refreshed every two seconds and at once when the
 * stream shows something that changes it.
 */
import { api, ApiError } from "./api.ts";
import { Observable } from "./observable.ts";
import type { SessionInfo } from "./types.ts";

/** Events after which the description is stale. */
const CHANGES = /^(execution:|checkpoint:|decision:|command|presence$|agent:usage$)/;

/** The description of one session. */
export class SessionDetail extends Observable {
  /** The session's id. */
  readonly id: string;
  /** The last description fetched. */
  info: SessionInfo | undefined;
  /** Set when the session is gone or not granted. */
  error: ApiError | undefined;
  readonly #timer: number;
  #soon = 0;

  /** Starts refreshing. */
  constructor(id: string, everyMs = 2000) {
    super();
    this.id = id;
    void this.refresh();
    this.#timer = setInterval(() => this.refresh(), everyMs);
  }

  /** Refreshes now. */
  async refresh(): Promise<void> {
    try {
      const { session } = await api<{ session: SessionInfo }>(
        `/api/sessions/${encodeURIComponent(this.id)}`,
      );
      this.info = session;
      this.error = undefined;
    } catch (error) {
      this.error = error instanceof ApiError ? error : new ApiError("INTERNAL", String(error), 0);
    }
    this.changed();
  }

  /** Refreshes shortly after an event that changes the description (one call per burst). */
  noteEvent(event: string): void {
    if (!CHANGES.test(event) || this.#soon) return;
    this.#soon = setTimeout(() => {
      this.#soon = 0;
      void this.refresh();
    }, 100);
  }

  /** Stops refreshing. */
  close(): void {
    clearInterval(this.#timer);
    clearTimeout(this.#soon);
  }
}
