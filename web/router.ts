/**
 * @module Path-based routing: `/` is the overview, `/sessions/<id>` one session. Links are real
 * anchors (middle-click, copy link and the back button work); a click is turned into
 * `history.pushState` so the live connection survives navigation.
 */
import { useEffect, useState } from "preact/hooks";

/** Where the page is. */
export type Route = { name: "home" } | { name: "session"; id: string };

const listeners = new Set<() => void>();

/** The route of a path. */
export function parseRoute(pathname: string): Route {
  const match = /^\/sessions\/(.+)$/.exec(pathname);
  if (!match) return { name: "home" };
  try {
    return { name: "session", id: decodeURIComponent(match[1]) };
  } catch {
    return { name: "home" };
  }
}

/** The URL of a session's page. */
export function sessionPath(id: string): string {
  return `/sessions/${encodeURIComponent(id)}`;
}

/** Goes to `path` without reloading, as a new history entry. */
export function navigate(path: string): void {
  if (path === location.pathname) return;
  history.pushState(null, "", path);
  for (const listener of listeners) listener();
}

/** An anchor's click handler: plain left clicks navigate in place, others behave as links do. */
export function linkClick(event: MouseEvent): void {
  if (event.button !== 0 || event.metaKey || event.ctrlKey || event.shiftKey || event.altKey) {
    return;
  }
  const anchor = event.currentTarget as HTMLAnchorElement;
  event.preventDefault();
  navigate(anchor.pathname);
}

/** The current route; re-renders on navigation and on back/forward. */
export function useRoute(): Route {
  const [route, setRoute] = useState(() => parseRoute(location.pathname));
  useEffect(() => {
    const update = () => setRoute(parseRoute(location.pathname));
    listeners.add(update);
    addEventListener("popstate", update);
    return () => {
      listeners.delete(update);
      removeEventListener("popstate", update);
    };
  }, []);
  return route;
}
