/**
 * @module Builds the dashboard bundle exactly as `deno task build:web` does, once per test
 * process, and measures it.
 */
const ROOT = new URL("../../", import.meta.url);

/** Where `deno task build:web` writes the bundle (and where `GET /dashboard.js` reads it). */
export const WEB_BUNDLE = new URL("dist/web.js", ROOT);

/** The arguments of `deno task build:web`, minus the output path and entry point. */
export const WEB_BUILD_ARGS = ["bundle", "--minify", "--platform", "browser", "--format", "esm"];

let building: Promise<string> | undefined;

/** Builds `dist/web.js` (written aside, then renamed, so a server never reads half a file). */
export function buildWeb(): Promise<string> {
  building ??= (async () => {
    await Deno.mkdir(new URL("dist/", ROOT), { recursive: true });
    const aside = new URL(`dist/web.${crypto.randomUUID()}.js`, ROOT);
    const { code, stderr } = await new Deno.Command(Deno.execPath(), {
      args: [...WEB_BUILD_ARGS, "-o", aside.pathname, "web/main.ts"],
      cwd: ROOT,
      stdout: "null",
      stderr: "piped",
    }).output();
    if (code !== 0) throw new Error(`deno bundle failed:\n${new TextDecoder().decode(stderr)}`);
    await Deno.rename(aside, WEB_BUNDLE);
    return WEB_BUNDLE.pathname;
  })();
  return building;
}
