/**
 * @module The page: a token prompt when the server needs one, otherwise the header, the session
 * list and either the overview or one session, with the live connection and hub state shared.
 */
import { useEffect, useMemo, useState } from "preact/hooks";
import { api, ApiError } from "../api.ts";
import { canCommand, clearToken, getToken, readClaims, setToken } from "../auth.ts";
import { Connection } from "../connection.ts";
import { HubState } from "../hub_state.ts";
import { html } from "../html.ts";
import { useObservable } from "../observable.ts";
import { useRoute } from "../router.ts";
import { Header } from "./header.ts";
import { Overview } from "./overview.ts";
import { SessionList } from "./session_list.ts";
import { SessionView } from "./session_view.ts";
import { TokenPrompt } from "./token_prompt.ts";

type Gate =
  | { name: "checking" }
  | { name: "prompt"; error?: string }
  | { name: "in"; token?: string; devMode: boolean };

/**
 * Development mode or not, asked without a token (a server without a secret ignores tokens, so
 * one left in the tab from elsewhere proves nothing); then whether the stored token still works.
 */
async function check(): Promise<Gate> {
  try {
    await api("/api/sessions", { token: "" });
    return { name: "in", devMode: true };
  } catch (error) {
    if (!(error instanceof ApiError) || error.status !== 401) return { name: "in", devMode: false };
  }
  const token = getToken();
  if (!token) return { name: "prompt" };
  try {
    await api("/api/sessions", { token });
    return { name: "in", token, devMode: false };
  } catch (error) {
    if (!(error instanceof ApiError) || error.status !== 401) {
      return { name: "in", token, devMode: false };
    }
    clearToken();
    return { name: "prompt", error: `Token refused: ${error.message}` };
  }
}

/** The dashboard. */
export function App() {
  const [gate, setGate] = useState<Gate>({ name: "checking" });
  useEffect(() => {
    void check().then(setGate);
  }, []);
  const refused = (message: string) => {
    clearToken();
    setGate({ name: "prompt", error: message });
  };
  if (gate.name === "checking") return html`<p class="muted pad">Connecting…</p>`;
  if (gate.name === "prompt") {
    return html`<${TokenPrompt} error=${gate.error} onToken=${(token: string) => {
      setToken(token);
      setGate({ name: "in", token, devMode: false });
    }} />`;
  }
  return html`
    <${Dashboard} token=${gate.token} devMode=${gate.devMode} onRefused=${refused}
      onSignOut=${gate.token ? () => refused("") : undefined} />
  `;
}

function Dashboard(
  { token, devMode, onRefused, onSignOut }: {
    token?: string;
    devMode: boolean;
    onRefused: (message: string) => void;
    onSignOut?: () => void;
  },
) {
  const route = useRoute();
  const hub = useMemo(
    () => new HubState({ onUnauthorized: (e) => onRefused(`Token refused: ${e.message}`) }),
    [token],
  );
  const connection = useMemo(
    () =>
      new Connection({
        token,
        onRefused: () => onRefused("Token refused by the live connection"),
      }),
    [token],
  );
  useEffect(() => () => {
    hub.close();
    connection.close();
  }, [hub, connection]);
  useObservable(hub);
  useObservable(connection);
  const claims = readClaims(token);
  const current = route.name === "session" ? route.id : undefined;
  useEffect(() => {
    document.title = current ? `${current} · Switchboard` : "Switchboard";
  }, [current]);
  return html`
    <div class=${`shell ${route.name}`}>
      <${Header} hub=${hub} connection=${connection} devMode=${devMode} onSignOut=${onSignOut} />
      <div class="body">
          <${SessionList} hub=${hub} current=${current} />
          ${route.name === "session"
            ? html`
              <${SessionView} key=${route.id} id=${route.id} hub=${hub} connection=${connection}
                claims=${claims} />
            `
            : html`<${Overview} hub=${hub} connection=${connection} allowed=${
              canCommand(claims)
            } />`}
        </div>
    </div>
  `;
}
