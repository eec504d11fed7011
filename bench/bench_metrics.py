"""Benchmark `kokom metrics` against a hand-written DuckDB query, and its memory on 10M vs 1M rows.

Prints, from one run (machines here are noisy; only ratios within one run mean anything):
- kokom metrics --json on 1M rows vs a hand-written DuckDB query computing the same figures on the same file,
  both as fresh processes (interpreter start and imports included) (target: <= 2x);
- peak memory (RSS of the child process) of kokom metrics on 10M rows vs 1M rows (target: <= 1.3x).

The figures of both are compared, so the query is known to compute the same thing.

Usage: python bench/bench_metrics.py [--runs N] [--skip-10m]
(writes bench/.work/amk-1m.csv and amk-10m.csv with gen_calllog.py on first use: about 1 GB of disk)
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import statistics
import subprocess
import sys
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
WORK = HERE / ".work"

# The same figures as `kokom metrics --kind amk` (113: shares of the answered calls, Helsedirektoratet's
# denominator since issue 13): overall, per Norwegian month and per line, rows whose timestamps
# do not parse or run backwards left out, exact quantiles with quantile_cont, and the number of duplicate call ids
# (a second statement: inside the GROUPING SETS query count(DISTINCT) made it half again as slow).
HAND_WRITTEN = r"""
import json, sys, duckdb
con = duckdb.connect()
con.execute("SET enable_progress_bar = false")
con.execute("SET TimeZone = 'Europe/Oslo'")
path = sys.argv[1]
rows = con.execute(f'''
WITH raw AS (
    SELECT line, TRY_CAST(offered_at AS TIMESTAMPTZ) AS o, TRY_CAST(answered_at AS TIMESTAMPTZ) AS a,
           TRY_CAST(ended_at AS TIMESTAMPTZ) AS e
    FROM read_csv('{path}', all_varchar = true)
), good AS (
    SELECT line, strftime(o, '%Y-%m') AS month, epoch(a - o) AS ans, epoch(coalesce(a, e) - o) AS wait
    FROM raw WHERE o IS NOT NULL AND (a IS NULL OR a >= o) AND (e IS NULL OR e >= o)
)
SELECT grouping(month, line) AS g, month, line, count(*) AS calls, count(ans) AS answered,
       count_if(ans <= 10) / count(ans) AS share, quantile_cont(ans, 0.5) AS median, quantile_cont(ans, 0.9) AS p90,
       max(wait) AS max_wait, count_if(wait > 20) AS over20, count_if(ans <= 600) / count(ans) AS share600
FROM good WHERE line = '113'
GROUP BY GROUPING SETS ((), (month), (line)) ORDER BY g, month, line
''').fetchall()
duplicates = con.execute(
    f"SELECT count(*) - count(DISTINCT call_id) FROM read_csv('{path}', all_varchar = true)").fetchall()
print(json.dumps({"groups": rows, "duplicates": duplicates[0][0]}))
"""


def run_measured(cmd: list[str]) -> tuple[float, float, str]:
    """Wall seconds, the child's own peak RSS in MB (wait4; Linux gives KiB), and its stdout."""
    start = time.perf_counter()
    proc = subprocess.Popen(cmd, stdout=subprocess.PIPE, stderr=subprocess.DEVNULL)
    assert proc.stdout is not None
    out = proc.stdout.read().decode()
    _, status, usage = os.wait4(proc.pid, 0)
    wall = time.perf_counter() - start
    proc.returncode = os.waitstatus_to_exitcode(status)
    if proc.returncode not in (0, 1):
        sys.exit(f"{' '.join(cmd)} failed with exit {proc.returncode}")
    return wall, usage.ru_maxrss / 1024, out


def ensure(rows: int, name: str) -> Path:
    path = WORK / name
    if not path.exists():
        subprocess.run(
            [sys.executable, str(HERE / "gen_calllog.py"), "--rows", str(rows), "--kind", "amk", "-o", str(path)],
            check=True,
        )
    return path


def same_figures(kokom_json: str, hand_json: str) -> bool:
    k = json.loads(kokom_json)
    hand = json.loads(hand_json)
    rows = hand["groups"]
    overall = next(r for r in rows if r[0] == 3)
    months = {r[1]: r for r in rows if r[0] == 1}
    pairs = [
        (k["calls"], overall[3]),
        (k["answered"], overall[4]),
        (k["within_threshold_share"], overall[5]),
        (k["median_answer_seconds"], overall[6]),
        (k["p90_answer_seconds"], overall[7]),
        (k["max_wait_seconds"], overall[8]),
        (k["over_20_seconds"], overall[9]),
        (k["within_10_minutes_share"], overall[10]),
        (k["bad_rows"]["counts"].get("duplicate", 0), hand["duplicates"]),
    ]
    for month, f in k["by_month"].items():
        r = months[month]
        pairs += [(f["calls"], r[3]), (f["median_answer_seconds"], r[6]), (f["p90_answer_seconds"], r[7])]
    return all(abs(a - b) <= 1e-9 * max(1, abs(b)) for a, b in pairs)


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--skip-10m", action="store_true")
    args = parser.parse_args()
    kokom = shutil.which("kokom") or sys.exit("kokom is not installed (pip install -e .)")
    one = ensure(1_000_000, "amk-1m.csv")
    kokom_1m = [kokom, "metrics", str(one), "--kind", "amk", "--json"]
    hand_1m = [sys.executable, "-c", HAND_WRITTEN, str(one)]
    t_kokom, t_hand, rss_1m, rss_hand = [], [], [], []
    out_kokom = out_hand = ""
    for _ in range(args.runs):  # interleaved, so both see the same background load
        wall, rss, out_kokom = run_measured(kokom_1m)
        t_kokom.append(wall)
        rss_1m.append(rss)
        wall, rss, out_hand = run_measured(hand_1m)
        t_hand.append(wall)
        rss_hand.append(rss)
    if not same_figures(out_kokom, out_hand):
        sys.exit("kokom metrics and the hand-written query disagree; the comparison would mean nothing")
    rows = [
        ("kokom metrics / hand-written DuckDB, 1M rows (s)", statistics.median(t_kokom), statistics.median(t_hand), 2.0)
    ]
    if not args.skip_10m:
        ten = ensure(10_000_000, "amk-10m.csv")
        rss_10m = []
        for _ in range(max(1, args.runs // 2)):
            _, rss, _ = run_measured([kokom, "metrics", str(ten), "--kind", "amk", "--json"])
            rss_10m.append(rss)
        rows.append(("kokom metrics peak RSS, 10M / 1M rows (MB)", max(rss_10m), max(rss_1m), 1.3))
    print(f"{os.cpu_count()} cores; medians of {args.runs} runs (RSS: the highest)")
    print(f"{'comparison':52} {'a':>8} {'b':>8} {'ratio':>7}  target")
    for name, a, b, target in rows:
        ratio = a / b
        print(f"{name:52} {a:8.2f} {b:8.2f} {ratio:7.2f}  <= {target} {'ok' if ratio <= target else 'MISSED'}")
    print(f"(for comparison: peak RSS of the hand-written query on 1M rows {max(rss_hand):.0f} MB)")


if __name__ == "__main__":
    main()
