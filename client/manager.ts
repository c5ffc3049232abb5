/**
 * @module The connection manager: opens WebSockets, watches the heartbeat, and reconnects with
 * backoff after any close the server did not mark final. It knows nothing of events or sessions.
 */
import { backoff } from "./_backoff.ts";
import type { Timers } from "./_timers.ts";
import { SwitchboardError } from "./errors.ts";
import type { DisconnectReason } from "./events.ts";
import { isFinalCloseCode } from "./protocol.ts";

/**
 * The part of a WebSocket the client uses. The handler fields are `unknown` so that the
 * platform's WebSocket and `ws`'s are both accepted: the client only writes them.
 */
export interface WebSocketLike {
  /** Queues a text frame. */
  send(data: string): void;
  /** Starts the closing handshake. */
  close(code?: number, reason?: string): void;
  /** Set to the client's open handler. */
  onopen: unknown;
  /** Set to the client's message handler. */
  onmessage: unknown;
  /** Set to the client's close handler. */
  onclose: unknown;
  /** Set to the client's error handler. */
  onerror: unknown;
}

/** A WebSocket constructor, such as the global `WebSocket` or `ws`'s default export. */
export type WebSocketConstructor = new (url: string) => WebSocketLike;

/** Reconnection settings, resolved (see `SocketOptions` for their defaults). */
export interface ManagerOptions {
  reconnection: boolean;
  reconnectionAttempts: number;
  reconnectionDelay: number;
  reconnectionDelayMax: number;
  randomizationFactor: number;
  timeout: number;
  WebSocket: WebSocketConstructor;
  /** `auth` is a function, so a 4001 (expired or refused token) is worth a retry with a new one. */
  renewAuth: boolean;
}

/** What the manager asks of its socket. */
export interface ManagerHooks {
  /** The URL of the next connection (computed fresh, so it carries the latest resume point). */
  url(): Promise<string>;
  /** The first frame to send once the WebSocket opens (the `auth` frame), if any. */
  hello(): string | undefined;
  /** A text frame arrived. */
  frame(text: string): void;
  /** The connection ended; `code` is the close code, if the peer sent one. */
  close(reason: DisconnectReason, code: number | undefined): void;
  /** Emits a reserved event (`connect_error`, `reconnect_attempt`, `reconnect`, ...). */
  emit(event: string, ...args: unknown[]): void;
}

/** Milliseconds added to two heartbeat intervals before a silent connection counts as dead. */
const SLACK_MS = 1000;

/** Owns the WebSocket and the reconnection loop of one socket. */
export class Manager {
  readonly #options: ManagerOptions;
  readonly #hooks: ManagerHooks;
  readonly #timers: Timers;
  #ws: WebSocketLike | undefined;
  #active = false;
  #attempts = 0;
  #last = 0;
  #generation = 0;
  #opened = false;
  #stopTimer: (() => void) | undefined;

  /** Creates a manager; nothing happens until {@linkcode open}. */
  constructor(options: ManagerOptions, hooks: ManagerHooks, timers: Timers) {
    this.#options = options;
    this.#hooks = hooks;
    this.#timers = timers;
  }

  /** `true` while the manager is connected or will try to connect again. */
  get active(): boolean {
    return this.#active;
  }

