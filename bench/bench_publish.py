"""Benchmark the PDF publishing of this checkout against an older commit, in one run.

Four documents, each rendered by the baseline's code and by this checkout's code in the
same virtual environment (the same WeasyPrint), as fresh processes, interleaved
(baseline and new alternate, the order swapped every repetition):

- the national handbook (built-in corpus): `kokom render handbook --format pdf`;
- a synthetic handbook of N requirements (bench/gen_corpus.py, default 1,000);
- the self-assessment report of examples/lvs-storby: `kokom assess report --format pdf`;
- the national overview of examples/: `kokom overview examples --format pdf`.

Time is wall clock (median of the runs; the CPU time of the process and the children it waited
for, user plus system, is shown too, as it moves less with the load of a shared machine). Memory:
the new code lays the handbook out in worker processes, so what counts is the memory of all the
processes alive at the same time. A sampler reads /proc every 50 ms and adds up, over the process
and all its descendants, the proportional set size (PSS: a page shared by n processes, as after a
fork, counts 1/n in each) and the resident set size (RSS: shared pages counted in every process,
an upper bound); the peak of each sum is taken, and the largest of the runs. The memory ratio is
the PSS one; the RSS-sum ratio is shown beside it. The single process's own peak (wait4) is a
lower bound of both. The script then checks that both PDFs of each document say the same:
same number of pages, same bookmarks (titles, levels and target pages), and the same text on
every page (so the contents' and the index's page numbers, running heads and "Side X av Y"
agree). Only ratios from one run mean anything on a shared machine.

The baseline is a git checkout (a folder with kokom_cli/ and templates/): pass it with
--base PATH, or give --base-commit REV (default d4d2e94) and the script checks it out into a
temporary worktree of this repository and removes it afterwards. Both run with
PYTHONPATH pointing at their own checkout, so each uses its own code and built-in templates.

Usage: python bench/bench_publish.py [--base PATH | --base-commit REV] [--runs R] [--n N]
       [--skip-large] [--only national,large,report,overview]
"""

from __future__ import annotations

import argparse
import datetime as dt
import os
import re
import shutil
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
REPO = HERE.parent
WORK = HERE / ".work"
AS_OF = "2026-12-01"
_NUMBER = re.compile(r"\d+")

# name, target ratio for time, target ratio for memory (None: not checked), argv after `kokom`
TARGETS = {
    "national": ("national handbook (60 requirements)", 0.35, None),
    "large": ("synthetic handbook ({n} requirements)", 0.5, 0.6),
    "report": ("self-assessment report (lvs-storby)", 1.0, None),
    "overview": ("national overview (examples/)", 1.0, None),
}


def commands(name: str, out: Path, n: int, code: Path = REPO) -> list[str]:
    """The command of one document; the report and the overview read the examples of the checkout `code`
    (an older checkout may not read today's files)."""
    if name == "national":
        return ["render", "handbook", "--format", "pdf", "-o", str(out)]
    if name == "large":
        return ["render", "handbook", "--root", str(WORK / f"corpus-{n}" / "kokom"), "--format", "pdf", "-o", str(out)]
    if name == "report":
        report = code / "examples" / "lvs-storby" / "assessments" / "lvs-storby-2026.yaml"
        return ["assess", "report", str(report), "--as-of", AS_OF, "--format", "pdf", "-o", str(out)]
    if name == "overview":
        return ["overview", str(code / "examples"), "--as-of", AS_OF, "--format", "pdf", "-o", str(out)]
    raise ValueError(name)


def where(code: Path, cwd: Path) -> Path:
    """The kokom_cli package a process started like `run` imports (it must be the one in `code`)."""
    env = {**os.environ, "PYTHONPATH": str(code)}
    out = subprocess.run(
        [sys.executable, "-c", "import kokom_cli; print(kokom_cli.__file__)"],
        cwd=cwd,
        env=env,
        capture_output=True,
        text=True,
    )
    return Path(out.stdout.strip()).resolve().parent.parent


def _tree(root: int) -> list[int]:
    """`root` and every process descending from it."""
    parents: dict[int, list[int]] = {}
    for entry in os.scandir("/proc"):
        if entry.name.isdigit():
            try:
                with open(f"/proc/{entry.name}/stat", "rb") as f:
                    stat = f.read()
            except OSError:
                continue
            ppid = int(stat[stat.rindex(b")") + 2 :].split()[1])
            parents.setdefault(ppid, []).append(int(entry.name))
    found, todo = [], [root]
    while todo:
        pid = todo.pop()
        found.append(pid)
        todo += parents.get(pid, [])
    return found


