/**
 * @module Payload schemas of the control frames a client sends: subscribe, unsubscribe, ping
 * and pong.
 */
import { z } from "zod";
import { eventPatternSchema } from "./filter.ts";

/** `subscribe` payload: resume after `lastSeq`, optionally only matching events. */
export const subscribePayloadSchema = z.object({
  lastSeq: z.number().int().min(0).safe().optional(),
  epoch: z.string().min(1).max(64).optional(),
  events: z.array(eventPatternSchema).max(64).optional(),
}).default({});

/** A validated subscribe request. */
export type SubscribeRequest = z.infer<typeof subscribePayloadSchema>;

/** `ping` and `pong` payloads carry an opaque number the other side echoes. */
export const heartbeatPayloadSchema = z.object({ t: z.number() });
