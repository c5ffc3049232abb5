/**
 * @module Routes one inbound text frame to the hub and answers it: exactly one ack for a frame
 * with an id, an `error` frame for a failing frame without one. Never throws.
 */
import type { Connection } from "../hub/connection.ts";
import type { Hub } from "../hub/hub.ts";
import {
  encodeAck,
  encodeError,
  encodeFrame,
  encodeNack,
  type ErrorBody,
  heartbeatPayloadSchema,
  type InboundFrame,
  inboundFrameSchema,
  isJsonObject,
  parseCommand,
  parseEvent,
  parseJson,
  parseOrThrow,
  type RequestId,
  requestIdSchema,
  subscribePayloadSchema,
  SwitchboardError,
  toErrorBody,
} from "../protocol/mod.ts";

/** A handler's answer: fields for the ack, or `NO_ACK` when it replied in another way. */
type Reply = Record<string, unknown> | typeof NO_ACK;
const NO_ACK = Symbol("no ack");

/** Handles one text frame from `connection`. */
export async function dispatchFrame(hub: Hub, connection: Connection, text: string): Promise<void> {
  connection.framesIn++;
  let id: RequestId | undefined;
  let session: string | undefined;
  try {
    const raw = parseJson(text);
    if (!isJsonObject(raw)) {
      throw new SwitchboardError("INVALID_FRAME", "A frame must be a JSON object");
    }
    // Pick the id out first, so even a frame that fails validation gets its ack.
    id = requestIdSchema.safeParse(raw.id).data;
    const frame = parseOrThrow(inboundFrameSchema, raw, { code: "INVALID_FRAME" });
    session = frame.session;
    const reply = await route(hub, connection, frame);
    if (id !== undefined && reply !== NO_ACK) connection.send(encodeAck(id, reply));
  } catch (error) {
    const body = toErrorBody(error);
    if (body.code === "INTERNAL") console.error("Unexpected error handling a frame:", error);
    connection.send(id === undefined ? encodeError(body, session) : encodeNack(id, body));
  }
}

function route(hub: Hub, connection: Connection, frame: InboundFrame): Promise<Reply> | Reply {
  switch (frame.event) {
    case "ping": {
      const { t } = parseOrThrow(heartbeatPayloadSchema, frame.payload, {
        code: "INVALID_PAYLOAD",
        prefix: "payload",
      });
      connection.send(encodeFrame("pong", { t }, frame.id === undefined ? {} : { id: frame.id }));
      return NO_ACK;
    }
    case "pong": {
      const { t } = parseOrThrow(heartbeatPayloadSchema, frame.payload, {
        code: "INVALID_PAYLOAD",
        prefix: "payload",
      });
      hub.pong(connection, t);
      return NO_ACK;
    }
    case "subscribe":
      return subscribe(hub, connection, frame);
    case "unsubscribe":
      hub.unsubscribe(connection, requireSession(frame));
      return {};
    case "command":
      return command(hub, connection, frame);
    default:
      return publish(hub, connection, frame);
  }
}

async function subscribe(hub: Hub, connection: Connection, frame: InboundFrame): Promise<Reply> {
  const session = requireSession(frame);
  const options = parseOrThrow(subscribePayloadSchema, frame.payload, {
    code: "INVALID_PAYLOAD",
    prefix: "payload",
  });
  const id = frame.id;
  await hub.subscribe(connection, session, {
    ...options,
    // The answer must precede live events, so it is sent at the switch, not after an await.
    onLive: (result) =>
      connection.send(
        id === undefined
          ? encodeFrame("subscribed", result, { session })
          : encodeAck(id, { ...result }),
      ),
  });
  return NO_ACK;
}

async function command(hub: Hub, connection: Connection, frame: InboundFrame): Promise<Reply> {
  const type = isJsonObject(frame.payload) ? frame.payload.type : undefined;
  let session = frame.session;
  try {
    session = resolveSession(connection, frame);
    const result = await hub.command(connection, session, parseCommand(frame.payload));
    connection.send(encodeFrame("command:result", result, { session }));
    return { ...result };
  } catch (error) {
    const failure = {
      success: false,
      command: type,
      error: toErrorBody(error) satisfies ErrorBody,
    };
    connection.send(encodeFrame("command:result", failure, { session }));
    throw error;
  }
}

async function publish(hub: Hub, connection: Connection, frame: InboundFrame): Promise<Reply> {
  const event = parseEvent(frame.event, frame.payload);
  const [seq] = await hub.publish(connection, resolveSession(connection, frame), [event]);
  return { seq };
}

function requireSession(frame: InboundFrame): string {
  if (frame.session !== undefined) return frame.session;
  throw new SwitchboardError("SESSION_REQUIRED", `"${frame.event}" needs a "session"`);
}

/** The frame's session, or the connection's only one when the frame names none. */
function resolveSession(connection: Connection, frame: InboundFrame): string {
  if (frame.session !== undefined) return frame.session;
  if (connection.subscriptions.size === 1) return connection.subscriptions.keys().next().value!;
  throw new SwitchboardError(
    "SESSION_REQUIRED",
    `"${frame.event}" needs a "session": this connection holds ${connection.subscriptions.size} sessions`,
  );
}
