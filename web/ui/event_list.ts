/**
 * @module The live stream: a filter bar, then only the rows in view (windowing: 10,000 events
 * cost the DOM of about forty), following the newest unless paused; a click opens the payload.
 */
import { useLayoutEffect, useMemo, useRef, useState } from "preact/hooks";
import { FilteredView, type StreamFilter } from "../filter.ts";
import { html } from "../html.ts";
import { useObservable } from "../observable.ts";
import { MAX_ROWS, type Row, type SessionStream } from "../stream.ts";
import { clock, kindOf } from "../summary.ts";

/** Height of one row in px; fixed, so the window is arithmetic. Matches `.row` in web/styles/session.css. */
export const ROW_HEIGHT = 26;
const OVERSCAN = 10;

/** Index of the first row whose seq is at least `seq` (rows are in seq order). */
function lowerBound(rows: Row[], seq: number): number {
  let lo = 0;
  let hi = rows.length;
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    if (rows[mid].seq < seq) lo = mid + 1;
    else hi = mid;
  }
  return Math.min(lo, Math.max(0, rows.length - 1));
}

/** Props of {@linkcode EventList}. */
export interface EventListProps {
  stream: SessionStream;
  selected: number | undefined;
  onSelect: (row: Row) => void;
}

/** The filterable, windowed, following list of a session's events. */
export function EventList({ stream, selected, onSelect }: EventListProps) {
  useObservable(stream);
  const [filter, setFilter] = useState<StreamFilter>({ types: "", text: "" });
  const [following, setFollowing] = useState(true);
  /** The newest seq shown when following stopped: rows after it are new. */
  const [pausedAt, setPausedAt] = useState(0);
  const [scrollTop, setScrollTop] = useState(0);
  const [height, setHeight] = useState(600);
  const [target, setTarget] = useState("");
  const [note, setNote] = useState("");
  const [jump, setJump] = useState(0);
  const scroller = useRef<HTMLDivElement>(null);
  const programmatic = useRef(-1);
  /** The seq of the row at the top of the view, as the user last left it. */
  const topSeq = useRef<number | undefined>(undefined);
  const jumpTo = useRef<number | undefined>(undefined);
  const view = useMemo(() => new FilteredView(), [stream]);
  const rows = view.update(stream.rows, filter);
  const total = rows.length;

  useLayoutEffect(() => {
    const element = scroller.current!;
    const observer = new ResizeObserver(() => setHeight(element.clientHeight));
    observer.observe(element);
    return () => observer.disconnect();
  }, []);

  useLayoutEffect(() => {
    const element = scroller.current!;
    if (!following) return;
    // From state, not element.clientHeight/scrollTop: reading those would force a layout.
    const bottom = Math.max(0, total * ROW_HEIGHT - height);
    if (Math.abs(scrollTop - bottom) > 1) {
      programmatic.current = bottom;
      element.scrollTop = bottom;
      setScrollTop(bottom);
    }
  }, [total, stream.version, following, height]);

  const onScroll = () => {
    const element = scroller.current!;
    const top = element.scrollTop;
    setScrollTop(top);
    topSeq.current = rows[Math.floor(top / ROW_HEIGHT)]?.seq;
    if (Math.abs(top - programmatic.current) <= 1) return;
    programmatic.current = -1;
    const atBottom = top + element.clientHeight >= element.scrollHeight - ROW_HEIGHT;
    if (following && !atBottom) pause(false);
    else if (!following && atBottom) setFollowing(true);
  };
  const pause = (manual: boolean) => {
    setFollowing(false);
    setPausedAt(rows[total - 1]?.seq ?? 0);
    if (manual) programmatic.current = -1;
  };
  const resume = () => setFollowing(true);

  // Keep the row at the top of the view in place when older history is prepended.
  useLayoutEffect(() => {
    const element = scroller.current!;
    if (jumpTo.current !== undefined) {
      const index = lowerBound(rows, jumpTo.current);
      jumpTo.current = undefined;
      const top = Math.max(0, index * ROW_HEIGHT - Math.floor(height / 3));
      programmatic.current = top;
      element.scrollTop = top;
      setScrollTop(top);
      topSeq.current = rows[Math.floor(top / ROW_HEIGHT)]?.seq;
      if (rows[index]) onSelect(rows[index]);
    } else if (!following && topSeq.current !== undefined) {
      const top = lowerBound(rows, topSeq.current) * ROW_HEIGHT + (scrollTop % ROW_HEIGHT);
      if (Math.abs(top - scrollTop) > 1) {
        programmatic.current = top;
        element.scrollTop = top;
        setScrollTop(top);
      }
    }
  }, [rows[0]?.seq, stream.rows[0]?.seq, jump]);

  const goTo = async (event: Event) => {
    event.preventDefault();
    const seq = Number(target);
    if (!Number.isInteger(seq) || seq < 1) return;
    setNote("");
    if (!(await stream.loadFrom(seq))) {
      setNote(`Too far back: the page holds at most ${MAX_ROWS.toLocaleString()} events`);
      return;
    }
    pause(true);
    jumpTo.current = seq;
    setJump(jump + 1);
  };

  const first = Math.max(0, Math.floor(scrollTop / ROW_HEIGHT) - OVERSCAN);
  const last = Math.min(total, Math.ceil((scrollTop + height) / ROW_HEIGHT) + OVERSCAN);
  const visible = rows.slice(first, last);
  const unseen = following || total === 0 || rows[total - 1].seq <= pausedAt
    ? 0
    : total - lowerBound(rows, pausedAt + 1);

  return html`
    <section class="stream" aria-label="Event stream">
      <div class="toolbar">
        <input class="input mono" type="search" placeholder="Event types: skill:*, agent:tool_call"
          aria-label="Filter by event type" value=${filter.types}
          onInput=${(e: Event) =>
            setFilter({ ...filter, types: (e.target as HTMLInputElement).value })} />
        <input class="input" type="search" placeholder="Search text" aria-label="Filter by text"
          value=${filter.text}
          onInput=${(e: Event) =>
            setFilter({ ...filter, text: (e.target as HTMLInputElement).value })} />
        <span class="muted count" aria-live="polite" data-testid="stream-count">${total
          .toLocaleString()}${total !== stream.rows.length
          ? ` of ${stream.rows.length.toLocaleString()}`
          : ""} ${stream.rows.length === 1 ? "event" : "events"}</span>
        ${following
          ? html`<button class="btn" onClick=${() => pause(true)} aria-label="Pause following">
            ❚❚ Pause</button>`
          : html`<button class="btn primary" onClick=${resume} aria-label="Resume following">
            ▶ Follow${
            unseen > 0
              ? html`
                <span class="pill">${unseen} new</span>
              `
              : ""
          }</button>`}
      </div>
      <div class="older">
        ${stream.olderThan > 0
          ? html`
            <button class="btn small" disabled=${stream.loadingOlder}
              onClick=${() => stream.loadOlder()}>${stream.loadingOlder
                ? "Loading…"
                : `Load older events (before #${stream.olderThan + 1})`}</button>
          `
          : stream.restarted
          ? html`<span class="muted">The session's stream started over (new epoch).</span>`
          : html`<span class="muted">The whole history is shown.</span>`}
        ${note && html`<span class="bad small" role="alert">${note}</span>`}
        <form class="goto" onSubmit=${goTo}>
          <input class="input narrow mono" type="number" min="1" placeholder="#seq"
            aria-label="Go to seq" value=${target}
            onInput=${(e: Event) => setTarget((e.target as HTMLInputElement).value)} />
          <button class="btn small" type="submit">Go</button>
        </form>
      </div>
      <div class="rows" ref=${scroller} onScroll=${onScroll} role="list"
        aria-label="Events" data-testid="rows">
        <div style=${{ height: `${total * ROW_HEIGHT}px`, position: "relative" }}>
          ${visible.map((row, i) =>
            html`
              <button key=${row.seq} role="listitem"
                class=${`row${row.seq === selected ? " selected" : ""}`}
                style=${{ top: `${(first + i) * ROW_HEIGHT}px` }} data-seq=${row.seq}
                onClick=${() => onSelect(row)} aria-label=${`Event ${row.seq}: ${row.event}`}>
                <span class="seq mono">${row.seq}</span>
                <span class="time mono">${clock(row.ts)}</span>
                <span class=${`ev mono k-${kindOf(row.event)}`}>${row.event}</span>
                <span class="sum">${row.summary}</span>
              </button>
            `
          )}
        </div>
        ${total === 0
          ? html`<p class="empty">${
            stream.rows.length === 0 ? "No events yet." : "No event matches the filter."
          }</p>`
          : ""}
      </div>
    </section>
  `;
}
