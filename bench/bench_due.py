"""Benchmark `kokom due` (issue 18) against `kokom assess validate` over the same 2,000 assessments.

Generates with bench_overview.py's generator (in bench/.work/due-2000/, git-ignored) a workspace and
2,000 assessments of 60 answers each: 1,500 services (500 AMK, 1,000 legevaktsentraler), the first
500 assessed for 2025 and 2026. Actions (about one answer in five has one, due dates spread from 200
days before to 300 days after the assessment), dated evidence and waivers give `kokom due` its items.

Timed, as fresh processes, interleaved (the order swapped every repetition), median of --runs
(default 5):
- `kokom assess validate FOLDER` (every service and assessment loaded and checked),
- `kokom due FOLDER --json --within 30 --as-of 2026-11-01` (the same loading, then every dated item
  gathered, sorted and printed), target at most 1.2x the first;
- for information: the same with `--within 365`.

Usage: python bench/bench_due.py [--runs N] [--services N]
"""

from __future__ import annotations

import argparse
import os
import shutil
import statistics
import subprocess
import sys
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
WORK = HERE / ".work"
sys.path.insert(0, str(HERE))

import bench_overview  # noqa: E402

AS_OF = "2026-11-01"


def timed(commands: dict[str, list[str]], runs: int) -> dict[str, float]:
    """Median wall time of each command, interleaved (order reversed every other repetition)."""
    samples: dict[str, list[float]] = {name: [] for name in commands}
    for rep in range(runs):
        for name in list(commands) if rep % 2 == 0 else list(reversed(commands)):
            start = time.perf_counter()
            result = subprocess.run(commands[name], capture_output=True, text=True)
            samples[name].append(time.perf_counter() - start)
            if result.returncode not in (0, 1) or "Traceback" in result.stderr:
                raise SystemExit(f"{name} failed ({result.returncode}): {result.stderr[-2000:]}")
    return {name: statistics.median(values) for name, values in samples.items()}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--services", type=int, default=1500, help="services (the first third assessed twice)")
    args = parser.parse_args()
    kokom = shutil.which("kokom") or sys.exit("kokom is not installed (pip install -e .)")
    folder = WORK / "due-2000"
    ws, count = bench_overview.generate(folder, args.services, args.services // 3)
    land = folder / "land"
    print(f"{count} assessments of 60 answers, {args.services} services in {land}")
    base = ["--root", str(ws)]
    due = [kokom, "due", str(land), "--as-of", AS_OF, *base]
    commands = {
        "validate": [kokom, "assess", "validate", str(land), *base],
        "due": [*due, "--json"],
        "due-365": [*due, "--json", "--within", "365"],
    }
    check = subprocess.run(commands["validate"], capture_output=True, text=True)
    if check.returncode != 0:
        sys.exit(f"kokom assess validate exited {check.returncode}: {check.stderr[-3000:]}")
    times = timed(commands, args.runs)
    load = os.getloadavg()
    print(f"{os.cpu_count()} cores, load average {load[0]:.1f} {load[1]:.1f} {load[2]:.1f}; medians of {args.runs}")
    ratio = times["due"] / times["validate"]
    print(f"{'kokom assess validate':40} {times['validate']:6.2f} s")
    print(f"{'kokom due --json':40} {times['due']:6.2f} s   ratio {ratio:.2f} (target <= 1.2)")
    for name in ("due-365",):
        print(f"{'kokom ' + name:40} {times[name]:6.2f} s   ratio {times[name] / times['validate']:.2f}")
    sys.exit(0 if ratio <= 1.2 else 1)


if __name__ == "__main__":
    main()
