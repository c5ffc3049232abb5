/**
 * @module Verifies bearer tokens with hono's JWT helpers (no hand-written crypto) and turns
 * their claims into a principal.
 */
import { verify } from "hono/jwt";
import type { Principal } from "./identity.ts";
import { SwitchboardError } from "../protocol/errors.ts";
import { describeIssue } from "../protocol/validate.ts";
import { claimsSchema, principalFromClaims } from "./principal.ts";

/** The signature algorithms Switchboard accepts. */
export type JwtAlgorithm = "HS256" | "RS256" | "ES256";

/** Options of {@linkcode createVerifier}. */
export interface VerifierOptions {
  /** HS256 shared secret, or a PEM public key for RS256/ES256. */
  key: string;
  /** The algorithm tokens must be signed with. @default "HS256" */
  algorithm?: JwtAlgorithm;
}

/** Checks a token and resolves its principal; rejects with `UNAUTHORIZED`. */
export type TokenVerifier = (token: string) => Promise<Principal>;

/** Creates a verifier for one key and algorithm. */
export function createVerifier(options: VerifierOptions): TokenVerifier {
  const algorithm = options.algorithm ?? "HS256";
  if (options.key === "") throw new TypeError("The JWT key must not be empty");
  return async function verifyToken(token: string): Promise<Principal> {
    let payload: unknown;
    try {
      payload = await verify(token, options.key, { alg: algorithm });
    } catch (cause) {
      const expired = (cause as Error).name === "JwtTokenExpired";
      throw new SwitchboardError("UNAUTHORIZED", expired ? "Token expired" : "Invalid token", {
        cause,
      });
    }
    const claims = claimsSchema.safeParse(payload);
    if (!claims.success) {
      throw new SwitchboardError(
        "UNAUTHORIZED",
        `Invalid token claims: ${describeIssue(claims.error)}`,
      );
    }
    return principalFromClaims(claims.data);
  };
}

/** Reads the token from an `Authorization: Bearer <token>` header value. */
export function bearerToken(header: string | null | undefined): string | undefined {
  const match = /^Bearer\s+(\S+)\s*$/i.exec(header ?? "");
  return match?.[1];
}
