/**
 * @module Turns zod results into coded errors whose messages name the offending field.
 */
import type { z } from "zod";
import { type ErrorCode, SwitchboardError } from "./errors.ts";

/** Describes the first issue of a failed parse as `Field "a.b": message`. */
export function describeIssue(error: z.ZodError, prefix = ""): string {
  const issue = error.issues[0];
  if (!issue) return "Invalid value";
  const path = [prefix, ...issue.path.map(String)].filter((part) => part !== "").join(".");
  return path === "" ? issue.message : `Field "${path}": ${issue.message}`;
}

/**
 * Parses `value` with `schema`, throwing a {@linkcode SwitchboardError} with `code` and a
 * message naming the field on failure.
 */
export function parseOrThrow<T extends z.ZodType>(
  schema: T,
  value: unknown,
  options: { code: ErrorCode; prefix?: string; context?: string },
): z.infer<T> {
  const result = schema.safeParse(value);
  if (result.success) return result.data;
  const detail = describeIssue(result.error, options.prefix);
  const message = options.context ? `${options.context}: ${detail}` : detail;
  throw new SwitchboardError(options.code, message);
}
