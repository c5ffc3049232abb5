/**
 * @module The payload of `ag-ui:event`: one AG-UI event exactly as an agent emitted it, checked
 * against `@ag-ui/core`'s own schemas and stored unchanged, so the AG-UI projection can hand it
 * back out as it came in.
 */
import { EventSchemas } from "@ag-ui/core/schemas";
import { z } from "zod";

/**
 * An AG-UI event (`{type, ...}`), validated with `@ag-ui/core`'s schema; the stored payload is
 * the object as sent, unknown fields included (AG-UI's schemas keep them too).
 */
export const aguiEventSchema = z.looseObject({ type: z.string().min(1) }).superRefine(
  (event, context) => {
    const result = EventSchemas.safeParse(event);
    if (result.success) return;
    for (const issue of result.error.issues.slice(0, 3)) {
      context.addIssue({
        code: "custom",
        path: issue.path.filter((p): p is string | number => typeof p !== "symbol"),
        message: `Not a valid AG-UI ${event.type} event: ${issue.message}`,
      });
    }
  },
);
