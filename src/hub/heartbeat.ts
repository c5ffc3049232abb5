/**
 * @module The heartbeat: one timer for all connections. Each connection is pinged once per
 * interval and closed when it leaves two pings in a row unanswered. The interval is cut into
 * slices, each pinging its share of the connections with one shared frame, so thousands of pings
 * (and their pongs) do not land in the same instant and stall the event loop.
 */
import { CLOSE_CODES } from "../protocol/close_codes.ts";
import type { Connection } from "./connection.ts";

/** Pongs claiming a round trip longer than this are ignored as bogus. */
const MAX_PLAUSIBLE_RTT_MS = 10 * 60_000;

/** Slices per interval: each timer tick handles about this fraction of the connections. */
const SLICES = 10;

/** Sends pings on an interval and records round-trip times from pongs. */
export class Heartbeat {
  readonly #connections: () => ReadonlySet<Connection>;
  readonly #clock: () => number;
  readonly #timer: ReturnType<typeof setInterval>;
  #tick = 0;
  #cycle: Iterator<Connection> | undefined;
  #quota = 0;

  /** Starts pinging every connection once per `intervalMs` milliseconds. */
  constructor(
    connections: () => ReadonlySet<Connection>,
    options: { intervalMs: number; clock: () => number },
  ) {
    this.#connections = connections;
    this.#clock = options.clock;
    this.#timer = setInterval(() => this.#slice(), options.intervalMs / SLICES);
  }

  /** Visits every connection at once: counts missed pongs, closes dead ones, pings the rest. */
  sweep(): void {
    const t = this.#clock();
    const frame = pingFrame(t);
    for (const connection of this.#connections()) this.#visit(connection, t, frame);
  }

  /** One tick: a new cycle every SLICES ticks, and this tick's share of the cycle's connections. */
  #slice(): void {
    if (this.#tick++ % SLICES === 0) {
      const connections = this.#connections();
      this.#cycle = connections.values();
      this.#quota = Math.ceil(connections.size / SLICES);
    }
    const t = this.#clock();
    const frame = pingFrame(t);
    for (let i = 0; i < this.#quota; i++) {
      const next = this.#cycle!.next();
      if (next.done) return;
      this.#visit(next.value, t, frame);
    }
  }

  #visit(connection: Connection, t: number, frame: string): void {
    if (!connection.isOpen) return;
    if (connection.pendingPing !== undefined && ++connection.missedPongs >= 2) {
      connection.close(CLOSE_CODES.HEARTBEAT_TIMEOUT, "Heartbeat timeout: two pings unanswered");
      return;
    }
    connection.previousPing = connection.pendingPing;
    connection.pendingPing = t;
    connection.send(frame);
  }

  /**
   * Records a pong echoing `t`. Only a `t` this server sent counts (the last ping, or a late
   * answer to the one before), so a client can neither fake its round trip nor stay alive
   * without answering. Returns the round trip it recorded, if any.
   */
  pong(connection: Connection, t: number): number | undefined {
    if (connection.pendingPing === undefined) return undefined;
    if (t !== connection.pendingPing && t !== connection.previousPing) return undefined;
    const rtt = this.#clock() - t;
    if (rtt < 0 || rtt > MAX_PLAUSIBLE_RTT_MS) return undefined;
    connection.pendingPing = undefined;
    connection.previousPing = undefined;
    connection.missedPongs = 0;
    connection.rtt.record(rtt);
    return rtt;
  }

  /** Stops the timer. */
  stop(): void {
    clearInterval(this.#timer);
  }
}

function pingFrame(t: number): string {
  return `{"event":"ping","payload":{"t":${t}}}`;
}
