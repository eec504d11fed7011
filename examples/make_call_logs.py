"""Write the example call logs (kokom's call-log CSV) for the fictional services in examples/.

    python examples/make_call_logs.py

The logs were generated once with this script and are committed; run it again
only to change them. The same seed always gives the same files.

Each call rings at an operator position at a random moment (more calls in the
day and evening than at night), waits a log-normal time for an answer, or is
abandoned when the caller gives up. Times are written in ISO 8601 with the
Europe/Oslo offset of the moment (+02:00 in summer, +01:00 in winter).
"""

from __future__ import annotations

import csv
import datetime as dt
import math
import random
from pathlib import Path
from zoneinfo import ZoneInfo

OSLO = ZoneInfo("Europe/Oslo")
HERE = Path(__file__).resolve().parent

# Relative number of calls in each hour of the day, 00-23.
HOURLY = {
    "113": [
        3,
        2.5,
        2,
        1.8,
        1.6,
        1.8,
        2.6,
        3.6,
        4.6,
        5.2,
        5.4,
        5.5,
        5.4,
        5.3,
        5.2,
        5.2,
        5.3,
        5.3,
        5.2,
        5.0,
        4.7,
        4.3,
        3.8,
        3.3,
    ],
    "lvs": [
        2.5,
        1.8,
        1.3,
        1.0,
        0.9,
        1.0,
        1.4,
        2.6,
        4.2,
        5.0,
        4.8,
        4.4,
        4.2,
        4.2,
        4.4,
        5.2,
        6.8,
        7.4,
        7.2,
        6.6,
        6.0,
        5.2,
        4.2,
        3.2,
    ],
}

LOGS = [
    # file, first day, days, calls a day, lines with weights, hourly profile,
    # median answer (s), log-sd, share who hang up at once, mean patience (s): a caller whose
    # wait outlasts the patience hangs up unanswered; id prefix, seed
    dict(
        file="amk-nordvik/assessments/vedlegg/anropslogg-113-2026-10.csv",
        first=dt.date(2026, 10, 1),
        days=31,
        per_day=125,
        lines={"113": 1.0},
        profile="113",
        median=4.0,
        sigma=0.5,
        abandoned=0.003,
        patience=200.0,
        prefix="NVK",
        seed=113,
    ),
    dict(
        file="lvs-fjordby/assessments/vedlegg/svartid-2026.csv",
        first=dt.date(2026, 8, 1),
        days=61,
        per_day=55,
        lines={"116117": 0.8, "local": 0.2},
        profile="lvs",
        median=61.0,
        sigma=1.0,
        abandoned=0.01,
        patience=900.0,
        prefix="FJB",
        seed=116117,
    ),
]


def _stamp(moment: dt.datetime) -> str:
    return moment.astimezone(OSLO).isoformat(timespec="seconds")


def calls(spec: dict) -> list[dict]:
    rng = random.Random(spec["seed"])
    hourly = HOURLY[spec["profile"]]
    lines, weights = zip(*spec["lines"].items(), strict=False)
    rows = []
    for day_index in range(spec["days"]):
        day = spec["first"] + dt.timedelta(days=day_index)
        for _ in range(round(spec["per_day"] * rng.uniform(0.85, 1.15))):
            hour = rng.choices(range(24), weights=hourly)[0]
            local = dt.datetime.combine(day, dt.time(hour), tzinfo=OSLO) + dt.timedelta(seconds=rng.uniform(0, 3600))
            offered = local.astimezone(dt.UTC)
            wait = spec["median"] * math.exp(spec["sigma"] * rng.gauss(0, 1))
            patience = rng.expovariate(1 / spec["patience"]) + 2
            if wait > patience or rng.random() < spec["abandoned"]:
                given_up = min(wait, patience)
                answered, ended = None, offered + dt.timedelta(seconds=round(given_up))
            else:
                answered = offered + dt.timedelta(seconds=round(wait))
                ended = answered + dt.timedelta(seconds=round(rng.lognormvariate(math.log(150), 0.6)))
            rows.append(
                {
                    "line": rng.choices(lines, weights=weights)[0],
                    "offered": offered,
                    "answered": answered,
                    "ended": ended,
                }
            )
    rows.sort(key=lambda r: r["offered"])
    return rows


def write(spec: dict) -> str:
    rows = calls(spec)
    path = HERE / spec["file"]
    path.parent.mkdir(parents=True, exist_ok=True)
    with path.open("w", newline="", encoding="utf-8") as handle:
        out = csv.writer(handle, lineterminator="\n")
        out.writerow(["call_id", "line", "offered_at", "answered_at", "ended_at"])
        for number, row in enumerate(rows, 1):
            out.writerow(
                [
                    f"{spec['prefix']}{number:06d}",
                    row["line"],
                    _stamp(row["offered"]),
                    _stamp(row["answered"]) if row["answered"] else "",
                    _stamp(row["ended"]),
                ]
            )
    return f"{spec['file']}: {len(rows)} calls"


if __name__ == "__main__":
    for spec in LOGS:
        print(write(spec))
