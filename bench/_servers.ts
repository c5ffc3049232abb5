/**
 * @module Starts and stops the servers under test, each pinned to its own core when `taskset`
 * is available, with output kept in a log file for when something goes wrong.
 */
import { fileURLToPath } from "node:url";
import { BENCH_DIR } from "./_npm.ts";

/** The servers the benchmark knows. */
export type ServerName =
  | "switchboard"
  | "switchboard-sqlite"
  | "switchboard-sqlite-normal"
  | "socketio"
  | "relay";

/** Which wire format (and so which generator mode) each server speaks. */
export const WIRE_OF: Record<ServerName, "switchboard" | "socketio" | "relay"> = {
  "switchboard": "switchboard",
  "switchboard-sqlite": "switchboard",
  "switchboard-sqlite-normal": "switchboard",
  "socketio": "socketio",
  "relay": "relay",
};

/** A server process under test. */
export interface RunningServer {
  name: ServerName;
  pid: number;
  port: number;
  /** `http://127.0.0.1:PORT`. */
  httpUrl: string;
  /** `ws://127.0.0.1:PORT`. */
  wsUrl: string;
  /** Whether the process has exited. */
  readonly exited: boolean;
  /** Stops the process (SIGTERM, then SIGKILL) and waits for it. */
  stop(): Promise<void>;
  /** The last lines of its output. */
  logTail(): Promise<string>;
}

/** Options of {@linkcode startServer}. */
export interface ServerOptions {
  /** Core to pin to, or `undefined` to leave placement to the kernel. */
  core?: number;
  /** Directory for the log and, for SQLite, the database. */
  workDir: string;
  /** Switchboard's heartbeat interval (as Socket.IO's default ping interval). @default 25000 */
  heartbeatMs?: number;
  /** The Switchboard checkout to run (its main.ts). @default this repository */
  switchboardDir?: string;
  /** Switchboard's `--store` instead of the name's (e.g. `redis://...` for a node of two). */
  store?: string;
  /** Socket.IO: share rooms through this Redis with `@socket.io/redis-streams-adapter`. */
  redisUrl?: string;
  /** Name of the log file when several processes of one name run (e.g. `node-b`). */
  label?: string;
}

const REPO_DIR = fileURLToPath(new URL("..", import.meta.url));
const READY_TIMEOUT_MS = 30_000;

/**
 * Switchboard's abuse limits (connections per address, frames per second) are lifted: the
 * generator is one address sending far past them on purpose, and the servers compared have
 * none. Environment variables, not flags, so older checkouts that lack them still start.
 */
const LOAD_LIMITS = {
  SWITCHBOARD_MAX_CONNECTIONS_PER_IP: "1000000",
  SWITCHBOARD_FRAME_RATE: "1000000",
  SWITCHBOARD_SUBJECT_FRAME_RATE: "1000000",
  SWITCHBOARD_ABUSE_LIMIT: "1000000",
  // Orchestrators (the publishers) have limits of their own.
  SWITCHBOARD_ORCHESTRATOR_FRAME_RATE: "1000000",
  SWITCHBOARD_ORCHESTRATOR_SUBJECT_FRAME_RATE: "1000000",
  SWITCHBOARD_ORCHESTRATOR_ABUSE_LIMIT: "1000000",
};

