/**
 * @module The event maps that type `on()` and `emit()`: what the server sends, what the client
 * may emit and what each emit's ack resolves with, and the client's reserved events.
 */
import type { SwitchboardError } from "./errors.ts";
import type {
  CatalogEventName,
  Command,
  CommandEvent,
  CommandFailure,
  CommandResult,
  ConnectedPayload,
  CustomEventName,
  ErrorBody,
  EventPayloads,
  JsonObject,
  PresenceDiff,
  SeedEventName,
  SeedEventPayloads,
  SubscribeResult,
} from "./protocol.ts";

/** What every handler receives after the payload: the frame's event and, if any, session. */
export interface EventMeta {
  /** Event name. */
  event: string;
  /** The session the frame belongs to. */
  session?: string;
  /** Position in the session's stream (session events only). */
  seq?: number;
  /** Server time, milliseconds since the epoch. */
  ts?: number;
}

/** The metadata of a session event: always has a session, a seq and a timestamp. */
export interface SessionMeta extends EventMeta {
  /** The session the event belongs to. */
  session: string;
  /** Position in the session's stream: from 1, one more per event. */
  seq: number;
  /** Server time of the append, milliseconds since the epoch. */
  ts: number;
}

/** A handler of a server event. */
export type Handler<P, M extends EventMeta = EventMeta> = (payload: P, meta: M) => void;

/** Handlers of session events: everything in a session's stream, each with a seq. */
export type SessionEvents =
  & { [K in CatalogEventName]: Handler<EventPayloads[K], SessionMeta> }
  & { [K in CustomEventName]: Handler<JsonObject, SessionMeta> }
  & {
    /** A command the session accepted, as orchestrators receive it. */
    command: Handler<CommandEvent, SessionMeta>;
  };

/** Handlers of every event the server sends to the client's listeners. */
export type ServerEvents = SessionEvents & {
  /** The first frame of each connection. */
  connected: Handler<ConnectedPayload>;
  /** A session (re)subscription finished: replay done, live from here. */
  subscribed: Handler<SubscribeResult, EventMeta & { session: string }>;
  /** The answer to a command this client sent. */
  "command:result": Handler<CommandResult | CommandFailure>;
  /**
   * Who joined and left one of this client's sessions since the last such frame, at most one
   * frame per session per interval; the `subscribed` result holds the membership it changes.
   */
  presence: Handler<PresenceDiff, EventMeta & { session: string }>;
  /** A session was deleted; the client stops tracking it. */
  "session:deleted": Handler<JsonObject, EventMeta & { session: string }>;
  /** A frame without an ack id failed. */
  error: Handler<ErrorBody>;
  /** The token expires soon; a client whose `auth` option is a function renews it by itself. */
  "auth:expiring": Handler<{ expiresAt: number }>;
};

/** Why a connection ended. */
export type DisconnectReason =
  /** `disconnect()` was called. */
  | "io client disconnect"
  /** The server closed with a final code (4000–4099): no reconnection. */
  | "io server disconnect"
  /** No frame arrived for twice the heartbeat interval plus slack. */
  | "ping timeout"
  /** The connection closed or failed in any other way; the client reconnects. */
  | "transport close";

/** Events the client emits itself; emitting one of these names throws a `TypeError`. */
export interface ReservedEvents {
  /** Connected, and every session (re)subscribed: events flow live from here. */
  connect: () => void;
  /** The connection ended; `code` is the WebSocket close code when there was one. */
  disconnect: (reason: DisconnectReason, code?: number) => void;
  /** A connection attempt failed. */
  connect_error: (error: SwitchboardError) => void;
  /** Reconnection attempt number `attempt` (from 1) is starting. */
  reconnect_attempt: (attempt: number) => void;
  /** Reconnected after `attempt` attempts. */
  reconnect: (attempt: number) => void;
  /** `reconnectionAttempts` were used up; the client stays disconnected. */
  reconnect_failed: () => void;
}

/** Everything `on()` accepts. */
export type ListenEvents = ServerEvents & ReservedEvents;

/** The result a publish's ack resolves with. */
export interface PublishResult {
  /** Seq the event was stored at. */
  seq: number;
}

/**
 * What the client may emit, as `[payload, ack result]`. Events with a seed spelling accept it
 * too; listeners always receive the canonical payload.
 */
export type EmitEvents =
  & { command: [Command, CommandResult] }
  & {
    [K in CatalogEventName]: [
      K extends SeedEventName ? EventPayloads[K] | SeedEventPayloads[K] : EventPayloads[K],
      PublishResult,
    ];
  }
  & { [K in CustomEventName]: [JsonObject, PublishResult] };

/** An ack callback: `error` is `null` on success. */
export type Ack<R> = (error: SwitchboardError | null, result?: R) => void;

/** A catch-all listener for every server event (reserved events excluded). */
export type AnyHandler = (event: string, payload: unknown, meta: EventMeta) => void;
