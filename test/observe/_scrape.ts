/**
 * @module Scrapes a test server's `/metrics` (checking status and Prometheus content type) into
 * `name{label="v",...}` → value, labels in the order the server writes them.
 */
import assert from "node:assert/strict";
import type { RunningServer } from "../../src/mod.ts";

/** Scrapes `/metrics`, with a bearer token when given. */
export async function scrape(server: RunningServer, token?: string): Promise<Map<string, number>> {
  const response = await fetch(`${server.url}/metrics`, {
    headers: token ? { authorization: `Bearer ${token}` } : {},
  });
  assert.equal(response.status, 200);
  assert.match(response.headers.get("content-type") ?? "", /^text\/plain; version=0\.0\.4/);
  const samples = new Map<string, number>();
  for (const line of (await response.text()).split("\n")) {
    if (line === "" || line.startsWith("#")) continue;
    const space = line.lastIndexOf(" ");
    samples.set(line.slice(0, space), Number(line.slice(space + 1)));
  }
  return samples;
}
