/**
 * @module zod → JSON Schema (2020-12, the dialect of OpenAPI 3.1), as requests are read: the
 * input side of transforms and defaults. Shared by the protocol schema and the OpenAPI document.
 */
import { z } from "zod";

/** A JSON Schema object. */
export type JsonSchema = Record<string, unknown>;

/** The JSON Schema of what `schema` accepts, without the `$schema` marker. */
export function toJsonSchema(schema: z.ZodType): JsonSchema {
  const { $schema: _dialect, ...rest } = z.toJSONSchema(schema, {
    io: "input",
    // Refinements and transforms have no JSON Schema form: document the shape, not the rule.
    unrepresentable: "any",
  });
  return rest;
}
