/**
 * @module Drives a SocketSession in-process, the way Hono tests its adapters: a real Hub, gate
 * and rate limiter over a MemoryStore, a fake transport instead of a network socket.
 */
import { developmentPrincipal, type Principal } from "../../src/auth/identity.ts";
import type { TokenVerifier } from "../../src/auth/verifier.ts";
import { resolveConfig } from "../../src/config/mod.ts";
import { Hub } from "../../src/hub/hub.ts";
import { Gate } from "../../src/ingress/gate.ts";
import { RateLimiter } from "../../src/limits/rate_limiter.ts";
import { SwitchboardError } from "../../src/protocol/errors.ts";
import { MemoryStore } from "../../src/store/memory.ts";
import type { ConnectQuery } from "../../src/ws/connect_query.ts";
import { SocketSession } from "../../src/ws/socket_session.ts";
import type { Frame } from "../_helpers.ts";
import { FakeTransport } from "../hub/_fake_transport.ts";

/** A socket session under test and what it talks to. */
export interface Harness {
  hub: Hub;
  socket: SocketSession;
  transport: FakeTransport;
  /** Sends a frame as the client would. */
  send(frame: Record<string, unknown>): void;
  /** Resolves with the first frame sent to the client that matches. */
  next(match: (frame: Frame) => boolean): Promise<Frame>;
  /** Closes the socket and the hub. */
  close(): void;
}

/** Options of {@linkcode openSocket}. */
export interface HarnessOptions {
  query?: Partial<ConnectQuery>;
  token?: string;
  verifier?: TokenVerifier;
  clock?: () => number;
  config?: Parameters<typeof resolveConfig>[0];
}

/** Opens a SocketSession over a fake transport. */
export function openSocket(options: HarnessOptions = {}): Harness {
  const config = resolveConfig({ heartbeatMs: 0, ...options.config });
  const hub = new Hub({ store: new MemoryStore(), heartbeatMs: 0 });
  const transport = new FakeTransport();
  const socket = new SocketSession(
    hub,
    { transport, query: { ...options.query }, token: options.token },
    {
      ...config,
      gate: new Gate(hub, config),
      rateLimiter: new RateLimiter(config),
      verifier: options.verifier,
      clock: options.clock,
    },
  );
  socket.open();
  return {
    hub,
    socket,
    transport,
    send: (frame) => socket.message(JSON.stringify(frame)),
    async next(match) {
      for (let i = 0; i < 2000; i++) {
        const found = transport.frames.find(match);
        if (found) return found;
        await new Promise((resolve) => setTimeout(resolve, 1));
      }
      throw new Error(`No matching frame; got ${transport.sent.join("\n")}`);
    },
    close() {
      socket.closed();
      hub.close();
    },
  };
}

/** A verifier that takes `delayMs`, accepts the token "good" and grants `principal`. */
export function slowVerifier(
  delayMs: number,
  principal: Partial<Principal> = {},
): TokenVerifier {
  return async (token) => {
    await new Promise((resolve) => setTimeout(resolve, delayMs));
    if (token !== "good") throw new SwitchboardError("UNAUTHORIZED", "Bad token");
    return { ...developmentPrincipal("orchestrator"), subject: "tester", ...principal };
  };
}
