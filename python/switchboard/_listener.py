"""Follows one session's Server-Sent Events stream in a background thread.

It reconnects after any disconnect with backoff and resumes after the last seq it saw (with the
stream's epoch), so every command is seen once, in order, across server restarts.
"""

from __future__ import annotations

import http.client
import json
import logging
import threading
from typing import Any, Callable, Dict, Optional
from urllib.parse import quote, urlencode

from ._http import HttpClient, error_from
from .errors import SwitchboardError

logger = logging.getLogger("switchboard")

#: A stream silent this long (the server comments every 15 s) is taken for dead.
READ_TIMEOUT_S = 45.0
#: Reconnection delays grow from the first to the last.
BACKOFF_S = (0.1, 0.25, 0.5, 1.0, 2.0)

OnEvent = Callable[[str, str, Dict[str, Any]], None]
OnState = Callable[[str, str], None]


class StreamListener:
    """One session's stream: ``start()`` it, ``close()`` it."""

    def __init__(self, http: HttpClient, session: str, on_event: OnEvent, on_state: OnState,
                 after: Optional[int] = None, events: str = "command,execution:*") -> None:
        self._http = http
        self.session = session
        self._on_event = on_event
        self._on_state = on_state
        self._events = events
        #: Seq of the last event seen; ``None`` until the start position is known.
        self.last_seq: Optional[int] = after
        self.epoch: Optional[str] = None
        #: Set while the stream is live (replay done).
        self.live = threading.Event()
        self._closed = threading.Event()
        self._conn: Optional[http.client.HTTPConnection] = None
        self._lock = threading.Lock()
        self._thread = threading.Thread(
            target=self._run, name=f"switchboard-listen-{session}", daemon=True)

    def start(self) -> "StreamListener":
        """Starts following the stream."""
        self._thread.start()
        return self

    def rewind(self, after: int) -> None:
        """Makes sure events after ``after`` are seen: reconnects from there if already past."""
        with self._lock:
            if self.last_seq is not None and self.last_seq <= after:
                return
            self.last_seq = after
            conn = self._conn
        if conn is not None and conn.sock is not None:
            self._shutdown(conn)

    def close(self, timeout: float = 2.0) -> None:
        """Stops following and waits briefly for the thread."""
        self._closed.set()
        conn = self._conn
        if conn is not None:
            self._shutdown(conn)
        if self._thread.is_alive() and self._thread is not threading.current_thread():
            self._thread.join(timeout)

    def _run(self) -> None:
        failures = 0
        while not self._closed.is_set():
            try:
                if self._follow():
                    failures = 0
            except SwitchboardError as error:
                # Refused (a bad token, no grant): say so once, keep trying in case it is fixed.
                level = logging.WARNING if failures == 0 else logging.DEBUG
                logger.log(level, "Cannot follow the commands of %s: %s", self.session, error)
            except Exception as error:  # any failure: wait, then resume from the last seq
                logger.debug("Stream of %s dropped: %s", self.session, error)
            self.live.clear()
            delay = BACKOFF_S[min(failures, len(BACKOFF_S) - 1)]
            failures += 1
            if self._closed.wait(delay):
                return

    def _start_position(self) -> None:
        status, body = self._http.request("GET", f"/api/sessions/{quote(self.session, safe='')}")
        if status == 200 and isinstance(body, dict) and isinstance(body.get("session"), dict):
            info = body["session"]
            self._on_state(self.session, str(info.get("state")))
            self.epoch = self.epoch or info.get("epoch")
            with self._lock:
                if self.last_seq is None:
                    self.last_seq = int(info.get("headSeq", 0))
        elif status == 404:
            with self._lock:
                if self.last_seq is None:
                    self.last_seq = 0
        else:
            raise error_from(status, body)

    def _follow(self) -> bool:
        """Reads the stream until it ends; ``True`` if it got as far as live delivery."""
        if self.last_seq is None or self.epoch is None:
            self._start_position()
        query = {"lastSeq": self.last_seq, "events": self._events}
        if self.epoch:
            query["epoch"] = self.epoch
        if not self._http.token:
            query["role"] = "orchestrator"
        path = f"/api/sessions/{quote(self.session, safe='')}/stream?{urlencode(query)}"
        conn = self._http.connection(timeout=READ_TIMEOUT_S)
        with self._lock:
            self._conn = conn
        if self._closed.is_set():
            return False
        try:
            conn.request("GET", path, headers=self._http.headers({"Accept": "text/event-stream"}))
            response = conn.getresponse()
            if response.status != 200:
                raise error_from(response.status, _json(response.read()))
            return self._read(response)
        finally:
            with self._lock:
                self._conn = None
            conn.close()

    def _read(self, response: http.client.HTTPResponse) -> bool:
        reached_live = False
        event, data, record_id = "message", [], None
        while not self._closed.is_set():
            raw = response.readline()
            if not raw:
                return reached_live
            line = raw.decode("utf-8").rstrip("\r\n")
            if line == "":
                if data:
                    reached_live |= self._record(event, "\n".join(data), record_id)
                event, data, record_id = "message", [], None
            elif line.startswith(":"):
                continue
            else:
                field, _, value = line.partition(":")
                value = value[1:] if value.startswith(" ") else value
                if field == "event":
                    event = value
                elif field == "data":
                    data.append(value)
                elif field == "id":
                    record_id = value
        return reached_live

    def _record(self, event: str, data: str, record_id: Optional[str]) -> bool:
        body = _json(data.encode())
        if event == "subscribed" and isinstance(body, dict):
            self.epoch = body.get("epoch", self.epoch)
            self.live.set()
            return True
        if event == "reset" and isinstance(body, dict):
            # The stream we knew is gone (new epoch, or trimmed): take the new one from its start.
            self.epoch = body.get("epoch")
            with self._lock:
                self.last_seq = 0
            return False
        if record_id is None or not isinstance(body, dict):
            return False
        seq = int(record_id)
        with self._lock:
            if self.last_seq is not None and seq <= self.last_seq:
                return False
            self.last_seq = seq
        try:
            self._on_event(self.session, event, body)
        except Exception as error:
            logger.warning("Switchboard event handler failed: %s", error)
        return False

    @staticmethod
    def _shutdown(conn: http.client.HTTPConnection) -> None:
        try:
            if conn.sock is not None:
                import socket
                conn.sock.shutdown(socket.SHUT_RDWR)
        except OSError:
            pass


def _json(raw: bytes) -> Any:
    try:
        return json.loads(raw)
    except ValueError:
        return None
