/**
 * @module The rate search: steps the publish rate up until latency or completeness gives, to
 * find the highest rate a server sustains, and which side (server or generator) ran out of CPU.
 */
import type { Load } from "./_load.ts";
import { type Charged, fanoutStep, type StepResult } from "./_scenarios.ts";

/** The rate search's outcome. */
export interface FindMaxResult {
  /** The fastest step that kept p99 within the limit and delivered everything. */
  best: StepResult | undefined;
  /** The slowest step that did not. */
  failed: StepResult | undefined;
  /**
   * What gave out in the failed step: the server or the generator when it used at least
   * {@linkcode SATURATED} of its core (the busier one if both did), else `latency` (neither
   * was out of CPU: queues or pauses broke the p99 first), or `unknown` with no failed step.
   */
  saturated: "server" | "generator" | "latency" | "unknown";
  /** Every step, in the order run. */
  steps: StepResult[];
}

/** Options of {@linkcode findMax}. */
export interface FindMaxOptions {
  session: string;
  /** First rate tried, events per second. */
  startRate: number;
  /** Each step multiplies the rate by this. */
  factor: number;
  /** Steps at most, retries included. */
  maxSteps: number;
  /** Seconds of publishing per step. */
  seconds: number;
  /** The latency limit, ms. @default 50 */
  p99LimitMs?: number;
  /** Pause between steps, so one step's backlog does not spill into the next. @default 500 */
  settleMs?: number;
}

/** Whether a step met the bar: everything delivered (and acknowledged) and p99 within limit. */
export function passes(step: StepResult, p99LimitMs = 50): boolean {
  return step.complete && step.latency.p99 !== null &&
    step.latency.p99 <= p99LimitMs;
}

/**
 * Steps the rate up by `factor` until a step fails twice in a row (one retry, because a
 * neighbour's burst on a shared machine can sink a single step), then tries once halfway
 * between the last pass and the failure.
 */
export async function findMax(
  server: Charged | Charged[],
  load: Load,
  options: FindMaxOptions,
): Promise<FindMaxResult> {
  const steps: StepResult[] = [];
  const limit = options.p99LimitMs ?? 50;
  let best: StepResult | undefined;
  let failed: StepResult | undefined;
  const attempt = async (rate: number) => {
    if (steps.length > 0) await sleep(options.settleMs ?? 500);
    const step = await fanoutStep(server, load, {
      session: options.session,
      rate,
      seconds: options.seconds,
    });
    steps.push(step);
    return passes(step, limit) ? step : undefined;
  };
  let rate = options.startRate;
  while (steps.length < options.maxSteps) {
    const passed = await attempt(rate) ?? await attempt(rate);
    if (!passed) {
      failed = steps[steps.length - 1];
      break;
    }
    best = passed;
    rate = Math.max(rate + 1, Math.round(rate * options.factor));
  }
  if (best && failed && failed.rate - best.rate > 1) {
    const between = await attempt(Math.round((best.rate + failed.rate) / 2));
    if (between) best = between;
    else failed = steps[steps.length - 1];
  }
  return { best, failed, saturated: saturatedSide(failed), steps };
}

/** Share of a core above which a process counts as saturated. */
export const SATURATED = 0.85;

function saturatedSide(
  failed: StepResult | undefined,
): FindMaxResult["saturated"] {
  if (!failed) return "unknown";
  const { serverUtilisation: server, generatorUtilisation: generator } = failed;
  if (Math.max(server, generator) < SATURATED) return "latency";
  return server >= generator ? "server" : "generator";
}

function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}
