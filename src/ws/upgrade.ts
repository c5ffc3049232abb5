/**
 * @module The upgrade of `GET /ws`: refuses while draining, checks the origin and the
 * per-address connection cap, reads the connect query, upgrades the request and links the socket
 * to a SocketSession (see socket_link.ts, the only code that touches Deno's WebSocket after the
 * upgrade).
 */
import { bearerToken } from "../auth/verifier.ts";
import type { Hub } from "../hub/hub.ts";
import type { Gate } from "../ingress/gate.ts";
import type { Lifecycle } from "../lifecycle.ts";
import { isLoopbackAddress } from "../net/cidr.ts";
import { describeIssue, SwitchboardError } from "../protocol/mod.ts";
import { parseConnectQuery } from "./connect_query.ts";
import { isOriginAllowed } from "./origin.ts";
import { type SocketOptions, SocketSession } from "./socket_session.ts";
import { type LinkOptions, SocketLink } from "./socket_link.ts";

/** Options of {@linkcode createWebSocketEndpoint}. */
export interface WebSocketEndpointOptions extends SocketOptions {
  /** Browser origins allowed besides the server's own and, when unset, loopback ones. */
  allowedOrigins?: readonly string[];
  /** Open sockets allowed per client address. */
  maxConnectionsPerIp: number;
  /** The server's phase and open sockets: draining refuses upgrades and frames. */
  lifecycle: Lifecycle;
}

/** Creates the `GET /ws` handler: `(request, clientAddress) => Response`. Throws coded errors. */
export function createWebSocketEndpoint(
  hub: Hub,
  options: WebSocketEndpointOptions,
): (request: Request, clientAddress: string) => Response {
  const { lifecycle } = options;
  const links: LinkOptions = {
    maxFrameBytes: options.maxFrameBytes,
    counts: new Map(),
    lifecycle,
    counters: hub.counters,
  };
  return function upgradeWebSocket(request, clientAddress) {
    if (lifecycle.draining) {
      throw new SwitchboardError("SHUTTING_DOWN", "The server is shutting down");
    }
    if (!isOriginAllowed(request.headers.get("origin"), request.url, options.allowedOrigins)) {
      throw new SwitchboardError("FORBIDDEN", "Origin not allowed");
    }
    const open = links.counts.get(clientAddress) ?? 0;
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
    const link = new SocketLink(socket, clientAddress, links);
    // The URL's session joins like a subscribe frame, so the gate checks it the same way.
    const invalid = query.success
      ? checkSession(options.gate, query.data.session)
      : new SwitchboardError("INVALID_FRAME", describeIssue(query.error, "query"));
    if (invalid !== undefined || !query.success) {
      link.refusal = invalid;
      return response;
    }
    if (query.data.batch === "1") link.batchFrames();
    const token = headerToken ?? query.data.token;
    link.session = new SocketSession(hub, { transport: link, query: query.data, token }, options);
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
