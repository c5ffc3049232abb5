/**
 * @module The hub: sessions, subscriptions, commands and heartbeats, independent of any runtime.
 */
export { Hub, type HubOptions, type SubscribeOptions } from "./hub.ts";
export { Connection } from "./connection.ts";
export type { Transport } from "./transport.ts";
export { type Actor, developmentPrincipal, type Principal } from "../auth/identity.ts";
export type { SubscribeResult } from "./session.ts";
export type { Member, PresenceDiff, PresenceSnapshot } from "./presence.ts";
export type { SessionInfo, SessionSummary } from "./describe.ts";
export type { HubStats } from "./stats.ts";
export type { Checkpoint, OpenDecision } from "./execution.ts";
