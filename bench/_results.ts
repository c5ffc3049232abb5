/**
 * @module The shape of a benchmark run's results, as kept in memory and written as JSON.
 */
import type { Percentiles } from "./_load.ts";
import type { FindMaxResult } from "./_find_max.ts";
import type { ConnectResult, ReplayResult, StepResult } from "./_scenarios.ts";
import type { PerEventResult, ReconnectResult } from "./_storms.ts";
import type { ServerName } from "./_servers.ts";
import type { TwoNodeRun } from "./_two_nodes.ts";

/** Everything measured on one server. */
export interface ServerResults {
  /** Idle application-level round trips. */
  rttIdle?: Percentiles;
  /** Connect scenarios by label (`"100"`, `"1000"`, `"1000-no-presence"`). */
  connect: Record<string, ConnectResult>;
  /** Fixed-rate fan-out steps by subscriber count (`"100"`, `"1000"`, `"5000"`). */
  fanout: Record<string, StepResult>;
  /** The rate search at N = `bigN`. */
  findMax?: FindMaxResult;
  /** N = `bigN` at half Socket.IO's peak rate, with round-trip probes. */
  halfPeak?: StepResult;
  /** Late subscribers replaying streams (Switchboard only). */
  replay?: ReplayResult[];
  /** Connect storms by size: N dashboards into a fresh session, then gone again. */
  storm?: Record<string, ConnectResult>;
  /** Every subscriber dropped and back within a second. */
  reconnect?: ReconnectResult;
  /** One publisher at 5,000 events/s to 100 dashboards. */
  fastPublisher?: StepResult;
  /** A pipelined publisher to one dashboard, by publishes in flight (`"64"`, `"1"`). */
  perEvent?: Record<string, PerEventResult>;
  /** Scenarios that failed, with their messages. */
  errors: string[];
}

/** How the run was set up. */
export interface RunMeta {
  date: string;
  smoke: boolean;
  pinned: boolean;
  generators: number;
  /** Events per second at `bigN` in the fixed-rate step (smaller N get proportionally more). */
  fixedRate: number;
  /** Subscribers in the rate search, the half-peak step and the store comparison (1,000). */
  bigN: number;
  /** Appended to Switchboard subscribers' URLs (`--switchboard-query`), if anything. */
  switchboardQuery?: string;
  /** Events per second of the half-peak step. */
  halfPeakRate?: number;
  versions: Record<string, string>;
  machine: { cpu: string; cores: number; kernel: string };
  durationSeconds?: number;
}

/** A whole run. */
export interface RunResults {
  meta: RunMeta;
  servers: Partial<Record<ServerName, ServerResults>>;
  /** The two-node scenario, when it was asked for. */
  twoNodes?: TwoNodeRun;
}

/** Empty results for one server. */
export function emptyResults(): ServerResults {
  return { connect: {}, fanout: {}, errors: [] };
}
