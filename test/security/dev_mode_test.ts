/**
 * @module Development mode and local tokens: no secret means a loud warning and no exposure
 * beyond loopback; `deno task token` mints tokens the server accepts.
 */
import assert from "node:assert/strict";
import { createVerifier } from "../../src/auth/verifier.ts";
import { resolveConfig } from "../../src/config/mod.ts";
import { SECRET } from "./_tokens.ts";

Deno.test("without a secret, only loopback hosts may be bound unless --insecure", () => {
  assert.throws(
    () => resolveConfig({ host: "0.0.0.0" }),
    /Refusing to bind "0\.0\.0\.0" without authentication/,
  );
  assert.equal(resolveConfig({ host: "0.0.0.0", insecure: true }).host, "0.0.0.0");
  assert.equal(resolveConfig({ host: "0.0.0.0", jwtSecret: SECRET }).host, "0.0.0.0");
  assert.equal(resolveConfig({ host: "localhost" }).host, "localhost");
  assert.throws(() => resolveConfig({ jwtSecret: "short" }), /jwtSecret/);
  assert.throws(
    () => resolveConfig({ jwtSecret: SECRET, jwtAlgorithm: "RS256" }),
    /shared secret is for HS256/,
  );
});

Deno.test("deno task token mints a token the server's verifier accepts", async () => {
  const output = await new Deno.Command(Deno.execPath(), {
    args: [
      "task",
      "-q",
      "token",
      "--",
      "--role",
      "dashboard",
      "--session",
      "team-a:*",
      "--ttl",
      "1h",
      "--sub",
      "ana",
    ],
    env: { SWITCHBOARD_JWT_SECRET: SECRET, NO_COLOR: "1" },
    stdout: "piped",
    stderr: "piped",
  }).output();
  assert.equal(output.code, 0, new TextDecoder().decode(output.stderr));
  const token = new TextDecoder().decode(output.stdout).trim();
  const principal = await createVerifier({ key: SECRET })(token);
  assert.equal(principal.subject, "ana");
  assert.equal(principal.role, "dashboard");
  assert.equal(principal.canAccess("team-a:run"), true);
  assert.equal(principal.canAccess("team-b:run"), false);
  const hour = Date.now() + 3_600_000;
  assert.ok(Math.abs((principal.expiresAt ?? 0) - hour) < 5_000);
});

Deno.test("deno task token refuses what would mint a useless token", async (t) => {
  const cases: [string, string[], RegExp][] = [
    ["a bad role", ["--role", "boss"], /role/],
    [
      "a lifetime without a unit (it would be milliseconds)",
      ["--role", "admin", "--ttl", "10"],
      /unit/,
    ],
    [
      "a private key without --alg",
      ["--role", "admin", "--private-key", "deno.json"],
      /--alg RS256/,
    ],
  ];
  for (const [name, args, message] of cases) {
    await t.step(name, async () => {
      const output = await new Deno.Command(Deno.execPath(), {
        args: ["task", "-q", "token", "--", ...args],
        env: { SWITCHBOARD_JWT_SECRET: SECRET, NO_COLOR: "1" },
        stdout: "piped",
        stderr: "piped",
      }).output();
      assert.notEqual(output.code, 0);
      assert.match(new TextDecoder().decode(output.stderr), message);
    });
  }
});
