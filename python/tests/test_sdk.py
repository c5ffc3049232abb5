"""The SDK against a real server: emits, async emits, the seeds' helpers, command handlers,
errors."""

from __future__ import annotations

import asyncio
import subprocess
import sys
import time
import unittest

import switchboard
from switchboard import ExecutionState, Switchboard, SwitchboardError, conn_manager

from ._server import ROOT, Server, free_port, wait_for


class SdkTest(unittest.TestCase):
    server: Server

    @classmethod
    def setUpClass(cls) -> None:
        cls.server = Server().start()

    @classmethod
    def tearDownClass(cls) -> None:
        switchboard.shutdown()
        cls.server.kill()

    def client(self, session: str, **options) -> Switchboard:
        sb = Switchboard(self.server.url, session, **options)
        self.addCleanup(sb.close)
        return sb

    def test_emit_returns_seqs_in_order_and_payloads_arrive_canonical(self) -> None:
        sb = self.client("emit")
        self.assertEqual(sb.emit("skill:started", {"skill_name": "lint", "parameters": {}}), 1)
        seqs = sb.emit_many([
            ("file:modified", {"path": "a.py", "changes": "x", "lines_changed": 3}),
            {"event": "custom:note", "payload": {"n": 1}},
        ])
        self.assertEqual(seqs, [2, 3])
        events = self.server.events("emit")
        self.assertEqual(events[0]["payload"]["skill"], "lint")
        self.assertEqual(events[0]["payload"]["skill_name"], "lint")
        self.assertEqual(events[1]["payload"]["linesChanged"], 3)

    def test_pipelined_publishes_keep_their_order(self) -> None:
        sb = self.client("pipeline", listen=False)
        pending = [sb.publish("custom:n", {"i": i}) for i in range(300)]
        seqs = [p.result(10) for p in pending]
        self.assertEqual(seqs, list(range(1, 301)))
        stored = [e["payload"]["i"] for e in self.server.events("pipeline")]
        self.assertEqual(stored, list(range(300)))

    def test_async_emits_do_not_block_the_loop(self) -> None:
        sb = self.client("async")

        async def run() -> tuple:
            ticks = 0

            async def ticker() -> None:
                nonlocal ticks
                while True:
                    ticks += 1
                    await asyncio.sleep(0.001)

            task = asyncio.ensure_future(ticker())
            first = await sb.emit_async("execution:started", {"task": "t"})
            many = await sb.emit_many_async([("custom:a", {}), ("custom:b", {})])
            task.cancel()
            return first, many, ticks

        first, many, ticks = asyncio.run(run())
        self.assertEqual((first, many), (1, [2, 3]))
        self.assertGreater(ticks, 0, "the loop kept running while emits were in flight")

    def test_bad_payload_raises_the_server_code(self) -> None:
        sb = self.client("bad", listen=False)
        with self.assertRaises(SwitchboardError) as caught:
            sb.emit("skill:started", {"parameters": {}})
        self.assertEqual(caught.exception.code, "INVALID_PAYLOAD")
        # A bad event among good ones fails alone.
        good = sb.publish("custom:ok", {})
        bad = sb.publish("no-such-event", {})
        also = sb.publish("custom:ok", {})
        self.assertEqual([good.result(5), also.result(5)], [1, 2])
        with self.assertRaises(SwitchboardError) as unknown:
            bad.result(5)
        self.assertEqual(unknown.exception.code, "UNKNOWN_EVENT")

    def test_seed_helpers_work_awaited_and_not(self) -> None:
        switchboard.configure(self.server.url)

        async def orchestrator() -> list:
            seqs = [
                await switchboard.emit_execution_event("execution:started", {"task": "t"},
                                                       "helpers"),
                await switchboard.emit_skill_event("skill:started", {
                    "skill_name": "test_skill", "parameters": {"param1": "value1"}},
                    session_id="helpers"),
                await switchboard.emit_file_event("file:modified", {
                    "path": "/path/to/file.py", "changes": "Added function",
                    "lines_changed": 10}, session_id="helpers"),
                await switchboard.emit_decision_event("decision:point", {
                    "decision_id": "decision_001", "question": "Which approach?",
                    "options": ["A", "B", "C"], "default": "A"}, session_id="helpers"),
            ]
            # Not awaited: sent anyway.
            switchboard.emit_skill_event("skill:completed", {"skill_name": "test_skill",
                                                             "result": {}}, "helpers")
            return seqs

        self.assertEqual(asyncio.run(orchestrator()), [1, 2, 3, 4])
        self.assertTrue(switchboard.flush(5))
        names = [e["event"] for e in self.server.events("helpers")]
        self.assertEqual(names, ["execution:started", "skill:started", "file:modified",
                                 "decision:point", "skill:completed"])
        state = wait_for(lambda: switchboard.get_execution_state("helpers") ==
                         ExecutionState.RUNNING, "the state to follow the session")
        self.assertTrue(state)
        self.assertEqual(asyncio.run(_await(conn_manager.get_execution_state("helpers"))),
                         ExecutionState.RUNNING)

    def test_halt_reaches_registered_handlers_once_and_is_reported(self) -> None:
        sb = self.client("halt")
        seen: list = []

        def zero_arg() -> None:
            seen.append("sync")

        async def with_command(command: dict) -> None:
            seen.append(command["type"])

        def broken(command: dict) -> None:
            raise RuntimeError("cannot pause")

        sb.register_command_handler("HALT", zero_arg)
        sb.register_command_handler("HALT", with_command)
        sb.emit("execution:started", {})
        self.assertTrue(sb.wait_until_listening(10))
        halt = self.server.call("POST", "/api/sessions/halt/commands", {"type": "HALT"})
        self.assertTrue(halt["success"], halt)
        wait_for(lambda: len(seen) == 2, "both handlers")
        self.assertEqual(seen, ["sync", "HALT"])
        wait_for(lambda: sb.get_execution_state() == ExecutionState.HALTED, "halted")
        applied = wait_for(lambda: [e for e in self.server.events("halt")
                                    if e["event"] == "command:applied"], "command:applied")
        self.assertEqual(applied[0]["payload"], {"commandId": halt["commandId"], "ok": True})

        remove = sb.register_command_handler("RESUME", broken)
        resume = self.server.call("POST", "/api/sessions/halt/commands", {"type": "RESUME"})
        failed = wait_for(lambda: [e for e in self.server.events("halt")
                                   if e["event"] == "command:applied" and
                                   e["payload"]["commandId"] == resume["commandId"]], "failure")
        self.assertEqual(failed[0]["payload"]["ok"], False)
        self.assertIn("cannot pause", failed[0]["payload"]["message"])
        remove()
        time.sleep(0.3)
        self.assertEqual(seen, ["sync", "HALT"], "each command handled once")

    def test_publishes_still_queued_at_exit_are_sent(self) -> None:
        code = (
            "from switchboard import Switchboard\n"
            f"sb = Switchboard({self.server.url!r}, 'exit', listen=False)\n"
            "for i in range(50): sb.publish('custom:n', {'i': i})\n")
        subprocess.run([sys.executable, "-c", code], check=True, timeout=30,
                       env={"PYTHONPATH": str(ROOT / "python")})
        self.assertEqual([e["payload"]["i"] for e in self.server.events("exit")], list(range(50)))

    def test_a_server_that_is_down_raises_and_never_hangs(self) -> None:
        sb = Switchboard(f"http://127.0.0.1:{free_port()}", "down", retries=2, timeout=2,
                         listen=False)
        started = time.monotonic()
        with self.assertRaises(SwitchboardError) as caught:
            sb.emit("custom:x", {})
        self.assertEqual(caught.exception.code, "UNAVAILABLE")
        self.assertLess(time.monotonic() - started, 10)
        sb.close()

        async def seed_wrapper() -> str:
            # The seeds' "don't fail execution if emission fails" keeps working.
            try:
                await switchboard.emit_skill_event("skill:started", {"skill_name": "x"}, "down")
            except Exception as error:
                return f"warned: {error}"
            return "no error"

        switchboard.configure(f"http://127.0.0.1:{free_port()}", retries=1)
        self.assertTrue(asyncio.run(seed_wrapper()).startswith("warned: UNAVAILABLE"))
        switchboard.configure(self.server.url)


async def _await(value):
    return await value


if __name__ == "__main__":
    unittest.main()
