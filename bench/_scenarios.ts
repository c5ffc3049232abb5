/**
 * @module The scenarios, each on one server with its load: a fan-out step charged with the
 * server's CPU, the rate search, connecting, round trips and replay.
 */
import type { FanoutOptions, FanoutResult, Load, Percentiles } from "./_load.ts";

export type { FanoutOptions as FanoutStepOptions };
import { cpuSeconds, rssBytes } from "./_proc.ts";
import type { RunningServer } from "./_servers.ts";

/** A fan-out step with what it cost the server. */
export interface StepResult extends FanoutResult {
  /** Server CPU seconds during the step (of all its processes, e.g. both nodes). */
  serverCpuSeconds: number;
  /** The same per process, in the order given. */
  cpuSecondsByProcess: number[];
  /** Server CPU seconds per million deliveries. */
  cpuPerMillion: number;
  /** Share of one core the server and the generators used over the step (1 = a full core). */
  serverUtilisation: number;
  generatorUtilisation: number;
  /** Wall seconds from request to report. */
  wallSeconds: number;
}

/** A process charged for a step: a server, a node of a cluster, or the Redis they share. */
export type Charged = Pick<RunningServer, "pid">;

/**
 * Runs one fan-out step and charges the server's CPU time to it; given several processes (the
 * nodes of a cluster and their Redis), their CPU times are summed.
 */
export async function fanoutStep(
  server: Charged | Charged[],
  load: Load,
  options: FanoutOptions,
): Promise<StepResult> {
  const pids = (Array.isArray(server) ? server : [server]).map((s) => s.pid);
  const cpuBefore = await Promise.all(pids.map(cpuSeconds));
  const started = performance.now();
  const result = await load.fanout(options);
  const wallSeconds = (performance.now() - started) / 1000;
  const cpuAfter = await Promise.all(pids.map(cpuSeconds));
  const cpuSecondsByProcess = cpuAfter.map((after, i) => after - cpuBefore[i]);
  const serverCpuSeconds = cpuSecondsByProcess.reduce((sum, s) => sum + s, 0);
  return {
    ...result,
    serverCpuSeconds,
    cpuSecondsByProcess,
    cpuPerMillion: result.received > 0 ? serverCpuSeconds / result.received * 1e6 : NaN,
    serverUtilisation: serverCpuSeconds / wallSeconds,
    generatorUtilisation: result.generatorCpuSeconds / wallSeconds,
    wallSeconds,
  };
}

/** What connecting `n` subscribers cost. */
export interface ConnectResult {
  n: number;
  ms: number;
  rssBefore: number;
  rssAfter: number;
  bytesPerConnection: number;
  serverCpuSeconds: number;
}

/**
 * Connects and subscribes `n` clients, after a small warm-up so one-time costs (compiling the
 * code paths) are not charged to the connections, and measures the server's RSS around it.
 */
export async function connectClients(
  server: RunningServer,
  load: Load,
  options: { session: string; n: number; query?: string; settleMs?: number },
): Promise<ConnectResult> {
  const settleMs = options.settleMs ?? 1000;
  await load.subscribe(
    `${options.session}-warmup`,
    Math.min(50, options.n),
    options.query,
  );
  await load.close(`${options.session}-warmup`);
  await sleep(settleMs / 2);
  const rssBefore = await rssBytes(server.pid);
  const cpuBefore = await cpuSeconds(server.pid);
  const { ms } = await load.subscribe(
    options.session,
    options.n,
    options.query,
  );
  const serverCpuSeconds = await cpuSeconds(server.pid) - cpuBefore;
  await sleep(settleMs);
  const rssAfter = await rssBytes(server.pid);
  return {
    n: options.n,
    ms,
    rssBefore,
    rssAfter,
    bytesPerConnection: (rssAfter - rssBefore) / options.n,
    serverCpuSeconds,
  };
}

/** Idle round trips. */
export function idleRoundTrips(
  load: Load,
  count: number,
): Promise<Percentiles> {
  return load.rtt(count, 1);
}

/** How long a late subscriber takes to replay a stream of a given length. */
export interface ReplayResult {
  events: number;
  ms: number;
  received: number;
  eventsPerSecond: number;
}

/**
 * Fills `session` over REST (1,000 events per POST) up to each size in turn and times a late
 * subscriber replaying the whole stream.
 */
export async function replay(
  server: RunningServer,
  load: Load,
  session: string,
  sizes: number[],
): Promise<ReplayResult[]> {
  const results: ReplayResult[] = [];
  let stored = 0;
  const pad = "x".repeat(90);
  for (const size of sizes) {
    while (stored < size) {
      const batch = Math.min(1000, size - stored);
      const body = Array.from({ length: batch }, (_, k) => ({
        event: "custom:tick",
        payload: { t: 0, i: stored + k, pad },
      }));
      const response = await fetch(
        `${server.httpUrl}/api/sessions/${session}/events`,
        {
          method: "POST",
          headers: { "content-type": "application/json" },
          body: JSON.stringify(body),
        },
      );
      await response.body?.cancel();
      if (response.status !== 201) {
        throw new Error(`Filling ${session}: HTTP ${response.status}`);
      }
      stored += batch;
    }
    const { ms, received } = await load.replay(session, size);
    results.push({
      events: size,
      ms,
      received,
      eventsPerSecond: received / (ms / 1000),
    });
  }
  return results;
}

function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}
