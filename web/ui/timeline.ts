/**
 * @module The timeline: skills and agents as bars from their start to their end (paired
 * started/completed/failed events), failures marked, durations shown; running ones grow live.
 * Tool calls are ticks on their agent's row.
 */
import { useEffect, useMemo, useState } from "preact/hooks";
import { html } from "../html.ts";
import { useObservable } from "../observable.ts";
import type { Row, SessionStream } from "../stream.ts";
import { duration } from "../summary.ts";

interface Span {
  key: string;
  label: string;
  kind: "skill" | "agent";
  start: number;
  end?: number;
  failed: boolean;
  ticks: number[];
}

const STARTS: Record<string, "skill" | "agent"> = {
  "skill:started": "skill",
  "agent:spawned": "agent",
};
const ENDS: Record<string, [kind: "skill" | "agent", failed: boolean]> = {
  "skill:completed": ["skill", false],
  "skill:failed": ["skill", true],
  "agent:completed": ["agent", false],
  "agent:error": ["agent", true],
};
const MAX_SPANS = 16;

/** Pairs start and end events into spans, most recent last. */
export function spans(rows: Row[]): Span[] {
  const open = new Map<string, Span>();
  const all: Span[] = [];
  for (const row of rows) {
    const p = row.payload;
    const startKind = STARTS[row.event];
    if (startKind) {
      const name = String(startKind === "skill" ? p.skill : p.agentId);
      const span: Span = {
        key: `${row.seq}`,
        label: `${startKind} ${name}`,
        kind: startKind,
        start: row.ts,
        failed: false,
        ticks: [],
      };
      open.set(`${startKind}:${name}`, span);
      all.push(span);
      continue;
    }
    const end = ENDS[row.event];
    if (end) {
      const name = String(end[0] === "skill" ? p.skill : p.agentId);
      const span = open.get(`${end[0]}:${name}`);
      if (span) {
        span.end = row.ts;
        span.failed = end[1];
        open.delete(`${end[0]}:${name}`);
      }
    } else if (row.event === "agent:tool_call" && p.agentId !== undefined) {
      open.get(`agent:${p.agentId}`)?.ticks.push(row.ts);
    }
  }
  return all.slice(-MAX_SPANS);
}

/** The timeline of a session's stream. */
export function Timeline({ stream }: { stream: SessionStream }) {
  useObservable(stream);
  const [now, setNow] = useState(Date.now());
  const list = useMemo(() => spans(stream.rows), [stream.version]);
  const running = list.some((s) => s.end === undefined);
  useEffect(() => {
    if (!running) return;
    const timer = setInterval(() => setNow(Date.now()), 500);
    return () => clearInterval(timer);
  }, [running]);
  if (list.length === 0) {
    return html`<p class="muted">No skills or agents yet.</p>`;
  }
  const from = Math.min(...list.map((s) => s.start));
  const to = Math.max(now, ...list.map((s) => s.end ?? now));
  const width = Math.max(1, to - from);
  const pct = (t: number) => `${((t - from) / width) * 100}%`;
  return html`<ol class="timeline" aria-label="Timeline">
    ${
    list.map((s) => {
      const end = s.end ?? now;
      const state = s.end === undefined ? "running" : s.failed ? "failed" : "done";
      return html`
        <li key=${s.key} class="tl-row">
          <span class="tl-label mono" title=${s.label}>${s.label}</span>
          <span class="tl-track">
                  <span class=${`tl-bar ${s.kind} ${state}`}
                    style=${{
                      left: pct(s.start),
                      width: `max(3px, ${((end - s.start) / width) * 100}%)`,
                    }}
                    title=${`${s.label}: ${state}, ${duration(end - s.start)}`}></span>
                  ${s.ticks.map((t) =>
                    html`<span class="tl-tick" style=${{ left: pct(t) }}></span>`
                  )}
                </span>
          <span class=${`tl-dur mono ${state}`}>${state === "failed" ? "✕ " : ""}${duration(
            end - s.start,
          )}</span>
        </li>
      `;
    })
  }
  </ol>`;
}
