/**
 * @module Runs the Python SDK's own tests (`python/tests`, `unittest`) with the machine's
 * `python3`, against real servers they start with this Deno, so CI proves the SDK, the seeds'
 * helpers and the example orchestrator on every run.
 */
import assert from "node:assert/strict";

const PYTHON_DIR = new URL("../../python/", import.meta.url);

Deno.test("python/tests pass against a real server", async () => {
  const { code, stdout, stderr } = await new Deno.Command("python3", {
    args: ["-W", "error::ResourceWarning", "-m", "unittest", "discover", "-s", "tests", "-t", "."],
    cwd: PYTHON_DIR,
    env: { SWITCHBOARD_DENO: Deno.execPath(), PYTHONDONTWRITEBYTECODE: "1", NO_COLOR: "1" },
    stdout: "piped",
    stderr: "piped",
  }).output();
  const output = new TextDecoder().decode(stdout) + new TextDecoder().decode(stderr);
  assert.equal(code, 0, `python3 -m unittest failed:\n${output}`);
  assert.match(output, /Ran \d+ tests/);
});
