/**
 * @module The opt-in wait before an append is acknowledged: `WAIT` for replicas, or `WAITAOF`
 * for the append-only file to be fsynced (locally, and on replicas if asked), Redis 7.2+. Set
 * with query parameters of the store URL: `?waitReplicas=1`, `?waitAof=1`, `?waitTimeoutMs=500`.
 */
import type { Redis } from "ioredis";
import { StoreError } from "../store_error.ts";

/** What to wait for after each append. */
export interface WaitPolicy {
  /** Replicas that must have the write. */
  replicas: number;
  /** Whether the local AOF must be fsynced (`WAITAOF`). */
  aof: boolean;
  /** Longest wait, in milliseconds. */
  timeoutMs: number;
}

const PARAMS = ["waitReplicas", "waitAof", "waitTimeoutMs"];

/**
 * Takes the wait parameters out of a store URL; returns the URL without them and the policy
 * (`undefined` when nothing is to be waited for). Throws a `TypeError` for a bad value.
 */
export function parseWaitPolicy(spec: string): { url: string; wait: WaitPolicy | undefined } {
  const url = new URL(spec);
  const number = (name: string, fallback: number) => {
    const text = url.searchParams.get(name);
    const value = text === null ? fallback : Number(text);
    if (!Number.isSafeInteger(value) || value < 0) {
      throw new TypeError(`Store URL parameter "${name}" must be a whole number, got "${text}"`);
    }
    return value;
  };
  const wait = {
    replicas: number("waitReplicas", 0),
    aof: number("waitAof", 0) > 0,
    timeoutMs: number("waitTimeoutMs", 1000),
  };
  // Commands time out after 5 s (connection.ts): a longer WAIT would be cut short.
  if (wait.timeoutMs > 4000) {
    throw new TypeError(`Store URL parameter "waitTimeoutMs" must be at most 4000`);
  }
  for (const name of PARAMS) url.searchParams.delete(name);
  const rest = url.href.replace(/\?$/, "");
  return { url: rest, wait: wait.replicas > 0 || wait.aof ? wait : undefined };
}

/** Fails start-up when the server cannot honour `wait` (no `WAITAOF` before Redis 7.2). */
export async function checkWaitPolicy(client: Redis, wait: WaitPolicy | undefined): Promise<void> {
  if (!wait?.aof) return;
  const [info] = await client.call("COMMAND", "INFO", "WAITAOF") as unknown[];
  if (info === null || info === undefined) {
    throw new Error("waitAof needs Redis 7.2 or later (WAITAOF); this server has no such command");
  }
}

/**
 * Waits as `wait` says after an append. The append has happened either way: a shortfall
 * rejects with reason `"unavailable"`, so the client retries, knowing it may be stored.
 */
export async function confirmAppend(client: Redis, wait: WaitPolicy): Promise<void> {
  if (wait.aof) {
    const [local, replicas] = await client.call(
      "WAITAOF",
      1,
      wait.replicas,
      wait.timeoutMs,
    ) as [number, number];
    if (local >= 1 && replicas >= wait.replicas) return;
    throw shortfall(`fsynced locally ${local}, on ${replicas} of ${wait.replicas} replicas`);
  }
  const replicas = await client.wait(wait.replicas, wait.timeoutMs);
  if (replicas < wait.replicas) throw shortfall(`on ${replicas} of ${wait.replicas} replicas`);
}

function shortfall(detail: string): StoreError {
  return new StoreError("unavailable", `Stored, but not confirmed in time (${detail})`);
}
