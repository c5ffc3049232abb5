/**
 * @module The server's phase (starting, ready, draining, stopped) and the open WebSockets it must
 * see closed before it exits. Readiness, the refusal of new work while draining and the graceful
 * shutdown all read this one object, so they cannot disagree.
 */

/** Where the server is in its life. */
export type Phase = "starting" | "ready" | "draining" | "stopped";

/** What the lifecycle needs of an open WebSocket. */
export interface TrackedSocket {
  /** Frames received and not yet admitted into their session's order. */
  readonly backlog: number;
  /** Starts the closing handshake with `code`. */
  close(code: number, reason: string): void;
}

/** Tracks the phase and the open sockets. */
export class Lifecycle {
  #phase: Phase = "starting";
  readonly #sockets = new Map<TrackedSocket, () => void>();
  readonly #closed = new Map<TrackedSocket, Promise<void>>();

  /** The current phase. */
  get phase(): Phase {
    return this.#phase;
  }

  /** `true` once shutdown began: new connections, requests and frames are refused. */
  get draining(): boolean {
    return this.#phase === "draining" || this.#phase === "stopped";
  }

  /** Open sockets (their close reply not yet seen). */
  get openSockets(): number {
    return this.#sockets.size;
  }

  /** Listening and accepting work. */
  ready(): void {
    if (this.#phase === "starting") this.#phase = "ready";
  }

  /** Shutdown began. */
  drain(): void {
    if (!this.draining) this.#phase = "draining";
  }

  /** Everything is released. */
  stopped(): void {
    this.#phase = "stopped";
  }

  /** Registers an open socket; call the returned function once its close completed. */
  track(socket: TrackedSocket): () => void {
    let done!: () => void;
    this.#closed.set(socket, new Promise<void>((resolve) => done = resolve));
    const release = () => {
      if (!this.#sockets.delete(socket)) return;
      this.#closed.delete(socket);
      done();
    };
    this.#sockets.set(socket, release);
    return release;
  }

  /** Frames received by any socket and not yet admitted. */
  get backlog(): number {
    let total = 0;
    for (const socket of this.#sockets.keys()) total += socket.backlog;
    return total;
  }

  /** Closes every tracked socket with `code` and resolves once all have completed their close. */
  closeSockets(code: number, reason: string): Promise<void> {
    const waits = [...this.#closed.values()];
    for (const socket of [...this.#sockets.keys()]) {
      try {
        socket.close(code, reason);
      } catch {
        // Already closing: its close event still comes.
      }
    }
    return Promise.all(waits).then(() => {});
  }
}
