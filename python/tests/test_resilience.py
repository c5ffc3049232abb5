"""The SDK across failures: a lost answer is retried and appended once; the command stream
resumes after the server is killed and restarted, each command handled once."""

from __future__ import annotations

import shutil
import tempfile
import time
import unittest

from switchboard import ExecutionState, Switchboard, SwitchboardError

from ._proxy import DroppingProxy
from ._server import Server, free_port, mint, wait_for


class IdempotentRetryTest(unittest.TestCase):
    def test_a_lost_answer_is_retried_and_appended_once(self) -> None:
        server = Server().start()
        proxy = DroppingProxy(server.port)
        sb = Switchboard(f"http://127.0.0.1:{proxy.port}", "retry", listen=False)
        try:
            self.assertEqual(sb.emit("custom:a", {}), 1)
            proxy.drop_next()
            self.assertEqual(sb.emit("custom:b", {"n": 2}), 2)
            self.assertEqual(proxy.dropped, 1, "the first answer was lost")
            self.assertEqual(sb.emit("custom:c", {}), 3)
            names = [e["event"] for e in server.events("retry")]
            self.assertEqual(names, ["custom:a", "custom:b", "custom:c"])
        finally:
            sb.close()
            proxy.close()
            server.kill()


class RestartTest(unittest.TestCase):
    def test_the_command_stream_resumes_after_a_restart(self) -> None:
        data = tempfile.mkdtemp()
        self.addCleanup(shutil.rmtree, data, True)
        server = Server(["--store", f"sqlite:{data}/sb.db"], port=free_port()).start()
        self.addCleanup(server.kill)
        sb = Switchboard(server.url, "restart")
        self.addCleanup(sb.close)
        seen: list = []
        sb.register_command_handler("HALT", lambda command: seen.append(command["commandId"]))
        sb.register_command_handler("RESUME", lambda command: seen.append(command["commandId"]))
        sb.emit("execution:started", {})
        self.assertTrue(sb.wait_until_listening(10))
        first = server.call("POST", "/api/sessions/restart/commands", {"type": "HALT"})
        wait_for(lambda: seen == [first["commandId"]], "the first HALT")

        server.restart()  # kill -9, then the same port and database
        second = server.call("POST", "/api/sessions/restart/commands", {"type": "RESUME"})
        self.assertTrue(second["success"], second)
        wait_for(lambda: len(seen) == 2, "the RESUME after the restart", timeout=15)
        wait_for(lambda: sb.get_execution_state() == ExecutionState.RUNNING, "running")
        time.sleep(0.5)
        self.assertEqual(seen, [first["commandId"], second["commandId"]], "each once")
        applied = [e["payload"]["commandId"] for e in server.events("restart")
                   if e["event"] == "command:applied"]
        wait_for(lambda: len([e for e in server.events("restart")
                              if e["event"] == "command:applied"]) == 2, "two reports")
        self.assertLessEqual(len(applied), 2)


if __name__ == "__main__":
    unittest.main()


class AuthenticatedTest(unittest.TestCase):
    def test_an_orchestrator_token_publishes_and_receives_commands(self) -> None:
        secret = "python-sdk-test-secret-long-enough"
        server = Server(env={"SWITCHBOARD_JWT_SECRET": secret}).start()
        self.addCleanup(server.kill)
        server.token = mint(secret, "--role", "admin")
        token = mint(secret, "--role", "orchestrator", "--session", "secure")
        sb = Switchboard(server.url, "secure", token=token)
        self.addCleanup(sb.close)
        seen: list = []
        sb.register_command_handler("HALT", lambda: seen.append("HALT"))
        self.assertEqual(sb.emit("execution:started", {}), 1)
        self.assertTrue(sb.wait_until_listening(10))
        self.assertTrue(server.call("POST", "/api/sessions/secure/commands",
                                    {"type": "HALT"})["success"])
        wait_for(lambda: seen == ["HALT"], "the HALT")
        other = Switchboard(server.url, "elsewhere", token=token, listen=False)
        self.addCleanup(other.close)
        with self.assertRaises(SwitchboardError) as caught:
            other.emit("custom:x", {})
        self.assertEqual(caught.exception.code, "FORBIDDEN")
        anonymous = Switchboard(server.url, "secure", listen=False)
        self.addCleanup(anonymous.close)
        with self.assertRaises(SwitchboardError) as refused:
            anonymous.emit("custom:x", {})
        self.assertEqual(refused.exception.code, "UNAUTHORIZED")