def _memory(pids: list[int]) -> tuple[float, float]:
    """(sum of PSS, sum of RSS) in MB over `pids` (processes that ended meanwhile count 0)."""
    pss = rss = 0
    for pid in pids:
        try:
            with open(f"/proc/{pid}/smaps_rollup", "rb") as f:
                for line in f:
                    if line.startswith(b"Pss:"):
                        pss += int(line.split()[1])
                    elif line.startswith(b"Rss:"):
                        rss += int(line.split()[1])
        except OSError:
            continue
    return pss / 1024, rss / 1024


class Sampler(threading.Thread):
    """Peak of the summed PSS and RSS of a process tree, sampled every 50 ms until `stop`."""

    def __init__(self, pid: int):
        super().__init__(daemon=True)
        self.pid, self.pss, self.rss = pid, 0.0, 0.0
        self.done = threading.Event()

    def run(self) -> None:
        while not self.done.wait(0.05):
            pss, rss = _memory(_tree(self.pid))
            self.pss, self.rss = max(self.pss, pss), max(self.rss, rss)

    def stop(self) -> tuple[float, float]:
        self.done.set()
        self.join()
        return self.pss, self.rss


def run(code: Path, argv: list[str], cwd: Path) -> tuple[float, float, float, float, float]:
    """(wall seconds, peak RSS of the process in MB, CPU seconds, peak PSS sum of its tree, peak RSS sum of its
    tree) of `python -m kokom_cli ARGV` with `code` first on the path."""
    env = {**os.environ, "PYTHONPATH": str(code), "KOKOM_LANG": "nb"}
    start = time.perf_counter()
    proc = subprocess.Popen(
        [sys.executable, "-m", "kokom_cli", *argv], cwd=cwd, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE
    )
    sampler = Sampler(proc.pid)
    sampler.start()
    _, status, usage = os.wait4(proc.pid, 0)
    seconds = time.perf_counter() - start
    tree_pss, tree_rss = sampler.stop()
    err = proc.stderr.read().decode("utf-8", "replace")
    proc.stderr.close()
    code_ = os.waitstatus_to_exitcode(status)
    if code_ not in (0, 1) or "Traceback" in err:
        raise SystemExit(f"{code}: kokom {' '.join(argv)} failed ({code_}): {err[-2000:]}")
    own = usage.ru_maxrss / 1024
    return seconds, own, usage.ru_utime + usage.ru_stime, max(tree_pss, own), max(tree_rss, own)


def summary(pdf: Path) -> tuple[int, list[tuple], list[list[str]]]:
    """Pages, bookmarks (level, title, page) and the lines of text of every page."""
    from pypdf import PdfReader

    reader = PdfReader(pdf)
    marks: list[tuple] = []

    def walk(items, level):
        for item in items:
            if isinstance(item, list):
                walk(item, level + 1)
            else:
                marks.append((level, item.title, reader.get_destination_page_number(item)))

    walk(reader.outline, 1)
    texts = [[" ".join(line.split()) for line in (page.extract_text() or "").splitlines()] for page in reader.pages]
    return len(reader.pages), marks, texts


def compare(a: Path, b: Path) -> str:
    """Whether two PDFs say the same: all text, bookmarks; where only the page breaks moved, say so."""
    pages_a, marks_a, text_a = summary(a)
    pages_b, marks_b, text_b = summary(b)
    if (pages_a, marks_a, text_a) == (pages_b, marks_b, text_b):
        return f"same ({pages_a} pages, {len(marks_a)} bookmarks, text of every page)"
    problems = []
    if pages_a != pages_b:
        problems.append(f"pages {pages_a} vs {pages_b}")
    if [m[:2] for m in marks_a] != [m[:2] for m in marks_b]:
        problems.append(f"bookmark titles differ ({len(marks_a)} vs {len(marks_b)})")
    elif marks_a != marks_b:
        moved = sum(x != y for x, y in zip(marks_a, marks_b, strict=True))
        problems.append(f"same bookmark titles, {moved} of {len(marks_a)} on another page")
    lines_a = sorted(line for page in text_a for line in page)
    lines_b = sorted(line for page in text_b for line in page)
    if lines_a == lines_b:
        moved = [i + 1 for i, (x, y) in enumerate(zip(text_a, text_b, strict=False)) if x != y]
        problems.append(f"same lines of text (page numbers included), page breaks moved on pages {_pages(moved)}")
    elif _same_but_page_furniture(lines_a, lines_b):
        problems.append(
            "same lines of text apart from numbers (the page numbers follow the moved page breaks) and the running"
            " head and footer of the pages one has more"
        )
    else:
        differing = [i + 1 for i, (x, y) in enumerate(zip(text_a, text_b, strict=False)) if x != y]
        problems.append(f"TEXT DIFFERS on pages {_pages(differing)}")
    return "; ".join(problems)


