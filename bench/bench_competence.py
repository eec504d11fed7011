"""Benchmark `kokom competence check` on a big register: checking against the catalogue vs loading and validating.

Writes a register of N people (default 2,000) with 10 completed courses each (bench/.work/personale-N.yaml),
then times, in one process and one run (only ratios within one run mean anything here):
- load + validate: `read_register` (libyaml parse, pydantic, the register's own checks against the catalogue);
- load + validate + check: the same, then `check_register` over every rule of the national catalogue.
Target: the second at most 1.5x the first. Medians of --runs runs.

Usage: python bench/bench_competence.py [--people N] [--runs N]
"""

from __future__ import annotations

import argparse
import datetime as dt
import statistics
import time
from pathlib import Path

from kokom_cli.competence.check import check_register
from kokom_cli.competence.loading import CATALOGUE_FILE, read_catalogue, read_register
from kokom_cli.requirements.corpus import load_corpus
from kokom_cli.workspace import builtin_dir

WORK = Path(__file__).resolve().parent / ".work"
ROLES = ["lvs-operator", "amk-operator", "ressurskoordinator", "lege-i-vakt", "bakvakt", "legevakt-personell"]
COURSES = [
    "operatoropplaering",
    "akuttmedisin",
    "vold-overgrep",
    "nodnett-elaering",
    "nodnett-amk",
    "nodnett-lvs",
    "nodnett-lege",
    "nodnett-annen",
    "plivo",
    "samtrening",
]


def write_register(people: int) -> Path:
    path = WORK / f"personale-{people}.yaml"
    if path.exists():
        return path
    WORK.mkdir(exist_ok=True)
    lines = ["service: bench", "people:"]
    for i in range(people):
        start = dt.date(2015, 1, 1) + dt.timedelta(days=i % 3000)
        lines += [
            f"  - id: P{i:05d}",
            f"    name: Person {i}",
            f"    role: {ROLES[i % len(ROLES)]}",
            f"    start: {start}",
            "    education: [bachelor-helse]",
            f"    clinical_practice: {'true' if i % 7 else 'false'}",
            f"    clinical_months: {i % 60}",
            f"    legevakt_shifts: {i % 80}",
            "    courses:",
        ]
        for j, course in enumerate(COURSES):
            if (i + j) % 13 == 0:
                continue  # about one in 13 missing
            done = start + dt.timedelta(days=30 + 40 * j + i % 400)
            lines.append(f"      - {{course: {course}, date: {min(done, dt.date(2026, 11, 30))}}}")
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return path


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--people", type=int, default=2000)
    parser.add_argument("--runs", type=int, default=7)
    args = parser.parse_args()
    path = write_register(args.people)
    as_of = dt.date(2026, 12, 1)
    cat = read_catalogue(builtin_dir("competence") / CATALOGUE_FILE)
    requirements = load_corpus(builtin_dir("requirements")).requirements
    levels = {r.requirement: requirements[r.requirement].level.value for r in cat.catalogue.rules}
    load, full = [], []
    for _ in range(args.runs):
        started = time.perf_counter()
        register, _ = read_register(path, cat, as_of=as_of)
        load.append(time.perf_counter() - started)
        started = time.perf_counter()
        register, _ = read_register(path, cat, as_of=as_of)
        report = check_register(register, cat, levels, as_of=as_of, within=60)
        full.append(time.perf_counter() - started)
    a, b = statistics.median(full), statistics.median(load)
    size = path.stat().st_size / 1e6
    print(f"register: {args.people} people, {size:.1f} MB; {len(report.rules)} rules; medians of {args.runs} runs")
    print(f"load + validate:          {b:.3f} s")
    print(f"load + validate + check:  {a:.3f} s")
    print(f"ratio: {a / b:.2f} (target <= 1.5)")


if __name__ == "__main__":
    main()
