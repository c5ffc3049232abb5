/**
 * @module One session: its header and steering, the live stream with the selected event's
 * payload, the timeline, presence, decisions and the outcomes of commands sent from here.
 */
import { useEffect, useMemo, useState } from "preact/hooks";
import type { ExecutionState } from "../../client/mod.ts";
import { canCommand, type Claims } from "../auth.ts";
import { CommandLog } from "../command_log.ts";
import type { Connection } from "../connection.ts";
import type { HubState } from "../hub_state.ts";
import { html } from "../html.ts";
import { useObservable } from "../observable.ts";
import { linkClick } from "../router.ts";
import { SessionDetail } from "../session_detail.ts";
import { type Row, SessionStream } from "../stream.ts";
import { ago, clock } from "../summary.ts";
import { DecisionInbox } from "./decisions.ts";
import { EventList } from "./event_list.ts";
import { Presence } from "./presence.ts";
import { Usage } from "./usage.ts";
import { CommandOutcomes, Steering } from "./steering.ts";
import { displayState } from "./session_list.ts";
import { Timeline } from "./timeline.ts";

/** Props of {@linkcode SessionView}. */
export interface SessionViewProps {
  id: string;
  hub: HubState;
  connection: Connection;
  claims: Claims | undefined;
}

/** The page of one session. */
export function SessionView({ id, hub, connection, claims }: SessionViewProps) {
  const summary = hub.session(id);
  const detail = useMemo(() => new SessionDetail(id), [id]);
  const log = useMemo(() => new CommandLog(connection.socket, id), [id]);
  const [stream, setStream] = useState<SessionStream | undefined>(undefined);
  const [selected, setSelected] = useState<Row | undefined>(undefined);
  const [liveState, setLiveState] = useState<{ state: ExecutionState; seq: number }>();
  useObservable(detail);

  // Open the stream once the session is known to exist (viewing must not create it), so the
  // history starts near its head. A session created later shows up with the next list poll.
  const head = summary?.headSeq ?? detail.info?.headSeq;
  const known = head !== undefined;
  useEffect(() => {
    if (!known) return;
    const s = new SessionStream(connection.socket, id, head ?? 0, {
      onEvent: (row) => {
        detail.noteEvent(row.event);
        if (row.event === "decision:made") {
          hub.closeDecision(id, String(row.payload.decisionId));
        } else if (row.event === "command:applied") log.applied(row.payload);
        const next = STATE_OF[row.event];
        if (next) setLiveState({ state: next, seq: row.seq });
      },
    });
    setStream(s);
    setSelected(undefined);
    return () => s.close();
  }, [id, known]);
  useEffect(() => {
    // Presence frames carry no seq (they are not in the stream): refresh who is attached.
    const socket = connection.socket;
    const onPresence = (_: unknown, meta: { session?: string; event: string }) => {
      if (meta.session === id) detail.noteEvent(meta.event);
    };
    // One batched `presence` frame per interval tells who joined and left (docs/PROTOCOL.md).
    const off = socket.on("presence", onPresence);
    return () => {
      off();
      detail.close();
    };
  }, [detail]);

  // The freshest state: the stream's when it is newer than the polled one.
  const polled = summary ?? detail.info;
  const state: ExecutionState = liveState && liveState.seq > (polled?.headSeq ?? 0)
    ? liveState.state
    : polled?.state ?? liveState?.state ?? "idle";
  const shown = polled ? displayState({ ...polled, state, subscribers: 0 }) : state;
  const allowed = canCommand(claims);

  return html`<main class="session" aria-labelledby="session-title">
    <div class="session-head">
      <a class="btn small back" href="/" onClick=${linkClick} aria-label="Back to the overview">←</a>
      <h1 id="session-title" class="mono">${id}</h1>
      <span class=${`badge s-${shown}`} data-testid="state">${shown}</span>
      <span class="muted small">#${polled?.headSeq ?? 0} · ${
    (polled?.eventsPerSecond ?? 0).toFixed(1)
  }/s · last ${ago(polled?.lastEventAt)} · started ${
    polled ? new Date(polled.createdAt).toLocaleString() : "—"
  }</span>
    </div>
    ${
    detail.error && !known && (detail.error.code === "SESSION_NOT_FOUND"
      ? html`<div class="banner" role="status">No session "${id}" yet: it appears here as soon as
          something is published to it.</div>`
      : html`<div class="banner bad" role="alert">${detail.error.code}: ${detail.error.message}</div>`)
  }
    <div class="session-bar">
      <${Steering} state=${state} info=${detail.info} log=${log} allowed=${allowed} />
    </div>
    <div class="session-grid">
      <div class="main-col">
        ${
    stream &&
    html`<${EventList} stream=${stream} selected=${selected?.seq} onSelect=${setSelected} />`
  }
        ${
    selected && html`
      <section class="detail card" aria-label="Event payload">
        <div class="panel-head">
          <h2><span class="mono">#${selected.seq} ${selected.event}</span>${" "}
                    <span class="muted small">${clock(selected.ts)}</span></h2>
          <button class="btn small" onClick=${() =>
            setSelected(undefined)} aria-label="Close payload">✕</button>
        </div>
        <pre class="json" data-testid="payload">${JSON.stringify(selected.payload, null, 2)}</pre>
      </section>
    `
  }
      </div>
      <aside class="side-col">
        <section class="card"><h2>Timeline</h2>${
    stream && html`<${Timeline} stream=${stream} />`
  }</section>
        <section class="card"><h2>Decisions</h2>
          <${DecisionInbox} hub=${hub} socket=${connection.socket} sessionId=${id} allowed=${allowed} />
        </section>
        <section class="card"><h2>Commands</h2><${CommandOutcomes} log=${log} /></section>
        <section class="card"><h2>Attached</h2>
          <${Presence} info=${detail.info} stats=${hub.stats} connection=${connection} />
        </section>
        <section class="card"><h2>Tokens</h2><${Usage} info=${detail.info} /></section>
      </aside>
    </div>
  </main>`;
}

const STATE_OF: Record<string, ExecutionState> = {
  "execution:started": "running",
  "execution:resumed": "running",
  "execution:halted": "halted",
  "execution:completed": "completed",
  "execution:failed": "failed",
};
