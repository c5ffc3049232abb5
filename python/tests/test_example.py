"""examples/python_orchestrator.py, the seeds' orchestrator with only its import changed, runs a
fake two-skill task, halts when a dashboard sends HALT and resumes on RESUME."""

from __future__ import annotations

import os
import subprocess
import sys
import time
import unittest

from ._server import ROOT, Server, wait_for


class ExampleTest(unittest.TestCase):
    def test_the_seed_orchestrator_halts_and_resumes(self) -> None:
        server = Server().start()
        self.addCleanup(server.kill)
        env = {**os.environ, "PYTHONPATH": str(ROOT / "python"), "SWITCHBOARD_URL": server.url,
               "FAKE_SKILL_SECONDS": "0.8", "PYTHONUNBUFFERED": "1"}
        proc = subprocess.Popen(
            [sys.executable, str(ROOT / "examples" / "python_orchestrator.py"), "seed-run"],
            env=env, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)
        self.addCleanup(proc.kill)

        def names() -> list:
            page = server.call("GET", "/api/sessions/seed-run/events?limit=1000")
            return [e["event"] for e in page.get("events", [])]

        wait_for(lambda: "skill:started" in names(), "the first skill", timeout=20)
        halt = server.call("POST", "/api/sessions/seed-run/commands", {"type": "HALT"})
        self.assertTrue(halt["success"], halt)
        # The first skill finishes; the second does not start while halted.
        wait_for(lambda: "skill:completed" in names(), "the first skill to finish")
        time.sleep(1.5)
        self.assertEqual(names().count("skill:started"), 1, names())
        resume = server.call("POST", "/api/sessions/seed-run/commands", {"type": "RESUME"})
        self.assertTrue(resume["success"], resume)
        output, _ = proc.communicate(timeout=20)
        self.assertEqual(proc.returncode, 0, output)
        self.assertIn("Execution halted!", output)
        self.assertIn("Task complete", output)
        events = names()
        self.assertEqual(events.count("skill:started"), 2)
        self.assertEqual(events[-1], "execution:completed")
        self.assertIn("command:applied", events)


if __name__ == "__main__":
    unittest.main()
