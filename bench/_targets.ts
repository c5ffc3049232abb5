/**
 * @module The targets, checked against one run: each met or missed, and by how much.
 */
import type { RunResults } from "./_results.ts";

/** One target's verdict. */
export interface Verdict {
  target: string;
  /** `undefined` when the run lacks the figures. */
  met: boolean | undefined;
  detail: string;
}

/** Checks every target the run has figures for. */
export function checkTargets(run: RunResults): Verdict[] {
  const sb = run.servers.switchboard;
  const sio = run.servers.socketio;
  const relay = run.servers.relay;
  const verdicts: Verdict[] = [];
  const big = String(run.meta.bigN);
  const at = `N=${run.meta.bigN.toLocaleString("en")}`;
  const ratio = (a: number | null | undefined, b: number | null | undefined) =>
    typeof a === "number" && typeof b === "number" && b !== 0 ? a / b : undefined;
  const add = (
    target: string,
    value: number | undefined,
    ok: (v: number) => boolean,
    detail: (v: number) => string,
  ) =>
    verdicts.push(
      value === undefined
        ? { target, met: undefined, detail: "not measured" }
        : { target, met: ok(value), detail: detail(value) },
    );
  const x = (v: number) => `${v.toFixed(2)}×`;

  const cpu = (r: typeof sb) => r?.fanout[big]?.cpuPerMillion;
  add(
    `Server CPU per delivery at ${at} ≤ 0.7× Socket.IO's`,
    ratio(cpu(sb), cpu(sio)),
    (v) => v <= 0.7,
    (v) => `${x(v)} (${cpu(sb)?.toFixed(2)} vs ${cpu(sio)?.toFixed(2)} CPU s per 1M)`,
  );
  add(
    `Stretch: server CPU per delivery at ${at} ≤ the bare relay's`,
    ratio(cpu(sb), cpu(relay)),
    (v) => v <= 1,
    (v) => `${x(v)} (relay ${cpu(relay)?.toFixed(2)})`,
  );
  const peak = (r: typeof sb) => r?.findMax?.best?.deliveriesPerSecond;
  add(
    `Highest sustainable deliveries/s at ${at} ≥ 1.2× Socket.IO's`,
    ratio(peak(sb), peak(sio)),
    (v) => v >= 1.2,
    (v) => {
      const sides = `Switchboard ${sb?.findMax?.saturated}, Socket.IO ${sio?.findMax?.saturated}`;
      return `${x(v)}; saturated side: ${sides}`;
    },
  );
  add(
    `Highest sustainable deliveries/s at ${at} ≥ 0.9× the bare relay's`,
    ratio(peak(sb), peak(relay)),
    (v) => v >= 0.9,
    (v) => `${x(v)}; relay saturated side: ${relay?.findMax?.saturated}`,
  );
  const ceiling = (r: typeof sb) => cpu(r) === undefined ? undefined : 1 / cpu(r)!;
  add(
    `(derived) CPU-bound ceiling at ${at} ≥ 1.2× Socket.IO's`,
    ratio(ceiling(sb), ceiling(sio)),
    (v) => v >= 1.2,
    (v) => `${x(v)}: one core divided by CPU per delivery at the fixed rate`,
  );
  add(
    `(derived) CPU-bound ceiling at ${at} ≥ 0.9× the bare relay's`,
    ratio(ceiling(sb), ceiling(relay)),
    (v) => v >= 0.9,
    (v) => `${x(v)}`,
  );
  add(
    `p99 at ${at} at half Socket.IO's peak ≤ Socket.IO's`,
    ratio(sb?.halfPeak?.latency.p99, sio?.halfPeak?.latency.p99),
    (v) => v <= 1,
    (v) =>
      `${x(v)} (${sb?.halfPeak?.latency.p99?.toFixed(1)} vs ${
        sio?.halfPeak?.latency.p99?.toFixed(1)
      } ms)`,
  );
  add(
    "Idle round-trip p99 ≤ 0.5× Socket.IO's",
    ratio(sb?.rttIdle?.p99, sio?.rttIdle?.p99),
    (v) => v <= 0.5,
    (v) => `${x(v)} (${sb?.rttIdle?.p99?.toFixed(3)} vs ${sio?.rttIdle?.p99?.toFixed(3)} ms)`,
  );
  const bytes = (r: typeof sb) => r?.connect[big]?.bytesPerConnection;
  add(
    "Bytes per idle connection ≤ 1.1× the bare relay's",
    ratio(bytes(sb), bytes(relay)),
    (v) => v <= 1.1,
    (v) =>
      `${x(v)} (${kib(bytes(sb))} vs ${kib(bytes(relay))} KiB; Socket.IO ${kib(bytes(sio))} KiB)`,
  );
  return verdicts;
}

/** The verdicts as a Markdown list. */
export function targetsList(verdicts: Verdict[]): string {
  return verdicts.map((v) =>
    `- ${v.met === undefined ? "?" : v.met ? "met" : "MISSED"}: ${v.target}: ${v.detail}`
  ).join("\n");
}

function kib(bytes: number | undefined): string {
  return bytes === undefined ? "–" : (bytes / 1024).toFixed(1);
}
