/**
 * @module Fast-check arbitraries for hostile client frames: random text, random JSON, raw JSON
 * that JSON.stringify cannot write, and envelopes aimed at each handler with mutated fields.
 */
import fc from "fast-check";
import { COMMAND_TYPES, EVENT_SCHEMAS } from "../../src/protocol/mod.ts";

/** Sessions the fuzzers share, so their operations meet. */
export const FUZZ_SESSIONS = ["fz-0", "fz-1", "fz-2", "fz-3"] as const;

/** A generated frame before the sender gives it a fresh id. */
export type Blueprint =
  /** Sent as is. */
  | { kind: "text"; text: string }
  /** JSON-encoded with a fresh valid id, no id, or a bad one. */
  | { kind: "frame"; frame: Record<string, unknown>; id: "fresh" | "none" | { bad: unknown } }
  /** Raw JSON text whose `$ID` becomes a fresh id: for what JSON.stringify cannot write. */
  | { kind: "raw"; template: string };

/** Renders a blueprint, taking a fresh id from `freshId` where it asks for one. */
export function render(blueprint: Blueprint, freshId: () => string | number): string {
  switch (blueprint.kind) {
    case "text":
      return blueprint.text;
    case "raw":
      return blueprint.template.replaceAll("$ID", () => JSON.stringify(freshId()));
    case "frame": {
      const { id } = blueprint;
      if (id === "none") return JSON.stringify(blueprint.frame);
      return JSON.stringify({ ...blueprint.frame, id: id === "fresh" ? freshId() : id.bad });
    }
  }
}

const CLIENT_EVENTS = "subscribe unsubscribe command ping pong auth auth:refresh".split(" ");
/** Names only the server sends; a client publishing one must get UNKNOWN_EVENT. */
const SERVER_EVENTS = ("ack error connected subscribed command:result presence " +
  "presence:joined session:deleted auth:expiring").split(" ");

/** Arrays and objects alternating, `depth` levels deep. */
function nest(depth: number): unknown {
  let value: unknown = 1;
  for (let i = 0; i < depth; i++) value = i % 2 === 0 ? [value] : { k: value };
  return value;
}

const number = fc.oneof(
  fc.integer(),
  fc.integer({ min: -3, max: 300 }),
  fc.double(), // NaN and ±Infinity become null in JSON
  fc.constantFrom(Number.MAX_SAFE_INTEGER, 2 ** 53 + 2, -1, -0, 1e300, -1e300, 0.5, 5e-324),
);
const longText = fc.oneof(
  { weight: 20, arbitrary: fc.integer({ min: 60, max: 3_000 }) },
  { weight: 1, arbitrary: fc.integer({ min: 3_000, max: 40_000 }) },
).map((n) => "x".repeat(n));
const text = fc.oneof(
  { weight: 6, arbitrary: fc.string({ maxLength: 12 }) },
  { weight: 2, arbitrary: fc.string({ unit: "binary", maxLength: 24 }) },
  { weight: 1, arbitrary: longText },
);
const json = fc.jsonValue({ maxDepth: 3 });
const deep = fc.integer({ min: 1, max: 60 }).map(nest);
const value = fc.oneof(
  { weight: 4, arbitrary: fc.oneof(number, text, fc.boolean(), fc.constant(null)) },
  { weight: 2, arbitrary: json },
  { weight: 1, arbitrary: deep },
);
/** A plausible field value most of the time, a shallow value of any type otherwise. */
const field = fc.oneof(
  { weight: 6, arbitrary: fc.string({ minLength: 1, maxLength: 8 }) },
  { weight: 1, arbitrary: fc.oneof(number, text, fc.boolean(), fc.constant(null), json) },
);

const eventName = fc.oneof(
  { weight: 5, arbitrary: fc.constantFrom(...CLIENT_EVENTS) },
  { weight: 4, arbitrary: fc.constantFrom(...Object.keys(EVENT_SCHEMAS)) },
  { weight: 2, arbitrary: fc.string({ maxLength: 8 }).map((s) => `custom:${s}`) },
  { weight: 2, arbitrary: fc.constantFrom(...SERVER_EVENTS) },
  { weight: 1, arbitrary: text },
  { weight: 1, arbitrary: value },
);
const session = fc.oneof(
  { weight: 12, arbitrary: fc.constantFrom(...FUZZ_SESSIONS) },
  { weight: 1, arbitrary: fc.stringMatching(/^fzr-[a-z0-9]{1,4}$/) },
  { weight: 1, arbitrary: text },
  { weight: 1, arbitrary: value },
);