def _same_but_page_furniture(lines_a: list[str], lines_b: list[str]) -> bool:
    """True if, with numbers masked, the lines differ only in how often lines repeated on many pages occur
    (running heads, "Side # av #"): the text is the same, one document has more pages."""
    from collections import Counter

    count_a = Counter(_NUMBER.sub("#", line) for line in lines_a)
    count_b = Counter(_NUMBER.sub("#", line) for line in lines_b)
    differing = (count_a - count_b) + (count_b - count_a)
    return all(min(count_a[line], count_b[line]) >= 5 for line in differing)


def _pages(numbers: list[int]) -> str:
    return ", ".join(map(str, numbers[:8])) + (" …" if len(numbers) > 8 else "")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--base", type=Path, help="a checkout of the baseline (folder with kokom_cli/)")
    parser.add_argument("--base-commit", default="d4d2e94", help="checked out into a temporary worktree")
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--n", type=int, default=1000, help="requirements in the synthetic handbook")
    parser.add_argument("--skip-large", action="store_true")
    parser.add_argument("--only", default="national,large,report,overview")
    args = parser.parse_args()
    names = [name for name in args.only.split(",") if name and not (args.skip_large and name == "large")]

    tmp = Path(tempfile.mkdtemp(prefix="kokom-bench-"))
    base = args.base
    worktree = None
    if base is None:
        worktree = tmp / "base"
        subprocess.run(
            ["git", "-C", str(REPO), "worktree", "add", "-q", "--detach", str(worktree), args.base_commit], check=True
        )
        base = worktree
    base = base.resolve()
    # Not from inside a checkout: `python -m` puts the current folder first on the path.
    cwd = tmp / "cwd"
    cwd.mkdir()
    for code in (base, REPO):
        if where(code, cwd) != code.resolve():
            raise SystemExit(f"a process with PYTHONPATH={code} imports kokom_cli from {where(code, cwd)}")
    try:
        if "large" in names and not (WORK / f"corpus-{args.n}").exists():
            subprocess.run(
                [sys.executable, str(HERE / "gen_corpus.py"), str(WORK / f"corpus-{args.n}"), str(args.n)], check=True
            )
        samples: dict[tuple[str, str], list[tuple[float, float, float, float, float]]] = {}
        for rep in range(args.runs):
            for name in names:
                order = [("base", base), ("new", REPO)]
                if rep % 2:
                    order.reverse()
                for label, code in order:
                    out = tmp / f"{name}-{label}.pdf"
                    samples.setdefault((name, label), []).append(run(code, commands(name, out, args.n, code), cwd))
                    wall, mem, cpu, pss, rss = samples[(name, label)][-1]
                    print(
                        f"  run {rep + 1} {name:9} {label:4} {wall:7.2f} s, CPU {cpu:7.2f} s, {mem:5.0f} MB"
                        f" (tree: PSS {pss:5.0f} MB, RSS sum {rss:5.0f} MB), load {os.getloadavg()[0]:.1f}",
                        file=sys.stderr,
                    )
        load = os.getloadavg()[0]
        print(
            f"# {dt.date.today()}: baseline {args.base_commit if worktree else base}, {os.cpu_count()} cores, "
            f"load {load:.1f}, Python {sys.version.split()[0]}, {args.runs} runs (median time, largest peak memory)"
        )
        print()
        print(
            "| document | baseline | new | time ratio | CPU time ratio | memory ratio (PSS sum; RSS sum) | target"
            " | contents |"
        )
        print("|---|---|---|---|---|---|---|---|")
        for name in names:
            title, t_target, m_target = TARGETS[name]
            tb = statistics.median(s[0] for s in samples[(name, "base")])
            tn = statistics.median(s[0] for s in samples[(name, "new")])
            mb = max(s[3] for s in samples[(name, "base")])
            mn = max(s[3] for s in samples[(name, "new")])
            rb = max(s[4] for s in samples[(name, "base")])
            rn = max(s[4] for s in samples[(name, "new")])
            cb = statistics.median(s[2] for s in samples[(name, "base")])
            cn = statistics.median(s[2] for s in samples[(name, "new")])
            ok = tn / tb <= t_target and (m_target is None or mn / mb <= m_target)
            target = f"≤ {t_target}" + (f", memory ≤ {m_target}" if m_target else "")
            same = compare(tmp / f"{name}-base.pdf", tmp / f"{name}-new.pdf")
            print(
                f"| {title.format(n=f'{args.n:,}')} | {tb:.2f} s, {mb:.0f} MB | {tn:.2f} s, {mn:.0f} MB "
                f"| {tn / tb:.2f} | {cn / cb:.2f} | {mn / mb:.2f}; {rn / rb:.2f} "
                f"| {target}: {'met' if ok else 'MISSED'} | {same} |"
            )
    finally:
        if worktree is not None:
            subprocess.run(["git", "-C", str(REPO), "worktree", "remove", "--force", str(worktree)], check=False)
        for f in tmp.glob("*.pdf"):
            f.unlink()
        shutil.rmtree(tmp, ignore_errors=True)


if __name__ == "__main__":
    main()
