/**
 * @module What an AG-UI stream has open inside its run (text and reasoning messages, tool
 * calls, reasoning spans, steps), so the projection can refuse a second opener, drop a stray
 * closer and close everything before the run ends, as AG-UI's verifier demands.
 */

/** An AG-UI event: `{type, ...}`. */
export type AguiEvent = { type: string; [key: string]: unknown };

const OPENERS: Readonly<Record<string, { kind: Kind; key: string }>> = {
  TEXT_MESSAGE_START: { kind: "text", key: "messageId" },
  TOOL_CALL_START: { kind: "tool", key: "toolCallId" },
  REASONING_START: { kind: "reasoning", key: "messageId" },
  REASONING_MESSAGE_START: { kind: "reasoningMessage", key: "messageId" },
  STEP_STARTED: { kind: "step", key: "stepName" },
};

const CLOSERS: Readonly<Record<string, { kind: Kind; key: string }>> = {
  TEXT_MESSAGE_END: { kind: "text", key: "messageId" },
  TOOL_CALL_END: { kind: "tool", key: "toolCallId" },
  REASONING_END: { kind: "reasoning", key: "messageId" },
  REASONING_MESSAGE_END: { kind: "reasoningMessage", key: "messageId" },
  STEP_FINISHED: { kind: "step", key: "stepName" },
};

/** Content events that need their opener: the opener to synthesize when it is missing. */
const CONTENTS: Readonly<Record<string, { kind: Kind; key: string; opener: AguiEvent }>> = {
  TEXT_MESSAGE_CONTENT: {
    kind: "text",
    key: "messageId",
    opener: { type: "TEXT_MESSAGE_START", role: "assistant" },
  },
  TOOL_CALL_ARGS: {
    kind: "tool",
    key: "toolCallId",
    opener: { type: "TOOL_CALL_START", toolCallName: "unknown" },
  },
  REASONING_MESSAGE_CONTENT: {
    kind: "reasoningMessage",
    key: "messageId",
    opener: { type: "REASONING_MESSAGE_START", role: "reasoning" },
  },
};

type Kind = "text" | "tool" | "reasoning" | "reasoningMessage" | "step";

/** Closing order: innermost first. */
const CLOSE_ORDER: readonly [Kind, string, string][] = [
  ["text", "TEXT_MESSAGE_END", "messageId"],
  ["tool", "TOOL_CALL_END", "toolCallId"],
  ["reasoningMessage", "REASONING_MESSAGE_END", "messageId"],
  ["reasoning", "REASONING_END", "messageId"],
  ["step", "STEP_FINISHED", "stepName"],
];

/** The spans open in the current run. */
export class OpenSpans {
  readonly #open: Record<Kind, Set<string>> = {
    text: new Set(),
    tool: new Set(),
    reasoning: new Set(),
    reasoningMessage: new Set(),
    step: new Set(),
  };

  /** Whether a step of that name is open. */
  hasStep(name: string): boolean {
    return this.#open.step.has(name);
  }

  /**
   * The events to emit for `event` so the stream stays valid: a duplicate opener closes the
   * earlier span first, a content event without its opener gets one, a stray closer is
   * dropped. Records what `event` opens or closes.
   */
  admit(event: AguiEvent): AguiEvent[] {
    const opener = OPENERS[event.type];
    if (opener) {
      const id = String(event[opener.key]);
      const set = this.#open[opener.kind];
      const out: AguiEvent[] = [];
      if (set.has(id)) out.push(closer(opener.kind, id));
      set.add(id);
      out.push(event);
      return out;
    }
    const close = CLOSERS[event.type];
    if (close) {
      return this.#open[close.kind].delete(String(event[close.key])) ? [event] : [];
    }
    const content = CONTENTS[event.type];
    if (content) {
      const id = String(event[content.key]);
      const set = this.#open[content.kind];
      if (set.has(id)) return [event];
      set.add(id);
      return [{ ...content.opener, [content.key]: id }, event];
    }
    return [event];
  }

  /** Closers for everything still open, innermost first; afterwards nothing is open. */
  closeAll(): AguiEvent[] {
    const out: AguiEvent[] = [];
    for (const [kind] of CLOSE_ORDER) {
      for (const id of this.#open[kind]) out.push(closer(kind, id));
      this.#open[kind].clear();
    }
    return out;
  }
}

function closer(kind: Kind, id: string): AguiEvent {
  const [, type, key] = CLOSE_ORDER.find(([k]) => k === kind)!;
  return { type, [key]: id };
}
