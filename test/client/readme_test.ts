/**
 * @module The README's Node example, run as written (only its server URL and bundle path
 * pointed at the test's), so the documented client code cannot rot.
 */
import assert from "node:assert/strict";
import { chromium } from "playwright-core";
import type { RunningServer } from "../../src/mod.ts";
import { startTestServer } from "../_helpers.ts";
import { buildBundle } from "./_bundle.ts";
import { BROWSER_TEST, CHROMIUM, nodeWebSocketFlags, waitFor } from "./_helpers.ts";

const ROOT = new URL("../../", import.meta.url);

/** The first ```<language> block in README.md that contains `marker`. */
async function example(language: string, marker: string): Promise<string> {
  const text = await Deno.readTextFile(new URL("README.md", ROOT));
  for (const [, code] of text.matchAll(new RegExp("```" + language + "\\n([\\s\\S]*?)```", "g"))) {
    if (code.includes(marker)) return code;
  }
  throw new Error(`No ${language} client example in README.md`);
}

/** Creates session_abc with a running execution and a skill:started (seq 2). */
async function startRun(server: RunningServer): Promise<void> {
  const response = await fetch(`${server.url}/api/sessions/session_abc/events`, {
    method: "POST",
    headers: { "content-type": "application/json" },
    body: JSON.stringify([
      { event: "execution:started", payload: {} },
      { event: "skill:started", payload: { skill: "lint" } },
    ]),
  });
  assert.equal(response.status, 201);
}

Deno.test("README: the Node example connects, sees events and halts the run", async () => {
  const bundle = await buildBundle();
  const server = await startTestServer();
  const dir = await Deno.makeTempDir();
  try {
    await startRun(server);
    const script = (await example("js", 'from "./dist/client.js"'))
      .replace("http://localhost:8000", server.url)
      .replaceAll("./dist/client.js", new URL(`file://${bundle}`).href);
    await Deno.writeTextFile(`${dir}/example.mjs`, script);
    const flags = await nodeWebSocketFlags();
    const { code, stdout, stderr } = await new Deno.Command("node", {
      args: [...flags, `${dir}/example.mjs`],
      stdout: "piped",
      stderr: "piped",
    }).output();
    const out = new TextDecoder().decode(stdout);
    assert.equal(code, 0, new TextDecoder().decode(stderr));
    assert.match(out, /2 lint/, "the replayed skill:started, as (event, meta)");
    assert.match(out, /halted/, "the HALT's result");
  } finally {
    await Deno.remove(dir, { recursive: true });
    await server.close();
  }
});

Deno.test({
  name: "README: the page example shows events and halts the run on click",
  ...BROWSER_TEST,
}, async () => {
  await buildBundle();
  const server = await startTestServer();
  const browser = await chromium.launch(CHROMIUM);
  try {
    await startRun(server);
    const page = await browser.newPage();
    const logged: string[] = [];
    page.on("console", (message) => logged.push(message.text()));
    await page.goto(`${server.url}/health`); // the server's origin, where /client.js lives
    await page.setContent(await example("html", 'from "/client.js"'));
    await waitFor(() => logged.some((line) => line.startsWith("Live")), "the page to connect");
    await page.click("#halt");
    await waitFor(() => logged.includes("Now halted"), "the HALT's command:result");
    assert.ok(logged.includes("#2 lint"), logged.join("\n"));
  } finally {
    await browser.close();
    await server.close();
  }
});
