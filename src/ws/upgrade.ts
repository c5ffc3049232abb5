/**
 * @module The only code that touches Deno's WebSocket: upgrades a request, adapts the socket to
 * the hub's transport and feeds frames to the dispatcher.
 */
import type { Hub } from "../hub/hub.ts";
import {
  CLOSE_CODES,
  describeIssue,
  encodeError,
  encodeFrame,
  PROTOCOL_VERSION,
  SwitchboardError,
  toErrorBody,
} from "../protocol/mod.ts";
import { parseConnectQuery } from "./connect_query.ts";
import { dispatchFrame } from "./dispatch.ts";

/** Options of {@linkcode upgradeWebSocket}. */
export interface UpgradeOptions {
  /** Largest inbound frame in bytes; a larger one closes the connection with 4009. */
  maxFrameBytes: number;
}

const encoder = new TextEncoder();

/** Upgrades `request` to a Switchboard WebSocket; throws a coded error for a bad query. */
export function upgradeWebSocket(request: Request, hub: Hub, options: UpgradeOptions): Response {
  const query = parseConnectQuery(new URL(request.url));
  if (!query.success) {
    throw new SwitchboardError("INVALID_FRAME", describeIssue(query.error, "query"));
  }
  const { session, role, lastSeq, epoch, events } = query.data;
  // Our own heartbeat decides liveness; Deno's idle timeout would race it with other rules.
  const { socket, response } = Deno.upgradeWebSocket(request, { idleTimeout: 0 });
  const connection = hub.connect({
    send: (frame) => socket.send(frame),
    close: (code, reason) => socket.close(code, reason),
    get bufferedAmount() {
      return socket.bufferedAmount;
    },
    get isOpen() {
      return socket.readyState === WebSocket.OPEN;
    },
  }, { role });

  socket.onopen = () => {
    connection.send(encodeFrame("connected", {
      id: connection.id,
      role,
      sessions: session === undefined ? [] : [session],
      heartbeatMs: hub.heartbeatMs,
      maxFrameBytes: options.maxFrameBytes,
      protocol: PROTOCOL_VERSION,
    }));
    if (session === undefined) return;
    hub.subscribe(connection, session, {
      lastSeq,
      epoch,
      events,
      onLive: (result) => connection.send(encodeFrame("subscribed", result, { session })),
    }).catch((error) => connection.send(encodeError(toErrorBody(error), session)));
  };
  socket.onmessage = (message) => {
    if (typeof message.data !== "string") {
      const error = new SwitchboardError("INVALID_FRAME", "Binary frames are not supported");
      connection.send(encodeError(error.toBody()));
      return;
    }
    if (exceedsBytes(message.data, options.maxFrameBytes)) {
      const error = new SwitchboardError(
        "FRAME_TOO_LARGE",
        `Frame is larger than ${options.maxFrameBytes} bytes`,
      );
      connection.send(encodeError(error.toBody()));
      connection.close(CLOSE_CODES.FRAME_TOO_LARGE, "Frame too large");
      return;
    }
    void dispatchFrame(hub, connection, message.data);
  };
  socket.onclose = () => connection.closed();
  socket.onerror = () => connection.closed();
  return response;
}

/** Whether `text` is over `max` UTF-8 bytes; encodes only when the cheap bounds can't tell. */
function exceedsBytes(text: string, max: number): boolean {
  if (text.length > max) return true;
  if (text.length * 3 <= max) return false;
  return encoder.encode(text).length > max;
}
