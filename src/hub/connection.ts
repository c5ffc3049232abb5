/**
 * @module One client connection as the hub sees it: its principal, subscriptions, heartbeat
 * state and outbound byte budget.
 */
import { CLOSE_CODES } from "../protocol/close_codes.ts";
import type { Role } from "../protocol/envelope.ts";
import { RoundTrip } from "./rtt.ts";
import type { Subscription } from "./subscription.ts";
import type { Actor, Principal } from "../auth/identity.ts";
import type { Transport } from "./transport.ts";
import { HubCounters } from "./counters.ts";

/**
 * How long a connection may stay over its outbound budget (but under twice it) before it is
 * closed as a slow consumer: long enough for a reader that keeps up to drain one burst.
 */
export const SLOW_CONSUMER_GRACE_MS = 1000;

/** Options of {@linkcode Connection}. */
export interface ConnectionOptions {
  /** Unique connection id. */
  id: string;
  /** What the connection may do. */
  principal: Principal;
  /** Outbound bytes allowed to queue before the connection counts as a slow consumer. */
  maxBufferedBytes: number;
  /** Called once, when the connection closes for any reason. */
  onClose?: (connection: Connection) => void;
  /** Hub-wide totals this connection adds to. @default its own, unread */
  counters?: HubCounters;
}

/** A connected client. Sends never throw; a closed connection drops frames silently. */
export class Connection implements Actor {
  /** Unique connection id. */
  readonly id: string;
  /** What the connection may do; replaced when it refreshes its token. */
  principal: Principal;
  /** Subscriptions by session id. */
  readonly subscriptions = new Map<string, Subscription>();
  /** Heartbeat round-trip times. */
  readonly rtt = new RoundTrip();
  /** `t` of the ping still waiting for its pong, if any. */
  pendingPing: number | undefined;
  /** `t` of the ping sent before that, whose pong may still arrive late. */
  previousPing: number | undefined;
  /** Consecutive heartbeat intervals that ended without a pong. */
  missedPongs = 0;
  /** Frames sent to this connection. */
  framesOut = 0;
  /** Characters of those frames (bytes, for ASCII JSON). */
  bytesOut = 0;
  /** Session events delivered live to this connection. */
  deliveries = 0;
  /** Hub-wide totals (shared by every connection of a hub). */
  readonly counters: HubCounters;
  /** When the connection was registered, milliseconds since the epoch. */
  readonly openedAt = Date.now();
  /** Frames received from this connection. */
  get framesIn(): number {
    return this.#framesIn;
  }

  readonly #transport: Transport;
  readonly #maxBufferedBytes: number;
  readonly #onClose: ((connection: Connection) => void) | undefined;
  #closed = false;
  #framesIn = 0;
  #budgetCheck: ReturnType<typeof setTimeout> | undefined;

  /** Wraps a transport. */
  constructor(transport: Transport, options: ConnectionOptions) {
    this.#transport = transport;
    this.id = options.id;
    this.principal = options.principal;
    this.#maxBufferedBytes = options.maxBufferedBytes;
    this.#onClose = options.onClose;
    this.counters = options.counters ?? new HubCounters();
  }

  /** What carries the connection (`websocket`, ...), a metrics label. */
  get transport(): string {
    return this.#transport.kind ?? "websocket";
  }

  /** The connection's role. */
  get role(): Role {
    return this.principal.role;
  }

  /** `true` until the connection is closed. */
  get isOpen(): boolean {
    return !this.#closed && this.#transport.isOpen;
  }

  /** Bytes queued for this client and not yet written. */
  get bufferedAmount(): number {
    return this.#transport.bufferedAmount;
  }

  /**
   * Sends a frame. A connection whose queue stays over its budget is closed as a slow consumer;
   * see {@linkcode SLOW_CONSUMER_GRACE_MS}.
   */
  send(frame: string): void {
    if (!this.isOpen) return;
    this.#transport.send(frame);
    this.framesOut++;
    this.bytesOut += frame.length;
    if (this.#transport.bufferedAmount > this.#maxBufferedBytes) this.#overBudget();
  }

  #overBudget(): void {
    // Twice over: memory must stay bounded whatever the reader's speed.
    if (this.#transport.bufferedAmount > 2 * this.#maxBufferedBytes) return this.#slow();
    // Once over may be one burst to a reader that keeps up: judge after it had time to drain.
    this.#budgetCheck ??= setTimeout(() => {
      this.#budgetCheck = undefined;
      if (this.#transport.bufferedAmount > this.#maxBufferedBytes) this.#slow();
    }, SLOW_CONSUMER_GRACE_MS);
  }

  #slow(): void {
    this.close(CLOSE_CODES.SLOW_CONSUMER, "Slow consumer: outbound buffer over budget");
  }

  /** Resolves once the outbound buffer is below `bytes`, or the connection has closed. */
  async drained(bytes: number, pollMs = 5): Promise<void> {
    while (this.isOpen && this.#transport.bufferedAmount > bytes) {
      await new Promise((resolve) => setTimeout(resolve, pollMs));
    }
  }

  /** Counts a frame received from the client. */
  received(): void {
    this.#framesIn++;
  }

  /** Closes the transport (once) and tells the owner. */
  close(code: number, reason: string): void {
    if (this.#closed) return;
    this.#closed = true;
    clearTimeout(this.#budgetCheck);
    try {
      this.#transport.close(code, reason);
    } finally {
      this.#onClose?.(this);
    }
  }

  /** Marks the connection closed after the peer went away, without sending a close frame. */
  closed(): void {
    if (this.#closed) return;
    this.#closed = true;
    clearTimeout(this.#budgetCheck);
    this.#onClose?.(this);
  }
}
