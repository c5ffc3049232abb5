/**
 * @module Skills, agents and tool calls as spans: started/completed/failed (and
 * spawned/completed/error) events paired by skill name or agent id, and a tool call with a
 * `toolUseId` (as Claude Code's hooks send) paired with the `agent:result` or `agent:error` of the
 * same id. Tool calls without an id are ticks on their agent's bar.
 */
import type { Row } from "./row.ts";

/** A skill or agent from its start to its end (`end` unset while it runs). */
export interface Span {
  key: string;
  label: string;
  kind: "skill" | "agent" | "tool";
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
/** Spans kept for display, the most recent. */
export const MAX_SPANS = 16;

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
    if (this.#readTool(row)) return;
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

  /** A tool call with an id opens a span; the result or error with that id closes it. */
  #readTool(row: Row): boolean {
    const id = row.payload.toolUseId;
    if (typeof id !== "string") return false;
    const key = `tool:${id}`;
    if (row.event === "agent:tool_call") {
      const span: Span = {
        key: `${row.seq}`,
        label: `tool ${String(row.payload.tool ?? "?")}`,
        kind: "tool",
        start: row.ts,
        failed: false,
        ticks: [],
      };
      this.#open.set(key, span);
      this.#all.push(span);
      return true;
    }
    if (row.event !== "agent:result" && row.event !== "agent:error") return false;
    const span = this.#open.get(key);
    if (!span) return false;
    span.end = row.ts;
    span.failed = row.event === "agent:error";
    this.#open.delete(key);
    return true;
  }
}
