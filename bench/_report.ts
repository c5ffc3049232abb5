/**
 * @module Turns a run's results into the tables printed on stdout and pasted into
 * docs/BENCHMARKS.md: one row per metric, the three servers side by side, and Switchboard's
 * ratios against Socket.IO and against the bare relay.
 */
import type { Percentiles } from "./_load.ts";
import type { RunResults, ServerResults } from "./_results.ts";
import type { StepResult } from "./_scenarios.ts";
import { cpuS, kilo, ms, percent } from "./_format.ts";

/** Reads one figure from a server's results. */
export type Pick = (r: ServerResults) => number | null | undefined;

/** One row of a comparison table. */
export interface Row {
  label: string;
  pick: Pick;
  format: (value: number) => string;
  /** Leave ratios out (e.g. when they would mislead). */
  noRatio?: boolean;
  /** Whether the step behind the value delivered everything; `false` marks the cell ✗. */
  complete?: (r: ServerResults) => boolean | undefined;
}

const COMPARED = ["switchboard", "socketio", "relay"] as const;

/** Renders the main comparison table as Markdown. */
export function comparisonTable(run: RunResults): string {
  const { fixedRate, halfPeakRate, bigN } = run.meta;
  const n1000 = (key: string) => `N=${Number(key).toLocaleString("en")}`;
  const rows: (Row | string)[] = [];
  for (const key of fanoutKeys(run)) {
    const rate = COMPARED.map((name) => run.servers[name]?.fanout[key]?.rate).find((r) => r) ??
      fixedRate;
    rows.push(
      `**Fan-out ${n1000(key)}, ${rate} events/s = ${kilo(rate * Number(key))} deliveries/s**`,
    );
    rows.push(...stepRows((r) => r.fanout[key]));
  }
  rows.push(
    `**Highest sustainable rate, ${n1000(String(bigN))} (p99 ≤ 50 ms, all delivered)**`,
  );
  rows.push(
    {
      label: "deliveries/s",
      pick: (r) => r.findMax?.best?.deliveriesPerSecond,
      format: kilo,
    },
    {
      label: "p99 at that rate, ms",
      pick: (r) => r.findMax?.best?.latency.p99,
      format: ms,
    },
    {
      label: "CPU-bound ceiling: 1 core ÷ CPU per delivery at the fixed rate, deliveries/s",
      pick: (r) => 1e6 / (r.fanout[String(bigN)]?.cpuPerMillion ?? NaN),
      format: kilo,
    },
    {
      label: "server CPU busy at the first failing rate",
      pick: (r) => r.findMax?.failed?.serverUtilisation,
      format: percent,
      noRatio: true,
    },
    {
      label: "generator CPU busy at the first failing rate",
      pick: (r) => r.findMax?.failed?.generatorUtilisation,
      format: percent,
      noRatio: true,
    },
  );
  rows.push(
    `**${n1000(String(bigN))} at half Socket.IO's peak${
      halfPeakRate ? `: ${halfPeakRate} events/s` : ""
    }**`,
  );
  rows.push(
    ...stepRows((r) => r.halfPeak).filter((row) => !row.label.startsWith("server CPU")),
  );
  rows.push(
    {
      label: "round trip under load p50, ms",
      pick: (r) => r.halfPeak?.rtt.p50,
      format: ms,
    },
    {
      label: "round trip under load p99, ms",
      pick: (r) => r.halfPeak?.rtt.p99,
      format: ms,
    },
  );
  rows.push("**Idle round trip (application ping → pong)**");
  rows.push(
    { label: "p50, ms", pick: (r) => r.rttIdle?.p50, format: ms },
    { label: "p99, ms", pick: (r) => r.rttIdle?.p99, format: ms },
  );
  rows.push("**Connect and subscribe**");
  for (const key of connectKeys(run)) {
    rows.push({
      label: `${n1000(key)}: time to all subscribed, ms`,
      pick: (r) => r.connect[key]?.ms,
      format: (v) => v.toFixed(0),
    }, {
      label: `${n1000(key)}: server RSS per idle connection, KiB`,
      pick: (r) => r.connect[key]?.bytesPerConnection,
      format: (v) => (v / 1024).toFixed(1),
    });
  }
  const quiet = `${bigN}-no-presence`;
  if (run.servers.switchboard?.connect[quiet]) {
    rows.push(
      {
        label: `${n1000(String(bigN))} without presence (events=custom:*): time, ms`,
        pick: (r) => r.connect[quiet]?.ms,
        format: (v) => v.toFixed(0),
        noRatio: true,
      },
    );
  }
  return table(run, rows);
}

