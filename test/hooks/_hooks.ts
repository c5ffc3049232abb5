/**
 * @module Helpers for the Claude Code hook tests: the documented example payloads and a client
 * that posts them to a real server as Claude Code's HTTP hooks do.
 */
import type { RunningServer } from "../../src/mod.ts";
import type { Frame } from "../_helpers.ts";

const FIXTURES = JSON.parse(
  await Deno.readTextFile(new URL("./fixtures/claude_code_hooks.json", import.meta.url)),
) as Record<string, Frame>;

/** The hook events of the fixtures, in lifecycle order. */
export const HOOK_NAMES: readonly string[] = Object.keys(FIXTURES).filter((k) => k !== "_source");

/** A documented example payload, with `changes` applied (a fresh copy each call). */
export function hookBody(name: string, changes: Frame = {}): Frame {
  const body = FIXTURES[name];
  if (!body) throw new Error(`No fixture for hook "${name}"`);
  return { ...structuredClone(body), ...changes };
}

/** A hook's HTTP answer and how long it took. */
export interface HookAnswer {
  /** HTTP status. */
  status: number;
  /** The JSON body. */
  body: Frame;
  /** Milliseconds from sending to the whole answer. */
  ms: number;
}

/** Posts `body` to `/api/hooks/claude-code` as Claude Code would. */
export async function postHook(
  server: RunningServer,
  body: unknown,
  options: { session?: string; token?: string } = {},
): Promise<HookAnswer> {
  const query = options.session === undefined ? "" : `?session=${options.session}`;
  const started = performance.now();
  const response = await fetch(`${server.url}/api/hooks/claude-code${query}`, {
    method: "POST",
    headers: {
      "content-type": "application/json",
      ...(options.token ? { authorization: `Bearer ${options.token}` } : {}),
    },
    body: typeof body === "string" ? body : JSON.stringify(body),
  });
  const answer = await response.json();
  return { status: response.status, body: answer, ms: performance.now() - started };
}

/** The stored events of a session, oldest first. */
export async function sessionEvents(server: RunningServer, session: string): Promise<Frame[]> {
  const response = await fetch(`${server.url}/api/sessions/${session}/events?limit=1000`);
  const body = await response.json();
  if (!body.success) throw new Error(`Cannot read ${session}: ${JSON.stringify(body)}`);
  return body.events;
}
