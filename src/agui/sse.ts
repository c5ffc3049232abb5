/**
 * @module A minimal Server-Sent Events stream of a session's AG-UI projection: replay after a
 * seq (the projection rebuilt from the events before it), then live, through an in-process hub subscription (so no gap and no duplicate), each
 * AG-UI event one `data:` line. A reader that stops reading is closed by the hub's slow-consumer
 * budget. Written here because the shared SSE transport had not landed when AG-UI out was built.
 */
import type { Principal } from "../auth/identity.ts";
import type { Connection } from "../hub/connection.ts";
import type { Hub } from "../hub/hub.ts";
import type { Gate } from "../ingress/gate.ts";
import type { SessionId } from "../ingress/inbound_limits.ts";
import { CLOSE_CODES } from "../protocol/close_codes.ts";
import { type HubFrame, listen } from "../hooks/hub_listener.ts";
import { type AguiEvent, AguiProjection } from "./projection.ts";

/** Options of {@linkcode aguiStream}. */
export interface AguiStreamOptions {
  /** The hub. */
  hub: Hub;
  /** The gate, which checks the subscription. */
  gate: Gate;
  /** Who reads (the subscription is authorized as them). */
  principal: Principal;
  /** The session. */
  session: SessionId;
  /**
   * Events up to this seq only rebuild the projection's state (`Last-Event-ID`, or the events
   * before a resume's DECISION); the stream shows those after it. @default 0
   */
  resumeAfter?: number;
  /**
   * `"run"` ends the stream once it has caught up and the last run it showed has closed (what
   * `HttpAgent` waits for); `"watch"` never ends and labels each event with `id: <seq>`.
   */
  mode: "run" | "watch";
  /** Milliseconds between keep-alive comments. @default 15000 */
  keepAliveMs?: number;
}

const encoder = new TextEncoder();
const READ_PAGE = 500;

/** Opens the stream; resolves once the subscription is in place. */
export async function aguiStream(options: AguiStreamOptions): Promise<ReadableStream<Uint8Array>> {
  const { hub, session, mode } = options;
  const projection = new AguiProjection(session);
  const resumeAfter = options.resumeAfter ?? 0;
  await rebuild(hub, options.principal, session, resumeAfter, projection);
  let controller!: ReadableStreamDefaultController<Uint8Array>;
  // Set once each, after the callbacks below that release them are defined.
  const held: { connection?: Connection; keepAlive?: ReturnType<typeof setInterval> } = {};
  let live = false;
  let emitted = 0;
  let closed = false;

  const finish = () => {
    if (closed) return;
    closed = true;
    clearInterval(held.keepAlive);
    held.connection?.close(CLOSE_CODES.GOING_AWAY, "Stream ended");
    try {
      controller.close();
    } catch { /* already closed by the reader */ }
  };
  const settled = () => {
    if (mode === "run" && live && emitted > 0 && !projection.runOpen) finish();
  };
  const write = (seq: number, events: AguiEvent[]) => {
    if (closed || events.length === 0) return;
    const id = mode === "watch" ? `id: ${seq}\n` : "";
    controller.enqueue(
      encoder.encode(events.map((e) => `${id}data: ${JSON.stringify(e)}\n\n`).join("")),
    );
    emitted += events.length;
  };
  const onFrame = (frame: HubFrame) => {
    if (frame.event === "session:deleted") return finish();
    if (frame.seq === undefined || frame.seq <= resumeAfter) return;
    write(frame.seq, projection.push({ ...frame, seq: frame.seq }));
    settled();
  };

  const stream = new ReadableStream<Uint8Array>({
    start(c) {
      controller = c;
    },
    cancel() {
      finish();
    },
  }, { highWaterMark: 0, size: (chunk) => chunk.byteLength });

  const connection = listen(hub, options.principal, {
    onFrame,
    onClose: finish,
    // With a high-water mark of 0 the desired size is minus what the reader has not taken.
    bufferedAmount: () => Math.max(0, -(controller.desiredSize ?? 0)),
  });
  held.connection = connection;
  try {
    await (await options.gate.subscribe(
      connection,
      session,
      { lastSeq: resumeAfter },
      () => {
        live = true;
        queueMicrotask(settled);
      },
    )).result;
  } catch (error) {
    finish();
    throw error;
  }
  held.keepAlive = setInterval(() => {
    if (!closed) controller.enqueue(encoder.encode(": keep-alive\n\n"));
  }, options.keepAliveMs ?? 15_000);
  return stream;
}

/** Feeds the events up to `upTo` to the projection without emitting them. */
async function rebuild(
  hub: Hub,
  principal: Principal,
  session: string,
  upTo: number,
  projection: AguiProjection,
): Promise<void> {
  let after = 0;
  const actor = { id: "ag-ui", principal };
  while (after < upTo) {
    const page = await hub.readEvents(session, {
      after,
      limit: Math.min(READ_PAGE, upTo - after),
      actor,
    });
    if (page.length === 0) return;
    for (const e of page) {
      if (e.seq > upTo) return;
      projection.push({ seq: e.seq, event: e.event, payload: JSON.parse(e.data), ts: e.ts });
    }
    after = page[page.length - 1].seq;
  }
}
