/**
 * @module `deno task token`: mints a token for local use, signed with SWITCHBOARD_JWT_SECRET
 * (HS256) or a PEM private key file (RS256/ES256).
 */
import { parseArgs } from "node:util";
import { sign } from "hono/jwt";
import { durationSchema } from "../config/duration.ts";
import { describeIssue } from "../protocol/validate.ts";
import { type Claims, claimsSchema } from "./principal.ts";

const USAGE =
  `Usage: deno task token -- --role ROLE [--session ID]... [--ttl 1h] [--sub NAME] [--scope S]
  --role         orchestrator | dashboard | admin
  --session      a session id or pattern (team-a:*), repeatable
  --ttl          lifetime: 30s, 15m, 1h, 7d (default 1h)
  --sub          subject (default: the role)
  --scope        extra rights, space-separated: commands publish
  --private-key  PEM private key file, with --alg RS256 or ES256 (default: HS256 with
                 SWITCHBOARD_JWT_SECRET)`;

/** Mints a token from command-line arguments; returns the token. */
export async function mintFromArgs(
  args: string[],
  env: Record<string, string | undefined>,
): Promise<string> {
  const { values } = parseArgs({
    args: args[0] === "--" ? args.slice(1) : args,
    options: {
      role: { type: "string" },
      session: { type: "string", multiple: true },
      ttl: { type: "string", default: "1h" },
      sub: { type: "string" },
      scope: { type: "string" },
      "private-key": { type: "string" },
      alg: { type: "string" },
    },
  });
  // A bare number would be milliseconds elsewhere; for a lifetime that is never what is meant.
  const ttl = durationSchema.safeParse(values.ttl);
  if (!ttl.success || !/[a-z]$/.test(values.ttl)) {
    throw new Error(
      `Invalid --ttl "${values.ttl}": use a duration with a unit, such as 30s, 15m, 1h or 7d`,
    );
  }
  const claims = claimsSchema.safeParse({
    sub: values.sub ?? values.role,
    role: values.role,
    sessions: values.session,
    scope: values.scope,
    exp: Math.floor((Date.now() + ttl.data) / 1000),
  });
  if (!claims.success) throw new Error(`${describeIssue(claims.error)}\n\n${USAGE}`);
  const keyFile = values["private-key"];
  const key = keyFile ? await Deno.readTextFile(keyFile) : env.SWITCHBOARD_JWT_SECRET;
  if (!key) throw new Error(`Set SWITCHBOARD_JWT_SECRET or pass --private-key\n\n${USAGE}`);
  const alg = keyFile ? values.alg : "HS256";
  if (alg !== "HS256" && alg !== "RS256" && alg !== "ES256" || (keyFile && alg === "HS256")) {
    throw new Error(`--private-key needs --alg RS256 or --alg ES256\n\n${USAGE}`);
  }
  return await sign(claims.data satisfies Claims, key, alg);
}

if (import.meta.main) {
  try {
    console.log(await mintFromArgs(Deno.args, Deno.env.toObject()));
  } catch (error) {
    console.error((error as Error).message);
    Deno.exit(2);
  }
}
