/**
 * @module The order of a run. All compared servers stay up side by side, each with its own
 * generator, so the fixed-rate steps can take turns round-robin: background noise on a shared
 * machine then falls on every server alike, and the median of the rounds is reported.
 */
import { findMax } from "./_find_max.ts";
import type { Load } from "./_load.ts";
import { type Plan, rateFor } from "./_plan.ts";
import type { ServerResults } from "./_results.ts";
import {
  connectClients,
  fanoutStep,
  type FanoutStepOptions,
  idleRoundTrips,
  replay,
  type StepResult,
} from "./_scenarios.ts";
import type { RunningServer } from "./_servers.ts";

/** A server with its load and results, as a run holds them. */
export interface Subject {
  server: RunningServer;
  load: Load;
  results: ServerResults;
}

/** Logs progress on stderr, so stdout holds only the report. */
export function log(message: string): void {
  console.error(
    `bench: ${(performance.now() / 1000).toFixed(0).padStart(4)} s  ${message}`,
  );
}

/** Runs `work`, recording a failure against the server instead of ending the run. */
export async function attempt(
  subject: Subject,
  what: string,
  work: () => Promise<void>,
): Promise<void> {
  try {
    await work();
  } catch (error) {
    let message = `${what}: ${(error as Error).message}`;
    if (subject.server.exited) {
      message += `\n  the server exited; its last output:\n${await subject
        .server.logTail()}`;
    }
    subject.results.errors.push(message);
    log(`FAILED ${subject.server.name}: ${message}`);
  }
}

/** The session holding `n` subscribers. */
export const sessionFor = (n: number) => `fan${n}`;

/** Idle round trips, then connect every fan-out size's subscribers (they stay connected). */
export async function connectPhase(
  subject: Subject,
  plan: Plan,
): Promise<void> {
  const { server, load, results } = subject;
  await attempt(subject, "idle round trips", async () => {
    results.rttIdle = await idleRoundTrips(load, plan.rttCount);
  });
  for (const n of plan.fanoutSizes) {
    await attempt(subject, `connect ${n}`, async () => {
      log(`${server.name}: connecting ${n} subscribers`);
      results.connect[String(n)] = await connectClients(server, load, {
        session: sessionFor(n),
        n,
        query: server.name.startsWith("switchboard") ? plan.switchboardQuery : "",
        settleMs: plan.settleMs,
      });
    });
  }
  if (server.name === "switchboard" && plan.switchboardQuery === "") {
    // Presence makes each join cost one frame per subscriber already there; joins that opt
    // out of presence show how much of the connect time that is.
    await attempt(subject, "connect without presence", async () => {
      results.connect[`${plan.bigN}-no-presence`] = await connectClients(
        server,
        load,
        {
          session: "quiet",
          n: plan.bigN,
          query: "&events=custom:*",
          settleMs: plan.settleMs,
        },
      );
      await load.close("quiet");
    });
  }
}

/**
 * Runs the same step on every subject in turn, `rounds` times, and keeps for each the round
 * with the median of `key`. `run` measures one step (by default charging the subject's server).
 */
export async function roundRobin(
  subjects: Subject[],
  rounds: number,
  step: FanoutStepOptions,
  key: (s: StepResult) => number,
  store: (results: ServerResults, step: StepResult) => void,
  run: (subject: Subject, step: FanoutStepOptions) => Promise<StepResult> = (
    subject,
    step,
  ) => fanoutStep(subject.server, subject.load, step),
): Promise<void> {
  const seen = new Map<Subject, StepResult[]>();
  for (let round = 0; round < rounds; round++) {
    for (const subject of subjects) {
      await attempt(
        subject,
        `fan-out to ${step.session} at ${step.rate}/s`,
        async () => {
          const result = await run(subject, step);
          seen.set(subject, [...seen.get(subject) ?? [], result]);
        },
      );
    }
  }
  for (const [subject, results] of seen) {
    const sorted = [...results].sort((a, b) => (key(a) || Infinity) - (key(b) || Infinity));
    store(subject.results, sorted[Math.floor((sorted.length - 1) / 2)]);
  }
}

/** The fixed-rate steps for every size, round-robin over the subjects. */
export async function fixedRatePhase(
  subjects: Subject[],
  plan: Plan,
): Promise<void> {
  for (const n of plan.fanoutSizes) {
    const rate = rateFor(plan, n);
    log(`fan-out to ${n} at ${rate} events/s, ${plan.rounds} rounds`);
    await roundRobin(
      subjects,
      plan.rounds,
      { session: sessionFor(n), rate, seconds: plan.stepSeconds },
      (s) => s.cpuPerMillion,
      (results, step) => results.fanout[String(n)] = step,
    );
  }
}

/** The rate search at `bigN`. */
export async function findMaxPhase(
  subject: Subject,
  plan: Plan,
): Promise<void> {
  await attempt(subject, "rate search", async () => {
    log(
      `${subject.server.name}: searching for the highest rate at N=${plan.bigN}`,
    );
    const result = await findMax(subject.server, subject.load, {
      session: sessionFor(plan.bigN),
      ...plan.findMax,
      settleMs: plan.settleMs / 2,
    });
    subject.results.findMax = result;
    const best = result.best ? Math.round(result.best.deliveriesPerSecond) : "none";
    log(
      `${subject.server.name}: peak ${best} deliveries/s (saturated: ${result.saturated})`,
    );
  });
}

/** `bigN` at `rate` with round-trip probes, round-robin. */
export async function halfPeakPhase(
  subjects: Subject[],
  plan: Plan,
  rate: number,
) {
  log(
    `N=${plan.bigN} at ${rate} events/s with round-trip probes, ${plan.rounds} rounds`,
  );
  await roundRobin(
    subjects,
    plan.rounds,
    {
      session: sessionFor(plan.bigN),
      rate,
      seconds: plan.stepSeconds,
      probeMs: plan.probeMs,
    },
    (s) => s.latency.p99 ?? Infinity,
    (results, step) => results.halfPeak = step,
  );
}

/** Late subscribers replaying each of the plan's stream lengths. */
export async function replayPhase(subject: Subject, plan: Plan): Promise<void> {
  await attempt(subject, "replay", async () => {
    log(`${subject.server.name}: replay to late subscribers`);
    subject.results.replay = await replay(
      subject.server,
      subject.load,
      "replay",
      plan.replaySizes,
    );
  });
}
