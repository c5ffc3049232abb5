/**
 * @module The AG-UI projection of a session: its stored events, in seq order, become a stream
 * AG-UI's own verifier accepts. Execution events open and close runs (`RUN_*`), skills and
 * agents are steps, tool calls and their results are `TOOL_CALL_*`, thoughts are reasoning
 * messages, chat is text messages, execution state is `STATE_SNAPSHOT`, a `decision:point` ends
 * the run with an `interrupt` outcome, AG-UI events stored by AG-UI in pass through unchanged,
 * and everything else is `CUSTOM`. Deterministic: the same events give the same stream, so a
 * reader resuming after seq N rebuilds the state by replaying up to N.
 */
import { BoundedMap } from "../hub/bounded_map.ts";
import { isDerived } from "./agui_in.ts";
import {
  interruptOutcome,
  messageEvents,
  reasoningEvents,
  stepName,
  text,
  toolCallEvents,
} from "./builders.ts";
import { type AguiEvent, OpenSpans } from "./open_spans.ts";

export type { AguiEvent };

/** A stored session event, payload parsed. */
export interface SourceEvent {
  /** Its seq. */
  seq: number;
  /** Its name. */
  event: string;
  /** Its payload. */
  payload: Record<string, unknown>;
  /** Server time of the append (ms). */
  ts?: number;
}

/** Events kept between runs to open the next one with (bounded: the oldest are dropped). */
const MAX_CARRIED = 100;
/** Tool calls remembered for pairing with their results. */
const MAX_CALLS = 1000;

