/**
 * @module The header: the hub's health (connections by role, events in and frames out per
 * second, sessions, uptime), this page's connection state and round trip, and the warning when
 * the server runs without authentication.
 */
import type { Connection } from "../connection.ts";
import type { HubState } from "../hub_state.ts";
import { html } from "../html.ts";
import { linkClick } from "../router.ts";
import { duration } from "../summary.ts";

const LINK_LABEL = {
  connecting: "Connecting…",
  live: "Live",
  reconnecting: "Reconnecting…",
  refused: "Token refused",
};

/** Props of {@linkcode Header}. */
export interface HeaderProps {
  hub: HubState;
  connection: Connection;
  devMode: boolean;
  onSignOut?: () => void;
}

/** The page header. */
export function Header({ hub, connection, devMode, onSignOut }: HeaderProps) {
  const { health, stats, rates } = hub;
  const roles = stats?.connections.byRole;
  return html`
    <header class="header">
      <a class="brand" href="/" onClick=${linkClick} aria-label="Switchboard overview">
          <span class="logo" aria-hidden="true">◆</span> Switchboard
        </a>
      <dl class="health" aria-label="Hub health" data-testid="health">
        <div>
          <dt>Sessions</dt>
          <dd>${health?.activeSessions ?? "—"}</dd>
        </div>
        <div>
          <dt>Connections</dt>
          <dd title=${roles
            ? `orchestrators ${roles.orchestrator}, dashboards ${roles.dashboard}, admins ${roles.admin}`
            : ""}>${stats?.connections.total ?? "—"}${roles
            ? html`
              <small>${roles.orchestrator} orch · ${roles.dashboard} dash · ${roles
                .admin} admin</small>
            `
            : ""}</dd>
        </div>
        <div>
          <dt>In</dt>
          <dd>${rates.eventsIn.toFixed(1)}/s</dd>
        </div>
        <div>
          <dt>Out</dt>
          <dd>${rates.framesOut.toFixed(1)}/s</dd>
        </div>
        <div>
          <dt>Uptime</dt>
          <dd>${health ? duration(health.uptimeS * 1000) : "—"}</dd>
        </div>
      </dl>
      <div class="link">
          <span class=${`status ${connection.state}`} role="status" data-testid="link-state"
            title=${connection.recovered ? "Last resume was complete" : "Last resume lost events"}>
            <span class="dot" aria-hidden="true"></span>${LINK_LABEL[
              connection.state
            ]}${connection.state === "live" && !connection.recovered ? " (gap)" : ""}
          </span>
          <span class="mono muted" title="This page's round trip">${connection.latency === undefined
            ? "—"
            : `${connection.latency.toFixed(1)} ms`}</span>
          ${onSignOut && html`<button class="btn small" onClick=${onSignOut}>Sign out</button>`}
        </div>
    </header>
      ${devMode &&
        html`
          <div class="banner warn"
            role="note">Development mode: the server runs without authentication; anyone who can reach it may act as any role.</div>
        `}
      ${hub.error && hub.error.status !== 401 &&
        html`<div class="banner bad" role="alert">${hub.error.code}: ${hub.error.message}</div>`}
  `;
}
