/**
 * @module The Claude Code `settings.json` block that wires every hook event to Switchboard: HTTP
 * hooks carrying `Authorization: Bearer $SWITCHBOARD_TOKEN` (via `allowedEnvVars`), or the same
 * as `curl` command hooks for Claude Code versions without HTTP hooks.
 */

/** Every hook event Claude Code documents, in lifecycle order. */
export const HOOK_EVENTS = [
  "SessionStart",
  "UserPromptSubmit",
  "PreToolUse",
  "PermissionRequest",
  "PostToolUse",
  "PostToolUseFailure",
  "Notification",
  "SubagentStart",
  "SubagentStop",
  "Stop",
  "PreCompact",
  "SessionEnd",
] as const;

/** Options of {@linkcode settingsBlock}. */
export interface SettingsBlockOptions {
  /** The hook endpoint. @default "http://127.0.0.1:8000/api/hooks/claude-code" */
  url?: string;
  /** The environment variable holding the token. @default "SWITCHBOARD_TOKEN" */
  tokenEnv?: string;
  /** The server's approval timeout in ms, so `PreToolUse` waits longer. @default 120000 */
  approvalTimeoutMs?: number;
  /** `"http"` hooks, or `"command"` hooks that run `curl`. @default "http" */
  kind?: "http" | "command";
}

/** Seconds Claude Code waits for hooks that never wait on a human. */
const QUICK_TIMEOUT_S = 10;
/** The most Claude Code lets a hook run by default (and the most we ask for). */
const MAX_TIMEOUT_S = 600;

/** The `{"hooks": {...}}` object to merge into `.claude/settings.json`. */
export function settingsBlock(
  options: SettingsBlockOptions = {},
): { hooks: Record<string, unknown> } {
  const url = options.url ?? "http://127.0.0.1:8000/api/hooks/claude-code";
  const env = options.tokenEnv ?? "SWITCHBOARD_TOKEN";
  if (!/^[A-Za-z_][A-Za-z0-9_]*$/.test(env)) {
    throw new RangeError(`Invalid environment variable name "${env}"`);
  }
  // A held PreToolUse is answered by the server's own timeout, so Claude Code must wait longer.
  const approvalS = Math.ceil((options.approvalTimeoutMs ?? 120_000) / 1000);
  const hooks: Record<string, unknown> = {};
  for (const event of HOOK_EVENTS) {
    const timeout = event === "PreToolUse"
      ? Math.min(approvalS + 30, MAX_TIMEOUT_S)
      : QUICK_TIMEOUT_S;
    const handler = options.kind === "command"
      ? {
        type: "command",
        command: curlCommand(url, env, timeout),
        timeout,
      }
      : {
        type: "http",
        url,
        headers: { Authorization: `Bearer $${env}` },
        allowedEnvVars: [env],
        timeout,
      };
    hooks[event] = [{ hooks: [handler] }];
  }
  return { hooks };
}

/**
 * The fallback: curl posts the hook's stdin to the server and prints the answer for Claude Code
 * to read; `--fail` keeps an error body off stdout (Claude Code logs a non-blocking error).
 */
export function curlCommand(url: string, env: string, timeoutS: number): string {
  return `curl -sS --fail --max-time ${timeoutS} -X POST -H 'Content-Type: application/json' ` +
    `-H "Authorization: Bearer $${env}" --data-binary @- '${url.replaceAll("'", "%27")}'`;
}
