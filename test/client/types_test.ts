/**
 * @module Type-level tests: the client's own copy of the protocol types matches the server's
 * zod-inferred ones in both directions (drift fails to compile), and the event maps turn a
 * wrong event or payload into a compile error.
 */
import assert from "node:assert/strict";
import type * as Client from "../../client/mod.ts";
import { isFinalCloseCode, type Socket } from "../../client/mod.ts";
import type * as Hub from "../../src/hub/mod.ts";
import type * as Server from "../../src/protocol/mod.ts";
import { isFinalCloseCode as serverIsFinal } from "../../src/protocol/mod.ts";

/** `true` when `A` and `B` are assignable to each other. */
type Same<A, B> = [A] extends [B] ? ([B] extends [A] ? true : false) : false;

/** Per event name: `true` where both sides agree; names on one side only are `false`. */
type PerEvent<S, C> = {
  [K in keyof S | keyof C]: K extends keyof S & keyof C ? Same<S[K], C[K]> : false;
};

/** Compiles only when every property of `T` is `true`; the error names the one that is not. */
function agree<T extends Record<string, true>>(_: T): void {}

/** Compiles only for `true`. */
function holds<T extends true>(): void {}

// A failure here means client/protocol.ts fell out of step with src/protocol: update the copy.
agree<PerEvent<Server.EventPayloads, Client.EventPayloads>>({} as PerEvent<
  Server.EventPayloads,
  Client.EventPayloads
>);
holds<Same<Server.EventPayloads, Client.EventPayloads>>();
holds<Same<Server.SeedEventPayloads, Client.SeedEventPayloads>>();
holds<Same<Server.Command, Client.Command>>();
holds<Same<Server.CommandType, Client.CommandType>>();
holds<Same<Server.CommandResult, Client.CommandResult>>();
holds<Same<Server.ExecutionState, Client.ExecutionState>>();
holds<Same<Server.ErrorCode, Client.ServerErrorCode>>();
holds<Same<Server.ErrorBody, Client.ErrorBody>>();
holds<Same<Server.Role, Client.Role>>();
holds<Same<Hub.SubscribeResult, Client.SubscribeResult>>();
holds<Same<Hub.PresenceDiff, Client.PresenceDiff>>();
holds<Same<Hub.PresenceSnapshot, Client.PresenceSnapshot>>();

/** Never called: each marked line must fail to compile, or `deno check` fails here. */
function _wrongPayloadsDoNotCompile(socket: Socket): void {
  // @ts-expect-error: HALT's reason is a string
  socket.emit("command", { type: "HALT", reason: 5 });
  // @ts-expect-error: there is no PAUSE command
  socket.emit("command", { type: "PAUSE" });
  // @ts-expect-error: DECISION needs decisionId and choice
  socket.emit("command", { type: "DECISION", choice: "a" });
  // @ts-expect-error: skill:started needs a skill
  socket.emit("skill:started", { parameters: {} });
  // @ts-expect-error: the seeds' skill_name is a string too
  socket.emit("skill:started", { skill_name: 5 });
  // @ts-expect-error: seed 004's agent:thought carries its content in data
  socket.emit("agent:thought", { type: "thought", workflowId: "w" });
  // @ts-expect-error: not an event of the protocol
  socket.emit("skill:begun", {});
  // @ts-expect-error: reserved events cannot be emitted
  socket.emit("connect", {});
  // @ts-expect-error: skill:progress's percent is a number
  socket.on("skill:progress", (payload: { skill: string; percent: string }) => payload);
  // @ts-expect-error: not an event the server sends
  socket.on("skill:begun", () => {});
  socket.on("skill:started", (_payload, meta) => {
    // @ts-expect-error: a session event's seq is a number
    const seq: string = meta.seq;
    return seq;
  });
  socket.emit("command", { type: "ROLLBACK", steps: 2 }, (_error, result) => {
    // @ts-expect-error: a command's ack resolves with a CommandResult, whose state is a union
    const state: number = result!.state;
    return state;
  });
}

/** Never called: these must compile. */
function _rightPayloadsCompile(socket: Socket): void {
  socket.emit("command", { type: "HALT", reason: "pause" });
  socket.emit("custom:metrics", { cpu: 0.5 });
  socket.emit("skill:started", { skill_name: "lint", parameters: { strict: true } });
  socket.emit("agent:thought", { type: "thought", workflowId: "w", data: { content: "Hm" } });
  socket.on("skill:started", (payload) => payload.skill.length);
  socket.emit("skill:progress", { skill: "lint", percent: 50, extra: "kept" });
  socket.on("custom:metrics", (payload, meta) => [payload.cpu, meta.seq + 1]);
  socket.on("command", (command) => command.type === "HALT");
  socket.on("command:result", (result) => result.success ? result.state : result.error.code);
  socket.on("disconnect", (reason, code) => [reason.length, code]);
  const halted: Promise<Client.CommandResult> = socket.emitWithAck("command", { type: "RESUME" });
  const published: Promise<Client.PublishResult> = socket.emitWithAck("file:created", {
    path: "a.ts",
  });
  void [halted, published];
}

Deno.test("client protocol types: close codes are judged final exactly as the server says", () => {
  for (let code = 1000; code < 5000; code++) {
    assert.equal(isFinalCloseCode(code), serverIsFinal(code), `close code ${code}`);
  }
  void [_wrongPayloadsDoNotCompile, _rightPayloadsCompile];
});
