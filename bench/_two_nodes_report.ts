/**
 * @module The table of the two-node scenario (issue 13): one node and two nodes on Redis, for
 * Switchboard and for Socket.IO, side by side, with what the second node costs each of them
 * and Switchboard's two nodes against Socket.IO's.
 */
import { cpuS, kilo, ms, percent } from "./_format.ts";
import type { RunResults } from "./_results.ts";
import type { StepResult } from "./_scenarios.ts";
import { nodeLatency, SETUPS, type TwoNodeResults } from "./_two_nodes.ts";

interface TwoNodeRow {
  label: string;
  pick: (r: TwoNodeResults) => number | null | undefined;
  format: (value: number) => string;
  noRatio?: boolean;
  complete?: (r: TwoNodeResults) => boolean | undefined;
}

/** Renders the table, or why the scenario did not run, or nothing when it was not asked for. */
export function twoNodesTable(run: RunResults): string {
  const two = run.twoNodes;
  if (!two) return "";
  const title = `Two nodes on one Redis (issue 13): N=${two.subscribers.toLocaleString("en")} ` +
    "subscribers split evenly over the nodes, the publisher on node A";
  if (two.skipped) return `${title}: skipped, ${two.skipped}`;
  const n = String(two.subscribers);
  const fixed = (r: TwoNodeResults) => r.fanout[n];
  const peak = (r: TwoNodeResults) => r.findMax?.best;
  const rows: (TwoNodeRow | string)[] = [
    `**${two.rate} events/s = ${kilo(two.rate * two.subscribers)} deliveries/s**`,
    ...stepRows(fixed),
    {
      label: "node A CPU s per 1M deliveries",
      pick: (r) => perMillion(fixed(r), 0),
      format: cpuS,
    },
    {
      label: "node B CPU s per 1M deliveries",
      pick: (r) => r.nodes > 1 ? perMillion(fixed(r), 1) : undefined,
      format: cpuS,
    },
    {
      label: "Redis CPU s per 1M deliveries",
      pick: (r) => r.redis ? perMillion(fixed(r), r.nodes) : undefined,
      format: cpuS,
    },
    "**Highest sustainable rate (p99 ≤ 50 ms, all delivered)**",
    {
      label: "deliveries/s",
      pick: (r) => peak(r)?.deliveriesPerSecond,
      format: kilo,
    },
    {
      label: "p99 at that rate, ms",
      pick: (r) => peak(r)?.latency.p99,
      format: ms,
    },
    {
      label: "CPU busy at the first failing rate (all nodes and Redis, 1 = a core)",
      pick: (r) => r.findMax?.failed?.serverUtilisation,
      format: percent,
      noRatio: true,
    },
  ];
  return [
    title,
    "",
    "| metric | SB 1 node SQLite | SB 2 nodes Redis | Socket.IO 1 node | Socket.IO 2 nodes Redis " +
    "| SB 2 ÷ 1 | Socket.IO 2 ÷ 1 | SB 2 ÷ Socket.IO 2 |",
    "| --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: |",
    ...rows.map((row) => render(row, two.setups)),
  ].join("\n");
}

function stepRows(
  step: (r: TwoNodeResults) => StepResult | undefined,
): TwoNodeRow[] {
  return [
    {
      label: "delivered/s (✗ = incomplete)",
      pick: (r) => step(r)?.deliveriesPerSecond,
      format: kilo,
      noRatio: true,
      complete: (r) => step(r)?.complete,
    },
    { label: "latency p50, ms", pick: (r) => step(r)?.latency.p50, format: ms },
    { label: "latency p99, ms", pick: (r) => step(r)?.latency.p99, format: ms },
    {
      label: "node A subscribers p99, ms",
      pick: (r) => nodeLatency(step(r), 0, "p99"),
      format: ms,
    },
    {
      label: "node B subscribers p50, ms",
      pick: (r) => r.nodes > 1 ? nodeLatency(step(r), 1, "p50") : undefined,
      format: ms,
    },
    {
      label: "node B subscribers p99, ms",
      pick: (r) => r.nodes > 1 ? nodeLatency(step(r), 1, "p99") : undefined,
      format: ms,
    },
    {
      label: "publish → ack p99, ms",
      pick: (r) => step(r)?.ack.p99,
      format: ms,
    },
    {
      label: "CPU s per 1M deliveries, all processes",
      pick: (r) => step(r)?.cpuPerMillion,
      format: cpuS,
    },
  ];
}

function perMillion(
  step: StepResult | undefined,
  i: number,
): number | undefined {
  const cpu = step?.cpuSecondsByProcess?.[i];
  return step && cpu !== undefined && step.received > 0 ? cpu / step.received * 1e6 : undefined;
}

function render(
  row: TwoNodeRow | string,
  setups: Partial<Record<typeof SETUPS[number], TwoNodeResults>>,
): string {
  if (typeof row === "string") return `| ${row} | | | | | | | |`;
  const values = SETUPS.map((setup) => {
    const results = setups[setup];
    const value = results ? row.pick(results) : undefined;
    return typeof value === "number" && Number.isFinite(value) ? value : undefined;
  });
  const cells = values.map((value, i) => {
    if (value === undefined) return "–";
    const results = setups[SETUPS[i]];
    return row.format(value) +
      (results && row.complete?.(results) === false ? " ✗" : "");
  });
  const ratio = (a: number | undefined, b: number | undefined) =>
    row.noRatio || a === undefined || b === undefined || b === 0 ? "" : `${(a / b).toFixed(2)}×`;
  const [sb1, sb2, sio1, sio2] = values;
  return `| ${row.label} | ${cells.join(" | ")} | ${ratio(sb2, sb1)} | ${ratio(sio2, sio1)} | ${
    ratio(sb2, sio2)
  } |`;
}
