/**
 * @module `deno task bench`: runs the same scenarios against Switchboard, Socket.IO and a bare
 * Deno relay in one go, prints the comparison table and writes the results as JSON.
 */
import { Load } from "./_load.ts";
import { machine, versions } from "./_meta.ts";
import { BENCH_DIR, ensureNodeModules } from "./_npm.ts";
import {
  attempt,
  connectPhase,
  findMaxPhase,
  fixedRatePhase,
  halfPeakPhase,
  log,
  replayPhase,
  type Subject,
} from "./_phases.ts";
import { parsePlan, type Plan, rateFor, type Scenario, USAGE } from "./_plan.ts";
import { canPin } from "./_proc.ts";
import { durabilityTable } from "./_durability.ts";
import { comparisonTable } from "./_report.ts";
import { emptyResults, type RunResults } from "./_results.ts";
import { connectClients } from "./_scenarios.ts";
import {
  connectStormPhase,
  fastPublisherPhase,
  perEventPhase,
  reconnectStormPhase,
} from "./_storms.ts";
import { stormTable } from "./_storm_report.ts";
import { type ServerName, startServer } from "./_servers.ts";
import { checkTargets, targetsList } from "./_targets.ts";
import { checkStormTargets } from "./_storm_targets.ts";
import { twoNodesPhase } from "./_two_nodes.ts";
import { twoNodesTable } from "./_two_nodes_report.ts";

/** Everything a run started, so one path stops it all: on success, failure or a signal. */
const running: Subject[] = [];

async function stopAll(): Promise<void> {
  for (const subject of running.splice(0).reverse()) {
    await subject.load.stop().catch(() => {});
    await subject.server.stop().catch(() => {});
  }
}

async function start(
  name: ServerName,
  plan: Plan,
  workDir: string,
  pinned: boolean,
) {
  log(`starting ${name}`);
  const server = await startServer(name, {
    core: pinned ? 0 : undefined,
    workDir,
    switchboardDir: plan.switchboardDir,
  });
  const load = new Load(server, {
    count: plan.generators,
    core: pinned ? 1 : undefined,
  });
  const subject: Subject = { server, load, results: emptyResults() };
  running.push(subject);
  return subject;
}

/** Runs the plan; fills `run.servers`. */
async function runPlan(
  run: RunResults,
  plan: Plan,
  workDir: string,
): Promise<void> {
  const pinned = run.meta.pinned;
  const has = (scenario: Scenario) => plan.scenarios.has(scenario);
  const subjects: Subject[] = [];
  // The two-node scenario starts servers of its own.
  if (![...plan.scenarios].some((s) => s !== "two-nodes" && s !== "rate-search")) return;
  for (const name of plan.servers) {
    const subject = await start(name, plan, workDir, pinned);
    run.servers[name] = subject.results;
    subjects.push(subject);
    if (has("fanout")) await connectPhase(subject, plan);
  }
  if (has("fanout")) {
    await fixedRatePhase(subjects, plan);
  }
  if (has("fanout") && has("rate-search")) {
    for (const subject of subjects) await findMaxPhase(subject, plan);
    const sioPeak = run.servers.socketio?.findMax?.best?.rate;
    const half = sioPeak ? Math.max(1, Math.round(sioPeak / 2)) : rateFor(plan, plan.bigN);
    run.meta.halfPeakRate = half;
    await halfPeakPhase(subjects, plan, half);
  }
  if (has("connect-storm")) await connectStormPhase(subjects, plan);
  if (has("reconnect-storm")) await reconnectStormPhase(subjects, plan);
  if (has("fast-publisher")) await fastPublisherPhase(subjects, plan);
  if (has("per-event")) await perEventPhase(subjects, plan, [64]);
  const memory = subjects.find((s) => s.server.name === "switchboard");
  if (!memory || !has("durability")) return;
  if (has("fanout")) await replayPhase(memory, plan);
  await stopAll();

  // Durability: the same Switchboard on the SQLite store, fsync at every commit (full, the
  // default) and at checkpoints only (normal), side by side without the others.
  const stores: Subject[] = [];
  for (
    const name of ["switchboard-sqlite", "switchboard-sqlite-normal"] as const
  ) {
    const subject = await start(name, plan, workDir, pinned);
    run.servers[name] = subject.results;
    stores.push(subject);
    if (!has("fanout")) continue;
    const n = plan.bigN;
    await attempt(subject, "connect", async () => {
      subject.results.connect[String(n)] = await connectClients(
        subject.server,
        subject.load,
        {
          session: `fan${n}`,
          n,
          query: plan.switchboardQuery,
          settleMs: plan.settleMs,
        },
      );
    });
  }
  if (has("fanout")) {
    await fixedRatePhase(stores, { ...plan, fanoutSizes: [plan.bigN] });
    // The rate of the others' half-peak step, when the rate search ran.
    if (run.meta.halfPeakRate !== undefined) {
      await halfPeakPhase(stores, plan, run.meta.halfPeakRate);
    }
    await replayPhase(stores[0], plan);
  }
  // What a durable ack costs: a window of 64, and an orchestrator that awaits every ack.
  if (has("per-event")) await perEventPhase(stores, plan, [64, 1]);
}

