"""Commands for the orchestrator: handlers by command type, run once per command, their outcome
reported as ``command:applied``; and the execution state of each followed session."""

from __future__ import annotations

import asyncio
import collections
import inspect
import logging
import threading
from typing import Any, Callable, Dict, List, Optional

from ._state import STATE_BY_EVENT, ExecutionState

logger = logging.getLogger("switchboard")

#: How long one handler may run before it is reported failed.
HANDLER_TIMEOUT_S = 60.0
#: Command ids remembered to handle each command once across reconnects and replays.
MAX_SEEN = 10_000

Publish = Callable[[str, str, Dict[str, Any]], Any]


def _wants_argument(fn: Callable[..., Any]) -> bool:
    try:
        params = inspect.signature(fn).parameters.values()
    except (TypeError, ValueError):
        return True
    return any(
        p.kind in (p.VAR_POSITIONAL,) or
        (p.kind in (p.POSITIONAL_ONLY, p.POSITIONAL_OR_KEYWORD) and p.default is p.empty)
        for p in params)


class Commands:
    """Handler registry and per-session state, fed by the stream listeners."""

    def __init__(self, publish: Publish) -> None:
        self._publish = publish
        self._handlers: Dict[str, List[Callable[..., Any]]] = {}
        self._states: Dict[str, ExecutionState] = {}
        self._seen: "collections.OrderedDict[str, None]" = collections.OrderedDict()
        self._lock = threading.Lock()
        #: The application's event loop, where handlers run when it is running.
        self.loop: Optional[asyncio.AbstractEventLoop] = None

    def remember_loop(self) -> None:
        """Notes the running event loop, if any: async (and sync) handlers will run on it."""
        try:
            self.loop = asyncio.get_running_loop()
        except RuntimeError:
            pass

    def register(self, command_type: str, handler: Callable[..., Any]) -> Callable[[], None]:
        """Adds a handler for ``command_type`` (``"HALT"``, ...); returns its remover."""
        if not callable(handler):
            raise TypeError("handler must be callable")
        self.remember_loop()
        with self._lock:
            self._handlers.setdefault(command_type.upper(), []).append(handler)

        def remove() -> None:
            with self._lock:
                handlers = self._handlers.get(command_type.upper(), [])
                if handler in handlers:
                    handlers.remove(handler)
        return remove

    def state(self, session: str) -> ExecutionState:
        """The last known state of ``session`` (``IDLE`` when nothing is known)."""
        return self._states.get(session, ExecutionState.IDLE)

    def set_state(self, session: str, state: str) -> None:
        """Sets the state from the hub's own description of the session."""
        try:
            self._states[session] = ExecutionState(state)
        except ValueError:
            pass

    def on_event(self, session: str, name: str, frame: Dict[str, Any]) -> None:
        """Takes one session event from a stream: follows the state, runs command handlers."""
        state = STATE_BY_EVENT.get(name)
        if state is not None:
            self._states[session] = state
        if name == "command" and isinstance(frame.get("payload"), dict):
            self._dispatch(session, frame["payload"])

    def _dispatch(self, session: str, command: Dict[str, Any]) -> None:
        command_id = str(command.get("commandId"))
        with self._lock:
            if command_id in self._seen:
                return
            self._seen[command_id] = None
            if len(self._seen) > MAX_SEEN:
                self._seen.popitem(last=False)
            handlers = list(self._handlers.get(str(command.get("type")), []))
        if not handlers:
            return
        ok, message = True, None
        for handler in handlers:
            try:
                self._run(handler, command)
            except Exception as error:  # the outcome is reported, the listener goes on
                ok, message = False, f"{type(error).__name__}: {error}"
                logger.warning("Command handler for %s failed: %s", command.get("type"), message)
        outcome: Dict[str, Any] = {"commandId": command_id, "ok": ok}
        if message is not None:
            outcome["message"] = message
        try:
            self._publish(session, "command:applied", outcome)
        except Exception as error:
            logger.warning("Cannot report command:applied: %s", error)

    def _run(self, handler: Callable[..., Any], command: Dict[str, Any]) -> Any:
        args = (command,) if _wants_argument(handler) else ()

        async def invoke() -> Any:
            result = handler(*args)
            if inspect.isawaitable(result):
                result = await result
            return result

        loop = self.loop
        if loop is not None and loop.is_running() and not loop.is_closed():
            return asyncio.run_coroutine_threadsafe(invoke(), loop).result(HANDLER_TIMEOUT_S)
        return asyncio.run(invoke())
