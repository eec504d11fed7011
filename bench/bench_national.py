"""Benchmark `kokom overview` at national scale (issue 13) against `kokom metrics` over the same call logs.

Generates (in bench/.work/national-110/, git-ignored) a workspace with the national requirements
unchanged, and 110 services, each with a year of call logs written by gen_calllog.py and one 2026
assessment that references its log (`call_logs:`): 16 AMK centres (113, about 50,000 calls a year
each) and 94 legevaktsentraler (116117 and the local number, about 34,000 calls each); 4.0 million
rows and about 430 MB of CSV in all. Call ids are unique across services (AMK000..., LVS016...), so
`kokom metrics` over all the files finds no duplicates. The assessments answer every requirement that applies to their
kind (bench_overview.py's mix of answers, typed answer-time figures included: the logs decide, the
typed figure is shown beside them).

Timed, as fresh processes, interleaved, median of --runs (default 3):
- `kokom metrics` over the same 110 files: one run over the 16 AMK logs (`--kind amk`) plus one over
  the 94 legevaktsentral logs (`--kind legevaktsentral`), the two times added (`metrics` measures one
  kind's lines per run; it treats its files as one log);
- `kokom overview FOLDER --format json` (load and check 110 services and assessments, read and measure
  each log once, evaluate, roll up), target at most 1.5x the first.

Usage: python bench/bench_national.py [--runs N] [--regenerate]
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import os
import random
import shutil
import statistics
import subprocess
import sys
import time
from collections import Counter
from pathlib import Path

import yaml

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent
WORK = HERE / ".work"
sys.path.insert(0, str(HERE))

import bench_overview  # noqa: E402
import gen_calllog  # noqa: E402

AS_OF = "2027-01-15"
AMK, LVS = 16, 94
ROWS = {"amk": 50_000, "legevaktsentral": 34_000}


def make_workspace(ws: Path) -> list[dict]:
    """A workspace with the national chapters as they are; returns every active requirement."""
    (ws / "requirements").mkdir(parents=True, exist_ok=True)
    (ws / "kokom.yaml").write_text('title: Benchmark\nedition: "2026.1"\n', encoding="utf-8")
    requirements = []
    for path in sorted((ROOT / "requirements").glob("*.yaml")):
        shutil.copyfile(path, ws / "requirements" / path.name)
        chapter = yaml.safe_load(path.read_text(encoding="utf-8"))
        requirements += [r for r in chapter["requirements"] if r.get("status", "active") == "active"]
    return requirements


def services() -> list[tuple[str, str, int]]:
    """(service id, kind, rows) of the 110 services; row counts spread +-30 % around the kind's mean."""
    rng = random.Random(13)
    out = []
    for number in range(AMK + LVS):
        kind = "amk" if number < AMK else "legevaktsentral"
        sid = f"{'amk' if kind == 'amk' else 'lvs'}-{number:03d}"
        out.append((sid, kind, round(ROWS[kind] * rng.uniform(0.7, 1.3))))
    return out


def generate(folder: Path, regenerate: bool) -> tuple[Path, Path, list[tuple[str, str, int]]]:
    """The workspace (folder/ws) and the services, assessments and logs (folder/land); logs kept between runs."""
    ws, land = folder / "ws", folder / "land"
    logs = land / "assessments" / "logs"
    if regenerate and folder.exists():
        shutil.rmtree(folder)
    for sub in (ws, land / "services"):
        if sub.exists():
            shutil.rmtree(sub)
    for old in (land / "assessments").glob("*.yaml"):
        old.unlink()
    requirements = make_workspace(ws)
    (land / "services").mkdir(parents=True)
    logs.mkdir(parents=True, exist_ok=True)
    rng = random.Random(20270115)
    period_end = dt.date(2026, 12, 31)
    listing = services()
    started = time.perf_counter()
    for seed, (sid, kind, rows) in enumerate(listing, start=1):
        log = logs / f"{sid}-2026.csv"
        if not log.exists():
            gen_calllog.generate(rows, kind, log, 2026, seed, prefix=sid.upper().replace("-", ""))
        service = {
            "id": sid,
            "name": f"{'AMK' if kind == 'amk' else 'Legevaktsentral'} {sid[4:]}",
            "kind": kind,
            "owner": f"Eier {sid[4:]}",
            "municipalities": [f"Kommune {sid[4:]}"],
            "population": rng.randint(20000, 700000),
            "lines": ["113"] if kind == "amk" else ["116117", "local"],
        }
        (land / "services" / f"{sid}.yaml").write_text(bench_overview._dump(service), encoding="utf-8")
        applicable = [r for r in requirements if kind in r["applies_to"] and not r.get("conditions")]
        assessment = {
            "service": sid,
            "edition": "2026.1",
            "period": "2026",
            "assessed_by": f"Leder {sid[4:]}",
            "date": period_end,
            "call_logs": [f"logs/{log.name}"],
            "answers": {r["id"]: bench_overview._answer(rng, r, period_end) for r in applicable},
        }
        (land / "assessments" / f"{sid}-2026.yaml").write_text(bench_overview._dump(assessment), encoding="utf-8")
    print(f"generated in {time.perf_counter() - started:.1f} s")
    return ws, land, listing


