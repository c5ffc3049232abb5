"""A TCP proxy that can swallow the server's next answer, as a dropped connection would."""

from __future__ import annotations

import socket
import threading


class DroppingProxy:
    """Forwards 127.0.0.1:<port> to ``upstream``; ``drop_next()`` loses the next answer."""

    def __init__(self, upstream_port: int) -> None:
        self.upstream_port = upstream_port
        self._listener = socket.create_server(("127.0.0.1", 0))
        self.port = self._listener.getsockname()[1]
        self._drop = threading.Event()
        self.dropped = 0
        self._sockets: list = []
        self._closed = False
        threading.Thread(target=self._accept, daemon=True).start()

    def drop_next(self) -> None:
        """The next answer from the server is read and thrown away, and the client cut off."""
        self._drop.set()

    def close(self) -> None:
        self._closed = True
        self._listener.close()
        for s in self._sockets:
            try:
                s.close()
            except OSError:
                pass

    def _accept(self) -> None:
        while not self._closed:
            try:
                client, _ = self._listener.accept()
            except OSError:
                return
            upstream = socket.create_connection(("127.0.0.1", self.upstream_port))
            self._sockets += [client, upstream]
            threading.Thread(target=self._pipe, args=(client, upstream, False),
                             daemon=True).start()
            threading.Thread(target=self._pipe, args=(upstream, client, True),
                             daemon=True).start()

    def _pipe(self, source: socket.socket, target: socket.socket, answers: bool) -> None:
        try:
            while True:
                data = source.recv(65536)
                if not data:
                    break
                if answers and self._drop.is_set():
                    self._drop.clear()
                    self.dropped += 1
                    break
                target.sendall(data)
        except OSError:
            pass
        for s in (source, target):
            try:
                s.shutdown(socket.SHUT_RDWR)
            except OSError:
                pass
            s.close()
