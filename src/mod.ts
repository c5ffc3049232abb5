/**
 * @module Switchboard's public API for embedding: start a server, or assemble the pieces.
 *
 * @example
 * ```ts
 * import { startServer } from "./src/mod.ts";
 * const server = await startServer({ port: 0 });
 * console.log(server.url);
 * await server.close();
 * ```
 */
export { type RunningServer, type StartOptions, startServer } from "./server.ts";
export { type AppOptions, createApp } from "./app.ts";
export { type Config, type ConfigInput, configSchema, resolveConfig } from "./config/mod.ts";
export * from "./hub/mod.ts";
export * from "./protocol/mod.ts";
export { MemoryStore, type MemoryStoreOptions } from "./store/memory.ts";
export type { IdempotencyRecord, NewEvent, SessionRecord, Store } from "./store/store.ts";
export { type SkillQuery, SkillRegistry } from "./skills/registry.ts";
export { type Skill, skillSchema } from "./skills/skill.ts";
export { loadSkillsDir, parseSkillFile } from "./skills/load_dir.ts";
export { VERSION } from "./version.ts";
