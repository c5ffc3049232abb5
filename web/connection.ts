/**
 * @module The page's one live connection, made with the project's own client: it reconnects
 * and resumes every followed session by itself. This wrapper only tracks what the header shows:
 * the connection's state, whether the last resume was complete, and the round trip.
 */
import { io, type Socket } from "../client/mod.ts";
import { Observable } from "./observable.ts";

/** What the connection is doing. */
export type LinkState = "connecting" | "live" | "reconnecting" | "refused";

/** Options of {@linkcode Connection}. */
export interface ConnectionOptions {
  /** The token to present; none in development mode. */
  token?: string;
  /** Called when the server refuses the token (close code 4001). */
  onRefused: () => void;
  /** Milliseconds between latency probes. @default 5000 */
  pingMs?: number;
}

/** The live connection and its state. */
export class Connection extends Observable {
  /** The client socket, shared by every view. */
  readonly socket: Socket;
  /** What the connection is doing now. */
  state: LinkState = "connecting";
  /** Whether the last (re)connection resumed every session without loss. */
  recovered = true;
  /** The last measured round trip, in ms. */
  latency: number | undefined;
  /** Reconnections since the page opened. */
  reconnects = 0;
  readonly #timer: number;

  /** Connects; the token, if any, goes in the first frame (never in the URL). */
  constructor(options: ConnectionOptions) {
    super();
    const { token } = options;
    this.socket = io(location.origin, {
      auth: token ? () => ({ token }) : undefined,
      reconnectionDelay: 250,
      reconnectionDelayMax: 3000,
    });
    this.socket.on("connect", () => {
      this.state = "live";
      this.recovered = this.socket.recovered;
      this.#probe();
      this.changed();
    });
    this.socket.on("disconnect", (reason) => {
      if (reason !== "io client disconnect") this.state = "reconnecting";
      this.changed();
    });
    this.socket.on("connect_error", (error) => {
      // 4001: the token was refused. A function `auth` would retry; the page asks instead.
      if (/\b4001\b/.test(error.message)) {
        this.state = "refused";
        this.socket.disconnect();
        options.onRefused();
      } else this.state = "reconnecting";
      this.changed();
    });
    this.socket.on("reconnect", () => {
      this.reconnects++;
      this.changed();
    });
    this.#timer = setInterval(() => this.#probe(), options.pingMs ?? 5000);
  }

  /** Closes the connection for good. */
  close(): void {
    clearInterval(this.#timer);
    this.socket.disconnect();
  }

  #probe(): void {
    if (!this.socket.connected) return;
    this.socket.ping().then((ms) => {
      this.latency = ms;
      this.changed();
    }, () => {});
  }
}
