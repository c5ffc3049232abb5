/**
 * @module The bare Deno relay: the floor for any Deno WebSocket server. Rooms are Sets of
 * sockets and a publisher's text goes unchanged to every socket in its room.
 *
 * `GET /ws?session=R` joins room R; `GET /ws?to=R` makes every frame the socket sends go to room
 * R; a socket with neither gets its own frames echoed (the round-trip probe). Run:
 * `deno run -A bench/servers/relay.ts --port 8100`.
 */
import { parseArgs } from "node:util";

const rooms = new Map<string, Set<WebSocket>>();

/** Upgrades `/ws` requests and wires the socket to its room. */
function handle(request: Request): Response {
  const url = new URL(request.url);
  if (url.pathname !== "/ws") return new Response("relay", { status: 200 });
  const join = url.searchParams.get("session");
  const to = url.searchParams.get("to");
  const { socket, response } = Deno.upgradeWebSocket(request, {
    idleTimeout: 0,
  });
  if (join !== null) {
    let room = rooms.get(join);
    if (!room) rooms.set(join, room = new Set());
    room.add(socket);
    socket.onclose = () => {
      room.delete(socket);
      if (room.size === 0) rooms.delete(join);
    };
  }
  socket.onmessage = (message) => {
    if (to === null) {
      socket.send(message.data);
      return;
    }
    // The same string object to every socket: nothing is encoded per subscriber.
    const members = rooms.get(to);
    if (!members) return;
    for (const member of members) {
      if (member.readyState === WebSocket.OPEN) member.send(message.data);
    }
  };
  return response;
}

if (import.meta.main) {
  const { values } = parseArgs({
    args: Deno.args,
    options: { port: { type: "string" } },
  });
  const server = Deno.serve({
    hostname: "127.0.0.1",
    port: Number(values.port ?? 8100),
    onListen: ({ port }) => console.log(`relay listening on ${port}`),
  }, handle);
  const stop = () => server.shutdown().then(() => Deno.exit(0));
  Deno.addSignalListener("SIGTERM", stop);
  Deno.addSignalListener("SIGINT", stop);
}
