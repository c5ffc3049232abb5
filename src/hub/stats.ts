/**
 * @module Hub-wide statistics: connections by role and session, traffic, round-trip times.
 */
import type { Role } from "../protocol/envelope.ts";
import type { Connection } from "./connection.ts";
import { HubCounters } from "./counters.ts";
import type { Session } from "./session.ts";
import { percentile } from "./rtt.ts";

/** Traffic of connections that have closed, kept so totals never go down. */
export interface TrafficTotals {
  eventsIn: number;
  framesIn: number;
  framesOut: number;
}

/** The `/api/stats` body. */
export interface HubStats {
  connections: {
    total: number;
    byRole: Record<Role, number>;
    bySession: Record<string, number>;
  };
  /**
   * Events published by clients; frames received and sent on all connections ever. Server-wide,
   * so `null` for callers limited to some sessions.
   */
  traffic: { eventsIn: number; framesIn: number; framesOut: number } | null;
  rtt: {
    p50: number | null;
    p99: number | null;
    connections: { id: string; role: Role; lastMs: number | null; smoothedMs: number | null }[];
  };
}

/** Collects statistics over the open connections plus the totals of closed ones. */
export function collectStats(
  connections: Iterable<Connection>,
  totals: TrafficTotals,
  /** When given, only sessions it accepts and connections holding one of them are shown. */
  visible?: (session: string) => boolean,
): HubStats {
  const byRole = { orchestrator: 0, dashboard: 0, admin: 0 };
  const bySession: Record<string, number> = {};
  const traffic = { ...totals };
  const samples: number[] = [];
  const perConnection = [];
  let total = 0;
  for (const connection of connections) {
    if (visible && ![...connection.subscriptions.keys()].some(visible)) continue;
    total++;
    byRole[connection.role]++;
    for (const session of connection.subscriptions.keys()) {
      if (visible && !visible(session)) continue;
      bySession[session] = (bySession[session] ?? 0) + 1;
    }
    traffic.framesIn += connection.framesIn;
    traffic.framesOut += connection.framesOut;
    const { last, smoothed } = connection.rtt;
    if (smoothed !== undefined) samples.push(smoothed);
    perConnection.push({
      id: connection.id,
      role: connection.role,
      lastMs: last ?? null,
      smoothedMs: smoothed ?? null,
    });
  }
  return {
    connections: { total, byRole, bySession },
    traffic: visible ? null : traffic,
    rtt: { p50: percentile(samples, 50), p99: percentile(samples, 99), connections: perConnection },
  };
}

/** What a metrics scrape reads from the hub's live state. */
export interface HubGauges {
  /** Open connections by `role/transport`. */
  connections: Map<string, number>;
  /** Subscriptions of open connections. */
  subscriptions: number;
  /** Open decision points across sessions. */
  openDecisions: number;
  /** Session events delivered live, ever (closed connections included). */
  deliveries: number;
  /** Frames sent, ever. */
  messagesSent: number;
  /** Characters of the frames sent, ever. */
  bytesSent: number;
}

/** Counts the live state once per scrape: O(connections + sessions), never on the hot path. */
export function collectGauges(
  connections: Iterable<Connection>,
  sessions: Iterable<Session>,
  counters: HubCounters,
): HubGauges {
  const gauges: HubGauges = {
    connections: new Map(),
    subscriptions: 0,
    openDecisions: 0,
    ...counters.closed,
  };
  for (const c of connections) {
    HubCounters.bump(gauges.connections, `${c.role}/${c.transport}`);
    gauges.subscriptions += c.subscriptions.size;
    gauges.deliveries += c.deliveries;
    gauges.messagesSent += c.framesOut;
    gauges.bytesSent += c.bytesOut;
  }
  for (const session of sessions) gauges.openDecisions += session.execution.decisions.size;
  return gauges;
}
