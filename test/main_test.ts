/**
 * @module Tests of the `switchboard` command (main.ts) as a real process: it starts and serves
 * `/health`, stops cleanly on SIGTERM, and exits non-zero with a message on bad input.
 */
import assert from "node:assert/strict";
import { fileURLToPath } from "node:url";
import type { Frame } from "./_helpers.ts";

const ROOT = fileURLToPath(new URL("..", import.meta.url));
const decoder = new TextDecoder();

/** `deno run -A main.ts <args>` from the repository root. */
function switchboard(args: string[]): Deno.Command {
  return new Deno.Command(Deno.execPath(), {
    args: ["run", "-A", "main.ts", ...args],
    cwd: ROOT,
    // Empty values count as unset, so the caller's environment cannot redirect the server.
    env: { NO_COLOR: "1", HOST: "", PORT: "", SWITCHBOARD_SKILLS_DIR: "", SWITCHBOARD_STORE: "" },
    stdin: "null",
    stdout: "piped",
    stderr: "piped",
  });
}

/** A port that was free a moment ago. */
function freePort(): number {
  const listener = Deno.listen({ hostname: "127.0.0.1", port: 0 });
  const { port } = listener.addr;
  listener.close();
  return port;
}

/** Polls `url` until it answers 200; fails if the process exits first or after 30 s. */
async function waitForHealth(url: string, child: Deno.ChildProcess): Promise<Frame> {
  let exited = false;
  child.status.then(() => exited = true);
  const deadline = Date.now() + 30_000;
  while (!exited && Date.now() < deadline) {
    try {
      const response = await fetch(url);
      const body = await response.json();
      if (response.ok) return body;
    } catch {
      // Not listening yet.
    }
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
  throw new Error(exited ? "The server exited before it answered" : `No answer from ${url}`);
}

Deno.test("deno run main.ts -- --port N starts, serves /health and stops on SIGTERM", async () => {
  const port = freePort();
  // The memory store keeps the run from writing .data/ into the checkout.
  const child = switchboard(["--", "--port", String(port), "--store", "memory"]).spawn();
  let output: Deno.CommandOutput | undefined;
  try {
    const health = await waitForHealth(`http://127.0.0.1:${port}/health`, child);
    assert.equal(health.status, "healthy");
    child.kill("SIGTERM");
    output = await child.output();
  } finally {
    if (!output) {
      child.kill("SIGKILL");
      await child.output();
    }
  }
  const stdout = decoder.decode(output.stdout);
  assert.match(stdout, new RegExp(`listening on http://127\\.0\\.0\\.1:${port}`));
  assert.match(stdout, /Shutting down/);
  assert.equal(output.code, 0, decoder.decode(output.stderr));
});

Deno.test("main.ts exits 2 with the problem and the usage on a bad flag", async () => {
  const output = await switchboard(["--bogus"]).output();
  assert.equal(output.code, 2);
  const stderr = decoder.decode(output.stderr);
  assert.match(stderr, /--bogus/);
  assert.match(stderr, /Usage: deno task start/);
});

Deno.test("main.ts exits 1 naming the setting on an invalid value", async () => {
  const output = await switchboard(["--port", "70000", "--store", "memory"]).output();
  assert.equal(output.code, 1);
  assert.match(
    decoder.decode(output.stderr),
    /Switchboard failed to start: Invalid configuration: Field "port"/,
  );
});

Deno.test("main.ts --help prints the usage and exits 0", async () => {
  const output = await switchboard(["--help"]).output();
  assert.equal(output.code, 0);
  assert.match(decoder.decode(output.stdout), /Usage: deno task start -- \[options\]/);
});
