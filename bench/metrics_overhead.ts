/**
 * @module The hub's fan-out CPU per delivery with the metrics counters (this checkout) and without
 * (another checkout, e.g. the commit before them), in one process, alternating rounds, over
 * transports that drop every frame: the JavaScript cost alone, with no kernel send to hide it,
 * so the relative overhead it shows is the upper bound of what a real fan-out pays.
 *
 * `deno run -A bench/metrics_overhead.ts --baseline DIR [--subscribers 1000] [--events 2000]`
 */
import { parseArgs } from "node:util";
import process from "node:process";

interface HubLike {
  connect(
    transport: unknown,
    options: { role: "dashboard" | "orchestrator" },
  ): unknown;
  subscribe(connection: unknown, session: string): Promise<unknown>;
  publish(
    actor: unknown,
    session: string,
    events: { event: string; payload: object }[],
  ): Promise<
    number[]
  >;
  close(): void;
}
type Modules = {
  Hub: new (options: { store: unknown; heartbeatMs: number }) => HubLike;
  MemoryStore: new (options: { maxEventsPerSession: number }) => unknown;
};

const { values } = parseArgs({
  options: {
    baseline: { type: "string" },
    subscribers: { type: "string", default: "1000" },
    events: { type: "string", default: "2000" },
    rounds: { type: "string", default: "7" },
  },
});
if (!values.baseline) {
  throw new Error("Give --baseline DIR: a checkout without the counters");
}
const subscribers = Number(values.subscribers);
const events = Number(values.events);
const rounds = Number(values.rounds);

const drop = { send() {}, close() {}, bufferedAmount: 0, isOpen: true };

async function hubWith(
  modules: Modules,
): Promise<{ hub: HubLike; publisher: unknown }> {
  const store = new modules.MemoryStore({ maxEventsPerSession: 1000 });
  const hub = new modules.Hub({ store, heartbeatMs: 0 });
  for (let i = 0; i < subscribers; i++) {
    await hub.subscribe(hub.connect({ ...drop }, { role: "dashboard" }), "s");
  }
  return { hub, publisher: hub.connect({ ...drop }, { role: "orchestrator" }) };
}

/** CPU microseconds (user + system) per delivery for one round of `events` publishes. */
async function round(
  subject: { hub: HubLike; publisher: unknown },
): Promise<number> {
  const batch = Array.from(
    { length: 10 },
    (_, k) => ({ event: "custom:tick", payload: { k } }),
  );
  const before = process.cpuUsage();
  for (let i = 0; i < events / batch.length; i++) {
    await subject.hub.publish(subject.publisher, "s", batch);
  }
  const used = process.cpuUsage(before);
  return (used.user + used.system) / (events * subscribers);
}

const here = await import("../src/mod.ts") as unknown as Modules;
const there = await import(
  new URL(
    `${values.baseline.replace(/\/$/, "")}/src/mod.ts`,
    `file://${Deno.cwd()}/`,
  ).href
) as Modules;
const subjects = {
  counters: await hubWith(here),
  baseline: await hubWith(there),
};
const samples: Record<keyof typeof subjects, number[]> = {
  counters: [],
  baseline: [],
};
await round(subjects.counters); // warm-up: compile both paths before measuring
await round(subjects.baseline);
for (let r = 0; r < rounds; r++) {
  for (
    const name of r % 2 === 0
      ? ["counters", "baseline"] as const
      : ["baseline", "counters"] as const
  ) {
    samples[name].push(await round(subjects[name]));
  }
}
const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];
const withCounters = median(samples.counters);
const without = median(samples.baseline);
console.log(JSON.stringify({
  subscribers,
  events,
  rounds,
  cpuNsPerDelivery: {
    withCounters: withCounters * 1000,
    without: without * 1000,
  },
  ratio: withCounters / without,
}));
for (const subject of Object.values(subjects)) subject.hub.close();
