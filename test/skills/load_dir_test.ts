/**
 * @module Tests of SKILL.md loading: `parseSkillFile()`, `loadSkillsDir()` over a temporary
 * directory, and a server started with `skillsDir` accepting INJECT for what it loaded.
 */
import assert from "node:assert/strict";
import { join } from "node:path";
import { loadSkillsDir, parseSkillFile } from "../../src/mod.ts";
import { api, startTestServer } from "../_helpers.ts";

const LINT = `---
name: lint
description: Runs the linter
category: quality
tags: [ci, fast]
owner: team-a
---

# Lint

Run \`deno lint\`.
`;

/** Runs `fn` with a fresh temporary directory holding `files` (relative path → text). */
async function withSkillsDir(
  files: Record<string, string>,
  fn: (dir: string) => Promise<void>,
): Promise<void> {
  const dir = await Deno.makeTempDir({ prefix: "switchboard_skills_" });
  try {
    for (const [path, text] of Object.entries(files)) {
      const full = join(dir, path);
      await Deno.mkdir(join(full, ".."), { recursive: true });
      await Deno.writeTextFile(full, text);
    }
    await fn(dir);
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
}

/** Asserts that `fn` throws an Error whose message matches every pattern. */
function assertThrowsMatching(fn: () => unknown, ...patterns: RegExp[]): void {
  assert.throws(fn, (error: unknown) => {
    assert.ok(error instanceof Error);
    for (const pattern of patterns) assert.match(error.message, pattern);
    return true;
  });
}

Deno.test("parseSkillFile() reads front matter and the Markdown body", async (t) => {
  await t.step("fields, extra fields and trimmed instructions", () => {
    assert.deepEqual(parseSkillFile(LINT, "lint/SKILL.md"), {
      name: "lint",
      description: "Runs the linter",
      category: "quality",
      tags: ["ci", "fast"],
      owner: "team-a",
      instructions: "# Lint\n\nRun `deno lint`.",
    });
  });

  await t.step("no body: no instructions", () => {
    const skill = parseSkillFile("---\nname: a\ndescription: d\n---\n", "a");
    assert.deepEqual(skill, { name: "a", description: "d" });
  });

  await t.step("Windows line endings", () => {
    const skill = parseSkillFile("---\r\nname: a\r\ndescription: d\r\n---\r\nBody\r\n", "a");
    assert.equal(skill.name, "a");
    assert.equal(skill.instructions, "Body");
  });
});

Deno.test("parseSkillFile() fails with a message naming the file and the problem", async (t) => {
  await t.step("no front matter", () => {
    assertThrowsMatching(
      () => parseSkillFile("# Just markdown\n", "x/SKILL.md"),
      /"x\/SKILL\.md"/,
      /no YAML front matter/,
    );
  });

  await t.step("invalid YAML", () => {
    assertThrowsMatching(
      () => parseSkillFile("---\nname: [unclosed\n---\n", "bad.md"),
      /"bad\.md"/,
      /invalid YAML front matter/,
    );
  });

  await t.step("front matter that is not a mapping", () => {
    assertThrowsMatching(() => parseSkillFile("---\njust text\n---\n", "s.md"), /"s\.md"/);
  });

  await t.step("a missing or invalid field is named", () => {
    assertThrowsMatching(
      () => parseSkillFile("---\nname: a\n---\n", "s.md"),
      /"s\.md"/,
      /Field "description"/,
    );
    assertThrowsMatching(
      () => parseSkillFile("---\nname: Not Valid\ndescription: d\n---\n", "s.md"),
      /Field "name"/,
    );
    assertThrowsMatching(
      () => parseSkillFile("---\nname: a\ndescription: d\ntags: ci\n---\n", "s.md"),
      /Field "tags"/,
    );
  });
});

Deno.test("loadSkillsDir() loads every SKILL.md below a directory", async (t) => {
  await t.step("nested directories, other files ignored, sorted by path", async () => {
    await withSkillsDir({
      "lint/SKILL.md": LINT,
      "deep/er/deploy/SKILL.md": "---\nname: deploy\ndescription: Ships it\n---\n",
      "lint/README.md": "not a skill",
      "notes/skill.md": "---\nname: lower\ndescription: wrong file name\n---\n",
      "SKILL.md.bak": "---\nname: backup\ndescription: ignored\n---\n",
    }, async (dir) => {
      const skills = await loadSkillsDir(dir);
      assert.deepEqual(skills.map((s) => s.name), ["deploy", "lint"]);
      assert.equal(skills[1].category, "quality");
    });
  });

  await t.step("an empty directory: no skills", async () => {
    await withSkillsDir({}, async (dir) => assert.deepEqual(await loadSkillsDir(dir), []));
  });

  await t.step("an invalid file fails the load, naming its path", async () => {
    await withSkillsDir(
      { "ok/SKILL.md": LINT, "broken/SKILL.md": "no front matter" },
      async (dir) => {
        await assert.rejects(loadSkillsDir(dir), (error: Error) => {
          assert.match(error.message, /broken[\\/]SKILL\.md/);
          return true;
        });
      },
    );
  });

  await t.step("two files with the same name fail the load", async () => {
    await withSkillsDir({ "a/SKILL.md": LINT, "b/SKILL.md": LINT }, async (dir) => {
      await assert.rejects(loadSkillsDir(dir), /duplicate name "lint"/);
    });
  });

  await t.step("a missing directory fails", async () => {
    await withSkillsDir({}, async (dir) => {
      await assert.rejects(loadSkillsDir(join(dir, "missing")), Deno.errors.NotFound);
    });
  });
});

Deno.test("a server started with skillsDir serves its skills and accepts INJECT", async () => {
  await withSkillsDir({ "lint/SKILL.md": LINT }, async (dir) => {
    const server = await startTestServer({ skillsDir: dir });
    try {
      const listed = await api(server, "GET", "/api/skills");
      assert.deepEqual(listed.body.skills.map((s: { name: string }) => s.name), ["lint"]);
      await api(server, "POST", "/api/sessions/s/events", { event: "execution:started" });

      const injected = await api(server, "POST", "/api/sessions/s/commands", {
        type: "INJECT",
        skill: "lint",
        parameters: { fix: true },
      });
      assert.equal(injected.status, 200, JSON.stringify(injected.body));
      assert.equal(injected.body.command, "INJECT");
      assert.equal(injected.body.state, "running");

      const unknown = await api(server, "POST", "/api/sessions/s/commands", {
        type: "INJECT",
        skill: "deploy",
      });
      assert.equal(unknown.status, 404);
      assert.equal(unknown.body.error.code, "SKILL_NOT_FOUND");
    } finally {
      await server.close();
    }
  });
});

Deno.test("a server refuses to start when skillsDir holds an invalid skill", async () => {
  await withSkillsDir({ "bad/SKILL.md": "---\nname: bad\n---\n" }, async (dir) => {
    await assert.rejects(startTestServer({ skillsDir: dir }), /Field "description"/);
  });
});
