/**
 * @module `html`: Preact's `h` bound to htm tagged templates, so components read like markup
 * without a JSX build step.
 */
import { h, type VNode } from "preact";
import htm from "htm";

type Template = (strings: TemplateStringsArray, ...values: unknown[]) => VNode;

// htm's types are read as CommonJS (its package has no "type": "module"); the bundle gets
// its ES module, whose default export is the object typed here.
const { bind } = htm as unknown as { bind: (h: unknown) => Template };

/** Builds Preact elements from a tagged template. */
export const html: Template = bind.call(htm, h);
