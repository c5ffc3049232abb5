/**
 * @module Connects to Redis the way the store needs: commands fail fast while Redis is away
 * (no offline queue, nothing re-sent after a reconnect, so an append is never run twice), the
 * client reconnects forever in the background, and a second connection carries pub/sub.
 */
import { Redis, type RedisOptions } from "ioredis";
import { StoreError } from "../store_error.ts";

/** Options of {@linkcode connectRedis}. */
export interface RedisConnectOptions {
  /**
   * Milliseconds a command may take before it fails as unavailable.
   * @default 5000
   */
  commandTimeoutMs?: number;
  /**
   * Milliseconds to wait for the first connection before start-up fails.
   * @default 5000
   */
  connectTimeoutMs?: number;
}

/** The two connections a Redis store uses. */
export interface RedisConnections {
  /** Scripts, reads and writes. */
  client: Redis;
  /** Pub/sub only (a subscribed connection can run nothing else). */
  subscriber: Redis;
}

/** Reconnect delay: quick at first, then every 1 s, forever. */
function retryDelay(attempt: number): number {
  return Math.min(50 * attempt, 1000);
}

/** Whether `spec` names a Redis store (`redis://` or `rediss://`). */
export function isRedisUrl(spec: string): boolean {
  return /^rediss?:\/\//.test(spec);
}

/** Hides the password of a Redis URL, for messages. */
export function redactUrl(url: string): string {
  return url.replace(/\/\/([^@/]*):[^@/]*@/, "//$1:***@");
}

/**
 * Opens both connections to `url` (`redis://[user:pass@]host:port[/db]`, or `rediss://` for
 * TLS) and resolves once both are ready. Throws a `StoreError` naming the (redacted) URL when
 * Redis cannot be reached in time.
 */
export async function connectRedis(
  url: string,
  options: RedisConnectOptions = {},
): Promise<RedisConnections> {
  const shared: RedisOptions = {
    lazyConnect: true,
    retryStrategy: retryDelay,
    connectTimeout: options.connectTimeoutMs ?? 5000,
    maxRetriesPerRequest: 0,
  };
  const client = new Redis(url, {
    ...shared,
    enableOfflineQueue: false,
    autoResendUnfulfilledCommands: false,
    commandTimeout: options.commandTimeoutMs ?? 5000,
  });
  // The subscriber queues SUBSCRIBE while offline and resubscribes after a reconnect.
  const subscriber = new Redis(url, { ...shared, enableOfflineQueue: true });
  // Errors surface through rejected commands and `available`; without a listener ioredis logs.
  for (const connection of [client, subscriber]) connection.on("error", () => {});
  try {
    await Promise.all([client.connect(), subscriber.connect()]);
  } catch (cause) {
    client.disconnect();
    subscriber.disconnect();
    throw new StoreError(
      "unavailable",
      `Cannot open store "${redactUrl(url)}": ${(cause as Error).message}`,
      { cause },
    );
  }
  return { client, subscriber };
}
