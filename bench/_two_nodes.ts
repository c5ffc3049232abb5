/**
 * @module The two-node scenario (issue 13): subscribers split over two nodes sharing one Redis,
 * the publisher on node A, for Switchboard (`--store redis://`) and for Socket.IO with
 * `@socket.io/redis-streams-adapter`, beside one node of each (Switchboard on SQLite, its
 * durable single-node store; Socket.IO with its in-memory adapter) as the baselines. Each
 * setup gets a fixed-rate step (round-robin rounds, median kept) and a rate search; every
 * process of a setup (both nodes and the Redis) is charged its CPU.
 */
import { startRedis } from "../test/store/_redis_server.ts";
import { findMax } from "./_find_max.ts";
import { Load } from "./_load.ts";
import { attempt, log, roundRobin, type Subject } from "./_phases.ts";
import type { Plan } from "./_plan.ts";
import { emptyResults, type ServerResults } from "./_results.ts";
import { type Charged, connectClients, fanoutStep, type StepResult } from "./_scenarios.ts";
import { type RunningServer, type ServerName, startServer } from "./_servers.ts";

/** The setups compared, in the order of the table. */
export const SETUPS = [
  "switchboard-1-sqlite",
  "switchboard-2-redis",
  "socketio-1",
  "socketio-2-redis",
] as const;

/** One setup. */
export type Setup = typeof SETUPS[number];

/** What the scenario measured on one setup. */
export interface TwoNodeResults extends ServerResults {
  /** Nodes (1 or 2); subscribers are split evenly, the publisher is on the first. */
  nodes: number;
  /** Whether a Redis process was charged (its CPU is the last of `cpuSecondsByProcess`). */
  redis: boolean;
}

/** The scenario's results by setup, or why it was skipped. */
export interface TwoNodeRun {
  subscribers: number;
  rate: number;
  setups: Partial<Record<Setup, TwoNodeResults>>;
  skipped?: string;
}

/** A setup under load: its nodes, and its Redis when it has one. */
interface Cluster extends Subject {
  setup: Setup;
  nodes: RunningServer[];
  charged: Charged[];
  results: TwoNodeResults;
}

/** Whether `redis-server` can be run here. */
export async function haveRedis(): Promise<boolean> {
  try {
    const { success } = await new Deno.Command("redis-server", {
      args: ["--version"],
    }).output();
    return success;
  } catch {
    return false;
  }
}

/** Runs the scenario: all four setups up side by side, as the main comparison does. */
export async function twoNodesPhase(
  plan: Plan,
  workDir: string,
  pinned: boolean,
): Promise<TwoNodeRun> {
  const n = plan.bigN;
  const run: TwoNodeRun = { subscribers: n, rate: plan.fixedRate, setups: {} };
  if (!await haveRedis()) {
    run.skipped = "redis-server is not installed";
    log(`two nodes: skipped (${run.skipped})`);
    return run;
  }
  const redis = await startRedis();
  const clusters: Cluster[] = [];
  try {
    const redisPid = await pidOf(redis.port);
    if (pinned) await pin(redisPid, 0);
    for (const setup of SETUPS) {
      const cluster = await startCluster(
        setup,
        redis.url,
        redisPid,
        plan,
        workDir,
        pinned,
      );
      clusters.push(cluster);
      run.setups[setup] = cluster.results;
      await attempt(cluster, `connect ${n}`, async () => {
        log(`two nodes: ${setup}: connecting ${n} subscribers`);
        cluster.results.connect[String(n)] = await connectClients(
          cluster.nodes[0],
          cluster.load,
          {
            session: "two",
            n,
            query: setup.startsWith("switchboard") ? plan.switchboardQuery : "",
            settleMs: plan.settleMs,
          },
        );
      });
    }
    log(
      `two nodes: N=${n} at ${plan.fixedRate} events/s, ${plan.rounds} rounds`,
    );
    await roundRobin(
      clusters,
      plan.rounds,
      {
        session: "two",
        rate: plan.fixedRate,
        seconds: plan.stepSeconds,
        probeMs: plan.probeMs,
      },
      (s) => s.cpuPerMillion,
      (results, step) => results.fanout[String(n)] = step,
      (subject, step) => fanoutStep((subject as Cluster).charged, subject.load, step),
    );
    if (plan.scenarios.has("rate-search")) {
      for (const cluster of clusters) {
        await attempt(cluster, "rate search", async () => {
          log(
            `two nodes: ${cluster.setup}: searching for the highest rate at N=${n}`,
          );
          cluster.results.findMax = await findMax(
            cluster.charged,
            cluster.load,
            {
              session: "two",
              ...plan.findMax,
              // From half the main search's start: a setup failing its first step has no peak.
              startRate: Math.max(1, Math.round(plan.findMax.startRate / 2)),
              settleMs: plan.settleMs / 2,
            },
          );
        });
      }
    }
  } finally {
    for (const cluster of clusters.reverse()) {
      await cluster.load.stop().catch(() => {});
      for (const node of cluster.nodes) await node.stop().catch(() => {});
    }
    await redis.close();
  }
  return run;
}

async function startCluster(
  setup: Setup,
  redisUrl: string,
  redisPid: number,
  plan: Plan,
  workDir: string,
  pinned: boolean,
): Promise<Cluster> {
  const [name, count] = setup.split("-") as [ServerName, string];
  const shared = setup.endsWith("redis");
  const nodes: RunningServer[] = [];
  for (let i = 0; i < Number(count); i++) {
    log(`two nodes: starting ${setup} node ${"AB"[i]}`);
    nodes.push(
      await startServer(name, {
        core: pinned ? 0 : undefined,
        workDir,
        switchboardDir: plan.switchboardDir,
        label: `${setup}-${"ab"[i]}`,
        store: name === "switchboard"
          ? shared ? redisUrl : `sqlite:${workDir}/${setup}.db`
          : undefined,
        redisUrl: name === "socketio" && shared ? redisUrl : undefined,
      }),
    );
  }
  const load = new Load(nodes, {
    count: nodes.length,
    core: pinned ? 1 : undefined,
  });
  return {
    setup,
    nodes,
    server: nodes[0],
    load,
    charged: shared ? [...nodes, { pid: redisPid }] : nodes,
    results: { ...emptyResults(), nodes: nodes.length, redis: shared },
  };
}

/** The process id of the Redis on `port`, from `INFO server`. */
async function pidOf(port: number): Promise<number> {
  const conn = await Deno.connect({ hostname: "127.0.0.1", port });
  try {
    await conn.write(new TextEncoder().encode("INFO server\r\n"));
    let text = "";
    const buffer = new Uint8Array(16384);
    while (!/process_id:\d+\r\n/.test(text)) {
      const read = await conn.read(buffer);
      if (read === null) break;
      text += new TextDecoder().decode(buffer.subarray(0, read));
    }
    const pid = Number(/process_id:(\d+)/.exec(text)?.[1]);
    if (!pid) throw new Error("Redis did not tell its process id");
    return pid;
  } finally {
    conn.close();
  }
}

/** Pins a running process to `core`, beside the servers. */
async function pin(pid: number, core: number): Promise<void> {
  await new Deno.Command("taskset", {
    args: ["-pc", String(core), String(pid)],
    stdout: "null",
  })
    .output();
}

/** A step's latency at percentile `p` of node `i`'s subscribers. */
export function nodeLatency(
  step: StepResult | undefined,
  i: number,
  p: "p50" | "p99",
): number | null | undefined {
  return step?.latencyByGenerator?.[i]?.[p];
}
