"""The module-level client behind the seeds' helpers (``emit_skill_event(...)``, ...).

Configured by ``configure(url, token)`` or the environment (``SWITCHBOARD_URL``,
``SWITCHBOARD_TOKEN``, ``SWITCHBOARD_SESSION``); it follows ``SWITCHBOARD_SESSION`` when set and
every session it published to, from that session's first event on.
"""

from __future__ import annotations

import atexit
import os
import threading
from typing import Any, Callable, Dict, Optional

from .client import Core
from .errors import SwitchboardError
from ._state import ExecutionState, Pending

#: Where the helpers publish when neither configure() nor SWITCHBOARD_URL says otherwise.
DEFAULT_URL = "http://127.0.0.1:8000"

_lock = threading.Lock()
_core: Optional[Core] = None
_session: Optional[str] = None
# Sessions followed, in the order first published to (a dict keeps that order).
_followed: Dict[str, None] = {}


def configure(url: Optional[str] = None, token: Optional[str] = None, *,
              session: Optional[str] = None, timeout: float = 10.0, retries: int = 3) -> None:
    """Points the module-level helpers at a hub (replacing an earlier configuration).

    ``url`` defaults to ``$SWITCHBOARD_URL`` (else http://127.0.0.1:8000), ``token`` to
    ``$SWITCHBOARD_TOKEN``, ``session`` (the session to follow and publish to by default) to
    ``$SWITCHBOARD_SESSION``.
    """
    global _core, _session
    with _lock:
        old = _core
        _core = Core(url or os.environ.get("SWITCHBOARD_URL") or DEFAULT_URL,
                     token or os.environ.get("SWITCHBOARD_TOKEN") or None, timeout, retries)
        _session = session or os.environ.get("SWITCHBOARD_SESSION") or None
        _followed.clear()
        core, default_session = _core, _session
    if old is not None:
        old.close()
    if default_session:
        _follow(core, default_session, None)


def _current() -> Core:
    if _core is None:
        configure()
    assert _core is not None
    return _core


def _follow(core: Core, session: str, after: Optional[int]) -> None:
    with _lock:
        first = session not in _followed
        _followed[session] = None
    if first or after is not None:
        core.listen(session, after)


def emit_event(event_type: str, data: Any = None, session_id: Optional[str] = None) -> Pending:
    """Publishes ``event_type`` with payload ``data`` to ``session_id`` (default: the configured
    session). Returns at once; ``await`` the result for the seq, or leave it: it is sent anyway
    and a failure is logged."""
    core = _current()
    session = session_id or _session
    if not session:
        raise SwitchboardError(
            "SESSION_REQUIRED", "Pass session_id or set SWITCHBOARD_SESSION / configure(session=)")
    core.commands.remember_loop()
    future = core.publish(session, event_type, data)
    if session not in _followed:
        # Follow the session's commands from this event on (its seq minus one).
        future.add_done_callback(
            lambda f: f.exception() is None and _follow(core, session, f.result() - 1))
    return Pending(future)


def emit_skill_event(event_type: str, data: Any = None, session_id: Optional[str] = None) -> Pending:
    """The seeds' ``emit_skill_event('skill:started', {'skill_name': ...}, session_id=...)``."""
    return emit_event(event_type, data, session_id)


def emit_file_event(event_type: str, data: Any = None, session_id: Optional[str] = None) -> Pending:
    """The seeds' ``emit_file_event('file:modified', {'path': ..., 'lines_changed': ...})``."""
    return emit_event(event_type, data, session_id)


def emit_decision_event(event_type: str, data: Any = None,
                        session_id: Optional[str] = None) -> Pending:
    """The seeds' ``emit_decision_event('decision:point', {'decision_id': ..., ...})``."""
    return emit_event(event_type, data, session_id)


def emit_execution_event(event_type: str, data: Any = None,
                         session_id: Optional[str] = None) -> Pending:
    """The seeds' ``emit_execution_event('execution:started' | 'checkpoint:created', ...)``."""
    return emit_event(event_type, data, session_id)


def register_command_handler(command_type: str, handler: Callable[..., Any]) -> Callable[[], None]:
    """Runs ``handler`` (sync or async, no argument or the command) for each ``command_type``
    command of every followed session; the outcome is published as ``command:applied``."""
    return _current().commands.register(command_type, handler)


def get_execution_state(session_id: Optional[str] = None) -> ExecutionState:
    """The execution state of ``session_id`` (default: the configured session, else the last
    one published to). The result is awaitable too: ``await get_execution_state()``."""
    core = _current()
    session = session_id or _session or (list(_followed)[-1] if _followed else None)
    return core.commands.state(session) if session else ExecutionState.IDLE


def flush(timeout: float = 5.0) -> bool:
    """Waits until every queued publish of the module-level helpers was sent."""
    return _core.sender.flush(timeout) if _core is not None else True


def shutdown() -> None:
    """Sends what is queued (up to 5 s) and stops the module-level client (runs at exit)."""
    global _core
    with _lock:
        core, _core = _core, None
        _followed.clear()
    if core is not None:
        core.close()


class _ConnManager:
    """The seeds' ``conn_manager``: ``register_command_handler`` and
    ``await get_execution_state()``, on the module-level client."""

    register_command_handler = staticmethod(register_command_handler)
    get_execution_state = staticmethod(get_execution_state)


#: Stands in for the seeds' ``shannon.server.websocket.conn_manager``.
conn_manager = _ConnManager()

atexit.register(shutdown)
