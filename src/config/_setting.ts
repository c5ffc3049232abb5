/**
 * @module The shape of one setting's declaration, shared by the settings tables.
 */
import type { z } from "zod";

/** Bytes in a mebibyte. */
export const MiB = 1024 * 1024;

/** How a raw flag or variable is read before the schema checks it. */
export type SettingKind = "string" | "number" | "boolean" | "list";

/** One setting's declaration. */
export interface Setting<S extends z.ZodType = z.ZodType> {
  /** Command-line flag without `--`; `null` for environment-only settings (secrets). */
  flag: string | null;
  /** Environment variable. */
  env: string;
  /** How the raw text is read. */
  kind: SettingKind;
  /** Placeholder in `--help` (`N`, `DIR`, ...); empty for booleans. */
  arg: string;
  /** Range, default and message, checked at start-up. */
  schema: S;
  /** The default as shown to people (`none`, `8000`, ...). */
  shownDefault: string;
  /** One short line for `--help`. */
  help: string;
  /** Full sentence(s) for the README table. */
  doc: string;
}

/** Declares a setting, keeping its schema's type for the config type. */
export function setting<S extends z.ZodType>(declaration: Setting<S>): Setting<S> {
  return declaration;
}
