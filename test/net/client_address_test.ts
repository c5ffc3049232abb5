/**
 * @module Client addresses behind proxies: `Forwarded`/`X-Forwarded-For` believed only from a
 * trusted proxy, only as far back as the chain is trusted; and over real sockets, the address
 * that per-address limits and the logs use.
 */
import assert from "node:assert/strict";
import { inCidr, isLoopbackAddress, parseCidr } from "../../src/net/cidr.ts";
import { clientAddressResolver, forwardedChain } from "../../src/net/client_address.ts";
import { configureLog } from "../../src/observe/log.ts";
import { startTestServer, TestSocket, waitFor } from "../_helpers.ts";
import { RawSocket } from "../security/_abuse.ts";

const headers = (init: Record<string, string>) => new Headers(init);

Deno.test("CIDR ranges match IPv4, IPv6 and IPv4-mapped addresses", () => {
  const ten = parseCidr("10.0.0.0/8");
  assert.deepEqual(
    ["10.1.2.3", "11.0.0.1", "::ffff:10.9.9.9", "fe80::1"].map((a) => inCidr(a, ten)),
    [true, false, true, false],
  );
  assert.ok(inCidr("2001:db8::7", parseCidr("2001:db8::/32")));
  assert.ok(!inCidr("2001:db9::7", parseCidr("2001:db8::/32")));
  assert.ok(inCidr("192.0.2.5", parseCidr("192.0.2.5")), "a bare address is a range of one");
  assert.deepEqual(["127.0.0.1", "127.9.9.9", "::1", "::2"].map(isLoopbackAddress), [
    true,
    true,
    true,
    false,
  ]);
  for (const bad of ["10.0.0.0/33", "nonsense", "1.2.3", "::1/129", "1::2::3"]) {
    assert.throws(() => parseCidr(bad), /Invalid address or CIDR range/, bad);
  }
});

Deno.test("forwardedChain reads Forwarded (quoted, ports, IPv6) before X-Forwarded-For", () => {
  assert.deepEqual(
    forwardedChain(headers({
      forwarded: 'for=192.0.2.60;proto=http, for="[2001:db8:cafe::17]:4711", For=198.51.100.2',
      "x-forwarded-for": "203.0.113.1",
    })),
    ["192.0.2.60", "2001:db8:cafe::17", "198.51.100.2"],
  );
  assert.deepEqual(
    forwardedChain(headers({ "x-forwarded-for": "203.0.113.1:5555, 10.0.0.2" })),
    ["203.0.113.1", "10.0.0.2"],
  );
  assert.deepEqual(
    forwardedChain(headers({ "x-forwarded-for": "203.0.113.1, unknown, 10.0.0.2" })),
    ["10.0.0.2"],
    "nothing before an entry that is not an address can be checked",
  );
});

Deno.test("the resolver believes the headers only from trusted proxies", () => {
  const resolve = clientAddressResolver(["127.0.0.1", "10.0.0.0/8"]);
  const xff = (value: string) => headers({ "x-forwarded-for": value });
  assert.equal(resolve("198.51.100.7", xff("203.0.113.1")), "198.51.100.7", "untrusted peer");
  assert.equal(resolve("127.0.0.1", xff("203.0.113.1")), "203.0.113.1");
  // A client that sends its own header cannot hide behind it: the proxies append, and the
  // first untrusted hop from the right is the client.
  assert.equal(resolve("127.0.0.1", xff("6.6.6.6, 203.0.113.1, 10.1.1.1")), "203.0.113.1");
  assert.equal(resolve("127.0.0.1", xff("10.2.2.2, 10.1.1.1")), "10.2.2.2", "all trusted");
  assert.equal(resolve("127.0.0.1", headers({})), "127.0.0.1", "no header: the proxy itself");
  assert.equal(
    clientAddressResolver([])("127.0.0.1", xff("203.0.113.1")),
    "127.0.0.1",
    "nothing trusted by default",
  );
});

/** Opens and closes a socket with `xff`, returning the `ip` its close line was logged with. */
async function loggedAddress(trustProxy: string[], xff: string): Promise<string> {
  const lines: string[] = [];
  configureLog({ write: (line) => lines.push(line) });
  const server = await startTestServer({ trustProxy, logLevel: "info", logFormat: "json" });
  try {
    const socket = await TestSocket.open(server, "", { headers: { "x-forwarded-for": xff } });
    await socket.close();
    const line = await waitFor(
      () => lines.map((l) => JSON.parse(l)).find((r) => r.msg === "connection closed"),
      "the close line",
    );
    return line.ip;
  } finally {
    await server.close();
    configureLog({ write: (line) => console.log(line), level: "error" });
  }
}

Deno.test("over a socket: a trusted proxy's X-Forwarded-For names the client", async () => {
  assert.equal(await loggedAddress(["127.0.0.1"], "203.0.113.50"), "203.0.113.50");
});

Deno.test("over a socket: an untrusted X-Forwarded-For is ignored", async () => {
  assert.equal(await loggedAddress([], "203.0.113.50"), "127.0.0.1");
  assert.equal(await loggedAddress(["10.0.0.0/8"], "203.0.113.50"), "127.0.0.1");
});

Deno.test("the per-address cap counts each forwarded client under its own address", async () => {
  const server = await startTestServer({ trustProxy: ["127.0.0.1"], maxConnectionsPerIp: 2 });
  const as = (ip: string) => ({ headers: { "x-forwarded-for": ip } });
  const sockets = [
    await TestSocket.open(server, "", as("203.0.113.1")),
    await TestSocket.open(server, "", as("203.0.113.1")),
    await TestSocket.open(server, "", as("203.0.113.2")),
  ];
  try {
    const refused = await RawSocket.upgrade(server, "/ws", { "X-Forwarded-For": "203.0.113.1" });
    refused.socket.close();
    assert.equal(refused.status, 429);
    assert.equal(JSON.parse(refused.body).error.code, "LIMIT_EXCEEDED");
  } finally {
    for (const socket of sockets) await socket.close();
    await server.close();
  }
});
