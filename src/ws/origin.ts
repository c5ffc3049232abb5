/**
 * @module Which browser origins may open a WebSocket or call the API: the defence against
 * cross-site WebSocket hijacking, where a page on another site uses the visitor's access to a
 * local or intranet hub.
 */

const LOOPBACK_HOSTS = new Set(["localhost", "127.0.0.1", "[::1]"]);

/**
 * Decides whether a request's `Origin` may connect. Requests without an Origin (non-browser
 * clients) may; so may the server's own origin. With an allow-list, only its entries (or `*`)
 * may besides; without one, only loopback origins, so a page on the internet cannot steer a
 * hub on the visitor's machine.
 */
export function isOriginAllowed(
  origin: string | undefined | null,
  requestUrl: string,
  allowed: readonly string[] | undefined,
): boolean {
  if (origin === undefined || origin === null) return true;
  let parsed: URL;
  try {
    parsed = new URL(origin);
  } catch {
    return false;
  }
  if (parsed.host === new URL(requestUrl).host) return true;
  if (allowed !== undefined && allowed.length > 0) {
    return allowed.includes("*") || allowed.includes(parsed.origin);
  }
  return LOOPBACK_HOSTS.has(parsed.hostname) || parsed.hostname === "::1";
}
