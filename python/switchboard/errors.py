"""Errors raised by the Switchboard SDK: one exception class carrying the server's code."""

from __future__ import annotations

from typing import Optional


class SwitchboardError(Exception):
    """A failure with a stable ``code``.

    Codes come from the server (``INVALID_PAYLOAD``, ``UNAUTHORIZED``, ``RATE_LIMITED``, ...; see
    docs/PROTOCOL.md) or, when no answer came, from the SDK itself: ``UNAVAILABLE`` (the server
    could not be reached within the retries) and ``CLOSED`` (the client was closed).
    """

    def __init__(self, code: str, message: str, status: Optional[int] = None) -> None:
        super().__init__(f"{code}: {message}")
        self.code = code
        self.message = message
        self.status = status
