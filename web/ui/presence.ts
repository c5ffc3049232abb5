/**
 * @module Who is attached to a session, with each connection's heartbeat round trip from
 * `/api/stats`, and this page's own link.
 */
import type { Connection } from "../connection.ts";
import { html } from "../html.ts";
import type { SessionInfo, Stats } from "../types.ts";

/** Props of {@linkcode Presence}. */
export interface PresenceProps {
  info: SessionInfo | undefined;
  stats: Stats | undefined;
  connection: Connection;
}

function ms(value: number | null | undefined): string {
  return value === null || value === undefined ? "—" : `${value.toFixed(1)} ms`;
}

/** The attached connections of a session. */
export function Presence({ info, stats, connection }: PresenceProps) {
  const rtt = new Map(stats?.rtt.connections.map((c) => [c.id, c]) ?? []);
  const attached = info?.attached ?? [];
  return html`
    <table class="table compact" data-testid="presence">
      <thead>
        <tr>
          <th>Connection</th>
          <th>Role</th>
          <th class="num">RTT</th>
        </tr>
      </thead>
      <tbody>
          ${attached.map((a) =>
            html`
              <tr key=${a.id}>
                <td class="mono">${a.id.slice(0, 8)}${a.id === connection.socket.id
                  ? html`
                    <span class="pill">this page</span>
                  `
                  : ""}</td>
                <td><span class=${`role r-${a.role}`}>${a.role}</span></td>
                <td class="num mono">${ms(
                  a.id === connection.socket.id
                    ? connection.latency
                    : rtt.get(a.id)?.smoothedMs ?? rtt.get(a.id)?.lastMs,
                )}</td>
              </tr>
            `
          )}
          ${attached.length === 0 && html`
            <tr>
              <td colspan="3" class="muted">Nobody attached.</td>
            </tr>
          `}
        </tbody>
    </table>
  `;
}
