"""Benchmark `kokom render handbook` against peers and against WeasyPrint itself, in one run.

On the synthetic corpus of bench/gen_corpus.py (default 5,000 requirements):
- `kokom render handbook --format html` vs Doorstop 3.2 `publish all` (HTML) and
  StrictDoc 0.30 `export --formats html` of the same requirements
  (target: kokom at least 10x faster than the faster of the two);
- `kokom render handbook --format pdf` vs WeasyPrint called directly on the HTML
  kokom produced (target: at most 1.10x the time, peak memory no higher).

Each command runs as its own process; time is wall-clock, memory is the
process's peak resident set (from wait4). Only ratios within one run mean
anything on a shared machine. The peers live in bench/.work/venv (created on
first use: pip install doorstop==3.2 strictdoc==0.30.*); --no-peers skips them.

Usage: python bench/bench_render.py [N] [--no-peers] [--no-pdf] [--runs R]
"""

from __future__ import annotations

import argparse
import datetime as dt
import importlib.util
import os
import shutil
import statistics
import subprocess
import sys
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
WORK = HERE / ".work"
VENV = WORK / "venv"
PEERS = ("doorstop==3.2", "strictdoc==0.30.*")


def run(cmd: list[str], cwd: Path | None = None, ok=(0,)) -> tuple[float, float]:
    """(seconds, peak RSS in MB) of one run of `cmd`."""
    start = time.perf_counter()
    proc = subprocess.Popen(cmd, cwd=cwd, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    _, status, usage = os.wait4(proc.pid, 0)
    seconds = time.perf_counter() - start
    code = os.waitstatus_to_exitcode(status)
    err = proc.stderr.read().decode("utf-8", "replace") if proc.stderr else ""
    proc.stderr.close()
    proc.returncode = code
    if code not in ok:
        raise SystemExit(f"{' '.join(cmd)} failed ({code}): {err[-2000:]}")
    return seconds, usage.ru_maxrss / 1024


def best_of(cmd: list[str], runs: int, cwd: Path | None = None, ok=(0,), before=None) -> tuple[float, float]:
    """Median time and the largest peak memory over `runs` runs."""
    samples = []
    for _ in range(runs):
        if before:
            before()
        samples.append(run(cmd, cwd, ok))
    return statistics.median(s for s, _ in samples), max(m for _, m in samples)


def gen_corpus_module():
    spec = importlib.util.spec_from_file_location("gen_corpus", HERE / "gen_corpus.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def write_sdoc(out: Path, n: int) -> None:
    """The same requirements as gen_corpus.py writes for kokom and Doorstop, as one StrictDoc document."""
    gen = gen_corpus_module()
    lines = ["[DOCUMENT]", "TITLE: Syntetisk korpus", ""]
    chapter = None
    for r in gen.requirements(n):
        if r["chapter"] != chapter:
            if chapter is not None:
                lines += ["[[/SECTION]]", ""]
            chapter = r["chapter"]
            lines += ["[[SECTION]]", f"TITLE: Kapittel {chapter}", ""]
        lines += ["[REQUIREMENT]", f"UID: {r['id']}", f"TITLE: {r['title']}", "STATEMENT: >>>", r["text"], "<<<"]
        if r["link"]:
            lines += ["RELATIONS:", "- TYPE: Parent", f"  VALUE: {r['link']}"]
        lines.append("")
    lines += ["[[/SECTION]]", ""]
    out.mkdir(parents=True, exist_ok=True)
    (out / "korpus.sdoc").write_text("\n".join(lines), encoding="utf-8")


def ensure_peers() -> tuple[Path | None, Path | None]:
    bin_dir = VENV / "bin"
    if not (bin_dir / "doorstop").exists() or not (bin_dir / "strictdoc").exists():
        subprocess.run([sys.executable, "-m", "venv", str(VENV)], check=True)
        subprocess.run([str(bin_dir / "pip"), "install", "-q", *PEERS], check=False)
    found = [(bin_dir / name) if (bin_dir / name).exists() else None for name in ("doorstop", "strictdoc")]
    return found[0], found[1]


def version(cmd: list[str]) -> str:
    result = subprocess.run(cmd, capture_output=True, text=True)
    return (result.stdout or result.stderr).strip().splitlines()[-1] if result.returncode == 0 else "?"


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("n", nargs="?", type=int, default=5000)
    parser.add_argument("--no-peers", action="store_true")
    parser.add_argument("--no-pdf", action="store_true")
    parser.add_argument("--runs", type=int, default=3, help="Runs of the HTML render (PDF and peers run once).")
    args = parser.parse_args()
    n = args.n
    corpus = WORK / f"corpus-{n}"
    if not corpus.exists():
        subprocess.run([sys.executable, str(HERE / "gen_corpus.py"), str(corpus), str(n)], check=True)
    kokom = shutil.which("kokom") or sys.exit("kokom is not installed (pip install -e .)")
    ws = corpus / "kokom"
    out = WORK / f"render-{n}"
    shutil.rmtree(out, ignore_errors=True)
    out.mkdir(parents=True)
    html = out / "handbok.html"
    rows: list[tuple[str, float, float, float, float, float, str]] = []
    notes: list[str] = []

    t_html, m_html = best_of(
        [kokom, "render", "handbook", "--root", str(ws), "--format", "html", "-o", str(html)], args.runs
    )
    notes.append(
        f"kokom render handbook --format html: {t_html:.2f} s, {m_html:.0f} MB, "
        f"{html.stat().st_size / 1e6:.1f} MB of HTML"
    )

    if not args.no_peers:
        doorstop, strictdoc = ensure_peers()
        peers = []
        if doorstop:
            door_out = out / "doorstop-html"
            t, m = run([str(doorstop), "publish", "all", str(door_out)], cwd=corpus / "doorstop")
            peers.append(("Doorstop " + version([str(doorstop), "--version"]), t, m))
        if strictdoc:
            sdoc = WORK / f"sdoc-{n}"
            if not sdoc.exists():
                write_sdoc(sdoc, n)
            sd_out = out / "strictdoc-html"
            t, m = run([str(strictdoc), "export", str(sdoc), "--formats", "html", "--output-dir", str(sd_out)])
            peers.append(("StrictDoc " + version([str(strictdoc), "--version"]), t, m))
        for name, t, m in peers:
            notes.append(f"{name} HTML: {t:.2f} s, {m:.0f} MB")
        if peers:
            name, t, m = min(peers, key=lambda p: p[1])
            rows.append((f"{name} HTML / kokom html", t, m, t_html, m_html, 10.0, ">="))

    if not args.no_pdf:
        pdf = out / "handbok.pdf"
        t_pdf, m_pdf = run([kokom, "render", "handbook", "--root", str(ws), "--format", "pdf", "-o", str(pdf)])
        direct = "import sys, weasyprint; weasyprint.HTML(filename=sys.argv[1]).write_pdf(sys.argv[2])"
        t_direct, m_direct = run([sys.executable, "-c", direct, str(html), str(out / "direct.pdf")])
        rows.append(("kokom pdf / WeasyPrint on kokom's HTML", t_pdf, m_pdf, t_direct, m_direct, 1.10, "<="))
        pages = len(__import__("pypdf").PdfReader(pdf).pages)
        notes.append(
            f"kokom render handbook --format pdf: {t_pdf:.1f} s, {m_pdf:.0f} MB, {pages} pages "
            f"({pages / t_pdf:.1f} pages/s); WeasyPrint directly: {t_direct:.1f} s, {m_direct:.0f} MB"
        )

    print(f"# {dt.date.today()}: {n} requirements, {os.cpu_count()} cores, Python {sys.version.split()[0]}")
    for note in notes:
        print(f"- {note}")
    print()
    header = ("comparison", "a (s)", "a (MB)", "b (s)", "b (MB)", "ratio")
    print("| {:44} | {:>8} | {:>7} | {:>8} | {:>7} | {:>6} | target |".format(*header))
    print(f"|{'-' * 46}|{'-' * 10}|{'-' * 9}|{'-' * 10}|{'-' * 9}|{'-' * 8}|--------|")
    for name, a, ma, b, mb, target, op in rows:
        ratio = a / b
        ok = ratio <= target if op == "<=" else ratio >= target
        if op == "<=" and ma > mb:
            ok = False
        print(
            f"| {name:44} | {a:8.2f} | {ma:7.0f} | {b:8.2f} | {mb:7.0f} | {ratio:6.2f} | {op} {target} "
            f"{'ok' if ok else 'MISSED'} |"
        )


if __name__ == "__main__":
    main()
