/**
 * @module WebSocket close codes. 4000–4099 are final: the client must not reconnect blindly.
 * 4100–4199 are transient: reconnect with backoff and resume from the last seq.
 */

/** Close codes the server uses, by name. */
export const CLOSE_CODES = {
  /** Standard: going away; this server sends 1012 when it shuts down, clients treat both alike. */
  GOING_AWAY: 1001,
  /** Standard: an unexpected server error (e.g. a replay read failed); reconnect with backoff. */
  INTERNAL_ERROR: 1011,
  /**
   * Standard "service restart": the server is shutting down gracefully (SIGTERM/SIGINT). Reconnect
   * at once with a little jitter, to another node if there is one, and resume from the last seq.
   */
  SERVICE_RESTART: 1012,
  /** Final: the connect request was invalid (e.g. a bad query); fix the client. */
  INVALID_REQUEST: 4000,
  /** Final: credentials missing, malformed or expired; reconnect only with a new token. */
  UNAUTHORIZED: 4001,
  /** Final: credentials valid but not allowed here. */
  FORBIDDEN: 4003,
  /** Final: the client sent a frame over the size limit; fix the client. */
  FRAME_TOO_LARGE: 4009,
  /** Transient: two heartbeat pings went unanswered. */
  HEARTBEAT_TIMEOUT: 4100,
  /** Transient: the client read too slowly and its outbound buffer passed the budget. */
  SLOW_CONSUMER: 4101,
  /** Transient: the connection kept exceeding its rate limit. */
  RATE_LIMITED: 4102,
} as const;

/** One of the documented close codes. */
export type CloseCode = typeof CLOSE_CODES[keyof typeof CLOSE_CODES];

/** Whether a close code tells clients not to reconnect on their own. */
export function isFinalCloseCode(code: number): boolean {
  return code >= 4000 && code < 4100;
}
