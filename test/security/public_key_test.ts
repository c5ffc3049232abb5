/**
 * @module Tokens signed with a private key are verified with a PEM public key from a file.
 */
import assert from "node:assert/strict";
import { sign } from "hono/jwt";
import { api, startTestServer } from "../_helpers.ts";

function pem(label: string, der: ArrayBuffer): string {
  const base64 = btoa(String.fromCharCode(...new Uint8Array(der)));
  return `-----BEGIN ${label}-----\n${
    base64.match(/.{1,64}/g)!.join("\n")
  }\n-----END ${label}-----\n`;
}

Deno.test("an ES256 public key file verifies tokens signed with its private key", async () => {
  const keys = await crypto.subtle.generateKey({ name: "ECDSA", namedCurve: "P-256" }, true, [
    "sign",
    "verify",
  ]);
  const publicPem = pem("PUBLIC KEY", await crypto.subtle.exportKey("spki", keys.publicKey));
  const privatePem = pem("PRIVATE KEY", await crypto.subtle.exportKey("pkcs8", keys.privateKey));
  const dir = await Deno.makeTempDir();
  await Deno.writeTextFile(`${dir}/public.pem`, publicPem);
  const server = await startTestServer({
    jwtPublicKeyFile: `${dir}/public.pem`,
    jwtAlgorithm: "ES256",
  });
  try {
    const claims = { sub: "ci", role: "admin", exp: Math.floor(Date.now() / 1000) + 60 };
    const good = await sign(claims, privatePem, "ES256");
    const ok = await api(server, "GET", "/api/sessions", undefined, {
      authorization: `Bearer ${good}`,
    });
    assert.equal(ok.status, 200);
    // A token with the HS256 algorithm is refused even if its "secret" is the public key text.
    const confused = await sign(claims, publicPem, "HS256");
    const refused = await api(server, "GET", "/api/sessions", undefined, {
      authorization: `Bearer ${confused}`,
    });
    assert.equal(refused.status, 401);
  } finally {
    await server.close();
    await Deno.remove(dir, { recursive: true });
  }
});
