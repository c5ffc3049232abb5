/**
 * @module The benchmark's flags and the plan they select: the full run, or the few-second
 * smoke run the test suite uses.
 */
import { parseArgs } from "node:util";
import type { ServerName } from "./_servers.ts";

/** The scenario groups a run may select. */
export const SCENARIOS = [
  "fanout",
  "rate-search",
  "connect-storm",
  "reconnect-storm",
  "fast-publisher",
  "per-event",
  "durability",
  "two-nodes",
] as const;

/** One scenario group. */
export type Scenario = typeof SCENARIOS[number];

/** What to run, and how big. */
export interface Plan {
  /** Scenario groups to run (all by default). */
  scenarios: ReadonlySet<Scenario>;
  /** Sizes of the connect storm. */
  stormSizes: number[];
  /** The reconnect storm: subscribers, events before/during the outage/while back, pacing. */
  reconnect: {
    n: number;
    before: number;
    outage: number;
    during: number;
    windowMs: number;
    rate: number;
  };
  /** The fast publisher: dashboards watching, events per second, seconds. */
  fast: { n: number; rate: number; seconds: number };
  /** Seconds of each pipelined-publisher run. */
  perEventSeconds: number;
  smoke: boolean;
  /** Servers compared (the SQLite Switchboard is run when Switchboard is). */
  servers: ServerName[];
  /** Generator processes per server. */
  generators: number;
  /** Pin servers to core 0 and generators to core 1 (when `taskset` works). */
  pin: boolean;
  /** Subscriber counts of the fixed-rate fan-out steps, smallest first. */
  fanoutSizes: number[];
  /** The subscriber count of the rate search, the half-peak step and the SQLite comparison. */
  bigN: number;
  /** Events per second at `bigN` in the fixed-rate step; smaller N get proportionally more. */
  fixedRate: number;
  /** Seconds of publishing in fixed-rate and half-peak steps. */
  stepSeconds: number;
  /** Round-robin rounds of the fixed-rate and half-peak steps; the median is reported. */
  rounds: number;
  findMax: {
    startRate: number;
    factor: number;
    maxSteps: number;
    seconds: number;
  };
  rttCount: number;
  /** Milliseconds between probes under load. */
  probeMs: number;
  replaySizes: number[];
  /** Pause before memory readings and between rate-search steps, ms. */
  settleMs: number;
  /** Where the JSON goes. */
  out: string;
  /** Another Switchboard checkout to measure instead of this one (e.g. to compare a change). */
  switchboardDir?: string;
  /** Appended to Switchboard subscribers' URLs, e.g. `&events=custom:*` (no presence). */
  switchboardQuery: string;
}

/** Usage text. */
export const USAGE = `Usage: deno task bench [-- options]

  --smoke             a few seconds, tiny N: checks that everything runs
  --with-5000         also fan out to 5,000 subscribers
  --rate N            events/s at N=1,000 in the fixed-rate step (default 30)
  --generators K      load generator processes per server (default 1)
  --servers LIST      comma-separated subset of switchboard,socketio,relay
  --no-pin            do not pin processes to cores with taskset
  --out PATH          JSON results (default bench/results/bench-<time>.json)
  --switchboard-dir D run the Switchboard in checkout D instead of this one
  --switchboard-query Q  append Q to Switchboard subscribers' URLs, e.g.
                      "&events=custom:*" to subscribe without presence frames
  --scenarios LIST    comma-separated subset of ${SCENARIOS.join(",")}
                      (rate-search runs with fanout or two-nodes only;
                      two-nodes needs redis-server and is skipped without it)
  --storm-sizes LIST  connect storm sizes (default 1000,5000)
  --fast-rate N       the fast publisher's events/s (default 5000)
  --fast-seconds N    the fast publisher's duration (default 10)
  --fast-subscribers N  dashboards watching the fast publisher (default 100)
  --settle-ms N       pause before memory readings and between steps (default
                      1000); e.g. 30000 reads RSS once V8 has given back the
                      young generation a storm grew (the memory reducer)

Environment:
  BENCH_NO_BATCH=1    Switchboard peers connect without batch=1 (one frame per message)
  BENCH_CPU_PROF=DIR  write a V8 CPU profile of each Switchboard server into DIR
  BENCH_GEN_CPU_PROF=DIR  the same for each load generator (Node)
`;

