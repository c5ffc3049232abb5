/**
 * @module Routes one inbound text frame to the hub and answers it: exactly one ack for a frame
 * with an id, an `error` frame for a failing frame without one. Never throws.
 */
import type { Connection } from "../hub/connection.ts";
import type { Hub } from "../hub/hub.ts";
import { exceedsDepth } from "../limits/payload_depth.ts";
import type { ConnectionLimiter } from "../limits/rate_limiter.ts";
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
import { tokenPayloadSchema } from "./auth_frame.ts";

/** Size limits checked on every frame, beyond the protocol's own maxima. */
export interface FrameLimits {
  /** Deepest JSON nesting allowed. */
  maxPayloadDepth: number;
  /** Longest event name. */
  maxEventNameLength: number;
  /** Longest session id. */
  maxSessionIdLength: number;
}

/** Everything a frame needs to be handled. */
export interface DispatchContext {
  hub: Hub;
  connection: Connection;
  limits: FrameLimits;
  limiter: ConnectionLimiter;
  /** Replaces the connection's credentials (`auth` / `auth:refresh`); resolves ack fields. */
  refresh: (token: string) => Promise<Record<string, unknown>>;
  /** Closes the connection for persistent rate-limit abuse. */
  closeForAbuse: () => void;
  /** The session named in the connect URL, which frames may omit even before it is joined. */
  urlSession?: string;
}

/** A handler's answer: fields for the ack, or `NO_ACK` when it replied in another way. */
type Reply = Record<string, unknown> | typeof NO_ACK;
const NO_ACK = Symbol("no ack");

/** Handles one text frame. */
export async function dispatchFrame(context: DispatchContext, text: string): Promise<void> {
  const { connection } = context;
  connection.framesIn++;
  let id: RequestId | undefined;
  let session: string | undefined;
  try {
    // Every frame takes a token, junk included, so junk cannot flood unlimited either.
    if (!context.limiter.allowFrame()) {
      id = idOf(text);
      throw rateLimited(context);
    }
    const raw = parseJson(text);
    if (!isJsonObject(raw)) {
      throw new SwitchboardError("INVALID_FRAME", "A frame must be a JSON object");
    }
    // Pick the id out first, so even a frame that fails validation gets its ack.
    id = requestIdSchema.safeParse(raw.id).data;
    const frame = parseOrThrow(inboundFrameSchema, raw, { code: "INVALID_FRAME" });
    checkLimits(frame, raw, context.limits);
    session = frame.session;
    const reply = await route(context, frame);
    if (id !== undefined && reply !== NO_ACK) connection.send(encodeAck(id, reply));
  } catch (error) {
    const body = toErrorBody(error);
    if (body.code === "INTERNAL") console.error("Unexpected error handling a frame:", error);
    connection.send(id === undefined ? encodeError(body, session) : encodeNack(id, body));
  }
}

/** The request id of a frame, if it has a valid one: a limited frame still gets its ack. */
function idOf(text: string): RequestId | undefined {
  try {
    const raw = JSON.parse(text);
    return isJsonObject(raw) ? requestIdSchema.safeParse(raw.id).data : undefined;
  } catch {
    return undefined;
  }
}

function rateLimited(context: DispatchContext): SwitchboardError {
  if (context.limiter.strike()) queueMicrotask(context.closeForAbuse);
  return new SwitchboardError("RATE_LIMITED", "Too many frames: slow down");
}

function checkLimits(frame: InboundFrame, raw: Record<string, unknown>, limits: FrameLimits): void {
  if (frame.event.length > limits.maxEventNameLength) {
    throw new SwitchboardError(
      "INVALID_FRAME",
      `Event names are at most ${limits.maxEventNameLength} characters`,
    );
  }
  if (frame.session !== undefined && frame.session.length > limits.maxSessionIdLength) {
    throw new SwitchboardError(
      "INVALID_FRAME",
      `Session ids are at most ${limits.maxSessionIdLength} characters`,
    );
  }
  // The frame object itself is depth 1, so its payload may nest one level less than the limit.
  if (exceedsDepth(raw, limits.maxPayloadDepth + 1)) {
    throw new SwitchboardError(
      "INVALID_FRAME",
      `Payload nests deeper than ${limits.maxPayloadDepth} levels`,
    );
  }
}

function route(context: DispatchContext, frame: InboundFrame): Promise<Reply> | Reply {
  const { hub, connection } = context;
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
      // A pong answers the server, but a client that gave it an id still gets its one ack.
      return {};
    }
    case "auth":
    case "auth:refresh": {
      const { token } = parseOrThrow(tokenPayloadSchema, frame.payload, {
        code: "INVALID_PAYLOAD",
        prefix: "payload",
      });
      return context.refresh(token);
    }
    case "subscribe":
      return subscribe(context, frame);
    case "unsubscribe":
      hub.unsubscribe(connection, requireSession(frame));
      return {};
    case "command":
      return command(context, frame);
    default:
      return publish(context, frame);
  }
}

async function subscribe(context: DispatchContext, frame: InboundFrame): Promise<Reply> {
  const { hub, connection } = context;
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

async function command(context: DispatchContext, frame: InboundFrame): Promise<Reply> {
  const { hub, connection } = context;
  const type = isJsonObject(frame.payload) ? frame.payload.type : undefined;
  let session = frame.session;
  try {
    if (!context.limiter.allowCommand()) throw rateLimited(context);
    session = resolveSession(context, frame);
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

async function publish(context: DispatchContext, frame: InboundFrame): Promise<Reply> {
  const event = parseEvent(frame.event, frame.payload);
  const session = resolveSession(context, frame);
  const [seq] = await context.hub.publish(context.connection, session, [event]);
  return { seq };
}

function requireSession(frame: InboundFrame): string {
  if (frame.session !== undefined) return frame.session;
  throw new SwitchboardError("SESSION_REQUIRED", `"${frame.event}" needs a "session"`);
}

/**
 * The frame's session, or the connection's only one when the frame names none. The URL's
 * session counts from the start: its subscription may still be registering when the client,
 * having seen `connected`, sends its first command.
 */
function resolveSession({ connection, urlSession }: DispatchContext, frame: InboundFrame): string {
  if (frame.session !== undefined) return frame.session;
  if (connection.subscriptions.size === 1) return connection.subscriptions.keys().next().value!;
  if (connection.subscriptions.size === 0 && urlSession !== undefined) return urlSession;
  throw new SwitchboardError(
    "SESSION_REQUIRED",
    `"${frame.event}" needs a "session": this connection holds ${connection.subscriptions.size} sessions`,
  );
}
