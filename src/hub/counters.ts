/**
 * @module What the hub counts for operators, and the hook through which it reports the rarer
 * happenings. On the hot path (a delivery, a frame sent) the hub only adds to a plain integer
 * field of the connection it is sending on; a metrics exporter reads and sums the fields when it
 * is scraped, so no metrics library sits in the fan-out loop and the hub stays pure.
 */
import type { Role } from "../protocol/envelope.ts";
import { EVENT_SCHEMAS } from "../protocol/events.ts";
import type { Connection } from "./connection.ts";

/** Running totals, only ever increased. Read them; never reset them. */
export class HubCounters {
  /** Connections accepted, by `role/transport`. */
  readonly accepted = new Map<string, number>();
  /** Events clients published, by event family (see {@linkcode eventFamily}). */
  readonly published = new Map<string, number>();
  /** Commands answered, by `type/result` (result `ok` or an error code). */
  readonly commands = new Map<string, number>();
  /** Connections the server closed, by close code. */
  readonly closes = new Map<number, number>();
  /**
   * Session events sent live, frames sent and their characters, on connections that have
   * closed. Open connections count their own (`Connection.deliveries`, `framesOut`,
   * `bytesOut`): a send then touches only the connection it is already writing to, and a
   * scrape adds them up (see `Hub.gauges()`).
   */
  readonly closed = { deliveries: 0, messagesSent: 0, bytesSent: 0 };
  /** Subscriptions that read history from the store (a subscribe, or a gap repaired). */
  replays = 0;
  /** Events sent by those replays. */
  eventsReplayed = 0;
  /** Frames and commands refused with `RATE_LIMITED`. */
  rateLimited = 0;

  /** Adds one to `key` of `map`. */
  static bump<K>(map: Map<K, number>, key: K, by = 1): void {
    map.set(key, (map.get(key) ?? 0) + by);
  }
}

/** Rarer happenings the hub reports as they occur (for logs and histograms). */
export interface HubObserver {
  /** A connection was registered. */
  connected?(connection: Connection): void;
  /** A command was answered: `result` is `ok` or the error code. */
  command?(info: CommandOutcome): void;
  /** An orchestrator confirmed a command (`command:applied`) `ms` after it was accepted. */
  commandApplied?(ms: number): void;
  /** A heartbeat round trip was measured. */
  roundTrip?(ms: number): void;
}

/** A command's outcome, as reported to {@linkcode HubObserver.command}. */
export interface CommandOutcome {
  /** Session id. */
  session: string;
  /** Command type (`HALT`, ...). */
  type: string;
  /** `ok`, or the error code. */
  result: string;
  /** Who sent it. */
  actor: string;
  /** Role of the sender. */
  role: Role;
  /** The command's id, when it was accepted. */
  commandId?: string;
  /** Its seq, when it was accepted. */
  seq?: number;
}

const FAMILIES: ReadonlySet<string> = new Set(
  Object.keys(EVENT_SCHEMAS).map((name) => name.slice(0, name.indexOf(":"))),
);

/**
 * The bounded metrics label of an event name: its family (the part before `:`) when the
 * catalogue has it, `custom` for `custom:*`, `other` for anything else, so a client cannot
 * create label values at will.
 */
export function eventFamily(event: string): string {
  const colon = event.indexOf(":");
  const family = colon < 0 ? event : event.slice(0, colon);
  if (FAMILIES.has(family)) return family;
  return family === "custom" ? "custom" : "other";
}