const anyKeys = { requiredKeys: [] as never[] };
const subscribePayload = fc.record({
  lastSeq: fc.oneof(fc.nat(50), number, value),
  epoch: fc.oneof(text, value),
  events: fc.oneof(
    fc.array(fc.oneof(fc.constantFrom("*", "custom:*", "command", "skill:*"), text), {
      maxLength: 70,
    }),
    value,
  ),
}, anyKeys);
const commandPayload = fc.record({
  type: fc.oneof({ weight: 8, arbitrary: fc.constantFrom(...COMMAND_TYPES) }, {
    weight: 1,
    arbitrary: value,
  }),
  reason: field,
  steps: fc.oneof(fc.integer({ min: 1, max: 3 }), number, value),
  checkpointId: field,
  instruction: field,
  target: field,
  decisionId: fc.oneof(fc.constantFrom("d1", "d2"), field),
  choice: fc.oneof(fc.constantFrom("a", "b"), field),
  skill: field,
  parameters: fc.oneof(fc.dictionary(fc.string({ maxLength: 6 }), json, { maxKeys: 3 }), value),
  idempotencyKey: fc.oneof(fc.constantFrom("k1", "k2"), field, longText),
}, anyKeys);
/** Every field some catalogued event names, usually of a fitting type. */
const eventPayload = fc.record({
  skill: field,
  path: field,
  agentId: field,
  decisionId: fc.oneof(fc.constantFrom("d1", "d2"), field),
  question: field,
  options: fc.oneof(
    { weight: 4, arbitrary: fc.constant(["a", "b"]) },
    { weight: 1, arbitrary: fc.array(field, { maxLength: 120 }) },
    { weight: 1, arbitrary: value },
  ),
  choice: field,
  name: field,
  passed: fc.oneof({ weight: 3, arbitrary: fc.boolean() }, { weight: 1, arbitrary: value }),
  percent: fc.oneof({ weight: 3, arbitrary: fc.integer({ min: 0, max: 100 }) }, {
    weight: 1,
    arbitrary: fc.oneof(number, value),
  }),
  content: field,
  text: field,
  error: field,
  result: value,
  checkpointId: fc.oneof(fc.constantFrom("c1", "c2"), field),
  commandId: field,
}, { requiredKeys: ["skill", "path", "agentId", "decisionId", "question", "options", "name"] });

/** Frames aimed at one handler each, with a payload of the kind it expects. */
const aimed = fc.oneof(
  fc.record({ event: fc.constant("subscribe"), session, payload: subscribePayload }, {
    requiredKeys: ["event"],
  }),
  fc.record({ event: fc.constant("unsubscribe"), session }, { requiredKeys: ["event"] }),
  fc.record({ event: fc.constant("command"), session, payload: commandPayload }, {
    requiredKeys: ["event", "payload"],
  }),
  fc.record({
    event: fc.oneof(
      fc.constantFrom(...Object.keys(EVENT_SCHEMAS)),
      fc.string({ maxLength: 8 }).map((s) => `custom:${s}`),
    ),
    session,
    payload: fc.oneof({ weight: 4, arbitrary: eventPayload }, { weight: 1, arbitrary: value }),
  }, { requiredKeys: ["event"] }),
  fc.record({
    event: fc.constantFrom("ping", "pong"),
    payload: fc.record({ t: fc.oneof(number, value) }, anyKeys),
  }, { requiredKeys: ["event"] }),
  fc.record({
    event: fc.constantFrom("auth", "auth:refresh"),
    payload: fc.record({ token: fc.oneof(field, longText) }, anyKeys),
  }, { requiredKeys: ["event"] }),
  fc.record({ event: fc.constantFrom(...SERVER_EVENTS), session, payload: value }, {
    requiredKeys: ["event"],
  }),
);
/** Anything in any field. */
const chaos = fc.record({
  event: eventName,
  session,
  payload: fc.oneof(subscribePayload, commandPayload, eventPayload, value),
  seq: number,
  extra: value,
}, { requiredKeys: ["event"] });
/** One field in four: replaced by a value of any type, or deleted. */
const mutation = fc.oneof(
  { weight: 3, arbitrary: fc.constant(undefined) },
  {
    weight: 1,
    arbitrary: fc.tuple(
      fc.constantFrom("event", "session", "payload"),
      fc.option(value, { nil: undefined }),
    ),
  },
);

