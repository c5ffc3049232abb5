/**
 * @module The timeline: skills and agents as bars from their start to their end (paired
 * started/completed/failed events), failures marked, durations shown; running ones grow live.
 * Tool calls are ticks on their agent's row.
 */
import { useEffect, useMemo, useState } from "preact/hooks";
import { html } from "../html.ts";
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
const REDRAW_MS = 400;

/**
 * Pairs start and end events into spans, incrementally: appended rows are read once, so a busy
 * stream costs per frame only what arrived in it. A replaced row array (older history paged in,
 * or a restarted stream) is read again from the start.
 */
export class SpanBuilder {
  #source: Row[] | undefined;
  #seen = 0;
  #open = new Map<string, Span>();
  #all: Span[] = [];

  /** The most recent spans of `rows`, oldest first. */
  update(rows: Row[]): Span[] {
    if (rows !== this.#source || rows.length < this.#seen) {
      this.#source = rows;
      this.#seen = 0;
      this.#open = new Map();
      this.#all = [];
    }
    for (; this.#seen < rows.length; this.#seen++) this.#read(rows[this.#seen]);
    // Closed spans that scrolled out of the window are dropped: memory stays bounded.
    if (this.#all.length > 4 * MAX_SPANS) {
      this.#all = this.#all.filter((s, i) =>
        s.end === undefined || i >= this.#all.length - MAX_SPANS
      );
    }
    return this.#all.slice(-MAX_SPANS);
  }

  #read(row: Row): void {
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
      this.#open.set(`${startKind}:${name}`, span);
      this.#all.push(span);
      return;
    }
    const end = ENDS[row.event];
    if (end) {
      const key = `${end[0]}:${String(end[0] === "skill" ? p.skill : p.agentId)}`;
      const span = this.#open.get(key);
      if (span) {
        span.end = row.ts;
        span.failed = end[1];
        this.#open.delete(key);
      }
    } else if (row.event === "agent:tool_call" && p.agentId !== undefined) {
      const span = this.#open.get(`agent:${p.agentId}`);
      // Ticks are drawn, so only the latest few of a long-lived agent are kept.
      if (span && span.ticks.push(row.ts) > 200) span.ticks.shift();
    }
  }
}

/** The timeline of a session's stream. */
export function Timeline({ stream }: { stream: SessionStream }) {
  // Redrawn on a clock, not per event: bars need no more than a few updates a second, and a busy
  // stream changes every frame.
  const [now, setNow] = useState(Date.now());
  useEffect(() => {
    const timer = setInterval(() => setNow(Date.now()), REDRAW_MS);
    return () => clearInterval(timer);
  }, []);
  const builder = useMemo(() => new SpanBuilder(), [stream]);
  const list = useMemo(() => builder.update(stream.rows), [stream.version > 0 && now]);
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
