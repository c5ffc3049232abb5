/**
 * @module One timer for every open SSE stream: a comment line every 15 s keeps proxies from
 * closing an idle stream. The timer runs only while a stream is open.
 */

/** Milliseconds between keep-alive comments. */
export const KEEPALIVE_MS = 15_000;

const COMMENT = new TextEncoder().encode(": keep-alive\n\n");

/** Something a comment can be written to. */
export interface KeepAliveTarget {
  /** Writes raw SSE bytes. */
  write(bytes: Uint8Array): void;
}

/** The shared keep-alive ticker. */
export class KeepAlive {
  readonly #targets = new Set<KeepAliveTarget>();
  readonly #intervalMs: number;
  #timer: ReturnType<typeof setInterval> | undefined;

  /** Creates the ticker; nothing runs until a target is added. */
  constructor(intervalMs = KEEPALIVE_MS) {
    this.#intervalMs = intervalMs;
  }

  /** Starts commenting on `target`; returns the disposer that stops it. */
  add(target: KeepAliveTarget): () => void {
    this.#targets.add(target);
    this.#timer ??= setInterval(() => {
      for (const t of this.#targets) t.write(COMMENT);
    }, this.#intervalMs);
    return () => {
      this.#targets.delete(target);
      if (this.#targets.size === 0 && this.#timer !== undefined) {
        clearInterval(this.#timer);
        this.#timer = undefined;
      }
    };
  }
}
