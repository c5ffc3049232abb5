/**
 * @module The dashboard's entry point, bundled by `deno task build:web` into `dist/web.js` and
 * served at `/dashboard.js`. Preact with htm: a few kilobytes, no JSX build step.
 */
import { render } from "preact";
import { html } from "./html.ts";
import { App } from "./ui/app.ts";

render(html`<${App} />`, document.getElementById("app")!);
