/**
 * @module Maps one inbound WebSocket text frame to the gate and answers it: exactly one ack for a
 * frame with an id, an `error` frame for a failing frame without one. The returned promise
 * resolves once the frame has taken effect in order (queued in its session), before its answer,
 * so the socket's serial queue can admit the next frame while this one is being stored. Never
 * rejects.
 */
import { errorFields, log } from "../observe/log.ts";
import type { Connection } from "../hub/connection.ts";
import type { Hub } from "../hub/hub.ts";
import type { Caller, Gate } from "../ingress/gate.ts";
import type { SessionId } from "../ingress/inbound_limits.ts";
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
  isWellFormedFrame,
  parseJson,
  parseOrThrow,
  type RequestId,
  requestIdOf,
  SwitchboardError,
  toErrorBody,
} from "../protocol/mod.ts";
import { tokenPayloadSchema } from "./auth_frame.ts";

/** Everything a frame needs to be handled. */
export interface FrameContext {
  hub: Hub;
  gate: Gate;
  connection: Connection;
  caller: Caller;
  /** Replaces the connection's credentials (`auth` / `auth:refresh`); resolves ack fields. */
  refresh: (token: string) => Promise<Record<string, unknown>>;
}

/** A frame's answer: ack fields, or `NO_ACK` when it answered in another way. */
type Reply = Record<string, unknown> | typeof NO_ACK;
const NO_ACK = Symbol("no ack");

/** An answer that comes once the admitted frame is done (stored, applied). */
class Later {
  constructor(readonly reply: Promise<Reply>) {}
}

/** Handles one text frame; resolves when the next frame may be admitted. */
export async function dispatchFrame(context: FrameContext, text: string): Promise<void> {
  const { connection } = context;
  let id: RequestId | undefined;
  let session: string | undefined;
  const fail = (error: unknown) => {
    const body = toErrorBody(error);
    logRefusal(connection, body.code, error);
    connection.send(id === undefined ? encodeError(body, session) : encodeNack(id, body));
  };
  try {
    // Every frame takes a token, junk included, so junk cannot flood unlimited either.
    try {
      context.gate.admitFrame(context.caller);
    } catch (error) {
      id = idOf(text);
      throw error;
    }
    const raw = parseJson(text);
    if (!isJsonObject(raw)) {
      throw new SwitchboardError("INVALID_FRAME", "A frame must be a JSON object");
    }
    // Pick the id out first, so even a frame that fails validation gets its ack.
    id = requestIdOf(raw.id);
    // The schema only for a frame that fails: it names the field, a good frame needs no copy.
    const frame = isWellFormedFrame(raw)
      ? raw
      : parseOrThrow(inboundFrameSchema, raw, { code: "INVALID_FRAME" });
    if (typeof frame.session === "string") session = frame.session;
    const reply = await route(context, frame);
    // The frame has taken its place; its answer may come later without holding the queue.
    if (reply instanceof Later) {
      reply.reply.then((fields) => answer(connection, id, fields), fail);
    } else answer(connection, id, reply);
  } catch (error) {
    fail(error);
  }
}

/** A refused frame is a debug line (a fuzzer must not flood the log); a bug is an error. */
function logRefusal(connection: Connection, code: string, error: unknown): void {
  if (code === "INTERNAL") log.error("frame failed", { id: connection.id, ...errorFields(error) });
  else log.debug("frame refused", { id: connection.id, role: connection.role, code });
}

function answer(connection: Connection, id: RequestId | undefined, reply: Reply): void {
  if (id !== undefined && reply !== NO_ACK) connection.send(encodeAck(id, reply));
}

/** The request id of a frame, if it has a valid one: a limited frame still gets its ack. */
function idOf(text: string): RequestId | undefined {
  try {
    const raw = JSON.parse(text);
    return isJsonObject(raw) ? requestIdOf(raw.id) : undefined;
  } catch {
    return undefined;
  }
}

