/**
 * @module JSON helpers every route shares: coded error bodies and reading request bodies.
 */
import type { Context } from "hono";
import type { ContentfulStatusCode } from "hono/utils/http-status";
import { errorFields, log } from "../observe/log.ts";
import { type ErrorBody, parseJson, SwitchboardError, toErrorBody } from "../protocol/mod.ts";

/** Sends `{success: false, error: {code, message}, timestamp}` with the code's status. */
export function errorResponse(c: Context, error: unknown): Response {
  const body: ErrorBody = toErrorBody(error);
  const status = error instanceof SwitchboardError ? error.status : 500;
  const fields = { method: c.req.method, path: c.req.path, status, code: body.code };
  if (status === 500) log.error("request failed", { ...fields, ...errorFields(error) });
  else if (body.code === "RATE_LIMITED") log.debug("request refused", fields);
  else log.info("request refused", fields);
  if (status === 401) c.header("WWW-Authenticate", 'Bearer realm="switchboard"');
  return c.json(
    { success: false, error: body, timestamp: new Date().toISOString() },
    status as ContentfulStatusCode,
  );
}

/** Reads the request body as JSON, failing with `BAD_JSON`. */
export async function readJson(c: Context): Promise<unknown> {
  const text = await c.req.text();
  if (text.trim() === "") return undefined;
  return parseJson(text, "Body");
}
