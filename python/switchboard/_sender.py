"""The publishing pipeline: a background thread sends queued events in order, several at a time.

Callers get a ``concurrent.futures.Future`` per event at once, so many publishes are in flight
while the thread sends them in arrival order, in batches (one request for everything queued
for the same session, which the server stores in one go). Every request carries an
idempotency key, reused by its retries, so an event is appended once even when an answer is
lost to a timeout or a dropped connection.
"""

from __future__ import annotations

import collections
import http.client
import logging
import threading
import time
import uuid
from concurrent.futures import Future
from typing import Any, Deque, List, Optional, Tuple
from urllib.parse import quote

from ._http import HttpClient, error_from, to_json
from .errors import SwitchboardError

logger = logging.getLogger("switchboard")

#: Answers worth retrying: rate limited, store briefly unavailable, a proxy in trouble.
RETRYABLE_STATUSES = frozenset({429, 502, 503, 504})
#: Refusals of one bad event in a batch: the batch is retried one event at a time.
PER_EVENT_CODES = frozenset({"INVALID_PAYLOAD", "UNKNOWN_EVENT", "FORBIDDEN", "FRAME_TOO_LARGE"})

_Item = Tuple[str, str, Future]  # session, event JSON, future


def post_with_retries(
    client: HttpClient,
    path: str,
    raw: bytes,
    retries: int,
    backoff: float,
    closed: Optional[threading.Event] = None,
) -> Any:
    """POSTs ``raw`` with one idempotency key, retrying lost answers; the parsed body or raises."""
    key = uuid.uuid4().hex
    last: SwitchboardError = SwitchboardError("UNAVAILABLE", "No attempt made")
    for attempt in range(retries + 1):
        if attempt > 0:
            delay = min(backoff * (2 ** (attempt - 1)), 2.0)
            if closed is not None and closed.wait(delay):
                raise SwitchboardError("CLOSED", "The client was closed")
            if closed is None:
                time.sleep(delay)
        try:
            status, body = client.request("POST", path, raw=raw, headers={"Idempotency-Key": key})
        except (OSError, http.client.HTTPException) as error:
            last = SwitchboardError("UNAVAILABLE", f"Cannot reach {client.url}: {error}")
            continue
        if 200 <= status < 300:
            return body
        last = error_from(status, body)
        if status not in RETRYABLE_STATUSES:
            raise last
    raise last


class Sender:
    """Sends events in order from one background thread."""

    def __init__(self, http: HttpClient, retries: int = 3, backoff: float = 0.2,
                 max_batch: int = 100) -> None:
        self._http = http
        self._retries = retries
        self._backoff = backoff
        self._max_batch = max_batch
        self._queue: Deque[_Item] = collections.deque()
        self._cond = threading.Condition()
        self._busy = False
        self._closed = threading.Event()
        self._thread: Optional[threading.Thread] = None

    def submit(self, session: str, event: str, payload: Any) -> Future:
        """Queues one event; the future resolves with its seq or fails with SwitchboardError."""
        if not isinstance(event, str) or not event:
            raise ValueError("event must be a non-empty string")
        item = to_json({"event": event, "payload": {} if payload is None else payload})
        future: Future = Future()
        with self._cond:
            if self._closed.is_set():
                raise SwitchboardError("CLOSED", "The client was closed")
            self._queue.append((session, item, future))
            if self._thread is None:
                self._thread = threading.Thread(
                    target=self._run, name="switchboard-sender", daemon=True)
                self._thread.start()
            self._cond.notify()
        return future

    def flush(self, timeout: float = 5.0) -> bool:
        """Waits until everything queued was sent (or failed); ``False`` on timeout."""
        deadline = time.monotonic() + timeout
        with self._cond:
            while self._queue or self._busy:
                left = deadline - time.monotonic()
                if left <= 0:
                    return False
                self._cond.wait(left)
        return True

    def close(self, timeout: float = 5.0) -> None:
        """Sends what is queued (up to ``timeout``), then stops; later submits raise CLOSED."""
        self.flush(timeout)
        with self._cond:
            self._closed.set()
            pending = list(self._queue)
            self._queue.clear()
            self._cond.notify_all()
        for _, _, future in pending:
            future.set_exception(SwitchboardError("CLOSED", "The client was closed"))
        if self._thread is not None and self._thread is not threading.current_thread():
            self._thread.join(timeout)

    def _take(self) -> Optional[List[_Item]]:
        with self._cond:
            while not self._queue and not self._closed.is_set():
                self._cond.wait()
            if not self._queue:
                return None
            session = self._queue[0][0]
            batch = []
            while self._queue and self._queue[0][0] == session and len(batch) < self._max_batch:
                batch.append(self._queue.popleft())
            self._busy = True
            return batch

    def _run(self) -> None:
        while True:
            batch = self._take()
            if batch is None:
                return
            try:
                self._send(batch)
            except BaseException as error:  # never let the thread die with futures pending
                for _, _, future in batch:
                    if not future.done():
                        future.set_exception(error)
            finally:
                with self._cond:
                    self._busy = False
                    self._cond.notify_all()

    def _send(self, batch: List[_Item]) -> None:
        session = batch[0][0]
        path = f"/api/sessions/{quote(session, safe='')}/events"
        raw = ("[" + ",".join(item for _, item, _ in batch) + "]").encode()
        try:
            body = post_with_retries(
                self._http, path, raw, self._retries, self._backoff, self._closed)
        except SwitchboardError as error:
            if len(batch) > 1 and error.code in PER_EVENT_CODES:
                # One bad event refuses the whole request: send them one by one instead.
                for item in batch:
                    self._send([item])
                return
            for _, _, future in batch:
                future.set_exception(error)
            return
        seqs = body.get("seqs") if isinstance(body, dict) else None
        if not isinstance(seqs, list) or len(seqs) != len(batch):
            error = SwitchboardError("UNAVAILABLE", f"Unexpected answer: {body!r}")
            for _, _, future in batch:
                future.set_exception(error)
            return
        for (_, _, future), seq in zip(batch, seqs):
            future.set_result(seq)
