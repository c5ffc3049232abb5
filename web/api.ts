/**
 * @module REST calls to the server's `/api/`: the token goes in the `Authorization` header,
 * and every failure becomes an {@linkcode ApiError} with the server's code.
 */
import { getToken } from "./auth.ts";

/** A failed API call: the server's `{code, message}` and the HTTP status. */
export class ApiError extends Error {
  /** Stable error code (docs/PROTOCOL.md), or `NETWORK` when the server could not be reached. */
  readonly code: string;
  /** HTTP status; 0 for a network failure. */
  readonly status: number;

  /** Creates an error. */
  constructor(code: string, message: string, status: number) {
    super(message);
    this.name = "ApiError";
    this.code = code;
    this.status = status;
  }
}

/** Headers for an API call: JSON, and the token when there is one. */
export function authHeaders(token = getToken()): Record<string, string> {
  const headers: Record<string, string> = { "content-type": "application/json" };
  if (token) headers.authorization = `Bearer ${token}`;
  return headers;
}

/**
 * Calls the API and resolves with the parsed body; rejects with an {@linkcode ApiError}. The
 * stored token is sent unless `token` says otherwise (`""`: none).
 */
export async function api<T>(
  path: string,
  init: { method?: string; body?: unknown; token?: string } = {},
): Promise<T> {
  let response: Response;
  try {
    response = await fetch(path, {
      method: init.method ?? "GET",
      headers: authHeaders(init.token),
      body: init.body === undefined ? undefined : JSON.stringify(init.body),
      cache: "no-store",
    });
  } catch (error) {
    throw new ApiError("NETWORK", `Server unreachable: ${(error as Error).message}`, 0);
  }
  const body = await response.json().catch(() => ({}));
  if (!response.ok) {
    const { code = "INTERNAL", message = response.statusText } = body.error ?? {};
    throw new ApiError(code, message, response.status);
  }
  return body as T;
}

/** Polls a GET resource with `If-None-Match`: an unchanged answer costs a 304 and no parsing. */
export class ConditionalGet<T> {
  readonly #path: string;
  #etag: string | undefined;
  #last: T | undefined;

  /** Polls `path`. */
  constructor(path: string) {
    this.#path = path;
  }

  /** Resolves with the body, and whether it changed since the last call. */
  async get(): Promise<{ body: T; changed: boolean }> {
    const headers = authHeaders();
    if (this.#etag && this.#last !== undefined) headers["if-none-match"] = this.#etag;
    let response: Response;
    try {
      response = await fetch(this.#path, { headers, cache: "no-store" });
    } catch (error) {
      throw new ApiError("NETWORK", `Server unreachable: ${(error as Error).message}`, 0);
    }
    if (response.status === 304 && this.#last !== undefined) {
      return { body: this.#last, changed: false };
    }
    const body = await response.json().catch(() => ({}));
    if (!response.ok) {
      const { code = "INTERNAL", message = response.statusText } = body.error ?? {};
      throw new ApiError(code, message, response.status);
    }
    this.#etag = response.headers.get("etag") ?? undefined;
    this.#last = body as T;
    return { body: this.#last, changed: true };
  }
}
