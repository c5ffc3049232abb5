/**
 * @module `/api/skills`: search, read and register skills.
 */
import { Hono } from "hono";
import { z } from "zod";
import { isJsonObject, parseOrThrow, SwitchboardError } from "../protocol/mod.ts";
import type { SkillRegistry } from "../skills/registry.ts";
import { skillNameSchema, skillSchema } from "../skills/skill.ts";
import type { ApiEnv } from "./_auth.ts";
import { readJson } from "./_respond.ts";

/** Query of `GET /api/skills`. */
export const skillQuerySchema = z.object({
  category: z.string().optional(),
  tag: z.string().optional(),
  q: z.string().optional(),
});

/** Routes for the skill registry. */
export function skillRoutes(registry: SkillRegistry): Hono<ApiEnv> {
  return new Hono<ApiEnv>()
    .get("/", (c) => {
      const query = parseOrThrow(skillQuerySchema, c.req.query(), {
        code: "INVALID_PAYLOAD",
        prefix: "query",
      });
      return c.json({ success: true, skills: registry.list(query) });
    })
    .get("/:name", (c) => {
      const skill = registry.get(c.req.param("name"));
      if (!skill) {
        throw new SwitchboardError("SKILL_NOT_FOUND", `No skill "${c.req.param("name")}"`);
      }
      return c.json({ success: true, skill });
    })
    .put("/:name", async (c) => {
      const name = parseOrThrow(skillNameSchema, c.req.param("name"), {
        code: "INVALID_PAYLOAD",
        prefix: "name",
      });
      if (c.var.actor.principal.role !== "admin") {
        throw new SwitchboardError("FORBIDDEN", "Only admins may register skills");
      }
      const body = await readJson(c);
      if (isJsonObject(body) && body.name !== undefined && body.name !== name) {
        throw new SwitchboardError(
          "INVALID_PAYLOAD",
          `Body name "${body.name}" does not match "${name}"`,
        );
      }
      const skill = parseOrThrow(skillSchema, isJsonObject(body) ? { ...body, name } : body, {
        code: "INVALID_PAYLOAD",
        prefix: "body",
      });
      const created = await registry.register(skill);
      return c.json({ success: true, skill }, created ? 201 : 200);
    });
}
