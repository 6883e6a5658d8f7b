"""Run ``python -m checker`` as a user would, for the benchmarks: one subprocess, timed."""

from __future__ import annotations

import os
import subprocess
import sys
import time
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]


def run_checker(args: list[str], limit: float) -> tuple[subprocess.CompletedProcess | None, float]:
    """``python -m checker *args`` from the repository root; (None, seconds) if it hangs."""
    env = dict(os.environ, PYTHONPATH=os.pathsep.join(filter(None, [str(REPO),
                                                                   os.environ.get("PYTHONPATH")])))
    began = time.perf_counter()
    try:
        proc = subprocess.run([sys.executable, "-m", "checker", *args], cwd=REPO, env=env,
                              stdin=subprocess.DEVNULL, stdout=subprocess.DEVNULL,
                              stderr=subprocess.PIPE, text=True, timeout=limit)
    except subprocess.TimeoutExpired:
        return None, time.perf_counter() - began
    return proc, time.perf_counter() - began
