/**
 * @module Tests of `SkillRegistry`: lookups, list filters and registration with persistence.
 */
import assert from "node:assert/strict";
import { type Skill, SkillRegistry } from "../../src/mod.ts";

const SKILLS: Skill[] = [
  { name: "test-runner", description: "Runs the TEST suite", category: "quality", tags: ["ci"] },
  { name: "lint", description: "Runs the linter", category: "quality", tags: ["ci", "fast"] },
  { name: "deploy", description: "Ships to production", category: "ops" },
];

const names = (skills: Skill[]) => skills.map((s) => s.name);

Deno.test("SkillRegistry holds skills by name", () => {
  const registry = new SkillRegistry(SKILLS);
  assert.equal(registry.size, 3);
  assert.ok(registry.has("lint"));
  assert.ok(!registry.has("Lint"));
  assert.equal(registry.get("deploy")?.category, "ops");
  assert.equal(registry.get("nope"), undefined);
  assert.equal(registry.put({ name: "lint", description: "Replaced" }), false, "replaced");
  assert.equal(registry.put({ name: "new", description: "New" }), true, "added");
  assert.equal(registry.get("lint")?.description, "Replaced");
  assert.equal(registry.size, 4);
});

Deno.test("SkillRegistry.list() filters by category, tag and text, sorted by name", async (t) => {
  const registry = new SkillRegistry(SKILLS);
  const cases: [string, Parameters<SkillRegistry["list"]>[0], string[]][] = [
    ["no filter", {}, ["deploy", "lint", "test-runner"]],
    ["no argument", undefined, ["deploy", "lint", "test-runner"]],
    ["category", { category: "quality" }, ["lint", "test-runner"]],
    ["category is exact", { category: "Quality" }, []],
    ["tag", { tag: "fast" }, ["lint"]],
    ["tag: skills without tags are left out", { tag: "ci" }, ["lint", "test-runner"]],
    ["q in the name", { q: "dep" }, ["deploy"]],
    ["q in the description, any case", { q: "runs the" }, ["lint", "test-runner"]],
    ["q upper case", { q: "PRODUCTION" }, ["deploy"]],
    ["every filter must match", { category: "quality", tag: "ci", q: "linter" }, ["lint"]],
    ["no match", { category: "ops", tag: "ci" }, []],
  ];
  for (const [name, query, expected] of cases) {
    await t.step(name, () => assert.deepEqual(names(registry.list(query)), expected));
  }
});

Deno.test("SkillRegistry.register() persists before adding", async (t) => {
  await t.step("a persisted skill is added; the answer says whether it was new", async () => {
    const persisted: string[] = [];
    const registry = new SkillRegistry([], {
      persist: (skill) => {
        persisted.push(skill.name);
        return Promise.resolve();
      },
    });
    assert.equal(await registry.register({ name: "a", description: "A" }), true);
    assert.equal(await registry.register({ name: "a", description: "A2" }), false);
    assert.deepEqual(persisted, ["a", "a"]);
    assert.equal(registry.get("a")?.description, "A2");
  });

  await t.step("a failed persist leaves the registry unchanged", async () => {
    const registry = new SkillRegistry([{ name: "a", description: "A" }], {
      persist: () => Promise.reject(new Error("disk full")),
    });
    await assert.rejects(registry.register({ name: "b", description: "B" }), /disk full/);
    await assert.rejects(registry.register({ name: "a", description: "A2" }), /disk full/);
    assert.ok(!registry.has("b"));
    assert.equal(registry.get("a")?.description, "A");
  });

  await t.step("skills given to the constructor are not persisted again", async () => {
    let calls = 0;
    const registry = new SkillRegistry(SKILLS, {
      persist: () => {
        calls++;
        return Promise.resolve();
      },
    });
    assert.equal(calls, 0);
    await registry.register({ name: "x", description: "X" });
    assert.equal(calls, 1);
  });
});
