"""The README's "From Python" example, run as written (only its server URL pointed at the
test's), so the documented code cannot rot."""

from __future__ import annotations

import re
import subprocess
import sys
import unittest

from ._server import ROOT, Server


class ReadmeTest(unittest.TestCase):
    def test_the_from_python_example_runs(self) -> None:
        readme = (ROOT / "README.md").read_text()
        blocks = re.findall(r"```python\n(.*?)```", readme, re.S)
        example = next(b for b in blocks if "from switchboard import Switchboard" in b)
        server = Server().start()
        self.addCleanup(server.kill)
        code = example.replace("http://127.0.0.1:8000", server.url) + (
            "\nprint('seqs', seq, seqs)\nsb.close()\n")
        out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                             timeout=30, env={"PYTHONPATH": str(ROOT / "python")})
        self.assertEqual(out.returncode, 0, out.stderr)
        self.assertIn("seqs 1 [2, 3]", out.stdout)
        names = [e["event"] for e in server.events("run-42")]
        self.assertEqual(names, ["skill:started", "file:modified", "skill:completed"])


if __name__ == "__main__":
    unittest.main()
