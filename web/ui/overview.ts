/**
 * @module The overview at `/`: the decisions inbox across sessions and the hub's health in
 * detail (connections by role, round trips, traffic).
 */
import type { Connection } from "../connection.ts";
import type { HubState } from "../hub_state.ts";
import { html } from "../html.ts";
import { duration } from "../summary.ts";
import { DecisionInbox } from "./decisions.ts";

/** Props of {@linkcode Overview}. */
export interface OverviewProps {
  hub: HubState;
  connection: Connection;
  allowed: boolean;
}

function fmt(ms: number | null | undefined): string {
  return ms === null || ms === undefined ? "—" : `${ms.toFixed(1)} ms`;
}

/** The overview. */
export function Overview({ hub, connection, allowed }: OverviewProps) {
  const { stats, health, rates } = hub;
  const running = hub.sessions.filter((s) => s.state === "running").length;
  return html`
    <main class="overview" aria-labelledby="overview-title">
      <h1 id="overview-title" class="sr-only">Overview</h1>
      <section class="card">
        <h2>Decisions inbox <span class="muted">${hub.inbox.length}</span></h2>
        <${DecisionInbox} hub=${hub} socket=${connection.socket} allowed=${allowed} />
      </section>
      <section class="card">
          <h2>Hub</h2>
          <div class="tiles">
            <div class="tile"><span class="big">${hub.sessions
              .length}</span><span class="muted">sessions · ${running} running</span></div>
            <div class="tile"><span class="big">${stats?.connections.total ??
              "—"}</span><span class="muted">connections</span></div>
            <div class="tile"><span class="big">${rates.eventsIn.toFixed(
              1,
            )}</span><span class="muted">events in /s</span></div>
            <div class="tile"><span class="big">${rates.framesOut.toFixed(
              1,
            )}</span><span class="muted">frames out /s</span></div>
            <div class="tile"><span class="big">${fmt(
              stats?.rtt.p50,
            )}</span><span class="muted">heartbeat RTT p50 (p99 ${fmt(stats?.rtt.p99)})</span></div>
            <div class="tile"><span class="big">${health
              ? duration(health.uptimeS * 1000)
              : "—"}</span><span class="muted">uptime · v${health?.version ?? "?"}</span></div>
          </div>
          ${stats && html`
            <table class="table compact">
              <thead>
                <tr>
                  <th>Role</th>
                  <th class="num">Connections</th>
                </tr>
              </thead>
              <tbody>${Object.entries(stats.connections.byRole).map(([role, n]) =>
                html`
                  <tr>
                    <td><span class=${`role r-${role}`}>${role}</span></td>
                    <td class="num mono">${n}</td>
                  </tr>
                `
              )}</tbody>
            </table>
          `}
        </section>
    </main>
  `;
}
