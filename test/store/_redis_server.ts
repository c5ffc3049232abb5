/**
 * @module Runs a real `redis-server` for tests: a free loopback port, no RDB snapshots, an
 * append-only file in a temporary directory (so a restart keeps the data), stoppable with
 * SIGTERM or SIGKILL and restartable on the same port and directory.
 */
import { freePort } from "../durability/_process.ts";

/** A running (or stopped) Redis server owned by a test. */
export interface RedisServer {
  /** `redis://127.0.0.1:<port>`. */
  readonly url: string;
  /** The port, kept across restarts. */
  readonly port: number;
  /** Stops the server (SIGTERM flushes the AOF; SIGKILL does not wait for anything). */
  stop(signal?: Deno.Signal): Promise<void>;
  /** Starts it again on the same port and directory, reloading the AOF. */
  start(): Promise<void>;
  /** Stops the server and removes its directory. */
  close(): Promise<void>;
}

/** Options of {@linkcode startRedis}. */
export interface StartRedisOptions {
  /**
   * The `appendfsync` policy.
   * @default "everysec"
   */
  appendfsync?: "always" | "everysec" | "no";
  /** More `redis-server` arguments, e.g. `["--replicaof", "127.0.0.1", "6379"]`. */
  args?: string[];
}

/** Starts `redis-server` and waits until it answers PING. */
export async function startRedis(options: StartRedisOptions = {}): Promise<RedisServer> {
  const dir = await Deno.makeTempDir({ prefix: "switchboard-redis-" });
  const port = freePort();
  let child: Deno.ChildProcess | undefined;
  const start = async () => {
    child = new Deno.Command("redis-server", {
      args: [
        "--port",
        String(port),
        "--bind",
        "127.0.0.1",
        "--save",
        "",
        "--appendonly",
        "yes",
        "--appendfsync",
        options.appendfsync ?? "everysec",
        "--dir",
        dir,
        "--logfile",
        "",
        "--loglevel",
        "warning",
        ...options.args ?? [],
      ],
      stdout: "null",
      stderr: "null",
    }).spawn();
    await waitForPing(port, child);
  };
  const stop = async (signal: Deno.Signal = "SIGTERM") => {
    if (!child) return;
    const running = child;
    child = undefined;
    try {
      running.kill(signal);
    } catch {
      // already gone
    }
    // Redis ignores SIGTERM while it writes its first AOF (a replica right after its sync).
    let timer: ReturnType<typeof setTimeout> | undefined;
    const stubborn = new Promise<void>((resolve) => {
      timer = setTimeout(() => {
        try {
          running.kill("SIGKILL");
        } catch {
          // gone meanwhile
        }
        resolve();
      }, 3000);
    });
    await Promise.race([running.status, stubborn]);
    clearTimeout(timer);
    await running.status;
  };
  await start();
  return {
    url: `redis://127.0.0.1:${port}`,
    port,
    stop,
    start,
    async close() {
      await stop();
      await Deno.remove(dir, { recursive: true });
    },
  };
}

/** Polls with a raw PING until `+PONG` comes back (the AOF may take a moment to load). */
async function waitForPing(port: number, child: Deno.ChildProcess): Promise<void> {
  const deadline = Date.now() + 10_000;
  let exited = false;
  child.status.then(() => exited = true);
  while (true) {
    if (exited) throw new Error(`redis-server on port ${port} exited at start`);
    try {
      const conn = await Deno.connect({ hostname: "127.0.0.1", port });
      try {
        await conn.write(new TextEncoder().encode("PING\r\n"));
        const buffer = new Uint8Array(64);
        const n = await conn.read(buffer);
        if (new TextDecoder().decode(buffer.subarray(0, n ?? 0)).startsWith("+PONG")) return;
      } finally {
        conn.close();
      }
    } catch {
      // not listening yet
    }
    if (Date.now() > deadline) {
      child.kill("SIGKILL");
      await child.status;
      throw new Error(`redis-server on port ${port} did not answer PING`);
    }
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
}
