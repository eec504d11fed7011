"""Benchmark `kokom validate` and start-up against peers measured in the same run.

Prints ratios (machines here are noisy; only ratios within one run mean anything):
- kokom validate vs Doorstop 3.2 validating the same 5,000 requirements (target: >= 20x faster),
  both a cold run (--no-cache: every file parsed and checked) and a warm one (nothing changed since
  the last run, so the stored findings are printed: kokom_cli/requirements/validation_cache.py),
- kokom validate (cold) vs a bare PyYAML C-loader parse of the same files (target: <= 3x),
- kokom --version vs `python -c "import typer"` (target: <= 1.5x).

Usage: python bench/bench_validate.py [N]   (Doorstop is installed in bench/.work/peers)
"""

from __future__ import annotations

import os
import shutil
import statistics
import subprocess
import sys
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
WORK = HERE / ".work"
PEERS = WORK / "peers"


def timed(cmd: list[str], cwd: Path | None = None, runs: int = 5, ok=(0,)) -> float:
    samples = []
    for _ in range(runs):
        start = time.perf_counter()
        result = subprocess.run(cmd, cwd=cwd, capture_output=True, text=True)
        samples.append(time.perf_counter() - start)
        if result.returncode not in ok:
            raise SystemExit(f"{' '.join(cmd)} failed ({result.returncode}): {result.stderr[-2000:]}")
    return statistics.median(samples)


def ensure_peers() -> Path | None:
    doorstop = PEERS / "bin" / "doorstop"
    if not PEERS.exists():
        subprocess.run([sys.executable, "-m", "venv", str(PEERS)], check=True)
    subprocess.run([str(PEERS / "bin" / "pip"), "install", "-q", "doorstop==3.2"], check=False)
    return doorstop if doorstop.exists() else None


def main() -> None:
    n = int(sys.argv[1]) if len(sys.argv) > 1 else 5000
    corpus = WORK / f"corpus-{n}"
    if not corpus.exists():
        subprocess.run([sys.executable, str(HERE / "gen_corpus.py"), str(corpus), str(n)], check=True)
    kokom = shutil.which("kokom") or sys.exit("kokom is not installed (pip install -e .)")
    ws = corpus / "kokom"
    bare = (
        "import glob, yaml; "
        "[yaml.load(open(f, encoding='utf-8'), Loader=yaml.CSafeLoader) "
        f"for f in glob.glob('{ws}/requirements/*.yaml')]"
    )
    os.environ["XDG_CACHE_HOME"] = str(WORK / "cache")
    rows = []
    t_kokom = timed([kokom, "validate", "--no-cache", "--root", str(ws)])
    subprocess.run([kokom, "validate", "--root", str(ws)], capture_output=True)  # fills the cache
    t_warm = timed([kokom, "validate", "--root", str(ws)])
    t_bare = timed([sys.executable, "-c", bare])
    rows.append(("kokom validate (cold) / bare PyYAML C parse", t_kokom, t_bare, 3.0, "<="))
    doorstop = ensure_peers()
    if doorstop:
        # `doorstop` as a user runs it rewrites (reformats) every item file; --no-reformat only reads.
        t_default = timed([str(doorstop)], cwd=corpus / "doorstop", runs=2, ok=(0, 1))
        t_door = timed([str(doorstop), "--no-reformat"], cwd=corpus / "doorstop", runs=3, ok=(0, 1))
        rows.append(("Doorstop (default) / kokom validate (cold)", t_default, t_kokom, 20.0, ">="))
        rows.append(("Doorstop --no-reformat / kokom (cold)", t_door, t_kokom, 20.0, ">="))
        rows.append(("Doorstop --no-reformat / kokom (warm)", t_door, t_warm, 20.0, ">="))
    t_version = timed([kokom, "--version"], runs=15)
    t_typer = timed([sys.executable, "-c", "import typer"], runs=15)
    rows.append(("kokom --version / import typer", t_version, t_typer, 1.5, "<="))
    print(f"{n} requirements, {os.cpu_count()} cores")
    print(f"{'comparison':46} {'a (s)':>8} {'b (s)':>8} {'ratio':>7}  target")
    for name, a, b, target, op in rows:
        ratio = a / b
        ok = ratio <= target if op == "<=" else ratio >= target
        print(f"{name:46} {a:8.3f} {b:8.3f} {ratio:7.2f}  {op} {target} {'ok' if ok else 'MISSED'}")


if __name__ == "__main__":
    main()
