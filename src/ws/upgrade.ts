/**
 * @module The only code that touches Deno's WebSocket: checks the origin and the per-address
 * connection cap, upgrades the request and feeds the socket's events to a SocketSession.
 */
import { bearerToken } from "../auth/verifier.ts";
import type { Hub } from "../hub/hub.ts";
import type { Transport } from "../hub/transport.ts";
import { HubCounters } from "../hub/counters.ts";
import type { Gate } from "../ingress/gate.ts";
import type { Lifecycle } from "../lifecycle.ts";
import { CLOSE_CODES, describeIssue, encodeError, SwitchboardError } from "../protocol/mod.ts";
import { isLoopbackAddress } from "../net/cidr.ts";
import { CloseLog } from "./close_log.ts";
import { parseConnectQuery } from "./connect_query.ts";
import { isOriginAllowed } from "./origin.ts";
import { type SocketOptions, SocketSession } from "./socket_session.ts";

/** Options of {@linkcode createWebSocketEndpoint}. */
export interface WebSocketEndpointOptions extends SocketOptions {
  /** Browser origins allowed besides the server's own and, when unset, loopback ones. */
  allowedOrigins?: readonly string[];
  /** Open sockets allowed per client address. */
  maxConnectionsPerIp: number;
  /** The server's phase and open sockets: draining refuses upgrades and frames. */
  lifecycle: Lifecycle;
}

const encoder = new TextEncoder();

/** Creates the `GET /ws` handler: `(request, clientAddress) => Response`. Throws coded errors. */
export function createWebSocketEndpoint(
  hub: Hub,
  options: WebSocketEndpointOptions,
): (request: Request, clientAddress: string) => Response {
  const openPerAddress = new Map<string, number>();
  const { lifecycle } = options;
  return function upgradeWebSocket(request, clientAddress) {
    if (lifecycle.draining) {
      throw new SwitchboardError("SHUTTING_DOWN", "The server is shutting down");
    }
    if (!isOriginAllowed(request.headers.get("origin"), request.url, options.allowedOrigins)) {
      throw new SwitchboardError("FORBIDDEN", "Origin not allowed");
    }
    const open = openPerAddress.get(clientAddress) ?? 0;
    // Loopback is this host: a local benchmark, or a proxy on the same machine (whose clients
    // get their own addresses with --trust-proxy). Capping it would cap the whole server.
    if (open >= options.maxConnectionsPerIp && !isLoopbackAddress(clientAddress)) {
      throw new SwitchboardError("LIMIT_EXCEEDED", "Too many connections from this address");
    }
    // Read all of the request first: once upgraded, its headers are gone.
    const query = parseConnectQuery(new URL(request.url));
    const headerToken = bearerToken(request.headers.get("authorization"));
    // Our own heartbeat decides liveness; Deno's idle timeout would race it with other rules.
    const { socket, response } = Deno.upgradeWebSocket(request, { idleTimeout: 0 });
    openPerAddress.set(clientAddress, open + 1);
    const current: { session?: SocketSession } = {};
    const closeLog = new CloseLog(clientAddress);
    const transport: Transport = {
      send: (frame) => socket.send(frame),
      close(code, reason) {
        if (!closeLog.serverClosing(code, current.session?.connection)) return;
        HubCounters.bump(hub.counters.closes, code);
        if (socket.readyState === WebSocket.OPEN) socket.close(code, reason);
        // Still connecting: close as soon as it opens (closing before would throw).
        else if (socket.readyState === WebSocket.CONNECTING) {
          socket.onopen = () => socket.close(code, reason);
        }
      },
      get bufferedAmount() {
        return socket.bufferedAmount;
      },
      get isOpen() {
        return socket.readyState === WebSocket.OPEN;
      },
    };
    const release = lifecycle.track({
      get backlog() {
        return current.session?.backlog ?? 0;
      },
      close: (code, reason) => transport.close(code, reason),
    });
    let closed = false;
    const onClosed = (session?: SocketSession, code?: number) => {
      if (closed) return;
      closed = true;
      release();
      closeLog.closed(session?.connection, code);
      const left = (openPerAddress.get(clientAddress) ?? 1) - 1;
      if (left > 0) openPerAddress.set(clientAddress, left);
      else openPerAddress.delete(clientAddress);
      session?.closed();
    };

    // The URL's session joins like a subscribe frame, so the gate checks it the same way.
    const invalid = query.success
      ? checkSession(options.gate, query.data.session)
      : new SwitchboardError("INVALID_FRAME", describeIssue(query.error, "query"));
    if (invalid !== undefined || !query.success) {
      // Upgrade first, so a browser can read why: a refused handshake tells it nothing.
      socket.onopen = () => {
        transport.send(encodeError(invalid!.toBody()));
        transport.close(CLOSE_CODES.INVALID_REQUEST, "Invalid connect query");
      };
      socket.onclose = (event) => onClosed(undefined, event.code);
      return response;
    }
    const token = headerToken ?? query.data.token;
    const session = new SocketSession(hub, { transport, query: query.data, token }, options);
    current.session = session;
    socket.onopen = () => session.open();
    socket.onmessage = (message) => {
      // Shutting down: frames from now on are not admitted. Their acks never come (the client
      // fails them with DISCONNECTED at the 1012), so nothing unacknowledged is half-done.
      if (lifecycle.draining) return;
      if (typeof message.data !== "string") {
        const error = new SwitchboardError("INVALID_FRAME", "Binary frames are not supported");
        transport.send(encodeError(error.toBody()));
        return;
      }
      if (exceedsBytes(message.data, options.maxFrameBytes)) {
        const error = new SwitchboardError(
          "FRAME_TOO_LARGE",
          `Frame is larger than ${options.maxFrameBytes} bytes`,
        );
        transport.send(encodeError(error.toBody()));
        transport.close(CLOSE_CODES.FRAME_TOO_LARGE, "Frame too large");
        return;
      }
      session.message(message.data);
    };
    socket.onclose = (event) => onClosed(session, event.code);
    socket.onerror = () => onClosed(session, 1006);
    return response;
  };
}

/** The gate's verdict on the URL's session, as a coded error, or `undefined` when it passes. */
function checkSession(gate: Gate, session: string | undefined): SwitchboardError | undefined {
  if (session === undefined) return undefined;
  try {
    gate.sessionId(session, "query.session");
    return undefined;
  } catch (error) {
    if (error instanceof SwitchboardError) return error;
    throw error;
  }
}

/** Whether `text` is over `max` UTF-8 bytes; encodes only when the cheap bounds can't tell. */
function exceedsBytes(text: string, max: number): boolean {
  if (text.length > max) return true;
  if (text.length * 3 <= max) return false;
  return encoder.encode(text).length > max;
}
