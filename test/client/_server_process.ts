/**
 * @module Runs the real server (`main.ts`) as a child process on 127.0.0.1, so a test can kill it
 * outright and start it again on the same port.
 */

const ROOT = new URL("../../", import.meta.url);

/** A server child process. */
export interface ServerProcess {
  /** Base URL, e.g. `http://127.0.0.1:1234`. */
  url: string;
  /** The bound port. */
  port: number;
  /** Kills the process with SIGKILL (no shutdown at all) and waits until it is gone. */
  kill(): Promise<void>;
  /** Sends `signal` (a graceful shutdown) and resolves with the exit status and stdout. */
  stop(signal: Deno.Signal): Promise<{ status: Deno.CommandStatus; stdout: string }>;
}

/** Starts `deno run main.ts` with `args` and resolves once it listens. */
export async function spawnServer(args: string[]): Promise<ServerProcess> {
  const child = new Deno.Command(Deno.execPath(), {
    args: ["run", "-A", "main.ts", "--host", "127.0.0.1", ...args],
    cwd: ROOT,
    stdin: "null",
    stdout: "piped",
    stderr: "piped",
    env: { NO_COLOR: "1" },
  }).spawn();
  const stderr = new Response(child.stderr).text();
  const lines = child.stdout.pipeThrough(new TextDecoderStream()).getReader();
  let output = "";
  let url: string | undefined;
  while (url === undefined) {
    const { value, done } = await lines.read();
    if (done) {
      await child.status;
      throw new Error(`The server exited before listening:\n${output}\n${await stderr}`);
    }
    output += value;
    url = /listening on (http:\/\/[\d.]+:\d+)/.exec(output)?.[1];
  }
  // Keep draining stdout so the child never blocks on a full pipe.
  const drained = (async () => {
    for (;;) {
      const { value, done } = await lines.read();
      if (done) return;
      output += value;
    }
  })();
  return {
    url,
    port: Number(new URL(url).port),
    async kill() {
      try {
        child.kill("SIGKILL");
      } catch {
        // already gone
      }
      await child.status;
      await drained;
      await stderr;
    },
    async stop(signal) {
      child.kill(signal);
      const status = await child.status;
      await drained;
      await stderr;
      return { status, stdout: output };
    },
  };
}

/** Starts the server on `port` again, retrying while the port is still being released. */
export async function respawnServer(port: number, args: string[]): Promise<ServerProcess> {
  for (let attempt = 1;; attempt++) {
    try {
      return await spawnServer(["--port", String(port), ...args]);
    } catch (error) {
      if (attempt >= 20) throw error;
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
  }
}
