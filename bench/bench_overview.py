"""Benchmark `kokom overview --format html` against merely loading and validating the same files.

Generates (in bench/.work/overview-400/, git-ignored) a workspace and 400 assessments of 60 answers
each: 300 services (100 AMK centres, 200 legevaktsentraler), 100 of them assessed for two periods
(2025 and 2026), so the overview also computes the change since the previous period. The built-in
corpus has 60 requirements, but no kind has all 60 (AMK 31, legevaktsentral 37); the workspace
copies the built-in chapters with `applies_to` widened to both kinds and `conditions` dropped, so
every assessment answers all 60 national requirement ids. Answers are mixed: about 70 % met, the
rest partial, not met, not applicable or blank, with justifications, dated evidence, actions (some
overdue), advisor verifications (some disputed), waivers, and measured answer-time figures for
the metric requirements (no call logs: measuring logs is `kokom metrics`' work, benchmarked in
bench_metrics.py).

Timed, as fresh processes, interleaved, median of --runs (default 5):
- load and validate: `kokom assess validate FOLDER` (every service and assessment loaded and
  cross-checked exactly as `kokom assess check` loads one; nothing evaluated),
- `kokom overview FOLDER --format html -o out.html` (the same loading, then evaluation, the
  roll-up and the HTML page), target at most 1.5x the first,
- for information: `--format json` (the same minus templating).

Usage: python bench/bench_overview.py [--runs N] [--services N]
"""

from __future__ import annotations

import argparse
import datetime as dt
import random
import shutil
import statistics
import subprocess
import sys
import time
from pathlib import Path

import yaml

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent
WORK = HERE / ".work"
AS_OF = "2026-11-01"
KINDS = ("amk", "legevaktsentral")
WORDS = (
    "rutine",
    "avtale",
    "opplæring",
    "øvelse",
    "logg",
    "rapport",
    "gjennomgang",
    "ledermøte",
    "operatør",
    "vakt",
    "sentral",
    "kommune",
    "Nødnett",
    "lydlogg",
    "svartid",
    "tiltak",
    "plan",
    "evaluering",
)


class _Dumper(yaml.SafeDumper):
    """Writes shared values out in full, as a person would; no anchors and aliases."""

    def ignore_aliases(self, data) -> bool:
        return True


def _dump(data) -> str:
    return yaml.dump(data, Dumper=_Dumper, allow_unicode=True, sort_keys=False, width=100)


def _text(rng: random.Random, words: int) -> str:
    return " ".join(rng.choice(WORDS) for _ in range(words)).capitalize() + "."


def make_workspace(ws: Path) -> list[dict]:
    """A workspace whose requirements are the built-in chapters, every requirement applying to both kinds."""
    (ws / "requirements").mkdir(parents=True, exist_ok=True)
    (ws / "kokom.yaml").write_text('title: Benchmark\nedition: "2026.1"\n', encoding="utf-8")
    requirements = []
    for path in sorted((ROOT / "requirements").glob("*.yaml")):
        chapter = yaml.safe_load(path.read_text(encoding="utf-8"))
        for req in chapter["requirements"]:
            req["applies_to"] = sorted(set(req["applies_to"]) | set(KINDS))
            req.pop("conditions", None)
            requirements.append(req)
        (ws / "requirements" / path.name).write_text(_dump(chapter), encoding="utf-8")
    return requirements


def _answer(rng: random.Random, req: dict, period_end: dt.date) -> dict | None:
    roll = rng.random()
    if roll < 0.05:
        return None
    status = (
        "met"
        if roll < 0.72
        else "partial"
        if roll < 0.82
        else "not_met"
        if roll < 0.93
        else "not_applicable"
        if roll < 0.96
        else None
    )
    answer: dict = {"status": status} if status else {}
    if status:
        answer["justification"] = _text(rng, rng.randint(6, 25))
    if status in ("met", "partial"):
        answer["evidence"] = [
            {
                "text": _text(rng, 8),
                "date": period_end - dt.timedelta(days=rng.randint(0, 900)),
                **({"kind": e["kind"]} if rng.random() < 0.5 else {}),
            }
            for e in req.get("evidence", [])[:2]
        ] or [{"text": _text(rng, 6), "date": period_end}]
    if status in ("partial", "not_met"):
        answer["action"] = {
            "what": _text(rng, 6),
            "responsible": rng.choice(("Kari Nordmann", "Ola Berg", "Leder")),
            "due": period_end + dt.timedelta(days=rng.randint(-200, 300)),
        }
    if req.get("metric") and status in ("met", "not_met"):
        spec = req["metric"]
        if spec["indicator"] == "max_wait":
            answer["measured"] = {"calls": rng.randint(5000, 200000), "max_wait_seconds": rng.randint(8, 40)}
        else:
            answer["measured"] = {"calls": rng.randint(5000, 200000), "share": round(rng.uniform(0.6, 0.99), 3)}
    if status and rng.random() < 0.05:
        advisor = rng.choice(("met", "partial", "not_met"))
        answer["verification"] = {
            "status": advisor,
            "by": "Rådgiver Hansen",
            "date": period_end,
            **({"comment": _text(rng, 8)} if advisor != status else {}),
        }
    return answer


