/**
 * @module Opens the store a configuration names: `memory`, `sqlite:PATH` or a Redis URL.
 */
import { dirname } from "node:path";
import { MemoryStore } from "./memory.ts";
import { SqliteStore, type SqliteStoreOptions } from "./sqlite.ts";
import type { Store } from "./store.ts";
import type { RedisStoreOptions } from "./redis/store.ts";

/** Options of {@linkcode openStore}: retention plus each backend's own. */
export type OpenStoreOptions = SqliteStoreOptions & RedisStoreOptions;

/**
 * Opens `spec` (`"memory"`, `"sqlite:PATH"`, `"redis://[user:pass@]host:port[/db]"` or
 * `"rediss://…"`), creating the SQLite file's directory.
 */
export async function openStore(spec: string, options: OpenStoreOptions = {}): Promise<Store> {
  if (spec === "memory") return new MemoryStore(options);
  if (/^rediss?:\/\//.test(spec)) {
    // Loaded only when asked for, so single-node deployments never load the Redis client.
    const { RedisStore } = await import("./redis/store.ts");
    return RedisStore.open(spec, options);
  }
  if (!spec.startsWith("sqlite:")) {
    throw new Error(`Unknown store "${spec}": use memory, sqlite:PATH or redis://HOST:PORT`);
  }
  const path = spec.slice("sqlite:".length);
  try {
    await Deno.mkdir(dirname(path), { recursive: true });
  } catch (cause) {
    throw new Error(
      `Cannot open store "${spec}": cannot create ${dirname(path)}: ${(cause as Error).message}`,
      {
        cause,
      },
    );
  }
  return SqliteStore.open(path, options);
}
