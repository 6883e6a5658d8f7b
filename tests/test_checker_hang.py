"""A hang is reported with the line it was stuck on (the worker dumps its stack on SIGUSR1)."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import numpy as np
import pytest

from checker._isolation import Worker, WorkerFailure

REPO = Path(__file__).resolve().parents[1]

BUSY = """\
class SGD:
    def __init__(self, lr=0.01):
        self.lr = lr

    def update(self, params, grads):
        n = 0
        while n >= 0:
            n += 1
"""


@pytest.mark.parametrize("sandbox", [True, False], ids=["sandbox", "no-sandbox"])
def test_a_busy_loop_times_out_with_its_line(tmp_path, sandbox):
    (tmp_path / "opt.py").write_text(BUSY)
    with Worker(timeout=1.0, sandbox=sandbox, expose=(str(tmp_path),)) as w:
        w.load_file(tmp_path / "opt.py", "SGD")
        with pytest.raises(WorkerFailure) as info:
            w.update(w.construct(), {"w": np.ones(2)}, {"w": np.ones(2)})
    assert info.value.kind == "timeout"
    innermost = info.value.error.frames[-1]
    assert (innermost.filename, innermost.function) == (str(tmp_path / "opt.py"), "update")
    assert innermost.lineno in (7, 8) and innermost.line in ("while n >= 0:", "n += 1")


def run(target: str, *args: str, cwd: Path):
    report = cwd / "report.json"
    proc = subprocess.run([sys.executable, "-m", "checker", target, "--quiet", "--seed", "0",
                           "--profile", "quick", "--json", str(report), *args], cwd=cwd,
                          capture_output=True, text=True, timeout=120,
                          env={**os.environ, "PYTHONPATH": str(REPO)})
    return proc, json.loads(report.read_text())


def test_the_report_names_the_line_of_the_hang(tmp_path):
    (tmp_path / "opt.py").write_text(BUSY)
    proc, report = run("opt.py:SGD", "--timeout", "1", cwd=tmp_path)
    assert proc.returncode == 1
    hang = next(f for f in report["findings"] if f["kind"] == "timeout")
    assert hang["details"]["line"] in (7, 8) and "it was running" in hang["message"]
    assert "opt.py:" in hang["message"]


def test_a_module_that_hangs_on_import_is_told_to_use_extract(tmp_path):
    (tmp_path / "train.py").write_text("import time\n\nwhile True:\n    time.sleep(0.05)\n\n\n"
                                       + BUSY)
    # the load's own limit (20 s by default), short here: the test waits for all of it
    proc, report = run("train.py:SGD", "--timeout", "1", "--load-timeout", "2", cwd=tmp_path)
    hang = next(f for f in report["findings"] if f["kind"] == "timeout")
    assert hang["property"] == "load" and hang["details"]["line"] == 4
    assert "--extract" in hang["message"] and "--load-timeout" in hang["message"]
    assert not (tmp_path / "__pycache__").exists() and not (tmp_path / ".hypothesis").exists()
