/**
 * @module `deno task hooks`: the printed block covers every hook event with the token from an
 * environment variable, the examples are its output, and the curl fallback really talks to a
 * server the way Claude Code's command hooks would.
 */
import assert from "node:assert/strict";
import { HOOK_EVENTS, settingsBlock } from "../../src/hooks/settings_block.ts";
import { hooksFromArgs } from "../../src/hooks/settings_cli.ts";
import { api, type Frame, startTestServer } from "../_helpers.ts";
import { mint, SECRET } from "../security/_tokens.ts";
import { HOOK_NAMES, hookBody } from "./_hooks.ts";

const examples = new URL("../../examples/claude-code/", import.meta.url);

Deno.test("deno task hooks: every documented event, bearer token from allowedEnvVars", () => {
  const block = settingsBlock({ approvalTimeoutMs: 60_000 });
  assert.deepEqual(Object.keys(block.hooks), [...HOOK_EVENTS]);
  for (const name of HOOK_NAMES) assert.ok(name in block.hooks, `${name} is wired`);
  for (const [event, groups] of Object.entries(block.hooks) as [string, Frame[]][]) {
    const [handler] = groups[0].hooks;
    assert.equal(handler.type, "http");
    assert.equal(handler.headers.Authorization, "Bearer $SWITCHBOARD_TOKEN");
    assert.deepEqual(handler.allowedEnvVars, ["SWITCHBOARD_TOKEN"]);
    assert.equal(handler.timeout, event === "PreToolUse" ? 90 : 10);
  }
  assert.throws(() => settingsBlock({ tokenEnv: "$(rm -rf)" }), RangeError);
});

Deno.test("deno task hooks: the examples are the printed blocks", async () => {
  const env = {};
  assert.equal(
    (await Deno.readTextFile(new URL("settings.json", examples))).trim(),
    hooksFromArgs([], env),
  );
  assert.equal(
    (await Deno.readTextFile(new URL("settings.curl.json", examples))).trim(),
    hooksFromArgs(["--curl"], env),
  );
  const custom = JSON.parse(
    hooksFromArgs(["--url", "https://sb.example/api/hooks/claude-code"], env),
  );
  assert.equal(custom.hooks.Stop[0].hooks[0].url, "https://sb.example/api/hooks/claude-code");
});

const hasCurl = await new Deno.Command("sh", { args: ["-c", "command -v curl"] }).output()
  .then((o) => o.success, () => false);

Deno.test({
  name: "deno task hooks --curl: the command hook posts stdin with the token and prints the answer",
  ignore: !hasCurl,
  async fn() {
    const server = await startTestServer({ jwtSecret: SECRET });
    try {
      const url = `${server.url}/api/hooks/claude-code`;
      const block = JSON.parse(hooksFromArgs(["--curl", "--url", url], {}));
      const token = await mint({ role: "orchestrator", sessions: ["claude-abc123"] });
      const run = async (event: string, body: Frame) => {
        const child = new Deno.Command("bash", {
          args: ["-c", block.hooks[event][0].hooks[0].command],
          env: { SWITCHBOARD_TOKEN: token },
          stdin: "piped",
          stdout: "piped",
        }).spawn();
        const writer = child.stdin.getWriter();
        await writer.write(new TextEncoder().encode(JSON.stringify(body)));
        await writer.close();
        const { code, stdout } = await child.output();
        return { code, answer: JSON.parse(new TextDecoder().decode(stdout)) };
      };
      assert.deepEqual(await run("SessionStart", hookBody("SessionStart")), {
        code: 0,
        answer: {},
      });
      const admin = await mint({ role: "admin" });
      await api(server, "POST", "/api/sessions/claude-abc123/commands", { type: "HALT" }, {
        authorization: `Bearer ${admin}`,
      });
      const denied = await run("PreToolUse", hookBody("PreToolUse"));
      assert.equal(denied.code, 0);
      assert.equal(denied.answer.hookSpecificOutput.permissionDecision, "deny");
    } finally {
      await server.close();
    }
  },
});
