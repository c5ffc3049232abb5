"""JSON over HTTP with the standard library: one kept-alive connection per thread."""

from __future__ import annotations

import http.client
import json
import threading
from typing import Any, Dict, Optional, Tuple
from urllib.parse import urlsplit

from .errors import SwitchboardError


class HttpClient:
    """Calls one Switchboard server. Safe to share between threads."""

    def __init__(self, url: str, token: Optional[str] = None, timeout: float = 10.0) -> None:
        parts = urlsplit(url)
        if parts.scheme not in ("http", "https") or not parts.hostname:
            raise ValueError(f'Switchboard URL must be http(s)://host[:port], got "{url}"')
        self.url = url.rstrip("/")
        self.token = token
        self.timeout = timeout
        self._https = parts.scheme == "https"
        self._host = parts.hostname
        self._port = parts.port
        self._local = threading.local()
        # Every thread's kept-alive connection, so close() can release them all.
        self._kept: "set[http.client.HTTPConnection]" = set()
        self._lock = threading.Lock()

    def connection(self, timeout: Optional[float] = None) -> http.client.HTTPConnection:
        """A new connection (the caller owns and closes it), e.g. for a stream."""
        cls = http.client.HTTPSConnection if self._https else http.client.HTTPConnection
        return cls(self._host, self._port, timeout=timeout or self.timeout)

    def headers(self, extra: Optional[Dict[str, str]] = None) -> Dict[str, str]:
        """Request headers: JSON, and the bearer token when there is one."""
        headers = {"Content-Type": "application/json", "Accept": "application/json"}
        if self.token:
            headers["Authorization"] = f"Bearer {self.token}"
        headers.update(extra or {})
        return headers

    def request(
        self,
        method: str,
        path: str,
        body: Any = None,
        headers: Optional[Dict[str, str]] = None,
        raw: Optional[bytes] = None,
    ) -> Tuple[int, Any]:
        """Sends one request and returns ``(status, parsed JSON body)``.

        Network failures raise ``OSError`` / ``http.client.HTTPException`` (the caller decides
        whether to retry); the connection is dropped so the next call opens a fresh one.
        """
        data = raw if raw is not None else None if body is None else to_json(body).encode()
        conn = getattr(self._local, "conn", None)
        if conn is None:
            conn = self._local.conn = self.connection()
            with self._lock:
                self._kept.add(conn)
        try:
            conn.request(method, path, body=data, headers=self.headers(headers))
            response = conn.getresponse()
            raw = response.read()
        except BaseException:
            conn.close()
            self._local.conn = None
            with self._lock:
                self._kept.discard(conn)
            raise
        try:
            parsed = json.loads(raw) if raw else None
        except ValueError:
            parsed = None
        return response.status, parsed

    def close(self) -> None:
        """Closes every thread's kept-alive connection (a later request opens a new one)."""
        with self._lock:
            kept, self._kept = self._kept, set()
        for conn in kept:
            conn.close()
        self._local = threading.local()


def error_from(status: int, body: Any) -> SwitchboardError:
    """The coded error of a failed answer."""
    if isinstance(body, dict) and isinstance(body.get("error"), dict):
        error = body["error"]
        return SwitchboardError(str(error.get("code")), str(error.get("message")), status)
    return SwitchboardError("UNAVAILABLE", f"Unexpected HTTP {status}", status)


def to_json(value: Any) -> str:
    """Compact JSON; values JSON cannot hold (dates, paths, ...) are sent as their ``str()``."""
    return json.dumps(value, separators=(",", ":"), default=str)
