/**
 * @module Tests of `/api/skills`: listing with filters, reading one skill and registering skills.
 */
import assert from "node:assert/strict";
import type { Skill } from "../../src/mod.ts";
import { call, createTestApp, errorOf } from "./_app.ts";

const SKILLS: Skill[] = [
  { name: "lint", description: "Runs the linter", category: "quality", tags: ["ci", "fast"] },
  { name: "test-runner", description: "Runs the TEST suite", category: "quality", tags: ["ci"] },
  { name: "deploy", description: "Ships it", category: "ops", tags: ["slow"], version: "2" },
];

const names = (skills: Skill[]) => skills.map((s) => s.name);

Deno.test("GET /api/skills lists skills sorted by name, filtered by query", async (t) => {
  const { app, close } = createTestApp({ skills: SKILLS });
  try {
    const cases: [string, string[]][] = [
      ["", ["deploy", "lint", "test-runner"]],
      ["?category=quality", ["lint", "test-runner"]],
      ["?category=none", []],
      ["?tag=ci", ["lint", "test-runner"]],
      ["?tag=slow", ["deploy"]],
      ["?q=RUNS", ["lint", "test-runner"]],
      ["?q=test", ["test-runner"]],
      ["?q=ships", ["deploy"]],
      ["?category=quality&tag=fast", ["lint"]],
      ["?category=ops&q=lint", []],
    ];
    for (const [query, expected] of cases) {
      await t.step(`GET /api/skills${query}`, async () => {
        const res = await call(app, "GET", `/api/skills${query}`);
        assert.equal(res.status, 200);
        assert.equal(res.body.success, true);
        assert.deepEqual(names(res.body.skills), expected);
      });
    }
  } finally {
    close();
  }
});

Deno.test("GET /api/skills/:name returns one skill or 404 SKILL_NOT_FOUND", async () => {
  const { app, close } = createTestApp({ skills: SKILLS });
  try {
    const res = await call(app, "GET", "/api/skills/deploy");
    assert.equal(res.status, 200);
    assert.deepEqual(res.body, { success: true, skill: SKILLS[2] });
    const missing = await call(app, "GET", "/api/skills/nope");
    assert.equal(missing.status, 404);
    const error = errorOf(missing);
    assert.equal(error.code, "SKILL_NOT_FOUND");
    assert.match(error.message, /"nope"/);
  } finally {
    close();
  }
});

Deno.test("PUT /api/skills/:name registers and replaces skills", async (t) => {
  const { app, skills, close } = createTestApp();
  try {
    await t.step("a new skill: 201, named by the path, extra fields kept", async () => {
      const res = await call(app, "PUT", "/api/skills/review", {
        description: "Reviews code",
        tags: ["ci"],
        owner: "team-a",
      });
      assert.equal(res.status, 201);
      assert.deepEqual(res.body.skill, {
        name: "review",
        description: "Reviews code",
        tags: ["ci"],
        owner: "team-a",
      });
      assert.ok(skills.has("review"));
      assert.deepEqual(names((await call(app, "GET", "/api/skills?tag=ci")).body.skills), [
        "review",
      ]);
    });

    await t.step("the same name again: 200 and replaced", async () => {
      const res = await call(app, "PUT", "/api/skills/review", {
        name: "review",
        description: "Reviews code carefully",
      });
      assert.equal(res.status, 200);
      const got = await call(app, "GET", "/api/skills/review");
      assert.equal(got.body.skill.description, "Reviews code carefully");
      assert.equal(got.body.skill.tags, undefined);
      assert.equal(skills.size, 1);
    });

    await t.step("a body name that differs from the path: 422", async () => {
      const res = await call(app, "PUT", "/api/skills/review", { name: "other", description: "d" });
      assert.equal(res.status, 422);
      assert.match(errorOf(res).message, /"other" does not match "review"/);
    });

    await t.step("an invalid name in the path: 422 naming name", async () => {
      const res = await call(app, "PUT", "/api/skills/Bad%20Name", { description: "d" });
      assert.equal(res.status, 422);
      const error = errorOf(res);
      assert.equal(error.code, "INVALID_PAYLOAD");
      assert.match(error.message, /Field "name"/);
    });

    await t.step("invalid bodies: 422 naming the field", async () => {
      const cases: [unknown, RegExp][] = [
        [{}, /Field "body\.description"/],
        [{ description: "" }, /Field "body\.description"/],
        [{ description: "d", tags: "ci" }, /Field "body\.tags"/],
        [{ description: "d", category: 7 }, /Field "body\.category"/],
        [["description"], /body/],
      ];
      for (const [body, field] of cases) {
        const res = await call(app, "PUT", "/api/skills/x", body);
        assert.equal(res.status, 422, JSON.stringify(body));
        assert.match(errorOf(res).message, field);
      }
      assert.equal(errorOf(await call(app, "PUT", "/api/skills/x", "{")).code, "BAD_JSON");
      assert.ok(!skills.has("x"));
    });
  } finally {
    close();
  }
});
