/**
 * @module Tests that the settings table is the one source: the README table and `--help` follow
 * from it, and every setting is read from its flag and its variable.
 */
import assert from "node:assert/strict";
import { parseCli, USAGE } from "../../src/config/cli.ts";
import { resolveConfig, SETTINGS } from "../../src/config/mod.ts";
import { renderSettingsTable, TABLE_END, TABLE_START } from "../../src/config/readme_table.ts";

/** Table rows as trimmed cells, so `deno fmt`'s column padding does not matter. */
function rows(markdown: string): string[][] {
  return markdown.split("\n").filter((line) => line.startsWith("|") && !/^\|\s*-/.test(line))
    .map((line) => line.split(/(?<!\\)\|/).slice(1, -1).map((cell) => cell.trim()));
}

Deno.test("README's configuration table is the one the settings table renders", async () => {
  const readme = await Deno.readTextFile(new URL("../../README.md", import.meta.url));
  const start = readme.indexOf(TABLE_START);
  const end = readme.indexOf(TABLE_END);
  assert.ok(start >= 0 && end > start, "README.md has the generated-table markers");
  assert.deepEqual(
    rows(readme.slice(start, end)),
    rows(renderSettingsTable()),
    "run `deno task docs:config` after changing src/config/settings.ts",
  );
});

Deno.test("every setting has its flag in --help and is read from its flag and variable", () => {
  for (const [key, setting] of Object.entries(SETTINGS)) {
    assert.ok(USAGE.includes(setting.env), `--help names ${setting.env}`);
    if (setting.kind === "boolean") continue;
    const raw = setting.kind === "number" ? "42" : "x,y";
    const fromEnv = parseCli([], { [setting.env]: raw });
    assert.ok(!fromEnv.help && key in fromEnv.input, `${setting.env} sets ${key}`);
    if (setting.flag === null) continue;
    assert.ok(USAGE.includes(`--${setting.flag}`), `--help names --${setting.flag}`);
    const fromFlag = parseCli([`--${setting.flag}`, raw], {});
    assert.ok(!fromFlag.help && key in fromFlag.input, `--${setting.flag} sets ${key}`);
  }
});

Deno.test("every setting has a default unless it is optional by nature", () => {
  const config = resolveConfig();
  const optional = new Set(["skillsDir", "jwtSecret", "jwtPublicKeyFile", "jwtAlgorithm"]);
  for (const key of Object.keys(SETTINGS)) {
    if (optional.has(key) || key === "allowedOrigins") continue;
    assert.notEqual(config[key as keyof typeof config], undefined, `${key} has a default`);
  }
});
