/**
 * @module The heartbeat: one timer for all connections. Each sweep pings every connection with
 * one shared frame and closes those that left two pings in a row unanswered.
 */
import { CLOSE_CODES } from "../protocol/close_codes.ts";
import type { Connection } from "./connection.ts";

/** Pongs claiming a round trip longer than this are ignored as bogus. */
const MAX_PLAUSIBLE_RTT_MS = 10 * 60_000;

/** Sends pings on an interval and records round-trip times from pongs. */
export class Heartbeat {
  readonly #connections: () => Iterable<Connection>;
  readonly #clock: () => number;
  readonly #timer: ReturnType<typeof setInterval>;

  /** Starts sweeping every `intervalMs` milliseconds. */
  constructor(
    connections: () => Iterable<Connection>,
    options: { intervalMs: number; clock: () => number },
  ) {
    this.#connections = connections;
    this.#clock = options.clock;
    this.#timer = setInterval(() => this.sweep(), options.intervalMs);
  }

  /** Counts missed pongs, closes dead connections and pings the rest. */
  sweep(): void {
    const t = this.#clock();
    const frame = `{"event":"ping","payload":{"t":${t}}}`;
    for (const connection of this.#connections()) {
      if (connection.pendingPing !== undefined && ++connection.missedPongs >= 2) {
        connection.close(CLOSE_CODES.HEARTBEAT_TIMEOUT, "Heartbeat timeout: two pings unanswered");
        continue;
      }
      connection.previousPing = connection.pendingPing;
      connection.pendingPing = t;
      connection.send(frame);
    }
  }

  /**
   * Records a pong echoing `t`. Only a `t` this server sent counts (the last ping, or a late
   * answer to the one before), so a client can neither fake its round trip nor stay alive
   * without answering.
   */
  pong(connection: Connection, t: number): void {
    if (connection.pendingPing === undefined) return;
    if (t !== connection.pendingPing && t !== connection.previousPing) return;
    const rtt = this.#clock() - t;
    if (rtt < 0 || rtt > MAX_PLAUSIBLE_RTT_MS) return;
    connection.pendingPing = undefined;
    connection.previousPing = undefined;
    connection.missedPongs = 0;
    connection.rtt.record(rtt);
  }

  /** Stops the timer. */
  stop(): void {
    clearInterval(this.#timer);
  }
}
