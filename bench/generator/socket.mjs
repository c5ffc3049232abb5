/**
 * @module A minimal WebSocket client on a raw TCP socket: the load generator's one client for
 * all three servers. It does only what the benchmark needs (text frames, close, ping) and does it
 * without streams or per-frame allocations beyond a Buffer view, so the generator measures the
 * servers rather than itself.
 */
import { createHash, randomBytes } from "node:crypto";
import { connect } from "node:net";

const GUID = "258EAFA5-E914-47DA-95CA-C5AB0DC85B11";
const HEADER_END = Buffer.from("\r\n\r\n");

/**
 * @typedef {object} SocketHandlers
 * @property {(payload: Buffer, socket: RawSocket) => void} onText a complete text frame (a view,
 *   valid until the handler returns) and the socket it came on
 * @property {() => void} onClose the connection ended, for whatever reason
 */

/** A client WebSocket over `node:net`. */
export class RawSocket {
  /**
   * Connects to `url` (`ws://host:port/path?query`); resolves once the upgrade succeeded.
   * @param {string} url
   * @param {SocketHandlers} handlers
   * @param {number} timeoutMs
   * @returns {Promise<RawSocket>}
   */
  static open(url, handlers, timeoutMs) {
    const { hostname, port, pathname, search } = new URL(url);
    const key = randomBytes(16).toString("base64");
    return new Promise((resolve, reject) => {
      const tcp = connect({
        host: hostname,
        port: Number(port),
        noDelay: true,
      });
      const timer = setTimeout(() => {
        tcp.destroy();
        reject(new Error(`Timed out after ${timeoutMs} ms opening ${url}`));
      }, timeoutMs);
      let head = Buffer.alloc(0);
      const onHandshake = (/** @type {Buffer} */ chunk) => {
        head = Buffer.concat([head, chunk]);
        const end = head.indexOf(HEADER_END);
        if (end < 0) return;
        clearTimeout(timer);
        tcp.off("data", onHandshake);
        const response = head.latin1Slice(0, end);
        const accept = createHash("sha1").update(key + GUID).digest("base64");
        if (!/^HTTP\/1\.1 101/.test(response) || !response.includes(accept)) {
          tcp.destroy();
          reject(
            new Error(
              `Upgrade refused by ${url}: ${response.split("\r\n")[0]}`,
            ),
          );
          return;
        }
        const socket = new RawSocket(tcp, handlers);
        resolve(socket);
        // Frames that came with the handshake response.
        if (head.length > end + 4) socket.#receive(head.subarray(end + 4));
      };
      tcp.on("data", onHandshake);
      tcp.once("error", (error) => {
        clearTimeout(timer);
        reject(error);
      });
      tcp.write(
        `GET ${pathname}${search} HTTP/1.1\r\nHost: ${hostname}:${port}\r\n` +
          "Upgrade: websocket\r\nConnection: Upgrade\r\n" +
          `Sec-WebSocket-Key: ${key}\r\nSec-WebSocket-Version: 13\r\n\r\n`,
      );
    });
  }

  /** @type {import("node:net").Socket} */
  #tcp;
  /** @type {SocketHandlers} */
  #handlers;
  /** Bytes of an incomplete frame carried over to the next read. @type {Buffer | undefined} */
  #rest;
  /** Text of a fragmented message so far. @type {Buffer[] | undefined} */
  #fragments;
  #closed = false;

  /**
   * @param {import("node:net").Socket} tcp
   * @param {SocketHandlers} handlers
   */
  constructor(tcp, handlers) {
    this.#tcp = tcp;
    this.#handlers = handlers;
    tcp.on("data", (chunk) => this.#receive(chunk));
    tcp.on("close", () => this.#ended());
    tcp.on("error", () => this.#ended());
  }

  /** Whether the connection is still up. */
  get isOpen() {
    return !this.#closed;
  }

  /**
   * Sends a text frame. Client frames must be masked; an all-zero mask is a valid mask that
   * leaves the bytes as they are, so nothing is copied to mask them.
   * @param {string} text
   */
  send(text) {
    if (this.#closed) return;
    const length = Buffer.byteLength(text);
    const extra = length < 126 ? 0 : length < 65536 ? 2 : 8;
    const frame = Buffer.allocUnsafe(2 + extra + 4 + length);
    frame[0] = 0x81; // FIN, text
    if (extra === 0) frame[1] = 0x80 | length;
    else if (extra === 2) {
      frame[1] = 0x80 | 126;
      frame.writeUInt16BE(length, 2);
    } else {
      frame[1] = 0x80 | 127;
      frame.writeBigUInt64BE(BigInt(length), 2);
    }
    frame.writeUInt32BE(0, 2 + extra);
    frame.write(text, 6 + extra, "utf8");
    this.#tcp.write(frame);
  }

  /** Sends a close frame and ends the connection; resolves once it is closed. */
  close() {
    if (this.#closed) return Promise.resolve();
    return new Promise((resolve) => {
      this.#tcp.once("close", () => resolve(undefined));
      this.#control(0x8, Buffer.from([0x03, 0xe8])); // 1000, normal closure
      this.#tcp.end();
      setTimeout(() => this.#tcp.destroy(), 2000).unref();
    });
  }

  /** Drops the TCP connection without a close frame, as a network failure would. */
  destroy() {
    this.#tcp.destroy();
    this.#ended();
  }

  /** @param {Buffer} chunk */
  #receive(chunk) {
    const buf = this.#rest === undefined ? chunk : Buffer.concat([this.#rest, chunk]);
    this.#rest = undefined;
    let at = 0;
    while (buf.length - at >= 2) {
      const b0 = buf[at];
      let length = buf[at + 1] & 0x7f;
      let start = at + 2;
      if (length === 126) {
        if (buf.length - at < 4) break;
        length = buf.readUInt16BE(at + 2);
        start += 2;
      } else if (length === 127) {
        if (buf.length - at < 10) break;
        length = Number(buf.readBigUInt64BE(at + 2));
        start += 8;
      }
      // Servers never mask their frames (RFC 6455 §5.1).
      if (buf.length < start + length) break;
      this.#frame(b0, buf.subarray(start, start + length));
      at = start + length;
    }
    if (at < buf.length) this.#rest = Buffer.from(buf.subarray(at));
  }

  /**
   * @param {number} b0 first header byte: FIN and opcode
   * @param {Buffer} payload
   */
  #frame(b0, payload) {
    const opcode = b0 & 0x0f;
    const fin = (b0 & 0x80) !== 0;
    if (opcode === 0x1 || opcode === 0x2 || opcode === 0x0) {
      if (fin && this.#fragments === undefined) {
        return this.#handlers.onText(payload, this);
      }
      (this.#fragments ??= []).push(Buffer.from(payload));
      if (!fin) return;
      const whole = Buffer.concat(this.#fragments);
      this.#fragments = undefined;
      return this.#handlers.onText(whole, this);
    }
    if (opcode === 0x9) return this.#control(0xa, payload); // ping → pong
    if (opcode === 0x8) {
      this.#control(0x8, payload.subarray(0, 2));
      this.#tcp.end();
      this.#ended();
    }
  }

  /**
   * @param {number} opcode
   * @param {Buffer} payload at most 125 bytes
   */
  #control(opcode, payload) {
    if (this.#tcp.destroyed) return;
    const frame = Buffer.alloc(6 + payload.length);
    frame[0] = 0x80 | opcode;
    frame[1] = 0x80 | payload.length;
    payload.copy(frame, 6);
    this.#tcp.write(frame);
  }

  #ended() {
    if (this.#closed) return;
    this.#closed = true;
    this.#handlers.onClose();
  }
}