async function main(): Promise<number> {
  const stamp = new Date().toISOString().replace(/[:.]/g, "-").slice(0, 19);
  const plan = parsePlan(Deno.args, `${BENCH_DIR}results/bench-${stamp}.json`);
  if (!plan) {
    console.log(USAGE);
    return 0;
  }
  const began = performance.now();
  await ensureNodeModules();
  const pinned = plan.pin && await canPin();
  if (!pinned) {
    log("not pinning processes to cores (no taskset, or fewer than 2 cores)");
  }
  const run: RunResults = {
    meta: {
      date: new Date().toISOString(),
      smoke: plan.smoke,
      pinned,
      generators: plan.generators,
      fixedRate: plan.fixedRate,
      bigN: plan.bigN,
      ...(plan.switchboardQuery ? { switchboardQuery: plan.switchboardQuery } : {}),
      versions: await versions(),
      machine: await machine(),
    },
    servers: {},
  };
  const workDir = await Deno.makeTempDir({ prefix: "switchboard-bench-" });
  try {
    await runPlan(run, plan, workDir);
    await stopAll();
    // Last, alone on the machine: its four setups (six servers and a Redis) are up together.
    if (plan.scenarios.has("two-nodes")) {
      run.twoNodes = await twoNodesPhase(plan, workDir, pinned);
    }
  } finally {
    await stopAll();
    await Deno.remove(workDir, { recursive: true }).catch(() => {});
  }
  run.meta.durationSeconds = Math.round((performance.now() - began) / 1000);
  await Deno.mkdir(plan.out.replace(/\/[^/]*$/, "") || ".", {
    recursive: true,
  });
  await Deno.writeTextFile(plan.out, JSON.stringify(run, null, 2) + "\n");
  console.log(report(run));
  console.log(`\nResults: ${plan.out}`);
  const failed = [
    ...Object.values(run.servers),
    ...Object.values(run.twoNodes?.setups ?? {}),
  ]
    .some((r) => r.errors.length > 0);
  return failed ? 1 : 0;
}

/** The printed report: setup, the tables and the targets. */
function report(run: RunResults): string {
  const { meta } = run;
  const v = meta.versions;
  const errors = [
    ...Object.entries(run.servers),
    ...Object.entries(run.twoNodes?.setups ?? {}),
  ].flatMap(([name, r]) => r.errors.map((e) => `ERROR ${name}: ${e}`));
  const setup = [
    `Switchboard ${v.switchboard} vs Socket.IO ${v["socket.io"]} (Node ${v.node})`,
    `vs bare relay (Deno ${v.deno}); ${meta.machine.cpu}, ${meta.machine.cores} cores;`,
    meta.pinned ? "servers on core 0, generator on core 1;" : "not pinned;",
    `${meta.durationSeconds} s`,
    meta.switchboardQuery ? `; Switchboard subscribers with "${meta.switchboardQuery}"` : "",
    meta.smoke ? " (SMOKE: tiny N, not for comparison)" : "",
  ];
  return [
    setup.join(" "),
    "",
    meta.bigN &&
      Object.values(run.servers).some((r) => r && Object.keys(r.fanout).length > 0)
      ? comparisonTable(run) + "\n"
      : "",
    stormTable(run),
    "",
    durabilityTable(run),
    "",
    twoNodesTable(run),
    "",
    // Targets concern the single-server comparison; a two-node run alone has none.
    ...(Object.keys(run.servers).length === 0 ? [] : [
      "Targets (issue 6):",
      targetsList(checkTargets(run)),
      "",
      "Targets (issue 11):",
      targetsList(checkStormTargets(run)),
    ]),
    ...errors,
  ].join("\n");
}

if (import.meta.main) {
  const onSignal = () => stopAll().finally(() => Deno.exit(130));
  Deno.addSignalListener("SIGINT", onSignal);
  Deno.addSignalListener("SIGTERM", onSignal);
  let code = 1;
  try {
    code = await main();
  } catch (error) {
    console.error(`bench failed: ${(error as Error).message}`);
    await stopAll();
  }
  Deno.exit(code);
}
