/**
 * @module Steering: HALT, RESUME, ROLLBACK, REDIRECT and INJECT, each enabled only in the states
 * the server accepts it (docs/PROTOCOL.md, "Command types"), with every outcome listed.
 */
import { useEffect, useState } from "preact/hooks";
import type { ExecutionState } from "../../client/mod.ts";
import { api } from "../api.ts";
import type { CommandLog } from "../command_log.ts";
import { html } from "../html.ts";
import { useObservable } from "../observable.ts";
import type { SessionInfo, Skill } from "../types.ts";

/** States each command is valid in (ROLLBACK needs a checkpoint instead). */
const VALID: Record<string, ExecutionState[]> = {
  HALT: ["running"],
  RESUME: ["halted"],
  REDIRECT: ["running", "halted"],
  INJECT: ["idle", "running", "halted"],
};

let skillsCache: Promise<Skill[]> | undefined;

/** Props of {@linkcode Steering}. */
export interface SteeringProps {
  state: ExecutionState;
  info: SessionInfo | undefined;
  log: CommandLog;
  /** The viewer may send commands at all. */
  allowed: boolean;
}

/** The command bar of a session. */
export function Steering({ state, info, log, allowed }: SteeringProps) {
  const [panel, setPanel] = useState<"" | "ROLLBACK" | "REDIRECT" | "INJECT">("");
  const [instruction, setInstruction] = useState("");
  const [checkpoint, setCheckpoint] = useState("");
  const [steps, setSteps] = useState("1");
  const [skill, setSkill] = useState("");
  const [skills, setSkills] = useState<Skill[]>([]);
  useEffect(() => {
    if (panel !== "INJECT") return;
    skillsCache ??= api<{ skills: Skill[] }>("/api/skills").then((r) => r.skills, () => []);
    skillsCache.then((list) => {
      setSkills(list);
      if (!skill && list[0]) setSkill(list[0].name);
    });
  }, [panel]);
  if (!allowed) {
    return html`<p class="muted note">Your token cannot send commands to this session.</p>`;
  }
  const checkpoints = info?.checkpoints ?? [];
  const ok = (type: string) => VALID[type].includes(state);
  const toggle = (name: typeof panel) => setPanel(panel === name ? "" : name);
  const submit = (event: Event) => {
    event.preventDefault();
    if (panel === "REDIRECT" && instruction.trim()) {
      log.send({ type: "REDIRECT", instruction }, `REDIRECT “${instruction}”`);
      setInstruction("");
    } else if (panel === "ROLLBACK") {
      if (checkpoint) {
        log.send({ type: "ROLLBACK", checkpointId: checkpoint }, `ROLLBACK to ${checkpoint}`);
      } else log.send({ type: "ROLLBACK", steps: Number(steps) }, `ROLLBACK ${steps} step(s)`);
    } else if (panel === "INJECT" && skill) log.send({ type: "INJECT", skill }, `INJECT ${skill}`);
    else return;
    setPanel("");
  };
  return html`
    <div class="steering" role="group" aria-label="Steering">
      <button class="btn danger" disabled=${!ok("HALT")} data-testid="halt"
        onClick=${() => log.send({ type: "HALT", reason: "Halted from the dashboard" }, "HALT")}
        title="Stop the run (running sessions)">■ Halt</button>
      <button class="btn primary" disabled=${!ok("RESUME")} data-testid="resume"
        onClick=${() => log.send({ type: "RESUME" }, "RESUME")}
        title="Continue the run (halted sessions)">▶ Resume</button>
      <button class="btn" disabled=${checkpoints.length === 0} aria-expanded=${panel === "ROLLBACK"}
        onClick=${() => toggle("ROLLBACK")} title="Roll back to a checkpoint">↶ Rollback</button>
      <button class="btn" disabled=${!ok("REDIRECT")} aria-expanded=${panel === "REDIRECT"}
        onClick=${() =>
          toggle("REDIRECT")} title="Give the run a new instruction">↪ Redirect</button>
      <button class="btn" disabled=${!ok("INJECT")} aria-expanded=${panel === "INJECT"}
        onClick=${() => toggle("INJECT")} title="Run a registered skill">+ Inject</button>
    </div>
    ${panel &&
      html`<form class="command-form" onSubmit=${submit}>
      ${
        panel === "REDIRECT" &&
        html`
          <input class="input grow" aria-label="Instruction" placeholder="New instruction"
            value=${instruction} onInput=${(e: Event) =>
              setInstruction((e.target as HTMLInputElement).value)} />
        `
      }
      ${
        panel === "ROLLBACK" && html`
          <select class="input" aria-label="Checkpoint" value=${checkpoint}
            onChange=${(e: Event) => setCheckpoint((e.target as HTMLSelectElement).value)}>
            <option value="">By steps…</option>
            ${[...checkpoints].reverse().map((c) =>
              html`<option value=${c.checkpointId}>${c.label ?? c.checkpointId}</option>`
            )}
          </select>
          ${!checkpoint &&
            html`
              <input class="input narrow" type="number" min="1" max=${checkpoints.length}
                aria-label="Steps back" value=${steps}
                onInput=${(e: Event) => setSteps((e.target as HTMLInputElement).value)} />
            `}
        `
      }
      ${
        panel === "INJECT" && html`
          <select class="input grow" aria-label="Skill" value=${skill}
            onChange=${(e: Event) => setSkill((e.target as HTMLSelectElement).value)}>
            ${skills.length === 0 && html`<option value="">No skills registered</option>`}
            ${skills.map((s) =>
              html`<option value=${s.name}>${s.name} — ${s.description}</option>`
            )}
          </select>
        `
      }
      <button class="btn primary" type="submit">Send ${panel}</button>
      <button class="btn" type="button" onClick=${() => setPanel("")}>Cancel</button>
    </form>`}
  `;
}

/** The outcomes of this page's commands. */
export function CommandOutcomes({ log }: { log: CommandLog }) {
  useObservable(log);
  if (log.outcomes.length === 0) return html`<p class="muted">No commands sent from this page.</p>`;
  return html`<ul class="outcomes" data-testid="outcomes">
    ${
    log.outcomes.map((o) =>
      html`<li key=${o.key} class=${`outcome ${o.status}`}>
        <span class="mono">${o.label}</span>
        ${o.status === "sending" && html`<span class="muted">sending…</span>`}
        ${o.status === "accepted" && html`<span class="ok">accepted → ${o.state}</span>`}
        ${
        o.status === "refused" &&
        html`<span class="bad" title=${o.error?.message}>${o.error?.code}: ${o.error?.message}</span>`
      }
        ${
        o.status === "accepted" &&
        (o.applied === undefined
          ? html`<span class="muted">awaiting orchestrator</span>`
          : html`<span class=${o.applied ? "ok" : "bad"}>${o.applied ? "applied" : "not applied"}${
            o.appliedMessage ? `: ${o.appliedMessage}` : ""
          }</span>`)
      }
      </li>`
    )
  }
  </ul>`;
}