/** Starts `name` on a free port and resolves once it accepts TCP connections. */
export async function startServer(
  name: ServerName,
  options: ServerOptions,
): Promise<RunningServer> {
  const port = freePort();
  const [command, ...args] = commandLine(name, port, options);
  const pin = options.core === undefined ? [] : ["taskset", "-c", String(options.core)];
  const log = `${options.workDir}/${options.label ?? name}.log`;
  const logFile = await Deno.open(log, {
    write: true,
    create: true,
    truncate: true,
  });
  const child = new Deno.Command(pin[0] ?? command, {
    args: [...pin.slice(1), ...(pin.length > 0 ? [command] : []), ...args],
    cwd: name.startsWith("switchboard") ? options.switchboardDir ?? REPO_DIR : REPO_DIR,
    stdin: "null",
    stdout: "piped",
    stderr: "piped",
    env: {
      NO_COLOR: "1",
      DENO_NO_UPDATE_CHECK: "1",
      ...(name.startsWith("switchboard") ? LOAD_LIMITS : {}),
    },
  }).spawn();
  // Both streams go to one file; reading them keeps the child from blocking on a full pipe.
  const copy = async (stream: ReadableStream<Uint8Array>) => {
    for await (const chunk of stream) await logFile.write(chunk);
  };
  const copying = Promise.all([copy(child.stdout), copy(child.stderr)])
    .catch(() => {})
    .finally(() => logFile.close());
  let stopped: Promise<void> | undefined;
  let exited = false;
  child.status.then(() => exited = true);
  const server: RunningServer = {
    name,
    get exited() {
      return exited;
    },
    pid: child.pid,
    port,
    httpUrl: `http://127.0.0.1:${port}`,
    wsUrl: `ws://127.0.0.1:${port}`,
    stop() {
      stopped ??= (async () => {
        try {
          child.kill("SIGTERM");
        } catch {
          // Already gone.
        }
        const timer = setTimeout(() => {
          try {
            child.kill("SIGKILL");
          } catch {
            // Already gone.
          }
        }, 3000);
        await child.status;
        clearTimeout(timer);
        await copying;
      })();
      return stopped;
    },
    async logTail() {
      const text = await Deno.readTextFile(log).catch(() => "");
      return text.split("\n").slice(-20).join("\n");
    },
  };
  try {
    await waitForPort(port, () => exited);
  } catch (error) {
    await server.stop();
    throw new Error(
      `${name} did not start: ${(error as Error).message}\n${await server
        .logTail()}`,
    );
  }
  return server;
}

function commandLine(
  name: ServerName,
  port: number,
  options: ServerOptions,
): string[] {
  const heartbeat = String(options.heartbeatMs ?? 25_000);
  const deno = Deno.execPath();
  switch (name) {
    case "switchboard":
    case "switchboard-sqlite":
    case "switchboard-sqlite-normal": {
      const store = options.store !== undefined
        ? ["--store", options.store]
        : name === "switchboard"
        ? ["--store", "memory"]
        : ["--store", `sqlite:${options.workDir}/${name}.db`];
      if (name === "switchboard-sqlite-normal") {
        store.push("--store-sync", "normal");
      }
      return [
        deno,
        "run",
        "-A",
        // BENCH_CPU_PROF=DIR: a V8 CPU profile of each Switchboard, written there when it stops.
        ...(Deno.env.get("BENCH_CPU_PROF")
          ? [`--cpu-prof-dir=${Deno.env.get("BENCH_CPU_PROF")}`, "--cpu-prof"]
          : []),
        "main.ts",
        "--port",
        String(port),
        ...store,
        "--heartbeat-ms",
        heartbeat,
      ];
    }
    case "relay":
      return [
        deno,
        "run",
        "-A",
        `${BENCH_DIR}servers/relay.ts`,
        "--port",
        String(port),
      ];
    case "socketio":
      return [
        "node",
        `${BENCH_DIR}servers/socketio_server.mjs`,
        "--port",
        String(port),
        ...(options.redisUrl ? ["--redis", options.redisUrl] : []),
      ];
  }
}

/** A port that was free a moment ago (the server binds it right after). */
function freePort(): number {
  const listener = Deno.listen({ hostname: "127.0.0.1", port: 0 });
  const { port } = listener.addr as Deno.NetAddr;
  listener.close();
  return port;
}

async function waitForPort(port: number, exited: () => boolean): Promise<void> {
  const deadline = Date.now() + READY_TIMEOUT_MS;
  while (Date.now() < deadline) {
    if (exited()) throw new Error("the process exited");
    try {
      const conn = await Deno.connect({ hostname: "127.0.0.1", port });
      conn.close();
      return;
    } catch {
      await new Promise((resolve) => setTimeout(resolve, 50));
    }
  }
  throw new Error(`port ${port} not open after ${READY_TIMEOUT_MS} ms`);
}
