"""Switchboard for Python: publish an AI agent's events to a Switchboard hub and receive the
commands (HALT, RESUME, DECISION, ...) its dashboards send. Standard library only, Python 3.9+.

Either a client per session::

    from switchboard import Switchboard
    sb = Switchboard("http://127.0.0.1:8000", "run-42")
    sb.emit("skill:started", {"skill_name": "lint", "parameters": {}})
    sb.register_command_handler("HALT", lambda: print("halted"))

or the seeds' helpers, configured once (or by SWITCHBOARD_URL / SWITCHBOARD_TOKEN)::

    from switchboard import emit_skill_event, conn_manager, ExecutionState
    await emit_skill_event("skill:started", {"skill_name": "lint"}, session_id="run-42")
"""

from ._default import (
    conn_manager,
    configure,
    emit_decision_event,
    emit_event,
    emit_execution_event,
    emit_file_event,
    emit_skill_event,
    flush,
    get_execution_state,
    register_command_handler,
    shutdown,
)
from ._state import ExecutionState, Pending
from .client import Switchboard
from .errors import SwitchboardError

__all__ = [
    "ExecutionState",
    "Pending",
    "Switchboard",
    "SwitchboardError",
    "configure",
    "conn_manager",
    "emit_decision_event",
    "emit_event",
    "emit_execution_event",
    "emit_file_event",
    "emit_skill_event",
    "flush",
    "get_execution_state",
    "register_command_handler",
    "shutdown",
]
