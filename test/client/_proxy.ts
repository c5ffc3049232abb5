/**
 * @module A TCP proxy on 127.0.0.1 in front of the real server, to stage network faults: freeze
 * (bytes stop flowing but connections stay open, like a dead link) and cut (every connection
 * drops without a WebSocket close frame, like a lost network).
 */

/** A running proxy. */
export interface Proxy {
  /** Base URL of the proxy, e.g. `http://127.0.0.1:1234`. */
  url: string;
  /** Stops forwarding bytes (both ways) until {@linkcode thaw}; connections stay open. */
  freeze(): void;
  /** Resumes forwarding. */
  thaw(): void;
  /** Drops every proxied connection at once; new ones are still accepted. */
  cut(): void;
  /** Stops accepting, drops every connection and waits until all of it is released. */
  close(): Promise<void>;
}

/** Starts a proxy that forwards to `127.0.0.1:targetPort`. */
export function startProxy(targetPort: number): Proxy {
  const listener = Deno.listen({ hostname: "127.0.0.1", port: 0 });
  const conns = new Set<Deno.Conn>();
  const pumps = new Set<Promise<void>>();
  let gate: { promise: Promise<void>; open: () => void } | undefined;

  function drop(conn: Deno.Conn): void {
    if (!conns.delete(conn)) return;
    try {
      conn.close();
    } catch {
      // Already closed.
    }
  }

  async function pump(from: Deno.Conn, to: Deno.Conn): Promise<void> {
    const buffer = new Uint8Array(64 * 1024);
    try {
      while (true) {
        const n = await from.read(buffer);
        if (n === null) break;
        while (gate) await gate.promise;
        let written = 0;
        while (written < n) written += await to.write(buffer.subarray(written, n));
      }
    } catch {
      // The other side or cut() closed the connection.
    } finally {
      drop(from);
      drop(to);
    }
  }

  function track(promise: Promise<void>): void {
    pumps.add(promise);
    promise.finally(() => pumps.delete(promise));
  }

  const accepting = (async () => {
    for await (const client of listener) {
      conns.add(client);
      try {
        const server = await Deno.connect({ hostname: "127.0.0.1", port: targetPort });
        conns.add(server);
        track(pump(client, server));
        track(pump(server, client));
      } catch {
        drop(client);
      }
    }
  })().catch(() => {});

  const { port } = listener.addr as Deno.NetAddr;
  return {
    url: `http://127.0.0.1:${port}`,
    freeze() {
      if (gate) return;
      let open!: () => void;
      const promise = new Promise<void>((resolve) => open = resolve);
      gate = { promise, open };
    },
    thaw() {
      gate?.open();
      gate = undefined;
    },
    cut() {
      for (const conn of [...conns]) drop(conn);
    },
    async close() {
      this.thaw();
      listener.close();
      await accepting;
      this.cut();
      while (pumps.size > 0) await Promise.all([...pumps]);
    },
  };
}
