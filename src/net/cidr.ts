/**
 * @module IP addresses and CIDR ranges (IPv4 and IPv6), parsed to bytes so `10.0.0.0/8`,
 * `::1` and `::ffff:127.0.0.1` compare the way a network does, not the way strings do.
 */

/** A parsed range: the network's bytes and how many leading bits must match. */
export interface Cidr {
  bytes: Uint8Array;
  bits: number;
}

/** Parses an address (`"1.2.3.4"`, `"::1"`) to 4 or 16 bytes, or `undefined` when it is none. */
export function parseIp(text: string): Uint8Array | undefined {
  const address = text.startsWith("[") && text.endsWith("]") ? text.slice(1, -1) : text;
  if (address.includes(":")) return parseIpv6(address);
  return parseIpv4(address);
}

/** Parses `"10.0.0.0/8"`, `"fd00::/8"` or a bare address (a range of one); throws on junk. */
export function parseCidr(text: string): Cidr {
  const [address, prefix] = text.split("/");
  const bytes = parseIp(address.trim());
  const max = bytes ? bytes.length * 8 : 0;
  const bits = prefix === undefined ? max : Number(prefix);
  if (!bytes || !Number.isInteger(bits) || bits < 0 || bits > max) {
    throw new Error(`Invalid address or CIDR range "${text}"`);
  }
  return { bytes, bits };
}

/** Whether `address` (text) lies in `range`; IPv4-mapped IPv6 addresses count as IPv4. */
export function inCidr(address: string, range: Cidr): boolean {
  const parsed = parseIp(address);
  if (!parsed) return false;
  const bytes = range.bytes.length === 4 ? unmapped(parsed) : parsed;
  if (bytes.length !== range.bytes.length) return false;
  let bits = range.bits;
  for (let i = 0; bits > 0; i++, bits -= 8) {
    const mask = bits >= 8 ? 0xff : (0xff << (8 - bits)) & 0xff;
    if ((bytes[i] & mask) !== (range.bytes[i] & mask)) return false;
  }
  return true;
}

/** Loopback ranges: 127.0.0.0/8 and ::1. */
const LOOPBACK = [parseCidr("127.0.0.0/8"), parseCidr("::1")];

/** Whether `address` is a loopback address. */
export function isLoopbackAddress(address: string): boolean {
  return LOOPBACK.some((range) => inCidr(address, range));
}

function parseIpv4(text: string): Uint8Array | undefined {
  const parts = text.split(".");
  if (parts.length !== 4) return undefined;
  const bytes = parts.map((p) => /^\d{1,3}$/.test(p) ? Number(p) : NaN);
  return bytes.every((b) => b <= 255) ? Uint8Array.from(bytes) : undefined;
}

function parseIpv6(text: string): Uint8Array | undefined {
  const zone = text.indexOf("%");
  let address = zone < 0 ? text : text.slice(0, zone);
  // A dotted IPv4 tail (::ffff:1.2.3.4) stands for the last two groups.
  const lastColon = address.lastIndexOf(":");
  const last = address.slice(lastColon + 1);
  if (last.includes(".")) {
    const v4 = parseIpv4(last);
    if (!v4) return undefined;
    const hex = (high: number, low: number) => ((high << 8) | low).toString(16);
    address = `${address.slice(0, lastColon + 1)}${hex(v4[0], v4[1])}:${hex(v4[2], v4[3])}`;
  }
  const halves = address.split("::");
  if (halves.length > 2) return undefined;
  const groups = (half: string) => half === "" ? [] : half.split(":");
  const head = groups(halves[0]);
  const rest = halves.length === 2 ? groups(halves[1]) : [];
  const explicit = head.length + rest.length;
  if (halves.length === 1 ? explicit !== 8 : explicit > 7) return undefined;
  const words = [...head, ...Array(8 - explicit).fill("0"), ...rest].map((g) =>
    /^[0-9a-f]{1,4}$/i.test(g) ? parseInt(g, 16) : NaN
  );
  if (words.some((w) => Number.isNaN(w))) return undefined;
  return Uint8Array.from(words.flatMap((w) => [w >> 8, w & 0xff]));
}

function unmapped(bytes: Uint8Array): Uint8Array {
  const mapped = bytes.length === 16 && bytes.slice(0, 10).every((b) => b === 0) &&
    bytes[10] === 0xff && bytes[11] === 0xff;
  return mapped ? bytes.slice(12) : bytes;
}
