/**
 * @module Starts and stops a whole server: store, skills, hub, app and Deno's HTTP listener.
 */
import { createApp } from "./app.ts";
import { createVerifier, type TokenVerifier } from "./auth/verifier.ts";
import { type Config, type ConfigInput, isAuthenticated, resolveConfig } from "./config/mod.ts";
import { Hub } from "./hub/hub.ts";
import { Lifecycle } from "./lifecycle.ts";
import { CLOSE_CODES } from "./protocol/close_codes.ts";
import { loadSkillsDir } from "./skills/load_dir.ts";
import { SkillRegistry } from "./skills/registry.ts";
import { configureLog, errorFields, log, type LogFields } from "./observe/log.ts";
import { hubLog } from "./observe/hub_log.ts";
import { Metrics } from "./observe/metrics.ts";
import { observeStore } from "./observe/observed_store.ts";
import { openStore } from "./store/open.ts";
import { NODE_TTL_MS } from "./store/redis/presence.ts";
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
  /** The server's phase (`/ready` reads it) and open sockets. */
  lifecycle: Lifecycle;
  /**
   * Shuts down gracefully within `config.shutdownTimeout`: refuses new work, lets accepted
   * appends finish, closes every WebSocket with 1012 and waits for the close replies, stops
   * listening and closes the store. Resolves `true` when everything finished in time.
   */
  close(): Promise<boolean>;
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
  configureLog({
    level: config.logLevel,
    format: config.logFormat !== "auto"
      ? config.logFormat
      : Deno.stdout.isTerminal()
      ? "pretty"
      : "json",
  });
  log.info("configuration", startupFields(config));
  const fromDir = config.skillsDir ? await loadSkillsDir(config.skillsDir) : [];
  const opened = options.store ?? await openStore(config.store, {
    maxEventsPerSession: config.historyLimit,
    maxAgeMs: config.historyMaxAge,
    synchronous: config.storeSync,
  });
  const metrics = new Metrics();
  const { store, health } = observeStore(opened, {
    appended: (seconds) => metrics.storeAppended(seconds),
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
    observer: { ...metrics.observer, ...hubLog() },
  });
  metrics.watch(hub, health);
  await hub.load();
  await hub.trimHistory();
  const trimTimer = setInterval(() => {
    hub.trimHistory().catch((error) => log.error("trimming history failed", errorFields(error)));
  }, TRIM_INTERVAL_MS);
  // Several nodes on one store: tell the others this node is alive, and how busy it is.
  const beat = () =>
    store.presence?.heartbeat({ connections: hub.connectionCount }).catch(() => {});
  await beat();
  const beatTimer = setInterval(beat, NODE_TTL_MS / 3);
  const lifecycle = new Lifecycle();
  const verifier = await createConfiguredVerifier(config);
  const app = createApp({ hub, skills, config, verifier, lifecycle, metrics, storeHealth: health });
  const server = Deno.serve({
    port: config.port,
    hostname: config.host,
    onListen: options.onListen ?? (() => {}),
  }, app.fetch);
  lifecycle.ready();
  const { port } = server.addr;
  let closing: Promise<boolean> | undefined;
  return {
    port,
    url: `http://${config.host.includes(":") ? `[${config.host}]` : config.host}:${port}`,
    config,
    hub,
    lifecycle,
    authenticated: isAuthenticated(config),
    close() {
      closing ??= shutDown({
        hub,
        lifecycle,
        deadline: Date.now() + config.shutdownTimeout,
        stopListening: () => server.shutdown(),
        closeStore: options.store ? undefined : () => store.close(),
        stopTimers: () => {
          clearInterval(trimTimer);
          clearInterval(beatTimer);
        },
      });
      return closing;
    },
  };
}

/** What a graceful shutdown stops, in order. */
interface ShutdownSteps {
  hub: Hub;
  lifecycle: Lifecycle;
  /** `Date.now()` by which the shutdown should be done. */
  deadline: number;
  stopListening(): Promise<void>;
  closeStore: (() => Promise<void>) | undefined;
  stopTimers(): void;
}

/**
 * The shutdown order. Nothing new gets in first (readiness fails, requests, upgrades and frames
 * are refused), then what was accepted finishes, so its acks go out before the sockets close;
 * then 1012 and the close replies, so clients see a clean close rather than a reset (1006);
 * only then does the listener stop (Deno would close sockets still open with 1001) and the
 * store close, after its last append.
 */
async function shutDown(steps: ShutdownSteps): Promise<boolean> {
  const { hub, lifecycle, deadline } = steps;
  lifecycle.drain();
  steps.stopTimers();
  let inTime = await beforeDeadline(admitted(hub, lifecycle, deadline), deadline);
  const reason = "Server restarting: reconnect";
  hub.close(CLOSE_CODES.SERVICE_RESTART, reason);
  inTime =
    await beforeDeadline(lifecycle.closeSockets(CLOSE_CODES.SERVICE_RESTART, reason), deadline) &&
    inTime;
  await steps.stopListening();
  // Appends of frames admitted while the sockets closed, if any, are still the store's.
  inTime = await beforeDeadline(hub.settled(), deadline) && inTime;
  await steps.closeStore?.();
  lifecycle.stopped();
  return inTime;
}

/** Resolves once frames already received are admitted and every accepted append has settled. */
async function admitted(hub: Hub, lifecycle: Lifecycle, deadline: number): Promise<void> {
  while (lifecycle.backlog > 0 && Date.now() < deadline) {
    await new Promise((resolve) => setTimeout(resolve, 5));
  }
  await hub.settled();
  // Acks are sent in callbacks chained on the appends: let them run before the sockets close.
  await new Promise((resolve) => setTimeout(resolve, 0));
}

/** Waits for `work` until `deadline`; resolves whether it finished in time. */
async function beforeDeadline(work: Promise<void>, deadline: number): Promise<boolean> {
  let timer: ReturnType<typeof setTimeout> | undefined;
  const late = new Promise<false>((resolve) => {
    timer = setTimeout(() => resolve(false), Math.max(0, deadline - Date.now()));
  });
  try {
    return await Promise.race([work.then(() => true), late]);
  } finally {
    clearTimeout(timer);
  }
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

/** The configuration as logged at start-up: every setting but the secret, and how auth works. */
function startupFields(config: Config): LogFields {
  const { jwtSecret: _secret, ...rest } = config;
  const auth = config.jwtSecret !== undefined
    ? "jwt-secret"
    : config.jwtPublicKeyFile !== undefined
    ? "jwt-public-key"
    : "off";
  return { ...rest, auth } as LogFields;
}
