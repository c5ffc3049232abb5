/**
 * @module Measures how deeply a parsed JSON value nests, without recursion, so a hostile frame
 * cannot exhaust the stack of the validators that run after it.
 */

/** Whether `value` nests objects/arrays deeper than `maxDepth` (a flat object is depth 1). */
export function exceedsDepth(value: unknown, maxDepth: number): boolean {
  const stack: [unknown, number][] = [[value, 0]];
  while (stack.length > 0) {
    const [current, depth] = stack.pop()!;
    if (typeof current !== "object" || current === null) continue;
    if (depth + 1 > maxDepth) return true;
    for (const child of Array.isArray(current) ? current : Object.values(current)) {
      if (typeof child === "object" && child !== null) stack.push([child, depth + 1]);
    }
  }
  return false;
}
