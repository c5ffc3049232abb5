/**
 * @module Issue 11's targets, checked against one run: connect storms against Socket.IO, memory
 * per idle connection against the relay, CPU per delivery and per event, the fast publisher and
 * the reconnect storm.
 */
import type { RunResults, ServerResults } from "./_results.ts";
import type { Verdict } from "./_targets.ts";

/** Checks every issue-11 target the run has figures for. */
export function checkStormTargets(run: RunResults): Verdict[] {
  const sb = run.servers.switchboard;
  const sio = run.servers.socketio;
  const relay = run.servers.relay;
  const verdicts: Verdict[] = [];
  const add = (
    target: string,
    value: number | undefined,
    ok: boolean,
    detail: string,
  ) =>
    verdicts.push(
      value === undefined || !Number.isFinite(value)
        ? { target, met: undefined, detail: "not measured" }
        : { target, met: ok, detail },
    );
  const ratio = (
    pick: (r: ServerResults) => number | null | undefined,
    other = sio,
  ) => {
    const a = sb && pick(sb);
    const b = other && pick(other);
    return typeof a === "number" && typeof b === "number" && b !== 0 ? a / b : undefined;
  };
  const x = (v: number | undefined) => `${v?.toFixed(2)}×`;

  for (const [n, limit] of [["1000", 1.2], ["5000", 1.5]] as const) {
    const pick = (r: ServerResults) => r.storm?.[n]?.ms;
    const v = ratio(pick);
    add(
      `Connect storm of ${n}: time ≤ ${limit}× Socket.IO's`,
      v,
      (v ?? Infinity) <= limit,
      `${x(v)} (${sb && pick(sb)?.toFixed(0)} vs ${sio && pick(sio)?.toFixed(0)} ms)`,
    );
  }
  for (const n of ["1000", "5000"]) {
    const pick = (r: ServerResults) => r.storm?.[n]?.bytesPerConnection;
    const v = ratio(pick, relay);
    const kib = (r: ServerResults | undefined) => ((r && pick(r) || 0) / 1024).toFixed(1);
    add(
      `RSS per idle connection at N=${n} ≤ 1.2× the relay's`,
      v,
      (v ?? Infinity) <= 1.2,
      `${x(v)} (${kib(sb)} vs ${kib(relay)} KiB; Socket.IO ${kib(sio)} KiB)`,
    );
  }
  const cpu = (r: ServerResults) => r.fanout[String(run.meta.bigN)]?.cpuPerMillion;
  const vs = ratio(cpu);
  add(
    "CPU per delivery at N=1,000 ≤ 0.7× Socket.IO's",
    vs,
    (vs ?? Infinity) <= 0.7,
    x(vs),
  );
  const vr = ratio(cpu, relay);
  add(
    "CPU per delivery at N=1,000 ≤ 1.15× the relay's",
    vr,
    (vr ?? Infinity) <= 1.15,
    x(vr),
  );
  const perEvent = (r: ServerResults) => r.perEvent?.["64"]?.cpuPerEventUs;
  const ve = ratio(perEvent);
  add(
    "Per event (64 in flight): server CPU ≤ 0.7× Socket.IO's",
    ve,
    (ve ?? Infinity) <= 0.7,
    `${x(ve)} (${sb && perEvent(sb)?.toFixed(1)} vs ${sio && perEvent(sio)?.toFixed(1)} µs)`,
  );
  const rate = sb?.perEvent?.["64"]?.eventsPerSecond;
  add(
    "Per event (64 in flight), memory store: ≥ 40,000 events/s",
    rate,
    (rate ?? 0) >= 40_000,
    `${rate?.toFixed(0)} events/s`,
  );
  const sqlite = run.servers["switchboard-sqlite"]?.perEvent?.["64"]
    ?.eventsPerSecond;
  add(
    "Per event (64 in flight), SQLite: ≥ 20,000 events/s",
    sqlite,
    (sqlite ?? 0) >= 20_000,
    `${sqlite?.toFixed(0)} events/s`,
  );
  const fast = sb?.fastPublisher;
  add(
    "Fast publisher: all acked, nothing closed, p99 < 50 ms",
    fast?.latency.p99 ?? undefined,
    !!fast && fast.complete && fast.dropped === 0 &&
      (fast.latency.p99 ?? Infinity) < 50,
    fast
      ? `p99 ${fast.latency.p99?.toFixed(1)} ms, acked ${fast.acked}/${fast.sent}, ` +
        `${fast.received}/${fast.expected} delivered, ${fast.dropped} closed`
      : "",
  );
  const storm = sb?.reconnect;
  add(
    "Reconnect storm: every subscriber resumed, nothing missed or repeated",
    storm?.ms,
    !!storm && storm.missed === 0 && storm.duplicates === 0 &&
      storm.failed === 0,
    storm
      ? `all live ${storm.ms.toFixed(0)} ms after the drop; missed ${storm.missed}, ` +
        `twice ${storm.duplicates}, failed ${storm.failed}`
      : "",
  );
  return verdicts;
}
