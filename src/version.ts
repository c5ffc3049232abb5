/**
 * @module The server's version, from deno.json.
 */
import manifest from "../deno.json" with { type: "json" };

/** The Switchboard version. */
export const VERSION: string = manifest.version;