const badId = fc.oneof(
  fc.constantFrom("", 2 ** 53, -(2 ** 53), 1.5, true, null, [], {}),
  fc.string({ minLength: 65, maxLength: 80 }),
  fc.double({ noInteger: true }),
  json.filter((v) => typeof v === "object"),
);

const envelope = fc.record({
  frame: fc.tuple(
    fc.oneof({ weight: 5, arbitrary: aimed }, { weight: 1, arbitrary: chaos }),
    mutation,
  )
    .map(([frame, change]) => {
      if (change === undefined) return frame;
      const [key, replacement] = change;
      const { [key]: _dropped, ...rest } = frame as Record<string, unknown>;
      return replacement === undefined ? rest : { ...rest, [key]: replacement };
    }),
  id: fc.oneof(
    { weight: 8, arbitrary: fc.constant("fresh" as const) },
    { weight: 2, arbitrary: fc.constant("none" as const) },
    { weight: 1, arbitrary: badId.map((bad) => ({ bad })) },
  ),
}).map((b): Blueprint => ({ kind: "frame", ...b }));

/** Valid frame text with one character deleted, replaced or inserted. */
const mutatedText = fc.tuple(
  envelope,
  fc.nat(),
  fc.nat(2),
  fc.string({ minLength: 1, maxLength: 1 }),
)
  .map(([blueprint, at, how, char]): Blueprint => {
    const source = render(blueprint, () => "m");
    const i = at % (source.length + 1);
    const cut = how === 0 ? 1 : how === 1 ? 1 : 0;
    return {
      kind: "text",
      text: source.slice(0, i) + (how === 0 ? "" : char) + source.slice(i + cut),
    };
  });

const RAW_TEMPLATES = [
  '{"event":"ping","id":$ID,"payload":{"t":1e400}}',
  '{"event":"ping","id":$ID,"payload":{"t":NaN}}',
  '{"event":"subscribe","session":"fz-1","id":$ID,"payload":{"lastSeq":-1e400}}',
  '{"event":"subscribe","session":"fz-2","id":$ID,"payload":{"lastSeq":9007199254740993}}',
  '{"event":"command","session":"fz-1","id":$ID,"payload":{"type":"ROLLBACK","steps":1e308}}',
  '{"event":"custom:p","session":"fz-3","id":$ID,"payload":{"__proto__":{"polluted":true}}}',
  '{"event":"custom:p","session":"fz-3","id":$ID,"payload":{"constructor":{"prototype":{"polluted":true}}}}',
  '{"__proto__":{"event":"ping","payload":{"t":1}},"id":$ID}',
  '{"event":"ping","event":"subscribe","id":$ID,"payload":{"t":1}}',
  '{"event":"ping","id":$ID,"payload":{"t":1},"payload":null}',
  '{"event":"custom:\\ud800","session":"fz-0","id":$ID,"payload":{"s":"\\udfff"}}',
  '{"event":"\\u0000","id":$ID}',
  '\uFEFF{"event":"ping","id":$ID,"payload":{"t":1}}',
  ' \n{"event":"ping","id":$ID,"payload":{"t":2}}\t ',
  '{"event":"ping","id":$ID,"payload":{"t":1}}garbage',
  '{"event":"ping","id":$ID,"id":{"x":1},"payload":{"t":1}}',
];

const raw = fc.oneof(
  fc.constantFrom(...RAW_TEMPLATES),
  fc.integer({ min: 20, max: 20_000 }).map((depth) =>
    `{"event":"custom:deep","session":"fz-1","id":$ID,"payload":${"[".repeat(depth)}${
      "]".repeat(depth)
    }}`
  ),
).map((template): Blueprint => ({ kind: "raw", template }));

/** One hostile frame. */
export const blueprintArbitrary: fc.Arbitrary<Blueprint> = fc.oneof(
  { weight: 14, arbitrary: envelope },
  { weight: 2, arbitrary: mutatedText },
  {
    weight: 1,
    arbitrary: fc.string({ maxLength: 40 }).map((t): Blueprint => ({ kind: "text", text: t })),
  },
  {
    weight: 1,
    arbitrary: fc.json({ maxDepth: 3 }).map((t): Blueprint => ({ kind: "text", text: t })),
  },
  { weight: 2, arbitrary: raw },
);
