/**
 * @module The Claude Code tool calls held open for a human: one entry per open `decision:point`,
 * bounded in number, each settled exactly once by the first of its decision, its timeout or a
 * HALT, with its timer and listeners released in one place.
 */
import type { MadeDecision, SessionWatch } from "./session_watch.ts";

/** How one held call ends. */
export interface HoldOptions {
  /** The session's watch, which reports `decision:made` and HALTs. */
  watch: SessionWatch;
  /** Milliseconds before `onTimeout` is called. */
  timeoutMs: number;
  /** Called once the time is up (it answers the decision, which settles the hold). */
  onTimeout: () => void;
  /** Called on a HALT while held. */
  onHalt: () => void;
  /** Called when the watch closes while held (session deleted, shutdown). */
  onClosed: () => void;
}

interface Entry {
  settle: (made: MadeDecision) => void;
}

/** Held tool calls by decision id. */
export class HeldRequests {
  readonly #entries = new Map<string, Entry>();
  readonly #max: number;

  /** Creates a registry holding at most `max` calls. */
  constructor(max: number) {
    this.#max = max;
  }

  /** Calls held now. */
  get size(): number {
    return this.#entries.size;
  }

  /** Whether another call may not be held. */
  get isFull(): boolean {
    return this.#entries.size >= this.#max;
  }

  /** Whether a call is held under `decisionId`. */
  has(decisionId: string): boolean {
    return this.#entries.has(decisionId);
  }

  /** Holds a call until {@linkcode release} or its decision; resolves with the decision. */
  hold(decisionId: string, options: HoldOptions): Promise<MadeDecision> {
    return new Promise((resolve) => {
      const timer = setTimeout(options.onTimeout, options.timeoutMs);
      const stopDecision = options.watch.onDecision(decisionId, (made) => settle(made));
      const stopHalt = options.watch.onHalt(options.onHalt);
      const stopClose = options.watch.onClose(options.onClosed);
      const settle = (made: MadeDecision) => {
        if (this.#entries.get(decisionId) !== entry) return;
        this.#entries.delete(decisionId);
        clearTimeout(timer);
        stopDecision();
        stopHalt();
        stopClose();
        resolve(made);
      };
      const entry: Entry = { settle };
      this.#entries.set(decisionId, entry);
    });
  }

  /** Settles a held call now (the server's own answer); no-op once settled. */
  release(decisionId: string, made: MadeDecision): void {
    this.#entries.get(decisionId)?.settle(made);
  }
}
