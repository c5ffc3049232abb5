/**
 * @module The AG-UI event groups the projection builds from one catalogue event: a complete
 * text message, reasoning span or tool call, a tool result, and the interrupt outcome of a
 * decision point. Pure; the projection decides when they are emitted.
 */
import type { AguiEvent } from "./open_spans.ts";

/** A string as is, anything else as JSON. */
export function text(value: unknown): string {
  return typeof value === "string" ? value : JSON.stringify(value ?? null);
}

/** A whole text message. */
export function messageEvents(id: string, role: string, body: string, at: object): AguiEvent[] {
  return [
    { type: "TEXT_MESSAGE_START", messageId: id, role, ...at },
    { type: "TEXT_MESSAGE_CONTENT", messageId: id, delta: body || " " },
    { type: "TEXT_MESSAGE_END", messageId: id },
  ];
}

/** A whole reasoning span with one message. */
export function reasoningEvents(id: string, content: string, at: object): AguiEvent[] {
  return [
    { type: "REASONING_START", messageId: id, ...at },
    { type: "REASONING_MESSAGE_START", messageId: id, role: "reasoning" },
    { type: "REASONING_MESSAGE_CONTENT", messageId: id, delta: content || " " },
    { type: "REASONING_MESSAGE_END", messageId: id },
    { type: "REASONING_END", messageId: id },
  ];
}

/** A whole tool call: its arguments arrive at once. */
export function toolCallEvents(id: string, tool: string, args: unknown, at: object): AguiEvent[] {
  return [
    { type: "TOOL_CALL_START", toolCallId: id, toolCallName: tool, ...at },
    { type: "TOOL_CALL_ARGS", toolCallId: id, delta: JSON.stringify(args ?? {}) },
    { type: "TOOL_CALL_END", toolCallId: id },
  ];
}

/** The `interrupt` outcome of a `decision:point`: answer `{choice}` among its options. */
export function interruptOutcome(p: Record<string, unknown>): Record<string, unknown> {
  const options = Array.isArray(p.options) ? p.options : [];
  const toolCallId = typeof p.toolUseId === "string" ? p.toolUseId : undefined;
  return {
    type: "interrupt",
    interrupts: [{
      id: text(p.decisionId),
      reason: "decision",
      message: text(p.question),
      ...(toolCallId === undefined ? {} : { toolCallId }),
      responseSchema: {
        type: "object",
        properties: { choice: { type: "string", enum: options } },
        required: ["choice"],
      },
    }],
  };
}

/** The step a skill or agent event belongs to: `skill:<name>` or `agent:<id>`. */
export function stepName(event: string, p: Record<string, unknown>): string {
  return event.startsWith("skill:") ? `skill:${text(p.skill)}` : `agent:${text(p.agentId)}`;
}