def timed(commands: dict[str, list[list[str]]], runs: int) -> dict[str, float]:
    """Median wall time of each entry (its commands run one after another, times added), entries interleaved."""
    samples: dict[str, list[float]] = {name: [] for name in commands}
    for rep in range(runs):
        names = list(commands) if rep % 2 == 0 else list(reversed(commands))
        for name in names:
            total = 0.0
            for cmd in commands[name]:
                start = time.perf_counter()
                result = subprocess.run(cmd, capture_output=True, text=True)
                total += time.perf_counter() - start
                if result.returncode not in (0, 1) or "Traceback" in result.stderr:
                    raise SystemExit(f"{' '.join(cmd[:3])} ... failed ({result.returncode}): {result.stderr[-2000:]}")
            samples[name].append(total)
    return {name: statistics.median(values) for name, values in samples.items()}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--regenerate", action="store_true", help="write the call logs again")
    args = parser.parse_args()
    kokom = shutil.which("kokom") or sys.exit("kokom is not installed (pip install -e .)")
    folder = WORK / "national-110"
    ws, land, listing = generate(folder, args.regenerate)
    logs = land / "assessments" / "logs"
    files = {kind: [str(logs / f"{sid}-2026.csv") for sid, k, _ in listing if k == kind] for kind in ROWS}
    rows = sum(r for _, _, r in listing)
    size = sum(p.stat().st_size for p in logs.glob("*.csv"))
    print(f"110 services ({AMK} AMK, {LVS} legevaktsentraler), {rows:,} rows, {size / 1e6:.0f} MB of CSV")
    base = ["--root", str(ws)]
    out = folder / "out.json"
    overview = [kokom, "overview", str(land), "--format", "json", "-o", str(out), "--as-of", AS_OF, *base]
    metrics = [[kokom, "metrics", *paths, "--kind", kind, "--json", *base] for kind, paths in files.items()]
    # a first run of each outside the timing: both check that the folder is as meant and warm the page cache
    check = subprocess.run(overview, capture_output=True, text=True)
    if check.returncode != 0:
        sys.exit(f"kokom overview exited {check.returncode}: {check.stderr[-3000:]}")
    sources = Counter(t["source"] for t in json.loads(out.read_text(encoding="utf-8"))["answer_times"])
    print(f"overview: answer-time figures by source {dict(sources)}")
    for cmd in metrics:
        subprocess.run(cmd, capture_output=True, check=False)
    times = timed({"metrics": metrics, "overview": [overview]}, args.runs)
    ratio = times["overview"] / times["metrics"]
    load = os.getloadavg()
    print(f"{os.cpu_count()} cores, load average {load[0]:.1f} {load[1]:.1f} {load[2]:.1f}; medians of {args.runs}")
    print(f"{'kokom metrics, 16 AMK + 94 LVS logs (2 runs)':48} {times['metrics']:6.2f} s")
    print(f"{'kokom overview --format json':48} {times['overview']:6.2f} s   ratio {ratio:.2f} (target <= 1.5)")
    sys.exit(0 if ratio <= 1.5 else 1)


if __name__ == "__main__":
    main()
