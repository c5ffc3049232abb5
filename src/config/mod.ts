/**
 * @module Server configuration: the schema derived from the settings table, with documented
 * defaults. Invalid values fail at start-up with a message naming the setting.
 */
import { z } from "zod";
import { describeIssue } from "../protocol/validate.ts";
import { SETTINGS } from "./settings.ts";

export { durationSchema } from "./duration.ts";
export { SETTINGS } from "./settings.ts";

type Schemas = { [K in keyof typeof SETTINGS]: (typeof SETTINGS)[K]["schema"] };

const fields = Object.fromEntries(
  Object.entries(SETTINGS).map(([key, setting]) => [key, setting.schema]),
) as Schemas;

/** The configuration schema; every field has a default. */
export const configSchema = z.strictObject(fields).refine(
  (c) => !(c.jwtSecret && c.jwtPublicKeyFile),
  {
    message: "Give either a JWT secret or a public key file, not both",
    path: ["jwtPublicKeyFile"],
  },
).refine((c) => c.jwtAlgorithm !== "HS256" || !c.jwtPublicKeyFile, {
  message: "A public key file needs RS256 or ES256",
  path: ["jwtAlgorithm"],
}).refine((c) => c.jwtAlgorithm === undefined || c.jwtAlgorithm === "HS256" || !c.jwtSecret, {
  message: "A shared secret is for HS256; RS256 and ES256 need --jwt-public-key",
  path: ["jwtAlgorithm"],
});

/** Whether `host` names a loopback interface. */
export function isLoopbackHost(host: string): boolean {
  return host === "localhost" || host === "::1" || host === "[::1]" || /^127\./.test(host);
}

/** A complete, valid configuration. */
export type Config = z.infer<typeof configSchema>;

/** Settings as given: any subset, unvalidated. */
export type ConfigInput = z.input<typeof configSchema>;

/** Validates settings and fills in defaults; throws an `Error` naming the bad setting. */
export function resolveConfig(input: ConfigInput = {}): Config {
  const result = configSchema.safeParse(input);
  if (!result.success) throw new Error(`Invalid configuration: ${describeIssue(result.error)}`);
  const config = result.data;
  if (!isAuthenticated(config) && !config.insecure && !isLoopbackHost(config.host)) {
    throw new Error(
      `Refusing to bind "${config.host}" without authentication: set SWITCHBOARD_JWT_SECRET ` +
        "(or --jwt-public-key), or pass --insecure to expose an open hub",
    );
  }
  return config;
}

/** Whether the configuration turns authentication on (a secret or a public key). */
export function isAuthenticated(config: Pick<Config, "jwtSecret" | "jwtPublicKeyFile">): boolean {
  return config.jwtSecret !== undefined || config.jwtPublicKeyFile !== undefined;
}
