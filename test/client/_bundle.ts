/**
 * @module Builds the client bundle exactly as `deno task build:client` does, once per test
 * process, and measures it.
 */
import { gzipSync } from "node:zlib";

const ROOT = new URL("../../", import.meta.url);

/** Where `deno task build:client` writes the bundle (and where `GET /client.js` reads it). */
const BUNDLE_PATH = new URL("dist/client.js", ROOT);

/** The arguments of `deno task build:client`, minus the output path. */
export const BUILD_ARGS = ["bundle", "--minify", "--platform", "browser", "--format", "esm"];

let building: Promise<string> | undefined;

/** Builds `dist/client.js` (atomically: written aside, then renamed) and returns its path. */
export function buildBundle(): Promise<string> {
  building ??= (async () => {
    await Deno.mkdir(new URL("dist/", ROOT), { recursive: true });
    const aside = new URL(`dist/client.${crypto.randomUUID()}.js`, ROOT);
    const { code, stderr } = await new Deno.Command(Deno.execPath(), {
      args: [...BUILD_ARGS, "-o", aside.pathname, "client/mod.ts"],
      cwd: ROOT,
      stdout: "null",
      stderr: "piped",
    }).output();
    if (code !== 0) throw new Error(`deno bundle failed:\n${new TextDecoder().decode(stderr)}`);
    await Deno.rename(aside, BUNDLE_PATH);
    return BUNDLE_PATH.pathname;
  })();
  return building;
}

/** Size in bytes of `bytes` as is and gzipped at level 9. */
export function sizes(bytes: Uint8Array): { minified: number; gzipped: number } {
  return { minified: bytes.length, gzipped: gzipSync(bytes, { level: 9 }).length };
}
