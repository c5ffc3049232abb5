/**
 * @module Route test helpers: the real Hono app over a real Hub and MemoryStore, called through
 * `app.request()` so REST tests need no socket.
 */
import type { Hono } from "hono";
import {
  createApp,
  ERROR_CODES,
  type ErrorCode,
  Hub,
  MemoryStore,
  type Skill,
  SkillRegistry,
} from "../../src/mod.ts";
import type { Frame } from "../_helpers.ts";

/** Options of {@linkcode createTestApp}. */
export interface TestAppOptions {
  /** Skills registered at start. @default [] */
  skills?: Skill[];
  /** Largest request body in bytes. @default 1048576 */
  maxFrameBytes?: number;
  /** Events the memory store keeps per session. @default 10000 */
  historyLimit?: number;
  /** Start time reported through `uptimeS`. @default Date.now() */
  startedAt?: number;
}

/** An app with the parts a test may want to look at. */
export interface TestApp {
  /** The Hono app. */
  app: Hono;
  /** The hub behind it. */
  hub: Hub;
  /** The skill registry behind it. */
  skills: SkillRegistry;
  /** Releases the hub (its heartbeat is off, so this only closes connections). */
  close(): void;
}

/** A REST answer: status, parsed JSON body and headers. */
export interface Answer {
  /** HTTP status. */
  status: number;
  /** Parsed JSON body. */
  body: Frame;
  /** Response headers. */
  headers: Headers;
}

/** Builds the app as `startServer` does, with the heartbeat off so no timer outlives a test. */
export function createTestApp(options: TestAppOptions = {}): TestApp {
  const skills = new SkillRegistry(options.skills ?? []);
  const store = new MemoryStore({ maxEventsPerSession: options.historyLimit ?? 10_000 });
  const hub = new Hub({ store, heartbeatMs: 0, hasSkill: (name) => skills.has(name) });
  const app = createApp({
    hub,
    skills,
    config: { maxFrameBytes: options.maxFrameBytes ?? 1024 * 1024 },
    startedAt: options.startedAt,
  });
  return { app, hub, skills, close: () => hub.close() };
}

/**
 * Calls `app` and parses the JSON answer. An object body is JSON-encoded; a string goes as is,
 * so tests can send malformed JSON.
 */
export async function call(
  app: Hono,
  method: string,
  path: string,
  body?: unknown,
  headers: Record<string, string> = {},
): Promise<Answer> {
  const response = await app.request(path, {
    method,
    headers: { "content-type": "application/json", ...headers },
    body: body === undefined ? undefined : typeof body === "string" ? body : JSON.stringify(body),
  });
  return { status: response.status, body: await response.json(), headers: response.headers };
}

/**
 * Checks that an answer has the shared error shape `{success: false, error: {code, message},
 * timestamp}` and the status its code maps to; returns the error for further assertions.
 */
export function errorOf(answer: Answer): { code: ErrorCode; message: string } {
  const { success, error, timestamp } = answer.body;
  if (success !== false || typeof error?.code !== "string" || typeof error.message !== "string") {
    throw new Error(`Not an error body: ${JSON.stringify(answer.body)}`);
  }
  if (!Object.hasOwn(ERROR_CODES, error.code)) {
    throw new Error(`Undocumented error code "${error.code}"`);
  }
  const expected = ERROR_CODES[error.code as ErrorCode].status;
  if (answer.status !== expected) {
    throw new Error(`Code ${error.code} came with status ${answer.status}, not ${expected}`);
  }
  if (typeof timestamp !== "string" || Number.isNaN(Date.parse(timestamp))) {
    throw new Error(`Error body without an ISO timestamp: ${JSON.stringify(answer.body)}`);
  }
  return error;
}
