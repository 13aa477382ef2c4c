"""Run a child Python script until it writes its marker file, then SIGKILL it (for the crash tests)."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from pathlib import Path

from graph.config import PROJECT_ROOT


def kill_when_marked(script: str, args: list[str], marker: Path, timeout: float = 120) -> subprocess.Popen:
    """Start ``python -c script *args``; once ``marker`` exists, SIGKILL the child; return the ended child."""
    marker.unlink(missing_ok=True)
    child = subprocess.Popen([sys.executable, "-c", script, *args], cwd=PROJECT_ROOT, stdout=subprocess.PIPE,
                             stderr=subprocess.PIPE, text=True)
    deadline = time.monotonic() + timeout
    while not marker.exists():
        assert child.poll() is None, f"child ended before its kill point: {child.stderr.read()[-1500:]}"
        assert time.monotonic() < deadline, "child never reached the kill point"
        time.sleep(0.02)
    os.kill(child.pid, signal.SIGKILL)
    child.wait(timeout=30)
    assert child.returncode == -signal.SIGKILL
    return child
