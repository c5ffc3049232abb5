/**
 * @module The client's address behind reverse proxies. `Forwarded` and `X-Forwarded-For` are
 * believed only when the peer is a trusted proxy, and then only as far back as the chain stays
 * trusted: the first untrusted hop from the right is the client, so a client cannot pick its
 * own address by sending the header itself.
 */
import { type Cidr, inCidr, parseCidr, parseIp } from "./cidr.ts";

/** Resolves the address per-IP limits and logs use. */
export type ClientAddressResolver = (peer: string, headers: Headers) => string;

/** A resolver trusting proxies in `trusted` (addresses or CIDR ranges); throws on a bad entry. */
export function clientAddressResolver(trusted: readonly string[] = []): ClientAddressResolver {
  const ranges: Cidr[] = trusted.map(parseCidr);
  const isTrusted = (address: string) => ranges.some((range) => inCidr(address, range));
  return function resolveClientAddress(peer, headers) {
    if (ranges.length === 0 || !isTrusted(peer)) return peer;
    const chain = forwardedChain(headers);
    // Walk back from the hop nearest to us; the first one we do not trust is the client.
    for (let i = chain.length - 1; i >= 0; i--) {
      if (!isTrusted(chain[i])) return chain[i];
    }
    return chain[0] ?? peer;
  };
}

/**
 * The forwarding chain, client first: from `Forwarded` (RFC 7239) when present, else from
 * `X-Forwarded-For`. Entries that are not addresses (`unknown`, obfuscated ids) end the chain
 * there, since nothing before them can be checked.
 */
export function forwardedChain(headers: Headers): string[] {
  const forwarded = headers.get("forwarded");
  const raw = forwarded !== null
    ? forwarded.split(",").map((element) => forParameter(element))
    : (headers.get("x-forwarded-for") ?? "").split(",").map((entry) => withoutPort(entry.trim()));
  const chain: string[] = [];
  for (const entry of raw) {
    if (entry === undefined || parseIp(entry) === undefined) chain.length = 0;
    else chain.push(entry);
  }
  return chain;
}

/** The `for=` value of one `Forwarded` element, without quotes, brackets or port. */
function forParameter(element: string): string | undefined {
  for (const pair of element.split(";")) {
    const [key, ...value] = pair.trim().split("=");
    if (key.toLowerCase() !== "for") continue;
    return withoutPort(value.join("=").trim().replace(/^"|"$/g, ""));
  }
  return undefined;
}

/** `[::1]:443` → `::1`, `1.2.3.4:80` → `1.2.3.4`, a bare IPv6 address as it is. */
function withoutPort(address: string): string {
  if (address.startsWith("[")) return address.slice(1, address.indexOf("]"));
  const colons = address.split(":").length - 1;
  return colons === 1 ? address.slice(0, address.indexOf(":")) : address;
}
