/**
 * @module Switchboard's client for browsers, Node and Deno: `io(url, options)` connects, follows
 * sessions, and after any reconnect resumes each one from the last seq it saw, so handlers get
 * every event once and in order. No dependencies.
 *
 * @example
 * ```ts
 * import { io, type SwitchboardError } from "./mod.ts";
 *
 * // With a server running (`deno task start`), this halts session_abc's run.
 * const socket = io("http://localhost:8000", { query: { session_id: "session_abc" } });
 * socket.on("skill:started", (event, meta) => console.log(`#${meta.seq}`, event.skill));
 * try {
 *   const halt = { type: "HALT", reason: "User pause" } as const;
 *   const result = await socket.timeout(2000).emitWithAck("command", halt);
 *   console.log("Now", result.state);
 * } catch (error) {
 *   console.log("Not halted:", (error as SwitchboardError).code); // ACK_TIMEOUT without a server
 * } finally {
 *   socket.disconnect(); // releases the connection, every timer and handler
 * }
 * ```
 */
import { Socket } from "./socket.ts";
import type { SocketOptions, SocketUrl } from "./options.ts";

/**
 * Creates a {@linkcode Socket} and connects it (unless `autoConnect: false`). `url` may be
 * `http(s)://` or `ws(s)://`, absolute or relative to the page; the `/ws` path is implied. Give
 * several nodes' URLs (`io([a, b])`) to move to the next node whenever a connection ends.
 */
export function io(url: SocketUrl, options?: SocketOptions): Socket {
  return new Socket(url, options);
}

export { io as connect, io as default, Socket };
export type { Listeners } from "./listeners.ts";
export { SwitchboardError } from "./errors.ts";
export type { ClientErrorCode, ErrorCode } from "./errors.ts";
export type { AuthData, SocketOptions, SocketUrl } from "./options.ts";
export type { WebSocketConstructor, WebSocketLike } from "./manager.ts";
export type * from "./events.ts";
export type * from "./protocol.ts";
export { isFinalCloseCode } from "./protocol.ts";
