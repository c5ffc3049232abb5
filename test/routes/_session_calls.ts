/**
 * @module Shorthands for route tests that work on one session, `s`: publish, read history and
 * send commands through the app.
 */
import assert from "node:assert/strict";
import type { Hono } from "hono";
import type { Frame } from "../_helpers.ts";
import { type Answer, call } from "./_app.ts";

/** Publishes events to session `s` and fails the test unless they were accepted. */
export async function publish(app: Hono, ...events: Frame[]): Promise<void> {
  const res = await call(app, "POST", "/api/sessions/s/events", events);
  assert.equal(res.status, 201, JSON.stringify(res.body));
}

/** Session `s`'s stored events (up to 1000), as event frames. */
export async function history(app: Hono): Promise<Frame[]> {
  return (await call(app, "GET", "/api/sessions/s/events?limit=1000")).body.events;
}

/** Sends a command body to session `s`. */
export function command(
  app: Hono,
  body: unknown,
  headers: Record<string, string> = {},
): Promise<Answer> {
  return call(app, "POST", "/api/sessions/s/commands", body, headers);
}
