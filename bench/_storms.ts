/**
 * @module The scenarios of issue 11, each on every compared server in turn: the connect storm
 * (N dashboards into one session), the reconnect storm (all of them dropped and back within a
 * second, resuming), the fast publisher (5,000 events/s to 100 dashboards) and the pipelined
 * publisher (events per second and CPU per event with a window of acks in flight).
 */
import type { PipelineResult, ReconnectStormResult } from "./_load.ts";
import { attempt, log, type Subject } from "./_phases.ts";
import type { Plan } from "./_plan.ts";
import { cpuSeconds } from "./_proc.ts";
import { connectClients, fanoutStep } from "./_scenarios.ts";

/** A reconnect storm with the server CPU it took. */
export interface ReconnectResult extends ReconnectStormResult {
  serverCpuSeconds: number;
}

/** A pipelined run with what it cost the server. */
export interface PerEventResult extends PipelineResult {
  serverCpuSeconds: number;
  /** Server CPU per answered event, µs. */
  cpuPerEventUs: number;
}

const switchboardQuery = (subject: Subject, plan: Plan) =>
  subject.server.name.startsWith("switchboard") ? plan.switchboardQuery : "";

/** For each storm size, each server: N dashboards connect to a fresh session, then leave. */
export async function connectStormPhase(
  subjects: Subject[],
  plan: Plan,
): Promise<void> {
  for (const n of plan.stormSizes) {
    for (const subject of subjects) {
      const session = `storm${n}`;
      await attempt(subject, `connect storm ${n}`, async () => {
        log(`${subject.server.name}: connect storm of ${n}`);
        const result = await connectClients(subject.server, subject.load, {
          session,
          n,
          query: switchboardQuery(subject, plan),
          settleMs: plan.settleMs,
        });
        (subject.results.storm ??= {})[String(n)] = result;
        log(
          `${subject.server.name}: ${n} subscribed in ${result.ms.toFixed(0)} ms`,
        );
      });
      await subject.load.close(session).catch(() => {});
      await sleep(plan.settleMs);
    }
  }
}

/** Each server: the reconnect storm. */
export async function reconnectStormPhase(
  subjects: Subject[],
  plan: Plan,
): Promise<void> {
  for (const subject of subjects) {
    await attempt(subject, "reconnect storm", async () => {
      log(`${subject.server.name}: reconnect storm of ${plan.reconnect.n}`);
      const before = await cpuSeconds(subject.server.pid);
      const result = await subject.load.reconnectStorm({
        session: "reconnect",
        ...plan.reconnect,
      });
      subject.results.reconnect = {
        ...result,
        serverCpuSeconds: await cpuSeconds(subject.server.pid) - before,
      };
      log(
        `${subject.server.name}: all back in ${result.ms.toFixed(0)} ms, ` +
          `missed ${result.missed}, twice ${result.duplicates}, failed ${result.failed}`,
      );
    });
    await sleep(plan.settleMs);
  }
}

/** Each server: one publisher at `plan.fast.rate` to `plan.fast.n` dashboards. */
export async function fastPublisherPhase(
  subjects: Subject[],
  plan: Plan,
): Promise<void> {
  const { n, rate, seconds } = plan.fast;
  for (const subject of subjects) {
    const session = "fast";
    await attempt(subject, "fast publisher", async () => {
      await subject.load.subscribe(session, n, switchboardQuery(subject, plan));
      log(
        `${subject.server.name}: one publisher at ${rate}/s to ${n} for ${seconds} s`,
      );
      const step = await fanoutStep(subject.server, subject.load, {
        session,
        rate,
        seconds,
        drainMs: 5000,
      });
      subject.results.fastPublisher = step;
      log(
        `${subject.server.name}: p99 ${step.latency.p99?.toFixed(1)} ms, ` +
          `acked ${step.acked}/${step.sent}, complete ${step.complete}`,
      );
    });
    await subject.load.close(session).catch(() => {});
    await sleep(plan.settleMs);
  }
}

/** Each server: a publisher with `inFlight` publishes unanswered, one dashboard watching. */
export async function perEventPhase(
  subjects: Subject[],
  plan: Plan,
  windows: number[],
): Promise<void> {
  for (const inFlight of windows) {
    for (const subject of subjects) {
      await attempt(subject, `per event, ${inFlight} in flight`, async () => {
        const before = await cpuSeconds(subject.server.pid);
        const result = await subject.load.pipeline({
          session: `pipe${inFlight}`,
          inFlight,
          seconds: plan.perEventSeconds,
        });
        const serverCpuSeconds = await cpuSeconds(subject.server.pid) - before;
        (subject.results.perEvent ??= {})[String(inFlight)] = {
          ...result,
          serverCpuSeconds,
          cpuPerEventUs: serverCpuSeconds / result.acked * 1e6,
        };
        log(
          `${subject.server.name}: ${inFlight} in flight: ` +
            `${result.eventsPerSecond.toFixed(0)} events/s, ` +
            `${(serverCpuSeconds / result.acked * 1e6).toFixed(1)} µs CPU per event`,
        );
      });
      await sleep(plan.settleMs / 2);
    }
  }
}

function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}
