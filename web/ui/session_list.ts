/**
 * @module The session list: state, age, time since the last event, events per second, head seq
 * and subscribers of every session the viewer may see, live, sortable and filterable.
 */
import { useState } from "preact/hooks";
import type { HubState } from "../hub_state.ts";
import { html } from "../html.ts";
import { linkClick, sessionPath } from "../router.ts";
import { ago } from "../summary.ts";
import type { SessionSummary } from "../types.ts";

const STATES = ["all", "running", "halted", "waiting", "idle", "completed", "failed"] as const;
type Sort = "recent" | "name" | "created" | "rate";

/** The state shown: a session with open decisions is waiting for one. */
export function displayState(s: SessionSummary): string {
  return (s.openDecisionCount ?? 0) > 0 && s.state !== "completed" && s.state !== "failed"
    ? "waiting"
    : s.state;
}

function sorter(sort: Sort): (a: SessionSummary, b: SessionSummary) => number {
  switch (sort) {
    case "name":
      return (a, b) => a.id.localeCompare(b.id);
    case "created":
      return (a, b) => b.createdAt.localeCompare(a.createdAt);
    case "rate":
      return (a, b) => (b.eventsPerSecond ?? 0) - (a.eventsPerSecond ?? 0);
    default:
      return (a, b) => (b.lastEventAt ?? b.createdAt).localeCompare(a.lastEventAt ?? a.createdAt);
  }
}

/** Props of {@linkcode SessionList}. */
export interface SessionListProps {
  hub: HubState;
  /** The session open on the page, highlighted. */
  current?: string;
}

/** Every visible session, live. */
export function SessionList({ hub, current }: SessionListProps) {
  const [state, setState] = useState<(typeof STATES)[number]>("all");
  const [query, setQuery] = useState("");
  const [sort, setSort] = useState<Sort>("recent");
  const now = Date.now();
  const q = query.trim().toLowerCase();
  const shown = hub.sessions
    .filter((s) => state === "all" || displayState(s) === state)
    .filter((s) => q === "" || s.id.toLowerCase().includes(q))
    .sort(sorter(sort));
  return html`<nav class="sessions" aria-label="Sessions">
    <div class="panel-head">
      <h2>Sessions <span class="muted">${hub.sessions.length}</span></h2>
    </div>
    <div class="toolbar wrap">
      <input class="input full" type="search" placeholder="Filter by name" aria-label="Filter sessions by name"
        value=${query} onInput=${(e: Event) => setQuery((e.target as HTMLInputElement).value)} />
      <select class="input grow" aria-label="Filter sessions by state" value=${state}
        onChange=${(e: Event) =>
    setState((e.target as HTMLSelectElement).value as (typeof STATES)[number])}>
        ${STATES.map((s) => html`<option value=${s}>${s === "all" ? "All states" : s}</option>`)}
      </select>
      <select class="input grow" aria-label="Sort sessions" value=${sort}
        onChange=${(e: Event) => setSort((e.target as HTMLSelectElement).value as Sort)}>
        <option value="recent">Recent activity</option>
        <option value="created">Newest</option>
        <option value="rate">Busiest</option>
        <option value="name">Name</option>
      </select>
    </div>
    ${!hub.loaded && html`<p class="muted pad">Loading…</p>`}
    ${
    hub.loaded && shown.length === 0 &&
    html`<p class="muted pad">${
      hub.sessions.length === 0
        ? "No sessions yet. Publish an event and it appears here."
        : "No session matches."
    }</p>`
  }
    <ul class="session-list" data-testid="sessions">
      ${
    shown.map((s) => {
      const shownState = displayState(s);
      return html`
        <li key=${s.id}>
          <a class=${`session-item${s.id === current ? " current" : ""}`} href=${sessionPath(s.id)}
            onClick=${linkClick} data-session=${s.id}
            aria-current=${s.id === current ? "page" : undefined}>
            <span class="line">
              <span class=${`dot s-${shownState}`} aria-hidden="true"></span>
              <span class="name mono">${s.id}</span>
              <span class=${`badge s-${shownState}`}>${shownState}</span>
            </span>
            <span class="line meta">
              <span title="Head seq">#${s.headSeq}</span>
              <span title="Events per second">${(s.eventsPerSecond ?? 0).toFixed(1)}/s</span>
              <span title="Since the last event">last ${ago(s.lastEventAt, now)}</span>
              <span title="Started">up ${ago(s.createdAt, now)}</span>
              <span title="Subscribers">${s.subscribers} attached</span>
            </span>
          </a>
        </li>
      `;
    })
  }
    </ul>
  </nav>`;
}
