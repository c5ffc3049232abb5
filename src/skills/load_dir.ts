/**
 * @module Loads skills from a directory of SKILL.md files with YAML front matter, the format
 * agent skills use: `<dir>/<skill>/SKILL.md`, searched recursively.
 */
import { join } from "node:path";
import { parse as parseYaml } from "yaml";
import { describeIssue } from "../protocol/validate.ts";
import { type Skill, skillSchema } from "./skill.ts";

const FRONT_MATTER = /^---\r?\n([\s\S]*?)\r?\n---\r?\n?([\s\S]*)$/;

/** Parses one SKILL.md text; `source` names the file in error messages. */
export function parseSkillFile(text: string, source: string): Skill {
  const match = FRONT_MATTER.exec(text);
  if (!match) throw new Error(`Cannot load skill "${source}": no YAML front matter (--- ... ---)`);
  let meta: unknown;
  try {
    meta = parseYaml(match[1]);
  } catch (cause) {
    throw new Error(`Cannot load skill "${source}": invalid YAML front matter`, { cause });
  }
  const body = match[2].trim();
  const candidate = typeof meta === "object" && meta !== null
    ? { ...meta, ...(body === "" ? {} : { instructions: body }) }
    : meta;
  const result = skillSchema.safeParse(candidate);
  if (!result.success) {
    throw new Error(`Cannot load skill "${source}": ${describeIssue(result.error)}`);
  }
  return result.data;
}

/** Reads every SKILL.md below `dir`; fails on the first invalid file or a duplicate name. */
export async function loadSkillsDir(dir: string): Promise<Skill[]> {
  const skills = new Map<string, Skill>();
  for await (const path of walkSkillFiles(dir)) {
    const skill = parseSkillFile(await Deno.readTextFile(path), path);
    if (skills.has(skill.name)) {
      throw new Error(`Cannot load skill "${path}": duplicate name "${skill.name}"`);
    }
    skills.set(skill.name, skill);
  }
  return [...skills.values()];
}

async function* walkSkillFiles(dir: string): AsyncGenerator<string> {
  const entries = [];
  for await (const entry of Deno.readDir(dir)) entries.push(entry);
  entries.sort((a, b) => a.name.localeCompare(b.name));
  for (const entry of entries) {
    const path = join(dir, entry.name);
    if (entry.isDirectory) yield* walkSkillFiles(path);
    else if (entry.isFile && entry.name === "SKILL.md") yield path;
  }
}
