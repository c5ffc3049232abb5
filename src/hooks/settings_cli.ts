/**
 * @module `deno task hooks`: prints the Claude Code settings block that sends every hook to
 * this server. Paste it into `.claude/settings.json` (project) or `~/.claude/settings.json`.
 */
import { parseArgs } from "node:util";
import { settingsBlock } from "./settings_block.ts";

const USAGE = `Usage: deno task hooks [--url URL] [--token-env NAME] [--curl]
  --url        the hook endpoint (default: http://127.0.0.1:$PORT/api/hooks/claude-code)
  --token-env  environment variable holding the token (default: SWITCHBOARD_TOKEN)
  --curl       command hooks running curl, for Claude Code without HTTP hooks`;

/** The block as JSON text, from command-line arguments and the environment. */
export function hooksFromArgs(args: string[], env: Record<string, string | undefined>): string {
  const { values } = parseArgs({
    args: args[0] === "--" ? args.slice(1) : args,
    options: {
      url: { type: "string" },
      "token-env": { type: "string" },
      curl: { type: "boolean", default: false },
      help: { type: "boolean", default: false },
    },
  });
  if (values.help) return USAGE;
  const port = env.PORT ?? "8000";
  const timeout = Number(env.SWITCHBOARD_HOOK_APPROVAL_TIMEOUT_MS ?? 120_000);
  const block = settingsBlock({
    url: values.url ?? `http://127.0.0.1:${port}/api/hooks/claude-code`,
    tokenEnv: values["token-env"],
    approvalTimeoutMs: Number.isFinite(timeout) ? timeout : undefined,
    kind: values.curl ? "command" : "http",
  });
  return JSON.stringify(block, null, 2);
}

if (import.meta.main) {
  try {
    console.log(hooksFromArgs(Deno.args, Deno.env.toObject()));
  } catch (error) {
    console.error(`${(error as Error).message}\n\n${USAGE}`);
    Deno.exit(2);
  }
}