/** Routes a frame; resolves once it is admitted, with its reply or a promise of it. */
async function route(context: FrameContext, frame: InboundFrame): Promise<Reply | Later> {
  const { hub, gate, connection } = context;
  switch (frame.event) {
    case "ping": {
      const { t } = heartbeat(frame);
      connection.send(encodeFrame("pong", { t }, frame.id === undefined ? {} : { id: frame.id }));
      return NO_ACK;
    }
    case "pong":
      hub.pong(connection, heartbeat(frame).t);
      // A pong answers the server, but a client that gave it an id still gets its one ack.
      return {};
    case "auth":
    case "auth:refresh": {
      const { token } = parseOrThrow(tokenPayloadSchema, frame.payload, {
        code: "INVALID_PAYLOAD",
        prefix: "payload",
      });
      return await context.refresh(token);
    }
    case "subscribe":
      return await subscribe(context, frame);
    case "unsubscribe":
      gate.unsubscribe(connection, requireSession(context, frame));
      return {};
    case "command":
      return new Later(command(context, frame));
    default: {
      const { result } = await gate.publish(
        context.caller,
        () => resolveSession(context, frame),
        [frame],
      );
      return new Later(result.then(([seq]) => ({ seq })));
    }
  }
}

function heartbeat(frame: InboundFrame): { t: number } {
  return parseOrThrow(heartbeatPayloadSchema, frame.payload, {
    code: "INVALID_PAYLOAD",
    prefix: "payload",
  });
}

async function subscribe(context: FrameContext, frame: InboundFrame): Promise<Reply> {
  const { gate, connection } = context;
  const session = requireSession(context, frame);
  const id = frame.id;
  const { result } = await gate.subscribe(connection, session, frame.payload, (subscribed) =>
    // The answer must precede live events, so it is sent at the switch, not after an await.
    connection.send(
      id === undefined
        ? encodeFrame("subscribed", subscribed, { session })
        : encodeAck(id, { ...subscribed }),
    ));
  // A replay that fails after the subscription was admitted still gets its one answer.
  result.catch((error) => {
    const body = toErrorBody(error);
    connection.send(id === undefined ? encodeError(body, session) : encodeNack(id, body));
  });
  return NO_ACK;
}

/** A command's outcome goes out twice: as `command:result` to the sender, and as its ack. */
function command(context: FrameContext, frame: InboundFrame): Promise<Reply> {
  const { connection } = context;
  // Echo the type only when it is one: a hostile payload must not be re-encoded.
  const given = isJsonObject(frame.payload) ? frame.payload.type : undefined;
  const type = typeof given === "string" ? given.slice(0, 64) : undefined;
  let session = typeof frame.session === "string" ? frame.session : undefined;
  const report = (error: unknown): never => {
    const failure = {
      success: false,
      command: type,
      error: toErrorBody(error) satisfies ErrorBody,
    };
    connection.send(encodeFrame("command:result", failure, { session }));
    throw error;
  };
  try {
    const checked = resolveSession(context, frame);
    session = checked;
    const { result } = context.gate.command(context.caller, checked, frame.payload);
    return result.then((done) => {
      connection.send(encodeFrame("command:result", done, { session }));
      return { ...done };
    }, report);
  } catch (error) {
    return Promise.reject(error).catch(report);
  }
}

function requireSession(context: FrameContext, frame: InboundFrame): SessionId {
  if (frame.session !== undefined) return context.gate.sessionId(frame.session);
  throw new SwitchboardError("SESSION_REQUIRED", `"${frame.event}" needs a "session"`);
}

/** The frame's session, or the connection's only one when the frame names none. */
function resolveSession(context: FrameContext, frame: InboundFrame): SessionId {
  if (frame.session !== undefined) return context.gate.sessionId(frame.session);
  const { subscriptions } = context.connection;
  if (subscriptions.size === 1) return subscriptions.keys().next().value! as SessionId;
  throw new SwitchboardError(
    "SESSION_REQUIRED",
    `"${frame.event}" needs a "session": this connection holds ${subscriptions.size} sessions`,
  );
}
