/**
 * @module The decisions inbox: open `decision:point`s across sessions, each option a button that
 * sends DECISION. An item leaves when its `decision:made` is seen, in every open dashboard.
 */
import { useState } from "preact/hooks";
import type { Socket } from "../../client/mod.ts";
import type { HubState, InboxItem } from "../hub_state.ts";
import { html } from "../html.ts";
import { linkClick, sessionPath } from "../router.ts";

/** Props of {@linkcode DecisionInbox}. */
export interface DecisionInboxProps {
  hub: HubState;
  socket: Socket;
  /** Only this session's decisions. */
  sessionId?: string;
  /** The viewer may answer (send commands). */
  allowed: boolean;
}

/** Open decisions, answerable in place. */
export function DecisionInbox({ hub, socket, sessionId, allowed }: DecisionInboxProps) {
  const items = hub.inbox.filter((d) => sessionId === undefined || d.sessionId === sessionId);
  if (items.length === 0) {
    return html`<p class="muted" data-testid="inbox-empty">No open decisions.</p>`;
  }
  return html`<ul class="inbox" data-testid="inbox">
    ${
    items.map((d) =>
      html`
        <${Decision} key=${`${d.sessionId}/${d.decisionId}`} item=${d} hub=${hub} socket=${socket}
          showSession=${sessionId === undefined} allowed=${allowed} />
      `
    )
  }
  </ul>`;
}

function Decision(
  { item, hub, socket, showSession, allowed }: {
    item: InboxItem;
    hub: HubState;
    socket: Socket;
    showSession: boolean;
    allowed: boolean;
  },
) {
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState("");
  const answer = async (choice: string) => {
    setBusy(true);
    setError("");
    try {
      await socket.to(item.sessionId).emitWithAck("command", {
        type: "DECISION",
        decisionId: item.decisionId,
        choice,
      });
      hub.closeDecision(item.sessionId, item.decisionId);
    } catch (e) {
      const { code, message } = e as { code?: string; message?: string };
      setError(`${code ?? "ERROR"}: ${message}`);
    } finally {
      setBusy(false);
    }
  };
  return html`<li class="decision card" data-decision=${item.decisionId}>
    ${
    showSession &&
    html`<a class="mono small" href=${
      sessionPath(item.sessionId)
    } onClick=${linkClick}>${item.sessionId}</a>`
  }
    <p class="question">${item.question}</p>
    <div class="options" role="group" aria-label=${`Answer: ${item.question}`}>
      ${
    item.options.map((option) =>
      html`
        <button class=${`btn${option === item.default ? " primary" : ""}`}
          disabled=${busy || !allowed} onClick=${() => answer(option)}>${option}</button>
      `
    )
  }
    </div>
    ${error && html`<p class="bad small" role="alert">${error}</p>`}
  </li>`;
}