/** Parses the flags into a plan; throws on unknown flags. */
export function parsePlan(
  args: string[],
  defaultOut: string,
): Plan | undefined {
  const { values } = parseArgs({
    args: args[0] === "--" ? args.slice(1) : args,
    options: {
      smoke: { type: "boolean" },
      "with-5000": { type: "boolean" },
      rate: { type: "string" },
      generators: { type: "string" },
      servers: { type: "string" },
      "no-pin": { type: "boolean" },
      out: { type: "string" },
      "switchboard-dir": { type: "string" },
      "switchboard-query": { type: "string" },
      scenarios: { type: "string" },
      "storm-sizes": { type: "string" },
      "fast-rate": { type: "string" },
      "fast-seconds": { type: "string" },
      "fast-subscribers": { type: "string" },
      "settle-ms": { type: "string" },
      help: { type: "boolean", short: "h" },
    },
    strict: true,
  });
  if (values.help) return undefined;
  const servers = (values.servers ?? "switchboard,socketio,relay").split(
    ",",
  ) as ServerName[];
  for (const s of servers) {
    if (!["switchboard", "socketio", "relay"].includes(s)) {
      throw new Error(`Unknown server "${s}"`);
    }
  }
  const generators = Number(values.generators ?? 1);
  if (!Number.isInteger(generators) || generators < 1) {
    throw new Error(`Invalid --generators "${values.generators}"`);
  }
  const scenarios = new Set(
    (values.scenarios ?? SCENARIOS.join(",")).split(",") as Scenario[],
  );
  for (const s of scenarios) {
    if (!SCENARIOS.includes(s)) throw new Error(`Unknown scenario "${s}"`);
  }
  const numbers = (text: string | undefined, flag: string) =>
    text?.split(",").map((v) => {
      const n = Number(v);
      if (!(n > 0)) throw new Error(`Invalid ${flag} "${text}"`);
      return n;
    });
  const stormSizes = numbers(values["storm-sizes"], "--storm-sizes");
  const [fastRate] = numbers(values["fast-rate"], "--fast-rate") ?? [];
  const [fastSeconds] = numbers(values["fast-seconds"], "--fast-seconds") ?? [];
  const [fastN] = numbers(values["fast-subscribers"], "--fast-subscribers") ?? [];
  const common = {
    scenarios,
    servers,
    generators,
    pin: !values["no-pin"],
    out: values.out ?? defaultOut,
    switchboardDir: values["switchboard-dir"],
    switchboardQuery: values["switchboard-query"] ?? "",
  };
  const fixedRate = Number(values.rate ?? (values.smoke ? 50 : 30));
  if (!(fixedRate > 0)) throw new Error(`Invalid --rate "${values.rate}"`);
  if (values.smoke) {
    return {
      ...common,
      smoke: true,
      stormSizes: stormSizes ?? [20],
      reconnect: {
        n: 10,
        before: 3,
        outage: 3,
        during: 3,
        windowMs: 200,
        rate: 100,
      },
      fast: { n: fastN ?? 10, rate: fastRate ?? 200, seconds: fastSeconds ?? 0.5 },
      perEventSeconds: 0.5,
      fanoutSizes: [10, 20],
      bigN: 20,
      fixedRate,
      stepSeconds: 0.5,
      rounds: 1,
      findMax: { startRate: 50, factor: 2, maxSteps: 2, seconds: 0.3 },
      rttCount: 50,
      probeMs: 20,
      replaySizes: [200, 1000],
      settleMs: 100,
    };
  }
  return {
    ...common,
    smoke: false,
    stormSizes: stormSizes ?? [1000, 5000],
    reconnect: {
      n: 1000,
      before: 10,
      outage: 10,
      during: 10,
      windowMs: 1000,
      rate: 100,
    },
    fast: { n: fastN ?? 100, rate: fastRate ?? 5000, seconds: fastSeconds ?? 10 },
    perEventSeconds: 5,
    fanoutSizes: values["with-5000"] ? [100, 1000, 5000] : [100, 1000],
    bigN: 1000,
    fixedRate,
    stepSeconds: 4,
    rounds: 3,
    findMax: { startRate: 20, factor: 1.25, maxSteps: 12, seconds: 3 },
    rttCount: 1000,
    probeMs: 10,
    replaySizes: [10_000, 100_000],
    settleMs: values["settle-ms"] === undefined ? 1000 : Number(values["settle-ms"]),
  };
}

/** Events per second for `n` subscribers: the deliveries per second of `fixedRate` at `bigN`. */
export function rateFor(plan: Plan, n: number): number {
  return Math.max(1, Math.round(plan.fixedRate * plan.bigN / n));
}