/** Projects one session's events into AG-UI events. */
export class AguiProjection {
  /** Runs closed so far (finished, errored or interrupted). */
  runsClosed = 0;
  readonly #threadId: string;
  readonly #spans = new OpenSpans();
  readonly #calls = new BoundedMap<string, string>(MAX_CALLS);
  #run: {
    threadId: string;
    runId: string;
    usage: Map<string, { model: string; inputTokens: number; outputTokens: number }>;
  } | undefined;
  #carried: AguiEvent[] = [];
  #state: Record<string, unknown> = { execution: "idle" };

  /** Creates a projection whose own runs belong to `threadId` (the session id). */
  constructor(threadId: string) {
    this.#threadId = threadId;
  }

  /** Whether a run is open. */
  get runOpen(): boolean {
    return this.#run !== undefined;
  }

  /** The AG-UI events for one stored event (often none or several). */
  push(source: SourceEvent): AguiEvent[] {
    const out: AguiEvent[] = [];
    const { seq, payload: p } = source;
    if (isDerived(p)) return out;
    const at = source.ts === undefined ? {} : { timestamp: source.ts };
    switch (source.event) {
      case "ag-ui:event":
        this.#passThrough(p as AguiEvent, seq, out);
        break;
      case "execution:started":
        if (this.#run) this.#end(out, { type: "RUN_FINISHED", ...at });
        this.#open(out, { runId: `run-${seq}`, threadId: this.#threadId, ...at });
        this.#setState(out, "running", at);
        break;
      case "execution:completed":
        // Between runs it closes only the run that what waited for one opens.
        if (!this.#run && this.#carried.length === 0) break;
        this.#ensureRun(out, seq);
        this.#end(out, {
          type: "RUN_FINISHED",
          ...(p.result === undefined ? {} : { result: p.result }),
          ...at,
        });
        break;
      case "execution:failed":
        this.#ensureRun(out, seq);
        this.#end(out, { type: "RUN_ERROR", message: text(p.error), ...at });
        break;
      case "decision:point":
        this.#ensureRun(out, seq);
        this.#end(out, { type: "RUN_FINISHED", outcome: interruptOutcome(p), ...at });
        break;
      case "agent:tool_call":
        this.#toolCall(out, source, at);
        break;
      case "agent:result":
      case "agent:error":
        this.#toolResult(out, source, at);
        break;
      case "agent:thought":
        this.#ensureRun(out, seq);
        this.#emit(out, reasoningEvents(`thought-${seq}`, text(p.content), at));
        break;
      case "chat:message":
        this.#ensureRun(out, seq);
        this.#message(
          out,
          `msg-${seq}`,
          p.author === "user" ? "user" : "assistant",
          text(p.text),
          at,
        );
        break;
      case "skill:started":
      case "agent:spawned":
        this.#stepStart(out, source, at);
        break;
      case "skill:completed":
      case "skill:failed":
      case "agent:completed":
        this.#stepEnd(out, source, at);
        break;
      case "execution:halted":
        this.#setState(out, "halted", at, p.reason);
        break;
      case "execution:resumed":
        this.#setState(out, "running", at);
        break;
      case "agent:usage":
        this.#addUsage(p);
        break;
      default:
        this.#minor(out, { type: "CUSTOM", name: source.event, value: p, ...at });
    }
    return out;
  }

  #passThrough(event: AguiEvent, seq: number, out: AguiEvent[]): void {
    switch (event.type) {
      case "RUN_STARTED":
        if (this.#run) this.#end(out, { type: "RUN_FINISHED" });
        this.#open(out, event);
        return;
      case "RUN_FINISHED":
      case "RUN_ERROR":
        if (!this.#run) {
          this.#open(out, {
            runId: String(event.runId ?? `run-${seq}`),
            threadId: String(event.threadId ?? this.#threadId),
          });
        }
        this.#end(out, event, true);
        return;
      default:
        this.#ensureRun(out, seq);
        this.#emit(out, [event]);
    }
  }

  #open(out: AguiEvent[], start: Record<string, unknown>): void {
    const runId = String(start.runId);
    const threadId = String(start.threadId);
    this.#run = { runId, threadId, usage: new Map() };
    out.push({ ...start, type: "RUN_STARTED", threadId, runId });
    this.#emit(out, this.#carried);
    this.#carried = [];
  }

  #ensureRun(out: AguiEvent[], seq: number): void {
    if (!this.#run) this.#open(out, { runId: `run-${seq}`, threadId: this.#threadId });
  }

  /** Closes what is open and ends the run with `last` (as given when it passes through). */
  #end(out: AguiEvent[], last: AguiEvent, asGiven = false): void {
    const run = this.#run!;
    out.push(...this.#spans.closeAll());
    if (asGiven) {
      out.push(last);
    } else {
      const usage = [...run.usage.values()];
      // RUN_ERROR names no thread or run: AG-UI strips them as unknown material.
      const ids = last.type === "RUN_FINISHED" ? { threadId: run.threadId, runId: run.runId } : {};
      out.push({ ...last, ...ids, ...(usage.length > 0 ? { usage } : {}) });
    }
    this.#run = undefined;
    this.runsClosed++;
  }

  #emit(out: AguiEvent[], events: AguiEvent[]): void {
    for (const event of events) out.push(...this.#spans.admit(event));
  }

  /** An event that does not start a run by itself: carried into the next one when none is open. */
  #minor(out: AguiEvent[], event: AguiEvent): void {
    if (this.#run) return this.#emit(out, [event]);
    this.#carried.push(event);
    if (this.#carried.length > MAX_CARRIED) this.#carried.shift();
  }

  #setState(out: AguiEvent[], execution: string, at: object, reason?: unknown): void {
    this.#state = {
      ...this.#state,
      execution,
      haltReason: typeof reason === "string" ? reason : undefined,
    };
    if (this.#state.haltReason === undefined) delete this.#state.haltReason;
    this.#minor(out, { type: "STATE_SNAPSHOT", snapshot: { ...this.#state }, ...at });
  }

  #message(out: AguiEvent[], id: string, role: string, body: string, at: object): void {
    this.#emit(out, messageEvents(id, role, body, at));
  }

  #toolCall(out: AguiEvent[], source: SourceEvent, at: object): void {
    const p = source.payload;
    const key = typeof p.toolUseId === "string" ? p.toolUseId : `call-${source.seq}`;
    const id = this.#calls.get(key) ?? key;
    this.#calls.set(key, id);
    this.#ensureRun(out, source.seq);
    this.#emit(out, toolCallEvents(id, text(p.tool), p.arguments, at));
  }

  #toolResult(out: AguiEvent[], source: SourceEvent, at: object): void {
    const p = source.payload;
    const key = typeof p.toolUseId === "string" ? p.toolUseId : undefined;
    const id = key === undefined ? undefined : this.#calls.get(key);
    const failed = source.event === "agent:error";
    if (id === undefined) {
      if (failed) return this.#minor(out, { type: "CUSTOM", name: source.event, value: p, ...at });
      this.#ensureRun(out, source.seq);
      return this.#message(out, `result-${source.seq}`, "assistant", text(p.result), at);
    }
    this.#calls.delete(key!);
    this.#ensureRun(out, source.seq);
    this.#emit(out, [{
      type: "TOOL_CALL_RESULT",
      messageId: `result-${source.seq}`,
      toolCallId: id,
      content: failed ? `Error: ${text(p.message)}` : text(p.result),
      role: "tool",
      ...at,
    }]);
  }

  #stepStart(out: AguiEvent[], source: SourceEvent, at: object): void {
    const name = stepName(source.event, source.payload);
    if (this.#spans.hasStep(name)) {
      return this.#minor(out, { type: "CUSTOM", name: source.event, value: source.payload, ...at });
    }
    this.#ensureRun(out, source.seq);
    this.#emit(out, [{ type: "STEP_STARTED", stepName: name, ...at }]);
  }

  #stepEnd(out: AguiEvent[], source: SourceEvent, at: object): void {
    const name = stepName(source.event, source.payload);
    if (source.event === "skill:failed" || !this.#spans.hasStep(name)) {
      this.#minor(out, { type: "CUSTOM", name: source.event, value: source.payload, ...at });
    }
    if (this.#spans.hasStep(name)) {
      this.#emit(out, [{ type: "STEP_FINISHED", stepName: name, ...at }]);
    }
  }

  #addUsage(p: Record<string, unknown>): void {
    if (!this.#run) return;
    const model = text(p.model);
    const entry = this.#run.usage.get(model) ?? { model, inputTokens: 0, outputTokens: 0 };
    entry.inputTokens += Number(p.inputTokens) || 0;
    entry.outputTokens += Number(p.outputTokens) || 0;
    this.#run.usage.set(model, entry);
  }
}
