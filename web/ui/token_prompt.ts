/**
 * @module The sign-in form shown when the server needs a token: the token is checked with one
 * API call, then kept in `sessionStorage` for this tab only.
 */
import { useState } from "preact/hooks";
import { api, ApiError } from "../api.ts";
import { html } from "../html.ts";

/** Props of {@linkcode TokenPrompt}. */
export interface TokenPromptProps {
  /** Why the prompt is shown again (a refused token). */
  error?: string;
  /** Called with a token the server accepted. */
  onToken: (token: string) => void;
}

/** Asks for a token and checks it. */
export function TokenPrompt({ error, onToken }: TokenPromptProps) {
  const [token, setToken] = useState("");
  const [message, setMessage] = useState(error ?? "");
  const [busy, setBusy] = useState(false);
  const submit = async (event: Event) => {
    event.preventDefault();
    const value = token.trim();
    if (!value) return;
    setBusy(true);
    try {
      await api("/api/sessions", { token: value });
      onToken(value);
    } catch (e) {
      setMessage(
        e instanceof ApiError ? `Token refused: ${e.code}: ${e.message}` : `Failed: ${e}`,
      );
    } finally {
      setBusy(false);
    }
  };
  return html`
    <main class="signin">
      <form class="card" onSubmit=${submit} aria-labelledby="signin-title">
          <h1 id="signin-title"><span class="logo" aria-hidden="true">◆</span> Switchboard</h1>
          <p class="muted">This server requires a token. Paste a JWT (for example from
            <code>deno task token -- --role dashboard --session '*'</code>). It is kept in this tab only.</p>
          <label for="token">Token</label>
          <textarea id="token" class="input mono" rows="4" autocomplete="off" spellcheck="false"
            value=${token} onInput=${(e: Event) =>
              setToken((e.target as HTMLTextAreaElement).value)}
            placeholder="eyJhbGciOi…"></textarea>
          ${message && html`<p class="bad" role="alert" data-testid="token-error">${message}</p>`}
          <button class="btn primary" type="submit" disabled=${busy}>Sign in</button>
        </form>
    </main>
  `;
}