def generate(folder: Path, services: int = 300, twice: int = 100) -> tuple[Path, int]:
    """The workspace (folder/ws) and the services and assessments (folder/land); returns (ws, assessments)."""
    if folder.exists():
        shutil.rmtree(folder)
    ws, land = folder / "ws", folder / "land"
    requirements = make_workspace(ws)
    rng = random.Random(20261101)
    (land / "services").mkdir(parents=True)
    (land / "assessments").mkdir()
    written = 0
    for number in range(services):
        kind = KINDS[0] if number % 3 == 0 else KINDS[1]
        sid = f"{'amk' if kind == 'amk' else 'lvs'}-{number:03d}"
        service = {
            "id": sid,
            "name": f"{'AMK' if kind == 'amk' else 'Legevaktsentral'} {number:03d}",
            "kind": kind,
            "owner": f"Eier {number:03d}",
            "municipalities": [f"Kommune {number:03d}"],
            "population": rng.randint(5000, 700000),
            "lines": ["113"] if kind == "amk" else ["116117", "local"],
        }
        (land / "services" / f"{sid}.yaml").write_text(_dump(service), encoding="utf-8")
        for year in (2025, 2026) if number < twice else (2026,):
            period_end = dt.date(year, 10, 1)
            answers = {req["id"]: _answer(rng, req, period_end) for req in requirements}
            assessment = {
                "service": sid,
                "edition": "2026.1",
                "period": str(year),
                "assessed_by": f"Leder {number:03d}",
                "date": period_end,
                "answers": answers,
            }
            if rng.random() < 0.1:
                chosen = rng.choice(requirements)["id"]
                assessment["waivers"] = [
                    {
                        "requirement": chosen,
                        "justification": _text(rng, 8),
                        "approved_by": "Statsforvalteren",
                        "expires": dt.date(year + 1, 6, 30),
                    }
                ]
            (land / "assessments" / f"{sid}-{year}.yaml").write_text(_dump(assessment), encoding="utf-8")
            written += 1
    return ws, written


def timed_pair(commands: dict[str, list[str]], runs: int) -> dict[str, float]:
    """Median wall time of each command, run interleaved so machine noise hits them alike."""
    samples: dict[str, list[float]] = {name: [] for name in commands}
    for _ in range(runs):
        for name, cmd in commands.items():
            start = time.perf_counter()
            result = subprocess.run(cmd, capture_output=True, text=True)
            samples[name].append(time.perf_counter() - start)
            if result.returncode != 0:
                raise SystemExit(f"{' '.join(cmd)} failed ({result.returncode}): {result.stderr[-2000:]}")
    return {name: statistics.median(values) for name, values in samples.items()}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--services", type=int, default=300, help="services (the first third assessed twice)")
    args = parser.parse_args()
    kokom = shutil.which("kokom") or sys.exit("kokom is not installed (pip install -e .)")
    folder = WORK / "overview-400"
    ws, count = generate(folder, args.services, args.services // 3)
    land = folder / "land"
    print(f"{count} assessments of 60 answers, {args.services} services in {land}")
    base = ["--root", str(ws)]
    times = timed_pair(
        {
            "validate": [kokom, "assess", "validate", str(land), *base],
            "html": [
                kokom,
                "overview",
                str(land),
                "--format",
                "html",
                "-o",
                str(folder / "out.html"),
                "--as-of",
                AS_OF,
                *base,
            ],
            "json": [
                kokom,
                "overview",
                str(land),
                "--format",
                "json",
                "-o",
                str(folder / "out.json"),
                "--as-of",
                AS_OF,
                *base,
            ],
        },
        args.runs,
    )
    ratio = times["html"] / times["validate"]
    print(f"{'kokom assess validate (load and validate)':45} {times['validate']:6.2f} s")
    print(f"{'kokom overview --format html':45} {times['html']:6.2f} s   ratio {ratio:.2f} (target <= 1.5)")
    print(f"{'kokom overview --format json':45} {times['json']:6.2f} s   ratio {times['json'] / times['validate']:.2f}")
    print(f"out.html: {(folder / 'out.html').stat().st_size / 1e6:.1f} MB")
    sys.exit(0 if ratio <= 1.5 else 1)


if __name__ == "__main__":
    main()
