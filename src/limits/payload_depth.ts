/**
 * @module Measures how deeply a parsed JSON value nests, without recursion, so a hostile frame
 * cannot exhaust the stack of the validators that run after it.
 */

/** Whether `value` nests objects/arrays deeper than `maxDepth` (a flat object is depth 1). */
export function exceedsDepth(value: unknown, maxDepth: number): boolean {
  if (typeof value !== "object" || value === null) return false;
  if (maxDepth < 1) return true;
  // Most payloads are flat or shallow: the stacks are only made once a nested value shows up,
  // and hold values and depths side by side rather than a pair per value.
  let values: object[] | undefined;
  let depths: number[] | undefined;
  let current: object = value;
  let depth = 1;
  while (true) {
    const children = Array.isArray(current) ? current : Object.values(current);
    for (let i = 0; i < children.length; i++) {
      const child = children[i];
      if (typeof child !== "object" || child === null) continue;
      if (depth + 1 > maxDepth) return true;
      (values ??= []).push(child);
      (depths ??= []).push(depth + 1);
    }
    if (values === undefined || values.length === 0) return false;
    current = values.pop()!;
    depth = depths!.pop()!;
  }
}
