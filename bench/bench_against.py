"""Compare this checkout's everyday commands with an earlier revision's, measured in the same run.

For a change that must not slow anything down (a reorganisation, say). The
earlier revision is checked out into a temporary git worktree and run with
the same Python (PYTHONPATH points at it); the two are interleaved, run after
run, and the medians compared. Prints one ratio per command: now / then.

Usage: python bench/bench_against.py [REVISION] [RUNS]    (default: d4d2e94, 9 runs)
"""

from __future__ import annotations

import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
EXAMPLE = "examples/lvs-fjordby/assessments/lvs-fjordby-2026.yaml"
COMMANDS = {
    "kokom --version": ["--version"],
    "kokom validate (cold)": ["validate", "--no-cache"],
    "kokom validate (warm)": ["validate"],
    "kokom requirements list --json": ["requirements", "list", "--json"],
    "kokom assess check --json": ["assess", "check", EXAMPLE, "--as-of", "2026-12-01", "--json"],
}


def run(source: Path, args: list[str], cache: Path) -> float:
    env = dict(os.environ, PYTHONPATH=str(source), XDG_CACHE_HOME=str(cache))
    start = time.perf_counter()
    subprocess.run([sys.executable, "-m", "kokom_cli", *args], cwd=source, env=env, capture_output=True, check=False)
    return time.perf_counter() - start


def main() -> None:
    revision = sys.argv[1] if len(sys.argv) > 1 else "d4d2e94"
    runs = int(sys.argv[2]) if len(sys.argv) > 2 else 9
    with tempfile.TemporaryDirectory(prefix="kokom-bench-") as tmp:
        then = Path(tmp) / "then"
        subprocess.run(["git", "worktree", "add", "-q", "--detach", str(then), revision], cwd=ROOT, check=True)
        try:
            print(f"now: {ROOT}  then: {revision}  ({runs} runs each, interleaved, medians)")
            print(f"{'command':<34} {'then':>8} {'now':>8} {'now/then':>9}")
            for name, args in COMMANDS.items():
                samples: dict[str, list[float]] = {"then": [], "now": []}
                for _ in range(runs):
                    for label, source in (("then", then), ("now", ROOT)):
                        samples[label].append(run(source, args, Path(tmp) / f"cache-{label}"))
                a, b = statistics.median(samples["then"]), statistics.median(samples["now"])
                print(f"{name:<34} {a:>7.3f}s {b:>7.3f}s {b / a:>9.2f}")
        finally:
            subprocess.run(["git", "worktree", "remove", "--force", str(then)], cwd=ROOT, check=False)


if __name__ == "__main__":
    main()
