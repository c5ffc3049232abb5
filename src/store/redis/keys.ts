/**
 * @module Redis key and channel names. A session's keys share the hash tag `{sb:<session>}`, so
 * one Lua script may touch them all on Redis Cluster too; the session and skill indexes are
 * separate keys, written outside the scripts.
 */

/** The keys and channel of one session. */
export interface SessionKeys {
  /** Hash: `epoch`, `head`, `state`, `metadata`, `createdAt`. */
  meta: string;
  /** Stream: one entry per event, ID `<seq>-0`, fields `e` (event), `d` (data), `t` (ts). */
  log: string;
  /** Pub/sub channel: `a <epoch> <head>` after an append, `d <epoch>` after a delete. */
  channel: string;
}

/** Set of every session id. */
export const SESSIONS_KEY = "sb:sessions";

/** Hash of skills registered over the API, by name. */
export const SKILLS_KEY = "sb:skills";

/** The keys of `session`. */
export function sessionKeys(session: string): SessionKeys {
  const tag = `{sb:${session}}`;
  return { meta: `${tag}:meta`, log: `${tag}:log`, channel: `${tag}:notify` };
}

/** The session a channel from {@linkcode sessionKeys} belongs to, or `undefined`. */
export function sessionOfChannel(channel: string): string | undefined {
  if (!channel.startsWith("{sb:") || !channel.endsWith("}:notify")) return undefined;
  return channel.slice("{sb:".length, -"}:notify".length);
}
