/**
 * @module One-line summaries of session events for the stream, and small formatters.
 */

type Payload = Record<string, unknown>;

function text(value: unknown, max = 120): string {
  const s = typeof value === "string" ? value : JSON.stringify(value) ?? "";
  return s.length > max ? `${s.slice(0, max - 1)}…` : s;
}

const BY_EVENT: Record<string, (p: Payload) => string> = {
  "skill:started": (p) => `${p.skill}${p.parameters ? ` ${text(p.parameters, 80)}` : ""}`,
  "skill:completed": (p) => `${p.skill}${p.result !== undefined ? ` → ${text(p.result, 80)}` : ""}`,
  "skill:failed": (p) => `${p.skill}: ${text(p.error)}`,
  "skill:progress": (p) =>
    `${p.skill}${p.percent !== undefined ? ` ${p.percent}%` : ""}${
      p.message ? ` ${text(p.message)}` : ""
    }`,
  "file:created": (p) => String(p.path),
  "file:modified": (p) => `${p.path}${p.linesChanged !== undefined ? ` ±${p.linesChanged}` : ""}`,
  "file:deleted": (p) => String(p.path),
  "decision:point": (p) => `${text(p.question, 80)} [${(p.options as string[])?.join(" / ")}]`,
  "decision:made": (p) => `${p.decisionId} → ${p.choice}`,
  "validation:started": (p) => String(p.name),
  "validation:result": (p) => `${p.name}: ${p.passed ? "passed" : "failed"}`,
  "agent:spawned": (p) => String(p.agentId),
  "agent:progress": (p) => `${p.agentId}${p.percent !== undefined ? ` ${p.percent}%` : ""}`,
  "agent:completed": (p) => String(p.agentId),
  "agent:thought": (p) => text(p.content),
  "agent:tool_call": (p) => `${p.tool}(${text(p.arguments ?? "", 80)})`,
  "agent:result": (p) => text(p.result),
  "agent:usage": (p) => `${p.model}: ${p.inputTokens} in, ${p.outputTokens} out`,
  "agent:error": (p) => `${p.code ? `${p.code}: ` : ""}${text(p.message)}`,
  "execution:started": (p) => text(p.task ?? ""),
  "execution:failed": (p) => text(p.error),
  "execution:halted": (p) => text(p.reason ?? ""),
  "checkpoint:created": (p) => `${p.checkpointId}${p.label ? ` ${text(p.label)}` : ""}`,
  "chat:message": (p) => `${p.author ? `${p.author}: ` : ""}${text(p.text)}`,
  "command:applied": (p) =>
    `${String(p.commandId).slice(0, 8)} ${p.ok === false ? "not applied" : "applied"}${
      p.message ? `: ${text(p.message)}` : ""
    }`,
  command: (p) => {
    const { type, commandId: _id, by, ...rest } = p;
    const who = by as { sub?: string; role?: string } | undefined;
    const args = Object.keys(rest).length ? ` ${text(rest, 80)}` : "";
    return `${type}${args}${who ? ` by ${who.sub ?? who.role}` : ""}`;
  },
};

/** A one-line summary of an event's payload. */
export function summarize(event: string, payload: unknown): string {
  const p = (payload ?? {}) as Payload;
  const known = BY_EVENT[event];
  if (known) {
    try {
      return known(p);
    } catch {
      // A payload that does not have the catalogued shape: fall through to its JSON.
    }
  }
  return text(p);
}

/** The kind of an event for its colour: the part before the colon. */
export function kindOf(event: string): string {
  const i = event.indexOf(":");
  return i < 0 ? event : event.slice(0, i);
}

/** `hh:mm:ss.mmm` in local time. */
export function clock(ts: number): string {
  const d = new Date(ts);
  const pad = (n: number, w = 2) => String(n).padStart(w, "0");
  return `${pad(d.getHours())}:${pad(d.getMinutes())}:${pad(d.getSeconds())}.${
    pad(d.getMilliseconds(), 3)
  }`;
}

/** A duration in ms as `850 ms`, `4.2 s`, `3 m 05 s` or `2 h 10 m`. */
export function duration(ms: number): string {
  if (ms < 1000) return `${Math.round(ms)} ms`;
  const s = ms / 1000;
  if (s < 60) return `${s.toFixed(1)} s`;
  if (s < 3600) return `${Math.floor(s / 60)} m ${String(Math.floor(s % 60)).padStart(2, "0")} s`;
  return `${Math.floor(s / 3600)} h ${String(Math.floor((s % 3600) / 60)).padStart(2, "0")} m`;
}

/** Time since `iso` (or `—`), coarse: `now`, `12 s`, `4 m`, `3 h`, `2 d`. */
export function ago(iso: string | null | undefined, now = Date.now()): string {
  if (!iso) return "—";
  const s = Math.max(0, (now - Date.parse(iso)) / 1000);
  if (s < 1) return "now";
  if (s < 60) return `${Math.floor(s)} s`;
  if (s < 3600) return `${Math.floor(s / 60)} m`;
  if (s < 86400) return `${Math.floor(s / 3600)} h`;
  return `${Math.floor(s / 86400)} d`;
}
