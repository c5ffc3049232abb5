/**
 * @module Opens the store a configuration names: `memory` or `sqlite:PATH`.
 */
import { dirname } from "node:path";
import { MemoryStore } from "./memory.ts";
import { SqliteStore, type SqliteStoreOptions } from "./sqlite.ts";
import type { Store } from "./store.ts";

/** Opens `spec` (`"memory"` or `"sqlite:PATH"`), creating the SQLite file's directory. */
export async function openStore(spec: string, options: SqliteStoreOptions = {}): Promise<Store> {
  if (spec === "memory") return new MemoryStore(options);
  if (!spec.startsWith("sqlite:")) {
    throw new Error(`Unknown store "${spec}": use memory or sqlite:PATH`);
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
