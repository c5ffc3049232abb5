/**
 * @module The plain checks that accept a well-formed frame without the schema must agree with the
 * schema on every value: what they accept, the schema accepts, and the ids they read are the ids
 * the schema reads.
 */
import { strict as assert } from "node:assert";
import fc from "fast-check";
import {
  inboundFrameSchema,
  isWellFormedFrame,
  requestIdOf,
  requestIdSchema,
} from "../../src/protocol/envelope.ts";
import { exceedsDepth } from "../../src/limits/payload_depth.ts";

/** Values a JSON frame's field may hold, with the edges of the id rules well represented. */
const fieldValue = fc.oneof(
  fc.jsonValue(),
  fc.constantFrom(
    0,
    -0,
    1.5,
    Number.MAX_SAFE_INTEGER,
    Number.MAX_SAFE_INTEGER + 1,
    -Number.MAX_SAFE_INTEGER - 1,
    "",
    "x".repeat(64),
    "x".repeat(65),
  ),
);

Deno.test("requestIdOf reads the same id as the schema", () => {
  fc.assert(
    fc.property(fieldValue, (value) => {
      assert.deepEqual(requestIdOf(value), requestIdSchema.safeParse(value).data);
    }),
    { numRuns: 2000 },
  );
});

Deno.test("a frame the plain check accepts, the schema accepts", () => {
  const frame = fc.record(
    { event: fieldValue, id: fieldValue, session: fieldValue, payload: fieldValue },
    { requiredKeys: [] },
  );
  fc.assert(
    fc.property(frame, (raw) => {
      if (isWellFormedFrame(raw)) assert.ok(inboundFrameSchema.safeParse(raw).success);
    }),
    { numRuns: 2000 },
  );
  assert.ok(isWellFormedFrame({ event: "custom:x", id: 7, payload: {} }));
  assert.ok(!isWellFormedFrame({ event: 7 }));
  assert.ok(!isWellFormedFrame({ event: "custom:x", id: 1.5 }));
});

/** The depth as the definition says: a flat object or array is 1, a scalar 0. */
function depthOf(value: unknown): number {
  if (typeof value !== "object" || value === null) return 0;
  const children = Array.isArray(value) ? value : Object.values(value);
  return 1 + Math.max(0, ...children.map(depthOf));
}

Deno.test("exceedsDepth agrees with the depth of any JSON value", () => {
  fc.assert(
    fc.property(fc.jsonValue({ maxDepth: 8 }), fc.integer({ min: 0, max: 9 }), (value, max) => {
      assert.equal(exceedsDepth(value, max), depthOf(value) > max);
    }),
    { numRuns: 2000 },
  );
});
