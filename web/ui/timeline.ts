/**
 * @module The timeline: skills and agents as bars from their start to their end (paired
 * started/completed/failed events), failures marked, durations shown; running ones grow live.
 * Tool calls are ticks on their agent's row.
 */
import { useEffect, useMemo, useState } from "preact/hooks";
import { html } from "../html.ts";
import { SpanBuilder } from "../spans.ts";
import type { SessionStream } from "../stream.ts";
import { duration } from "../summary.ts";

const REDRAW_MS = 400;

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
