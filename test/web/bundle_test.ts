/**
 * @module The dashboard bundle: `deno task build:web` is the build measured here, within the
 * 60 KB (minified + gzipped) budget, self-contained, and web/deno.json pins the same packages
 * as the root deno.json (the page is type-checked with it).
 */
import assert from "node:assert/strict";
import { sizes } from "../client/_bundle.ts";
import { buildWeb, WEB_BUILD_ARGS } from "./_build.ts";

const ROOT = new URL("../../", import.meta.url);

async function config(path: string) {
  return JSON.parse(await Deno.readTextFile(new URL(path, ROOT)));
}

Deno.test("web bundle: the build:web task is the build the tests measure", async () => {
  const root = await config("deno.json");
  assert.equal(
    root.tasks["build:web"],
    `deno ${WEB_BUILD_ARGS.join(" ")} -o dist/web.js web/main.ts`,
  );
  assert.match(root.tasks.start, /deno task build:web/);
  assert.match(root.tasks.compile, /deno task build:web/);
  assert.match(root.tasks.compile, /--include dist\/web\.js/);
});

Deno.test("web bundle: web/deno.json pins what deno.json pins", async () => {
  const root = (await config("deno.json")).imports;
  const web = (await config("web/deno.json")).imports;
  for (const [name, target] of Object.entries(web)) assert.equal(target, root[name], name);
});

Deno.test("web bundle: at most 60 KB minified and gzipped, self-contained", async () => {
  const bytes = await Deno.readFile(await buildWeb());
  const { minified, gzipped } = sizes(bytes);
  console.log(`dist/web.js: ${minified} bytes minified, ${gzipped} gzipped`);
  assert.ok(gzipped <= 60 * 1024, `${gzipped} bytes gzipped`);
  const text = new TextDecoder().decode(bytes);
  assert.doesNotMatch(text, /\bimport\s*["'{*]/, "no imports left to resolve");
  assert.doesNotMatch(text, /https?:\/\/(?!www\.w3\.org)/, "no remote URL");
});
