"""Starts the real Switchboard server (``deno run main.ts``) for the SDK tests."""

from __future__ import annotations

import json
import os
import re
import socket
import subprocess
import threading
import time
import urllib.request
from pathlib import Path
from typing import List, Optional

ROOT = Path(__file__).resolve().parents[2]
DENO = os.environ.get("SWITCHBOARD_DENO", "deno")


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


class Server:
    """A server child process on 127.0.0.1."""

    def __init__(self, args: Optional[List[str]] = None, port: int = 0,
                 env: Optional[dict] = None) -> None:
        self.args = args or ["--store", "memory"]
        self.port = port
        self.env = env or {}
        self.token: Optional[str] = None
        self.url = ""
        self.proc: Optional[subprocess.Popen] = None

    def start(self) -> "Server":
        deadline = time.monotonic() + 30
        while True:
            self.proc = subprocess.Popen(
                [DENO, "run", "-A", str(ROOT / "main.ts"), "--host", "127.0.0.1",
                 "--port", str(self.port), "--heartbeat-ms", "0", *self.args],
                cwd=ROOT, stdout=subprocess.PIPE, stderr=subprocess.DEVNULL, text=True,
                env={**os.environ, "NO_COLOR": "1", **self.env})
            assert self.proc.stdout is not None
            for line in self.proc.stdout:
                match = re.search(r"listening on (http://[\d.]+:(\d+))", line)
                if match:
                    self.url, self.port = match.group(1), int(match.group(2))
                    # Keep draining stdout so the child never blocks on a full pipe.
                    threading.Thread(target=self.proc.stdout.read, daemon=True).start()
                    return self
            self.proc.wait()
            if time.monotonic() > deadline:
                raise RuntimeError("The server did not start")
            time.sleep(0.1)  # the port may still be held by the previous run

    def kill(self) -> None:
        """Kills the process outright (SIGKILL) and waits for it."""
        if self.proc is not None and self.proc.poll() is None:
            self.proc.kill()
            self.proc.wait()
        if self.proc is not None and self.proc.stdout is not None:
            self.proc.stdout.close()

    def restart(self) -> "Server":
        """Kills and starts again on the same port."""
        self.kill()
        return self.start()

    def call(self, method: str, path: str, body: object = None) -> dict:
        """A REST call; returns the parsed body (errors included)."""
        data = None if body is None else json.dumps(body).encode()
        headers = {"Content-Type": "application/json"}
        if self.token:
            headers["Authorization"] = f"Bearer {self.token}"
        request = urllib.request.Request(self.url + path, data=data, method=method,
                                         headers=headers)
        try:
            with urllib.request.urlopen(request, timeout=10) as response:
                return json.loads(response.read())
        except urllib.error.HTTPError as error:
            return json.loads(error.read())

    def events(self, session: str) -> list:
        return self.call("GET", f"/api/sessions/{session}/events?limit=1000")["events"]


def mint(secret: str, *args: str) -> str:
    """A token from ``deno task token`` (``--role ROLE --session ID ...``)."""
    out = subprocess.run(
        [DENO, "run", "--allow-env", "--allow-read", str(ROOT / "src/auth/token_cli.ts"), *args],
        cwd=ROOT, capture_output=True, text=True, check=True,
        env={**os.environ, "SWITCHBOARD_JWT_SECRET": secret, "NO_COLOR": "1"})
    return out.stdout.strip().splitlines()[-1]


def wait_for(check, what: str, timeout: float = 10.0):
    deadline = time.monotonic() + timeout
    while True:
        value = check()
        if value:
            return value
        if time.monotonic() > deadline:
            raise AssertionError(f"Timed out waiting for {what}")
        time.sleep(0.02)
