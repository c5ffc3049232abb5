"""The Switchboard client: publish events, follow commands, know the execution state."""

from __future__ import annotations

import asyncio
import atexit
import threading
import weakref
from concurrent.futures import Future
from typing import Any, Callable, Dict, Iterable, List, Mapping, Optional, Sequence, Tuple, Union

from ._commands import Commands
from ._http import HttpClient
from ._listener import StreamListener
from ._sender import Sender
from ._state import ExecutionState, Pending

EventItem = Union[Tuple[str, Any], Mapping[str, Any]]


#: Every open client, so queued publishes are sent before the interpreter exits.
_open_cores: "weakref.WeakSet[Core]" = weakref.WeakSet()


@atexit.register
def _flush_at_exit() -> None:
    for core in list(_open_cores):
        core.sender.flush(5.0)


class Core:
    """What clients share: the HTTP client, the sender, the command handlers, the listeners."""

    def __init__(self, url: str, token: Optional[str] = None, timeout: float = 10.0,
                 retries: int = 3) -> None:
        self.http = HttpClient(url, token, timeout)
        self.sender = Sender(self.http, retries=retries)
        self.commands = Commands(self._report)
        self._listeners: Dict[str, StreamListener] = {}
        self._lock = threading.Lock()
        _open_cores.add(self)

    def publish(self, session: str, event: str, payload: Any) -> "Future[int]":
        """Queues an event; the future gives its seq."""
        return self.sender.submit(session, event, payload)

    def listen(self, session: str, after: Optional[int] = None) -> StreamListener:
        """Follows ``session``'s commands (once per session); ``after`` rewinds an existing one."""
        with self._lock:
            listener = self._listeners.get(session)
            if listener is None:
                listener = self._listeners[session] = StreamListener(
                    self.http, session, self.commands.on_event, self.commands.set_state,
                    after=after).start()
                return listener
        if after is not None:
            listener.rewind(after)
        return listener

    def close(self, timeout: float = 5.0) -> None:
        """Sends what is queued, then stops every thread."""
        self.sender.close(timeout)
        with self._lock:
            listeners = list(self._listeners.values())
            self._listeners.clear()
        for listener in listeners:
            listener.close()
        self.http.close()

    def _report(self, session: str, event: str, payload: Dict[str, Any]) -> None:
        self.sender.submit(session, event, payload)


def _items(events: Iterable[EventItem]) -> List[Tuple[str, Any]]:
    out = []
    for item in events:
        if isinstance(item, Mapping):
            out.append((item["event"], item.get("payload")))
        else:
            event, payload = item
            out.append((event, payload))
    return out


class Switchboard:
    """A session on a Switchboard hub.

    ``emit`` publishes and returns the event's seq; ``emit_async`` does the same without blocking
    the event loop. Publishes are pipelined: many may be in flight, they are stored in call
    order, and each request carries an idempotency key so a retry never appends twice. The
    client follows its session's stream for commands (see ``register_command_handler``).

    >>> sb = Switchboard("http://127.0.0.1:8000", "demo")
    >>> sb.emit("skill:started", {"skill_name": "lint"})
    1
    """

    def __init__(self, url: str, session: str, token: Optional[str] = None, *,
                 timeout: float = 10.0, retries: int = 3, listen: bool = True) -> None:
        if not isinstance(session, str) or not session:
            raise ValueError("session must be a non-empty string")
        self.session = session
        self._core = Core(url, token, timeout, retries)
        self._listener: Optional[StreamListener] = None
        self._first = threading.Lock()
        self._published = False
        if listen:
            self._listener = self._core.listen(session)

    def emit(self, event: str, payload: Optional[Mapping[str, Any]] = None,
             timeout: Optional[float] = None) -> int:
        """Publishes one event and returns its seq; raises SwitchboardError with the code."""
        return self.publish(event, payload).result(timeout)

    def emit_many(self, events: Iterable[EventItem], timeout: Optional[float] = None) -> List[int]:
        """Publishes ``(event, payload)`` pairs (or ``{"event", "payload"}`` dicts) in order."""
        pending = [self.publish(event, payload) for event, payload in _items(events)]
        return [p.result(timeout) for p in pending]

    async def emit_async(self, event: str, payload: Optional[Mapping[str, Any]] = None) -> int:
        """``emit`` for coroutines: awaits the seq without blocking the event loop."""
        self._core.commands.remember_loop()
        return await self.publish(event, payload)

    async def emit_many_async(self, events: Iterable[EventItem]) -> List[int]:
        """``emit_many`` for coroutines."""
        self._core.commands.remember_loop()
        pending = [self.publish(event, payload) for event, payload in _items(events)]
        return list(await asyncio.gather(*(_wait(p) for p in pending)))

    def publish(self, event: str, payload: Optional[Mapping[str, Any]] = None) -> Pending:
        """Queues an event and returns at once; the result is awaitable and has ``result()``."""
        future = self._core.publish(self.session, event, payload)
        with self._first:
            first, self._published = not self._published, True
        if first and self._listener is not None:
            # Commands sent from our first event on are ours, even if the stream started later.
            listener = self._listener
            future.add_done_callback(
                lambda f: f.exception() is None and listener.rewind(f.result() - 1))
        return Pending(future)

    def register_command_handler(self, command_type: str,
                                 handler: Callable[..., Any]) -> Callable[[], None]:
        """Runs ``handler`` for each ``command_type`` command (HALT, RESUME, ...) of the session.

        The handler may be sync or async and take no argument or the command (a dict with
        ``commandId``, ``type`` and the command's fields). Each command is handled once; the
        outcome is published as ``command:applied``. Returns a function that removes it.
        """
        return self._core.commands.register(command_type, handler)

    def get_execution_state(self) -> ExecutionState:
        """The session's execution state as last reported by the hub (awaitable too)."""
        return self._core.commands.state(self.session)

    def wait_until_listening(self, timeout: float = 10.0) -> bool:
        """Blocks until the command stream is live; ``False`` on timeout."""
        return self._listener is not None and self._listener.live.wait(timeout)

    def flush(self, timeout: float = 5.0) -> bool:
        """Waits until every queued publish was sent."""
        return self._core.sender.flush(timeout)

    def close(self) -> None:
        """Sends what is queued, stops listening and releases connections."""
        self._core.close()

    def __enter__(self) -> "Switchboard":
        return self

    def __exit__(self, *exc: Any) -> None:
        self.close()


async def _wait(pending: Pending) -> int:
    return await pending
