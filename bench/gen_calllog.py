"""Write a realistic synthetic call log (kokom's call-log CSV) for benchmarks.

    python bench/gen_calllog.py --rows 1000000 --kind amk -o bench/.work/amk-1m.csv

The log covers one calendar year in Europe/Oslo (both daylight-saving changes):
- arrivals follow an hourly profile (quiet at night, peaks in the day for 113
  and in the evening for 116 117) and a weekday profile (busier weekends at the
  legevaktsentral), sorted by the moment they rang;
- answer times are log-normal (113: median about 4 s; 116 117: about 45 s) and
  grow in the busy hours, so the tail lands where real queues put it;
- some calls are abandoned (113: 1 %, 116 117: 7 %); the caller's patience is
  exponential, and `ended_at` says when they hung up;
- answered calls have a talk time, so `ended_at` is filled for every call.

Everything is computed inside DuckDB from a counter hashed into uniform numbers,
so the same arguments always give the same file, and 10M rows take seconds.
"""

from __future__ import annotations

import argparse
import datetime as dt
import sys
import time
from pathlib import Path

import duckdb

# Share of a day's calls in each hour, 00-23: the profile the example logs are written with.
sys.path.insert(0, str(Path(__file__).resolve().parent.parent / "examples"))
from make_call_logs import HOURLY as EXAMPLE_HOURLY

HOURLY = {"amk": EXAMPLE_HOURLY["113"], "legevaktsentral": EXAMPLE_HOURLY["lvs"]}
WEEKDAY = {
    "amk": [1.0, 0.97, 0.97, 0.98, 1.02, 1.08, 1.06],
    "legevaktsentral": [0.95, 0.85, 0.85, 0.85, 0.95, 1.35, 1.30],
}
PARAMS = {
    # median answer (s), log-sd, busy-hour slowdown, abandon share, mean patience (s), median talk (s)
    "amk": dict(median=3.5, sigma=0.5, busy=0.6, abandon=0.01, patience=25.0, talk=110.0),
    "legevaktsentral": dict(median=45.0, sigma=0.9, busy=0.8, abandon=0.07, patience=150.0, talk=300.0),
}


def _lookup(weights: list[float], buckets: int = 100_000) -> str:
    """A DuckDB list literal mapping bucket b of `buckets` equal slices of (0, 1) to an index drawn by `weights`."""
    total = sum(weights)
    out, acc, index = [], 0.0, 0
    for b in range(buckets):
        point = (b + 0.5) / buckets * total
        while index < len(weights) - 1 and acc + weights[index] <= point:
            acc += weights[index]
            index += 1
        out.append(index)
    return "[" + ",".join(map(str, out)) + "]"


def generate(rows: int, kind: str, out: Path, year: int = 2026, seed: int = 1, prefix: str | None = None) -> None:
    """Write the log; call ids are `prefix` (default: AMK or LEG) and a running number from 1."""
    p = PARAMS[kind]
    peak = max(HOURLY[kind])
    first = dt.date(year, 1, 1)
    day_weights = [
        WEEKDAY[kind][(first + dt.timedelta(days=d)).weekday()] for d in range((dt.date(year + 1, 1, 1) - first).days)
    ]
    lines = "'113'" if kind == "amk" else "CASE WHEN u(i, 7) < 0.85 THEN '116117' ELSE 'local' END"
    stamp = "strftime({0}, '%Y-%m-%dT%H:%M:%S.%g') || printf('%+03d:00', date_part('timezone_hour', {0}))"
    con = duckdb.connect()
    con.execute("SET TimeZone = 'Europe/Oslo'")
    # u(i, k): the k-th uniform number in (0, 1) for row i, reproducible.
    con.execute(
        f"CREATE MACRO u(i, k) AS ((hash(i * 16 + k + {seed} * 1000003) >> 11)::DOUBLE + 0.5) / 9007199254740992.0"
    )
    query = f"""
    WITH placed AS (
        SELECT i,
               {_lookup(HOURLY[kind])}[floor(u(i, 2) * 100000)::BIGINT + 1] AS h,
               -- a local wall-clock hour turned into an instant in Europe/Oslo (ICU moves the spring gap hour on)
               timezone('Europe/Oslo',
                        (DATE '{year}-01-01' + {_lookup(day_weights)}[floor(u(i, 1) * 100000)::BIGINT + 1])::TIMESTAMP
                        + to_hours(h))
                 + to_microseconds((u(i, 3) * 3600e6)::BIGINT) AS offered
        FROM range({rows}) r(i)
    ), calls AS (
        SELECT i, offered, {lines} AS line,
               -- log-normal answer time (Box-Muller), slower in busy hours
               {p["median"]} * (1 + {p["busy"]} * pow({HOURLY[kind]}[h + 1] / {peak}, 2))
                 * exp({p["sigma"]} * sqrt(-2 * ln(u(i, 4))) * cos(2 * pi() * u(i, 5))) AS answer_s,
               u(i, 6) < {p["abandon"]} AS abandoned,
               -{p["patience"]} * ln(u(i, 8)) AS patience_s,
               {p["talk"]} * exp(0.7 * sqrt(-2 * ln(u(i, 9))) * cos(2 * pi() * u(i, 10))) AS talk_s
        FROM placed
    ), timed AS (
        SELECT i, line, offered,
               CASE WHEN NOT abandoned THEN offered + to_milliseconds(round(answer_s * 1000)::BIGINT) END AS answered,
               offered + to_milliseconds(round(1000 * CASE WHEN abandoned THEN patience_s + 0.5
                                                          ELSE answer_s + talk_s END)::BIGINT) AS ended
        FROM calls
    )
    SELECT printf('{prefix or kind[:3].upper()}%09d', row_number() OVER (ORDER BY offered, i)) AS call_id, line,
           {stamp.format("offered")} AS offered_at,
           coalesce({stamp.format("answered")}, '') AS answered_at,
           {stamp.format("ended")} AS ended_at
    FROM timed ORDER BY offered, i
    """
    out.parent.mkdir(parents=True, exist_ok=True)
    compression = ", COMPRESSION gzip" if out.suffix == ".gz" else ""
    con.execute(f"COPY ({query}) TO '{out}' (HEADER, DELIMITER ','{compression})")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rows", type=int, default=1_000_000)
    parser.add_argument("--kind", choices=sorted(PARAMS), default="amk")
    parser.add_argument("--year", type=int, default=2026)
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("-o", "--output", type=Path, required=True, help="CSV file to write (.gz: gzip)")
    args = parser.parse_args()
    started = time.perf_counter()
    generate(args.rows, args.kind, args.output, args.year, args.seed)
    print(f"wrote {args.rows:,} rows to {args.output} in {time.perf_counter() - started:.1f} s")


if __name__ == "__main__":
    main()
