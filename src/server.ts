/**
 * @module Starts and stops a whole server: store, skills, hub, app and Deno's HTTP listener.
 */
import { createApp } from "./app.ts";
import { createVerifier, type TokenVerifier } from "./auth/verifier.ts";
import { type Config, type ConfigInput, isAuthenticated, resolveConfig } from "./config/mod.ts";
import { Hub } from "./hub/hub.ts";
import { loadSkillsDir } from "./skills/load_dir.ts";
import { SkillRegistry } from "./skills/registry.ts";
import { openStore } from "./store/open.ts";
import type { Store } from "./store/store.ts";
import { type Skill, skillSchema } from "./skills/skill.ts";

/** How often retention trims stored events. */
const TRIM_INTERVAL_MS = 60_000;

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
  /** Whether tokens are required (a JWT secret or public key is configured). */
  authenticated: boolean;
  /** Closes every connection, stops listening and releases the store. */
  close(): Promise<void>;
}

/** Options of {@linkcode startServer} besides the configuration. */
export interface StartOptions {
  /** Use this store instead of the configured one; the server will not close it. */
  store?: Store;
  /** Called once listening. @default does nothing */
  onListen?: (address: { hostname: string; port: number }) => void;
}

/** Validates `input`, builds everything and starts listening. */
export async function startServer(
  input: ConfigInput = {},
  options: StartOptions = {},
): Promise<RunningServer> {
  const config = resolveConfig(input);
  const fromDir = config.skillsDir ? await loadSkillsDir(config.skillsDir) : [];
  const store = options.store ?? await openStore(config.store, {
    maxEventsPerSession: config.historyLimit,
    maxAgeMs: config.historyMaxAge,
    synchronous: config.storeSync,
  });
  // Skills registered over the API were stored and win over files of the same name.
  const registered = (await store.listSkills()).flatMap((s) => {
    const parsed = skillSchema.safeParse(s);
    return parsed.success ? [parsed.data as Skill] : [];
  });
  const skills = new SkillRegistry([...fromDir, ...registered], {
    persist: (skill) => store.putSkill(skill.name, skill),
  });
  const hub = new Hub({
    store,
    heartbeatMs: config.heartbeatMs,
    maxBufferedBytes: config.maxBufferedBytes,
    hasSkill: (name) => skills.has(name),
    maxSessionsPerConnection: config.maxSessionsPerConnection,
  });
  await hub.load();
  await hub.trimHistory();
  const trimTimer = setInterval(() => {
    hub.trimHistory().catch((error) => console.error("Trimming history failed:", error));
  }, TRIM_INTERVAL_MS);
  const app = createApp({ hub, skills, config, verifier: await createConfiguredVerifier(config) });
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
    authenticated: isAuthenticated(config),
    close() {
      closing ??= (async () => {
        clearInterval(trimTimer);
        hub.close();
        await server.shutdown();
        if (!options.store) await store.close();
      })();
      return closing;
    },
  };
}

/** The token verifier the configuration asks for, or `undefined` for development mode. */
async function createConfiguredVerifier(config: Config): Promise<TokenVerifier | undefined> {
  if (config.jwtSecret !== undefined) {
    return createVerifier({ key: config.jwtSecret, algorithm: config.jwtAlgorithm ?? "HS256" });
  }
  if (config.jwtPublicKeyFile === undefined) return undefined;
  let key: string;
  try {
    key = await Deno.readTextFile(config.jwtPublicKeyFile);
  } catch (cause) {
    throw new Error(
      `Cannot read JWT public key "${config.jwtPublicKeyFile}": ${(cause as Error).message}`,
      {
        cause,
      },
    );
  }
  return createVerifier({ key, algorithm: config.jwtAlgorithm ?? "RS256" });
}
