/**
 * @module Starts and stops a whole server: store, skills, hub, app and Deno's HTTP listener.
 */
import { createApp } from "./app.ts";
import { type Config, type ConfigInput, resolveConfig } from "./config.ts";
import { Hub } from "./hub/hub.ts";
import { loadSkillsDir } from "./skills/load_dir.ts";
import { SkillRegistry } from "./skills/registry.ts";
import { MemoryStore } from "./store/memory.ts";
import type { Store } from "./store/store.ts";

/** A running server. */
export interface RunningServer {
  /** The bound port (useful with `port: 0`). */
  port: number;
  /** Base URL, e.g. `http://127.0.0.1:8000`. */
  url: string;
  /** The validated configuration in force. */
  config: Config;
  /** The hub, for embedding and tests. */
  hub: Hub;
  /** Closes every connection, stops listening and releases the store. */
  close(): Promise<void>;
}

/** Options of {@linkcode startServer} besides the configuration. */
export interface StartOptions {
  /** Use this store instead of the configured one; the server will not close it. */
  store?: Store;
  /** Called once listening. @default prints the address */
  onListen?: (address: { hostname: string; port: number }) => void;
}

/** Validates `input`, builds everything and starts listening. */
export async function startServer(
  input: ConfigInput = {},
  options: StartOptions = {},
): Promise<RunningServer> {
  const config = resolveConfig(input);
  const skills = new SkillRegistry(config.skillsDir ? await loadSkillsDir(config.skillsDir) : []);
  const store = options.store ?? new MemoryStore({ maxEventsPerSession: config.historyLimit });
  const hub = new Hub({
    store,
    heartbeatMs: config.heartbeatMs,
    maxBufferedBytes: config.maxBufferedBytes,
    hasSkill: (name) => skills.has(name),
  });
  await hub.load();
  const app = createApp({ hub, skills, maxFrameBytes: config.maxFrameBytes });
  const server = Deno.serve({
    port: config.port,
    hostname: config.host,
    onListen: options.onListen ?? (() => {}),
  }, app.fetch);
  const { port } = server.addr;
  let closing: Promise<void> | undefined;
  return {
    port,
    url: `http://${config.host.includes(":") ? `[${config.host}]` : config.host}:${port}`,
    config,
    hub,
    close() {
      closing ??= (async () => {
        hub.close();
        await server.shutdown();
        if (!options.store) await store.close();
      })();
      return closing;
    },
  };
}
