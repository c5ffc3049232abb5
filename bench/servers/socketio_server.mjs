/**
 * @module The Socket.IO 4.8 server the benchmark compares against: the default server on the
 * websocket transport only, rooms for sessions, one broadcast per publish.
 *
 * Events: `join(room, ack)` joins a room; `publish(room, data, ack)` does
 * `io.to(room).emit("tick", data)` and acks; `ping(t, ack)` acks `t` back (the round-trip
 * probe). Clients may also join at connect time with the handshake query `?session=R`. Run:
 * `node bench/servers/socketio_server.mjs --port 8200`.
 *
 * With `--redis redis://HOST:PORT`, several such servers share their rooms through Redis with
 * `@socket.io/redis-streams-adapter` (on an ioredis client): every broadcast is appended to one
 * Redis stream that every server reads, as Switchboard's nodes append to Redis and read from it,
 * so the two-node scenario compares like with like.
 */
import { createServer } from "node:http";
import { parseArgs } from "node:util";
import { createAdapter } from "@socket.io/redis-streams-adapter";
import { Redis } from "ioredis";
import { Server } from "socket.io";

const { values } = parseArgs({
  options: { port: { type: "string" }, redis: { type: "string" } },
});
/** The adapter's Redis client, when rooms span servers. */
const redis = values.redis ? new Redis(values.redis) : undefined;
if (redis) await new Promise((resolve) => redis.once("ready", resolve));
const httpServer = createServer();
const io = new Server(httpServer, {
  // The websocket transport alone, as the generator connects: no long-polling upgrade dance.
  transports: ["websocket"],
  serveClient: false,
  ...(redis ? { adapter: createAdapter(redis) } : {}),
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
  io.close(() => {
    redis?.disconnect();
    process.exit(0);
  });
  // Closing waits for sockets; do not let a stuck one keep the process alive.
  setTimeout(() => process.exit(0), 2000).unref();
}
process.on("SIGTERM", stop);
process.on("SIGINT", stop);
