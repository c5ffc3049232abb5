/**
 * @module Helpers for the AG-UI tests: publishing golden sessions, running `HttpAgent` from
 * `@ag-ui/client` against a real server (its verifier always runs inside `runAgent`), and
 * reading an AG-UI SSE response raw.
 */
import { type AgentSubscriber, HttpAgent } from "@ag-ui/client";
import type { RunningServer } from "../../src/mod.ts";
import { api, type Frame } from "../_helpers.ts";

/** Publishes one event to `session`; throws unless stored. */
export async function publish(
  server: RunningServer,
  session: string,
  event: string,
  payload: Frame = {},
): Promise<number> {
  const answer = await api(server, "POST", `/api/sessions/${session}/events`, { event, payload });
  if (answer.status !== 201) throw new Error(`${event} refused: ${JSON.stringify(answer.body)}`);
  return answer.body.seqs[0];
}

/** An `HttpAgent` pointed at the session's AG-UI endpoint. */
export function agentFor(server: RunningServer, session: string): HttpAgent {
  return new HttpAgent({ url: `${server.url}/api/sessions/${session}/ag-ui`, threadId: session });
}

/**
 * Runs the agent once; resolves with the result and every event it saw, in order. Fails when
 * the client warns about anything it had to strip or repair (`[ag-ui]` warnings), so the stream
 * is not merely accepted but clean (`allowedWarnings` names the expected ones).
 */
export async function run(
  agent: HttpAgent,
  parameters: Parameters<HttpAgent["runAgent"]>[0] = {},
  subscriber: AgentSubscriber = {},
  allowedWarnings?: RegExp,
): Promise<{ result: Awaited<ReturnType<HttpAgent["runAgent"]>>; events: Frame[] }> {
  const events: Frame[] = [];
  const warnings: string[] = [];
  const warn = console.warn;
  console.warn = (...args: unknown[]) => {
    const message = String(args[0]);
    if (message.startsWith("[ag-ui]") && !allowedWarnings?.test(message)) warnings.push(message);
    else if (!message.startsWith("[ag-ui]")) warn(...args);
  };
  try {
    const result = await agent.runAgent(parameters, {
      ...subscriber,
      onEvent: (params) => {
        events.push(params.event as unknown as Frame);
        return subscriber.onEvent?.(params);
      },
    });
    if (warnings.length > 0) throw new Error(`AG-UI client warnings: ${warnings.join("; ")}`);
    return { result, events };
  } finally {
    console.warn = warn;
  }
}

/** Reads an SSE body to its end: each message's `id` (if any) and parsed `data`. */
export async function readSse(response: Response): Promise<{ id?: string; data: Frame }[]> {
  const text = await response.text();
  return parseSse(text);
}

/** Parses SSE text into messages (comments skipped). */
export function parseSse(text: string): { id?: string; data: Frame }[] {
  const messages: { id?: string; data: Frame }[] = [];
  for (const block of text.split("\n\n")) {
    let id: string | undefined;
    let data: string | undefined;
    for (const line of block.split("\n")) {
      if (line.startsWith("id: ")) id = line.slice(4);
      else if (line.startsWith("data: ")) data = line.slice(6);
    }
    if (data !== undefined) {
      messages.push({ ...(id === undefined ? {} : { id }), data: JSON.parse(data) });
    }
  }
  return messages;
}

/** A minimal RunAgentInput. */
export function runInput(threadId: string, extra: Frame = {}): Frame {
  return { threadId, runId: crypto.randomUUID(), messages: [], tools: [], context: [], ...extra };
}
