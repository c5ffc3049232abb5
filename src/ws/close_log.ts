/**
 * @module One log line per WebSocket closed: who (id, role, address), which sessions it held,
 * the close code and who sent it, and how long it lived. Closes that mean trouble (slow consumer,
 * rate-limit abuse, heartbeat timeout, abnormal) are warnings.
 */
import type { Connection } from "../hub/connection.ts";
import { log } from "../observe/log.ts";
import { CLOSE_CODES } from "../protocol/close_codes.ts";

/** Close codes by number, for the log's `reason` field. */
const NAMES = new Map<number, string>(
  Object.entries(CLOSE_CODES).map(([name, code]) => [code, name]),
);

/** Codes an operator should notice. */
const TROUBLE: ReadonlySet<number> = new Set([
  CLOSE_CODES.SLOW_CONSUMER,
  CLOSE_CODES.RATE_LIMITED,
  CLOSE_CODES.HEARTBEAT_TIMEOUT,
  CLOSE_CODES.INTERNAL_ERROR,
  1006,
]);

/** At most this many session ids in one line; `sessionCount` gives the total. */
const MAX_LOGGED_SESSIONS = 20;

/** Remembers how a socket ended and writes its line once it has. */
export class CloseLog {
  readonly #address: string;
  readonly #openedAt = Date.now();
  #serverCode: number | undefined;
  #sessions: string[] = [];

  /** Starts watching a socket from `address`. */
  constructor(address: string) {
    this.#address = address;
  }

  /** The server is closing with `code`; returns `false` if it already was. */
  serverClosing(code: number, connection: Connection | undefined): boolean {
    if (this.#serverCode !== undefined) return false;
    this.#serverCode = code;
    // Read now: once the hub forgets the connection its subscriptions are gone.
    this.#sessions = connection ? [...connection.subscriptions.keys()] : [];
    return true;
  }

  /** The socket closed with `code` (as seen on the wire); writes the line. */
  closed(connection: Connection | undefined, code: number | undefined): void {
    const sessions = this.#serverCode === undefined && connection
      ? [...connection.subscriptions.keys()]
      : this.#sessions;
    const finalCode = this.#serverCode ?? code;
    const fields = {
      id: connection?.id,
      role: connection?.role,
      ip: this.#address,
      sessions: sessions.slice(0, MAX_LOGGED_SESSIONS),
      sessionCount: sessions.length,
      code: finalCode,
      reason: finalCode === undefined ? undefined : NAMES.get(finalCode),
      by: this.#serverCode === undefined ? "client" : "server",
      durationMs: Date.now() - this.#openedAt,
    };
    if (finalCode !== undefined && TROUBLE.has(finalCode)) log.warn("connection closed", fields);
    else log.info("connection closed", fields);
  }
}
