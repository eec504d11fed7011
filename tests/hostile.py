"""Helpers for hostile-input tests: a received folder of example services, and bounded runs of `kokom`.

`bounded(args)` runs `python -m kokom_cli ARGS` in a child process and reports
its exit code, output, wall time and peak memory. The peak is the child's own
VmHWM, read from /proc as it exits: `ru_maxrss` would also count the memory of
the test process it was forked from, which Linux keeps across exec.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import time
from dataclasses import dataclass
from pathlib import Path

from conftest import EXAMPLES

SERVICES = ("lvs-fjordby", "lvs-storby", "amk-nordvik")


# Runs kokom as `python -m kokom_cli` would, and writes its peak resident memory (kB) to argv[1] on exit.
_MEASURED = """
import atexit, runpy, sys
report = sys.argv[1]
def peak():
    with open("/proc/self/status") as status:
        for line in status:
            if line.startswith("VmHWM:"):
                with open(report, "w") as out:
                    out.write(line.split()[1])
atexit.register(peak)
sys.argv = ["kokom", *sys.argv[2:]]
runpy.run_module("kokom_cli", run_name="__main__", alter_sys=True)
"""


@dataclass
class Run:
    returncode: int
    stdout: str
    stderr: str
    seconds: float
    max_rss_mb: float


def bounded(args: list[str], cwd: Path, timeout: float = 120) -> Run:
    """Run kokom in a child process; its exit code, output, wall time and peak resident memory."""
    env = {**os.environ, "KOKOM_LANG": "nb", "PYTHONDONTWRITEBYTECODE": "1"}
    env.pop("KOKOM_DEBUG", None)
    out, err, hwm = cwd / ".run-out", cwd / ".run-err", cwd / ".run-hwm"
    start = time.monotonic()
    with out.open("wb") as o, err.open("wb") as e:
        command = [sys.executable, "-c", _MEASURED, str(hwm), *args]
        proc = subprocess.Popen(command, cwd=cwd, stdout=o, stderr=e, env=env)
        deadline = start + timeout
        while True:
            pid, status, usage = os.wait4(proc.pid, os.WNOHANG)
            if pid:
                break
            if time.monotonic() > deadline:
                proc.kill()
                pid, status, usage = os.wait4(proc.pid, 0)
                break
            time.sleep(0.02)
    seconds = time.monotonic() - start
    proc.returncode = os.waitstatus_to_exitcode(status)
    run = Run(proc.returncode, out.read_text("utf-8", "replace"), err.read_text("utf-8", "replace"), seconds, 0)
    # the child's own peak; ru_maxrss (which includes the test process it was forked from) if it could not say
    run.max_rss_mb = (int(hwm.read_text()) if hwm.exists() else usage.ru_maxrss) / 1024  # kilobytes on Linux
    out.unlink()
    err.unlink()
    hwm.unlink(missing_ok=True)
    return run


def received(tmp_path: Path) -> Path:
    """A received folder with the three example services (services/, assessments/, evidence, call logs)."""
    folder = tmp_path / "mottatt"
    folder.mkdir()
    for name in SERVICES:
        shutil.copytree(EXAMPLES / name, folder / name)
    return folder


def assessment(folder: Path, service: str) -> Path:
    return folder / service / "assessments" / f"{service}-2026.yaml"


def snapshot(folder: Path) -> dict[str, tuple[int, int]]:
    """Every file under `folder` (links not followed) with its size and mtime: to show nothing was written."""
    out = {}
    for path in folder.rglob("*"):
        if path.is_symlink() or not path.is_file():
            continue
        stat = path.stat()
        out[str(path.relative_to(folder))] = (stat.st_size, stat.st_mtime_ns)
    return out
