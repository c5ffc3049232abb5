/**
 * @module An in-memory transport for hub tests: records the frames the hub sends and lets the
 * test set the outbound buffer level, with no network.
 */
import type { Transport } from "../../src/mod.ts";
import type { Frame } from "../_helpers.ts";

/** A {@linkcode Transport} that keeps every frame it is given. */
export class FakeTransport implements Transport {
  /** Frames sent, as text, in order. */
  readonly sent: string[] = [];
  /** Bytes "queued"; the test sets it to simulate a slow reader. */
  bufferedAmount = 0;
  /** The close the hub asked for, once it did. */
  closedWith: { code: number; reason: string } | undefined;

  /** `true` until the hub closes it. */
  get isOpen(): boolean {
    return this.closedWith === undefined;
  }

  /** Records a frame. */
  send(frame: string): void {
    // The hub promises never to send on a closed transport; hold it to that.
    if (!this.isOpen) throw new Error(`Frame sent after close: ${frame}`);
    this.sent.push(frame);
  }

  /** Records the close; the transport is closed from then on. */
  close(code: number, reason: string): void {
    this.closedWith = { code, reason };
  }

  /** Every frame, parsed. */
  get frames(): Frame[] {
    return this.sent.map((text) => JSON.parse(text));
  }

  /** Session events (frames with a seq) of `session`, parsed. */
  events(session: string): Frame[] {
    return this.frames.filter((f) => f.session === session && typeof f.seq === "number");
  }

  /** Seqs of the session events of `session`, in arrival order. */
  seqs(session: string): number[] {
    return this.events(session).map((f) => f.seq);
  }
}
