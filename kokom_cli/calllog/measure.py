"""Answer-time figures from call logs, following Helsedirektoratet's method: `measure` and `measure_loaded`.

The method (FACTS.md): answer time runs from the call ringing at an operator
position to the answer; a call answered exactly at the threshold counts as
within it. What the share is a share of is declared on each requirement
(`metric.denominator`): Helsedirektoratet's 113 indicator divides by answered
calls only, its 116 117 indicator by every offered call, unanswered included.
`metric.exclude` leaves out short abandoned calls and flagged test calls before
anything is counted.
Median and 90th percentile are over answered calls (interpolated like
DuckDB's `quantile_cont`). The wait of a call is its answer time, or for an
unanswered call the time until it ended where `ended_at` says so.

All counting happens in DuckDB over the table `calls` (see reader.py), overall,
per month and per line in one grouped query; the percentiles come from `quantiles`.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from pathlib import Path
from typing import TYPE_CHECKING

from kokom_cli.calllog.figures import OVER_SECONDS, US, WITHIN_LONG_SECONDS, CallLogReport, Figures, Period
from kokom_cli.calllog.quantiles import exact_quantiles, group_key, run
from kokom_cli.calllog.reader import Loaded, database, load
from kokom_cli.config import CallLogMapping
from kokom_cli.requirements.models import Denominator, MetricExclusions

if TYPE_CHECKING:
    import duckdb


def measure(
    files: Sequence[Path],
    mapping: CallLogMapping | None = None,
    *,
    lines: Sequence[str],
    threshold_seconds: int,
    extra_thresholds: Iterable[int] = (),
    period: Period = Period(),
    denominator: Denominator = Denominator.offered,
    exclude: MetricExclusions | None = None,
) -> CallLogReport:
    """The figures for calls on `lines` offered in `period`. KokomError when a file is not a readable call log."""
    with database() as con:
        loaded = load(con, list(files), mapping)
        return measure_loaded(
            con,
            loaded,
            lines=lines,
            threshold_seconds=threshold_seconds,
            extra_thresholds=extra_thresholds,
            period=period,
            denominator=denominator,
            exclude=exclude,
        )


def lines_present(con: duckdb.DuckDBPyConnection) -> dict[str, int]:
    """Good rows per line, most calls first."""
    return dict(
        con.execute(
            "SELECT line, count(*) AS n FROM calls WHERE problem IS NULL GROUP BY line ORDER BY n DESC, line"
        ).fetchall()
    )


def measure_loaded(
    con: duckdb.DuckDBPyConnection,
    loaded: Loaded,
    *,
    lines: Sequence[str],
    threshold_seconds: int,
    extra_thresholds: Iterable[int] = (),
    period: Period = Period(),
    denominator: Denominator = Denominator.offered,
    exclude: MetricExclusions | None = None,
) -> CallLogReport:
    """`measure` over calls already loaded into `con` (so several specs can share one read)."""
    exclude = exclude or MetricExclusions()
    thresholds = sorted({threshold_seconds, OVER_SECONDS, WITHIN_LONG_SECONDS, *extra_thresholds})
    start, end = period.hours()
    params: dict = {
        "lines": list(lines),
        "start": start if start is not None else -(2**31),
        "end": end if end is not None else 2**31 - 1,
        **{f"t{i}": t * US for i, t in enumerate(thresholds)},
    }
    in_period = "hour >= $start AND hour < $end"
    measured = "list_contains($lines::VARCHAR[], line)"
    kept = "TRUE"
    if exclude.abandoned_shorter_than_seconds:
        params["short"] = exclude.abandoned_shorter_than_seconds * US
        kept += " AND NOT (answer_us IS NULL AND wait_us IS NOT NULL AND wait_us < $short)"
    if exclude.test_calls:
        kept += " AND NOT test"
    base = (
        f"SELECT month, line, answer_us, wait_us FROM calls JOIN months USING (hour) "
        f"WHERE problem IS NULL AND {measured} AND {in_period} AND {kept}"
    )
    counts = ", ".join(
        [f"coalesce(count_if(answer_us <= $t{i}), 0)" for i in range(len(thresholds))]  # NULL on no rows
        + [f"coalesce(count_if(wait_us > $t{i}), 0)" for i in range(len(thresholds))]
    )
    rows = run(
        con,
        f"""
        SELECT grouping(month, line) AS g, month, line, count(*) AS calls, count(answer_us) AS answered,
               max(wait_us) AS max_wait, coalesce(count_if(answer_us IS NULL AND wait_us IS NULL), 0), {counts}
        FROM ({base}) GROUP BY GROUPING SETS ((), (month), (line)) ORDER BY g, month, line""",
        params,
    )
    quantiles = exact_quantiles(con, base, params, {group_key(r[0], r[1], r[2]): r[4] for r in rows})
    figures: dict[str, Figures] = {}
    for g, month, line, calls, answered, max_wait, unknown, *rest in rows:
        key = group_key(g, month, line)
        q = quantiles.get(key, {})
        figures[key] = Figures(
            calls=calls,
            answered=answered,
            threshold_seconds=threshold_seconds,
            within=dict(zip(thresholds, rest[: len(thresholds)], strict=True)),
            over=dict(zip(thresholds, rest[len(thresholds) :], strict=True)),
            median_answer_seconds=q.get(0.5),
            p90_answer_seconds=q.get(0.9),
            max_wait_seconds=max_wait / US if max_wait is not None else None,
            unknown_wait=unknown,
            denominator=denominator,
            max_wait_us=max_wait,
        )
    overall = figures.pop("")  # the grand total comes even from no rows
    others = run(
        con,
        f"""
        SELECT line, count_if(NOT ({measured})) AS other, count_if({measured} AND NOT ({in_period})) AS outside
        FROM calls WHERE problem IS NULL GROUP BY line ORDER BY line""",
        params,
    )
    return CallLogReport(
        files=[f.display for f in loaded.files],
        lines=list(lines),
        period=period,
        overall=overall,
        by_month={k[2:]: v for k, v in figures.items() if k.startswith("m:")},
        by_line={k[2:]: v for k, v in figures.items() if k.startswith("l:")},
        other_lines={line: n for line, n, _ in others if n},
        outside_period=sum(o for _, _, o in others),
        bad=loaded.bad,
        definition={"denominator": denominator.value, "exclude": exclude.model_dump(exclude_defaults=True)},
    )
