/**
 * @module The wire protocol: envelope, event catalogue, commands, filters, errors and close
 * codes. Pure and browser-safe.
 */
export * from "./envelope.ts";
export * from "./events.ts";
export * from "./aliases.ts";
export * from "./commands.ts";
export * from "./requests.ts";
export * from "./filter.ts";
export * from "./errors.ts";
export * from "./close_codes.ts";
export * from "./encode.ts";
export * from "./validate.ts";
export * from "./parse.ts";
