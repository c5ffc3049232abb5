/**
 * @module The skill record: what agent skills declare in their SKILL.md front matter.
 */
import { z } from "zod";

/** Skill names: 1–64 characters of lowercase letters, digits, `-`, `_`, `.` and `:`. */
export const skillNameSchema = z.string().regex(
  /^[a-z0-9][a-z0-9._:-]{0,63}$/,
  "Skill names are 1-64 lowercase letters, digits and . _ : -, starting with a letter or digit",
);

/** A skill as registered: named fields are checked, extra front-matter fields are kept. */
export const skillSchema = z.looseObject({
  name: skillNameSchema,
  description: z.string().min(1).max(4096),
  category: z.string().min(1).max(64).optional(),
  tags: z.array(z.string().min(1).max(64)).max(64).optional(),
  version: z.string().max(64).optional(),
  /** The Markdown body of SKILL.md, when loaded from a file. */
  instructions: z.string().optional(),
});

/** A registered skill. */
export type Skill = z.infer<typeof skillSchema>;