  /** Starts connecting, unless already connected or trying to. */
  open(): void {
    if (this.#active) return;
    this.#active = true;
    this.#attempts = 0;
    void this.#connect();
  }

  /** The server's `connected` frame arrived: stop the connect timer, start the heartbeat watch. */
  opened(heartbeatMs: number): void {
    this.#stopTimer?.();
    this.#opened = true;
    if (this.#attempts > 0) this.#hooks.emit("reconnect", this.#attempts);
    this.#attempts = 0;
    if (heartbeatMs > 0) this.#watch(this.#ws!, 2 * heartbeatMs + SLACK_MS);
  }

  /** Sends a text frame on the current connection. */
  send(text: string): void {
    this.#ws?.send(text);
  }

  /** Stops for good: closes the connection and gives up reconnecting. */
  close(): void {
    this.#active = false;
    this.#generation++;
    const ws = this.#ws;
    if (ws) this.#detach(ws).close(1000);
  }

  async #connect(): Promise<void> {
    const generation = ++this.#generation;
    this.#opened = false;
    let ws: WebSocketLike;
    try {
      const url = await this.#hooks.url();
      // disconnect() (and maybe connect()) came while the URL was computed: this try is void.
      if (generation !== this.#generation) return;
      ws = this.#ws = new this.#options.WebSocket(url);
    } catch (error) {
      if (generation === this.#generation) this.#failed(undefined, String(error));
      return;
    }
    this.#last = Date.now();
    this.#stopTimer = this.#timers.set(() => {
      this.#detach(ws).close();
      this.#failed(undefined, "Connect timeout", "CONNECT_TIMEOUT");
    }, this.#options.timeout);
    ws.onopen = () => {
      const hello = this.#hooks.hello();
      if (hello) ws.send(hello);
    };
    ws.onmessage = (message: { data: unknown }) => {
      this.#last = Date.now();
      this.#hooks.frame(String(message.data));
    };
    ws.onclose = (event: { code: number }) => {
      this.#detach(ws);
      this.#failed(event.code, `Closed: ${event.code}`);
    };
    // A close event always follows an error event; the close decides what happens.
    ws.onerror = null;
  }

  /** Re-arms itself until no frame arrived for `limit` ms, then drops the connection. */
  #watch(ws: WebSocketLike, limit: number): void {
    const idle = Date.now() - this.#last;
    if (idle < limit) {
      this.#stopTimer = this.#timers.set(() => this.#watch(ws, limit), limit - idle);
      return;
    }
    this.#detach(ws).close();
    this.#failed(undefined, "ping timeout", "ping timeout");
  }

  /** A connection failed or ended: report it, then reconnect unless the close was final. */
  #failed(code: number | undefined, message: string, cause?: "CONNECT_TIMEOUT" | "ping timeout") {
    if (!this.#active) return;
    const final = code !== undefined && isFinalCloseCode(code) &&
      !(code === 4001 && this.#options.renewAuth);
    const reason = final ? "io server disconnect" : cause === "ping timeout" ? cause : undefined;
    this.#hooks.close(reason ?? "transport close", code);
    if (!this.#opened) {
      // Still waiting for `connected`: the attempt itself failed.
      const error = cause === "CONNECT_TIMEOUT" ? cause : "CONNECT_FAILED";
      this.#hooks.emit("connect_error", new SwitchboardError(error, message));
    }
    if (final || !this.#options.reconnection) this.#active = false;
    else this.#retry(code);
  }

  /**
   * Schedules the next attempt after the backoff; after a 1012 ("service restart": a graceful
   * shutdown, the server or another node is back soon) at once, within 250 ms of jitter so that
   * all clients do not return in the same instant.
   */
  #retry(code?: number): void {
    const attempt = ++this.#attempts;
    if (attempt > this.#options.reconnectionAttempts) {
      this.#active = false;
      this.#hooks.emit("reconnect_failed");
      return;
    }
    const { reconnectionDelay: min, reconnectionDelayMax: max, randomizationFactor: jitter } =
      this.#options;
    this.#timers.set(() => {
      if (!this.#active) return;
      this.#hooks.emit("reconnect_attempt", attempt);
      void this.#connect();
    }, code === 1012 ? Math.random() * 250 : backoff(attempt, { min, max, jitter }));
  }

  /** Forgets `ws`: its handlers are removed so a late event can never reach the socket. */
  #detach(ws: WebSocketLike): WebSocketLike {
    ws.onopen =
      ws.onmessage =
      ws.onclose =
      ws.onerror =
        null;
    this.#stopTimer?.();
    this.#stopTimer = undefined;
    if (this.#ws === ws) this.#ws = undefined;
    return ws;
  }
}
