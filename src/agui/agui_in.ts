/**
 * @module AG-UI in: maps AG-UI events an agent emits to the session events that store them.
 * Each AG-UI event is stored as it came, as `ag-ui:event` (the gate checks it against
 * `@ag-ui/core`'s schema), and the run lifecycle and token usage it reports are also published
 * as catalogue events marked `via: "ag-ui"`, so the session's state, the dashboard and the usage
 * totals follow an AG-UI agent too. The AG-UI projection skips the marked events, which is what
 * lets the stored AG-UI events come back out unchanged.
 */
import { isJsonObject } from "../protocol/parse.ts";

/** Marks a catalogue event derived from an AG-UI event. */
export const VIA_AGUI = "ag-ui";

/** An event to publish, as the gate takes it. */
export interface PublishItem {
  /** Event name. */
  event: string;
  /** Payload. */
  payload: unknown;
}

function usageEvents(usage: unknown): PublishItem[] {
  if (!Array.isArray(usage)) return [];
  return usage.filter(isJsonObject).map((u) => ({
    event: "agent:usage",
    payload: {
      ...u,
      model: typeof u.model === "string" && u.model !== "" ? u.model : "unknown",
      inputTokens: u.inputTokens ?? 0,
      outputTokens: u.outputTokens ?? 0,
      via: VIA_AGUI,
    },
  }));
}

/** The catalogue events an AG-UI event implies besides itself (run state, usage). */
function derived(event: Record<string, unknown>): PublishItem[] {
  switch (event.type) {
    case "RUN_STARTED":
      return [{
        event: "execution:started",
        payload: { task: `AG-UI run ${String(event.runId)}`, runId: event.runId, via: VIA_AGUI },
      }];
    case "RUN_FINISHED": {
      const outcome = isJsonObject(event.outcome) ? event.outcome.type : undefined;
      // An interrupted run is paused, not over: the state stays running.
      const end: PublishItem[] = outcome === "interrupt" ? [] : [{
        event: "execution:completed",
        payload: { result: event.result, runId: event.runId, via: VIA_AGUI },
      }];
      return [...usageEvents(event.usage), ...end];
    }
    case "RUN_ERROR":
      return [...usageEvents(event.usage), {
        event: "execution:failed",
        payload: { error: event.message || "AG-UI run failed", code: event.code, via: VIA_AGUI },
      }];
    default:
      return [];
  }
}

/**
 * The items to publish for AG-UI events as sent (one event or an array): each stored as
 * `ag-ui:event`, followed by what it implies. Malformed events are left to the gate to refuse.
 */
export function aguiItems(body: unknown): PublishItem[] {
  const events = Array.isArray(body) ? body : [body];
  return events.flatMap((event) => [
    { event: "ag-ui:event", payload: event },
    ...(isJsonObject(event) ? derived(event) : []),
  ]);
}

/** Whether a stored payload was derived from an AG-UI event (the projection skips it). */
export function isDerived(payload: Record<string, unknown>): boolean {
  return payload.via === VIA_AGUI;
}
