"""Execution states as the hub reports them, and the awaitable results the seed helpers return."""

from __future__ import annotations

import asyncio
import logging
from concurrent.futures import Future
from enum import Enum
from typing import Any, Generator, Optional

logger = logging.getLogger("switchboard")


class ExecutionState(str, Enum):
    """A session's execution state, as the hub tracks it (``state == "halted"`` works too).

    Members are awaitable and give themselves, so both ``get_execution_state()`` and the seeds'
    ``await conn_manager.get_execution_state()`` work.
    """

    IDLE = "idle"
    RUNNING = "running"
    HALTED = "halted"
    COMPLETED = "completed"
    FAILED = "failed"

    def __await__(self) -> Generator[Any, None, "ExecutionState"]:
        return self
        yield  # pragma: no cover - makes this a generator


#: The state each execution event leads to (the hub's own table).
STATE_BY_EVENT = {
    "execution:started": ExecutionState.RUNNING,
    "execution:resumed": ExecutionState.RUNNING,
    "execution:halted": ExecutionState.HALTED,
    "execution:completed": ExecutionState.COMPLETED,
    "execution:failed": ExecutionState.FAILED,
}


class Pending:
    """A publish already on its way: ``await`` it (never blocks the loop) or call ``result()``.

    The event is sent whether or not anyone waits. Not awaited, a failure is logged as a warning
    instead of raised: the seeds' "don't fail execution if emission fails" holds either way.
    """

    def __init__(self, future: "Future[int]") -> None:
        self._future = future
        self._observed = False
        future.add_done_callback(self._report)

    def __await__(self) -> Generator[Any, None, int]:
        self._observed = True
        return asyncio.wrap_future(self._future).__await__()

    def result(self, timeout: Optional[float] = None) -> int:
        """Blocks until the event is stored and returns its seq; raises SwitchboardError."""
        self._observed = True
        return self._future.result(timeout)

    def done(self) -> bool:
        """Whether the publish has finished (stored or failed)."""
        return self._future.done()

    def _report(self, future: "Future[int]") -> None:
        if not self._observed and future.exception() is not None:
            logger.warning("Switchboard publish failed: %s", future.exception())
