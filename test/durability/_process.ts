/**
 * @module Runs the real `main.ts` as a child process, for tests that kill and restart it.
 */

/** A server child process. */
export interface ServerProcess {
  /** Base URL. */
  url: string;
  /** The child. */
  child: Deno.ChildProcess;
  /** Sends `signal` and waits for the exit. */
  stop(signal?: Deno.Signal): Promise<Deno.CommandStatus>;
}

/** A port that was free a moment ago. */
export function freePort(): number {
  const listener = Deno.listen({ hostname: "127.0.0.1", port: 0 });
  const { port } = listener.addr as Deno.NetAddr;
  listener.close();
  return port;
}

/** Starts `deno run main.ts` with `args` on `port` and waits until /health answers. */
export async function spawnServer(port: number, args: string[]): Promise<ServerProcess> {
  const child = new Deno.Command(Deno.execPath(), {
    args: ["run", "-A", "main.ts", "--port", String(port), ...args],
    stdout: "null",
    stderr: "piped",
  }).spawn();
  const url = `http://127.0.0.1:${port}`;
  const stderr = child.stderr.pipeThrough(new TextDecoderStream()).getReader();
  const deadline = Date.now() + 15_000;
  for (;;) {
    try {
      const response = await fetch(`${url}/health`);
      await response.body?.cancel();
      if (response.ok) break;
    } catch {
      // not listening yet
    }
    if (Date.now() > deadline) {
      child.kill("SIGKILL");
      await child.status;
      throw new Error(`Server on port ${port} did not start`);
    }
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
  // Keep draining stderr so the child never blocks on a full pipe.
  const drained = (async () => {
    while (!(await stderr.read()).done) { /* discard */ }
  })();
  return {
    url,
    child,
    async stop(signal: Deno.Signal = "SIGTERM") {
      try {
        child.kill(signal);
      } catch {
        // already gone
      }
      const status = await child.status;
      await drained;
      return status;
    },
  };
}