function stepRows(step: (r: ServerResults) => StepResult | undefined): Row[] {
  const pct =
    (name: keyof Percentiles, of: (s: StepResult) => Percentiles) => (r: ServerResults) => {
      const s = step(r);
      return s ? of(s)[name] : undefined;
    };
  return [
    {
      label: "server CPU s per 1M deliveries",
      pick: (r) => step(r)?.cpuPerMillion,
      format: cpuS,
    },
    {
      label: "delivered/s (✗ = incomplete)",
      pick: (r) => step(r)?.deliveriesPerSecond,
      format: kilo,
      noRatio: true,
      complete: (r) => step(r)?.complete,
    },
    {
      label: "latency p50, ms",
      pick: pct("p50", (s) => s.latency),
      format: ms,
    },
    {
      label: "latency p99, ms",
      pick: pct("p99", (s) => s.latency),
      format: ms,
    },
    {
      label: "latency p99.9, ms",
      pick: pct("p999", (s) => s.latency),
      format: ms,
    },
    {
      label: "last subscriber has it, p99, ms",
      pick: pct("p99", (s) => s.lastSubscriber),
      format: ms,
    },
    {
      label: "publish → ack p99, ms",
      pick: pct("p99", (s) => s.ack),
      format: ms,
    },
  ];
}

/** Renders rows (or section headings) with the three servers side by side and the ratios. */
export function table(run: RunResults, rows: (Row | string)[]): string {
  const header = [
    "| metric | Switchboard | Socket.IO | bare relay | SB ÷ Socket.IO | SB ÷ relay |",
    "| --- | ---: | ---: | ---: | ---: | ---: |",
  ];
  const lines = rows.map((row) => {
    if (typeof row === "string") return `| ${row} | | | | | |`;
    const values = COMPARED.map((name) => {
      const results = run.servers[name];
      const value = results ? row.pick(results) : undefined;
      return typeof value === "number" && Number.isFinite(value) ? value : undefined;
    });
    const cells = values.map((value, i) => {
      if (value === undefined) return "–";
      const results = run.servers[COMPARED[i]];
      const incomplete = results && row.complete?.(results) === false;
      return row.format(value) + (incomplete ? " ✗" : "");
    });
    const [sb, sio, relay] = values;
    const ratio = (other: number | undefined) =>
      row.noRatio || sb === undefined || other === undefined || other === 0
        ? ""
        : `${(sb / other).toFixed(2)}×`;
    return `| ${row.label} | ${cells.join(" | ")} | ${ratio(sio)} | ${ratio(relay)} |`;
  });
  return [...header, ...lines].join("\n");
}

function fanoutKeys(run: RunResults): string[] {
  const keys = new Set<string>();
  for (const name of COMPARED) {
    for (const k of Object.keys(run.servers[name]?.fanout ?? {})) {
      keys.add(k);
    }
  }
  return [...keys].sort((a, b) => Number(b) - Number(a));
}

function connectKeys(run: RunResults): string[] {
  const keys = new Set<string>();
  for (const name of COMPARED) {
    for (const k of Object.keys(run.servers[name]?.connect ?? {})) {
      if (/^\d+$/.test(k)) keys.add(k);
    }
  }
  return [...keys].sort((a, b) => Number(a) - Number(b));
}
