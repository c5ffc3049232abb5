/**
 * @module Command-line flags and environment variables → configuration input, and the `--help`
 * text, both read from the settings table.
 */
import { parseArgs } from "node:util";
import type { SettingKind } from "./_setting.ts";
import type { ConfigInput } from "./mod.ts";
import { SETTINGS } from "./settings.ts";

const HELP_COLUMN = 34;

/** The `--help` text, one line per setting. */
export const USAGE = [
  "Switchboard: a real-time event hub for AI-agent runs.",
  "",
  "Usage: deno task start -- [options]",
  "",
  "Options ([environment variable] (default)):",
  ...Object.values(SETTINGS).map((s) => {
    const left = s.flag === null ? "(environment only)" : `--${s.flag}${s.arg ? ` ${s.arg}` : ""}`;
    const shown = s.shownDefault.replaceAll("`", "");
    return `  ${left.padEnd(HELP_COLUMN)}${s.help} [${s.env}] (${shown})`;
  }),
  `  ${"-h, --help".padEnd(HELP_COLUMN)}show this text`,
  "",
].join("\n");

/** Parsed command line: either a request for help or configuration input. */
export type CliResult = { help: true } | { help: false; input: ConfigInput };

/** Reads flags (which win) and environment variables; throws on unknown flags or bad numbers. */
export function parseCli(args: string[], env: Record<string, string | undefined>): CliResult {
  const options = Object.fromEntries(
    Object.values(SETTINGS).flatMap((s) =>
      s.flag === null
        ? []
        : [[s.flag, { type: s.kind === "boolean" ? "boolean" as const : "string" as const }]]
    ),
  );
  // `deno task start -- --port 1` passes the `--` through; it separates nothing here.
  const { values } = parseArgs({
    args: args[0] === "--" ? args.slice(1) : args,
    options: { ...options, help: { type: "boolean", short: "h" } },
    strict: true,
    allowPositionals: false,
  });
  if (values.help) return { help: true };
  const flags = values as Record<string, string | boolean | undefined>;
  const input: Record<string, string | number | boolean | string[]> = {};
  for (const [key, setting] of Object.entries(SETTINGS)) {
    const flagValue = setting.flag === null ? undefined : flags[setting.flag];
    if (typeof flagValue === "boolean") {
      input[key] = flagValue;
      continue;
    }
    const raw = flagValue ?? env[setting.env];
    if (raw === undefined || raw === "") continue;
    // Name where the value came from, so a bad environment variable is not blamed on a flag.
    const source = flagValue === undefined ? setting.env : `--${setting.flag}`;
    input[key] = convert(raw, setting.kind, source);
  }
  return { help: false, input: input as ConfigInput };
}

function convert(
  raw: string,
  kind: SettingKind,
  source: string,
): string | number | boolean | string[] {
  switch (kind) {
    case "string":
      return raw;
    case "list":
      return raw.split(",").map((item) => item.trim()).filter((item) => item !== "");
    case "boolean":
      if (raw === "true" || raw === "1") return true;
      if (raw === "false" || raw === "0") return false;
      throw new Error(`Invalid ${source} "${raw}": use true or false`);
    case "number": {
      const value = Number(raw);
      if (!Number.isFinite(value)) throw new Error(`Invalid ${source} "${raw}": not a number`);
      return value;
    }
  }
}
