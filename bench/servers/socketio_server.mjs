/**
 * @module The Socket.IO 4.8 server the benchmark compares against: the default server on the
 * websocket transport only, rooms for sessions, one broadcast per publish.
 *
 * Events: `join(room, ack)` joins a room; `publish(room, data, ack)` does
 * `io.to(room).emit("tick", data)` and acks; `ping(t, ack)` acks `t` back (the round-trip
 * probe). Clients may also join at connect time with the handshake query `?session=R`. Run:
 * `node bench/servers/socketio_server.mjs --port 8200`.
 */
import { createServer } from "node:http";
import { parseArgs } from "node:util";
import { Server } from "socket.io";

const { values } = parseArgs({ options: { port: { type: "string" } } });
const httpServer = createServer();
const io = new Server(httpServer, {
  // The websocket transport alone, as the generator connects: no long-polling upgrade dance.
  transports: ["websocket"],
  serveClient: false,
});

io.on("connection", (socket) => {
  const session = socket.handshake.query.session;
  if (typeof session === "string") socket.join(session);
  socket.on("join", (room, ack) => {
    socket.join(String(room));
    if (typeof ack === "function") ack(true);
  });
  socket.on("publish", (room, data, ack) => {
    // One broadcast: the adapter encodes the packet once and writes it to every socket.
    io.to(String(room)).emit("tick", data);
    if (typeof ack === "function") ack(true);
  });
  socket.on("ping", (t, ack) => {
    if (typeof ack === "function") ack(t);
  });
});

httpServer.listen(Number(values.port ?? 8200), "127.0.0.1", () => {
  const address = httpServer.address();
  console.log(
    `socket.io listening on ${typeof address === "object" ? address?.port : address}`,
  );
});

function stop() {
  io.close(() => process.exit(0));
  // Closing waits for sockets; do not let a stuck one keep the process alive.
  setTimeout(() => process.exit(0), 2000).unref();
}
process.on("SIGTERM", stop);
process.on("SIGINT", stop);
