/**
 * @module A session's token usage per model (`agent:usage` totals from `GET /api/sessions/:id`).
 */
import { html } from "../html.ts";
import type { SessionInfo } from "../types.ts";

const count = new Intl.NumberFormat("en");

/** The token totals of a session, one row per model plus the sum. */
export function Usage({ info }: { info: SessionInfo | undefined }) {
  const usage = info?.usage;
  if (!usage || usage.byModel.length === 0) {
    return html`<p class="muted" data-testid="usage">No usage reported.</p>`;
  }
  return html`
    <table class="table compact" data-testid="usage">
      <thead>
        <tr>
          <th>Model</th>
          <th class="num">In</th>
          <th class="num">Out</th>
          <th class="num">Calls</th>
        </tr>
      </thead>
      <tbody>
        ${usage.byModel.map((m) =>
          html`
            <tr key=${m.model}>
              <td class="mono">${m.model}</td>
              <td class="num mono">${count.format(m.inputTokens)}</td>
              <td class="num mono">${count.format(m.outputTokens)}</td>
              <td class="num mono">${count.format(m.calls)}</td>
            </tr>
          `
        )}
        ${usage.byModel.length > 1 && html`
          <tr>
            <td>Total</td>
            <td class="num mono">${count.format(usage.total.inputTokens)}</td>
            <td class="num mono">${count.format(usage.total.outputTokens)}</td>
            <td class="num mono">${count.format(usage.total.calls)}</td>
          </tr>
        `}
      </tbody>
    </table>
  `;
}
