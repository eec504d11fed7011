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
from kokom_cli.requirements.models import Denominator, MetricExclusions, MetricSpec

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
    chosen = _Selection(lines, threshold_seconds, extra_thresholds, period, exclude)
    rows = run(con, chosen.counts_sql("GROUPING SETS ((), (month), (line))"), chosen.params)
    keys = [group_key(*r[:3]) for r in rows]
    quantiles = exact_quantiles(con, chosen.base, chosen.params, {k: r[4] for k, r in zip(keys, rows, strict=True)})
    figures = {k: chosen.figures(r, denominator, quantiles.get(k, {})) for k, r in zip(keys, rows, strict=True)}
    overall = figures.pop("")  # the grand total comes even from no rows
    others = run(
        con,
        f"""
        SELECT line, count_if(NOT ({chosen.measured})) AS other,
               count_if({chosen.measured} AND NOT ({chosen.in_period})) AS outside
        FROM calls WHERE problem IS NULL GROUP BY line ORDER BY line""",
        chosen.params,
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


def overall_figures(con: duckdb.DuckDBPyConnection, spec: MetricSpec) -> Figures:
    """The figures a verdict needs for `spec` over all calls loaded into `con`: one query, no percentiles.

    The same selection and counts as `measure_loaded`'s overall figures (its median and 90th percentile are
    left out: no verdict uses them, and they cost several queries)."""
    chosen = _Selection(spec.lines, spec.threshold_seconds, (), Period(), spec.exclude)
    (row,) = run(con, chosen.counts_sql(), chosen.params)
    return chosen.figures(row, spec.denominator, {})


class _Selection:
    """The calls one measurement counts (its lines, period and exclusions) and the thresholds it counts them at.

    `params` are passed to DuckDB as parameters; the SQL text holds only names."""

    def __init__(
        self,
        lines: Sequence[str],
        threshold_seconds: int,
        extra_thresholds: Iterable[int],
        period: Period,
        exclude: MetricExclusions,
    ):
        self.threshold_seconds = threshold_seconds
        self.thresholds = sorted({threshold_seconds, OVER_SECONDS, WITHIN_LONG_SECONDS, *extra_thresholds})
        start, end = period.hours()
        self.params: dict = {
            "lines": list(lines),
            "start": start if start is not None else -(2**31),
            "end": end if end is not None else 2**31 - 1,
            **{f"t{i}": t * US for i, t in enumerate(self.thresholds)},
        }
        self.in_period = "hour >= $start AND hour < $end"
        self.measured = "list_contains($lines::VARCHAR[], line)"
        kept = "TRUE"
        if exclude.abandoned_shorter_than_seconds:
            self.params["short"] = exclude.abandoned_shorter_than_seconds * US
            kept += " AND NOT (answer_us IS NULL AND wait_us IS NOT NULL AND wait_us < $short)"
        if exclude.test_calls:
            kept += " AND NOT test"
        self.base = (
            f"SELECT month, line, answer_us, wait_us FROM calls JOIN months USING (hour) "
            f"WHERE problem IS NULL AND {self.measured} AND {self.in_period} AND {kept}"
        )

    def counts_sql(self, grouping: str | None = None) -> str:
        """One row per group (one row in all without `grouping`): grouping(month, line), month, line, calls,
        answered, longest wait, unknown waits, then the calls answered within and waiting over each threshold."""
        n = len(self.thresholds)
        counts = ", ".join(
            [f"coalesce(count_if(answer_us <= $t{i}), 0)" for i in range(n)]  # NULL on no rows
            + [f"coalesce(count_if(wait_us > $t{i}), 0)" for i in range(n)]
        )
        keys, groups = (
            ("grouping(month, line), month, line", f"GROUP BY {grouping} ORDER BY 1, 2, 3")
            if grouping
            else ("3, NULL, NULL", "")  # 3: the grouping of the grand total
        )
        return f"""
            SELECT {keys}, count(*) AS calls, count(answer_us) AS answered,
                   max(wait_us) AS max_wait, coalesce(count_if(answer_us IS NULL AND wait_us IS NULL), 0), {counts}
            FROM ({self.base}) {groups}"""

    def figures(self, row: tuple, denominator: Denominator, quantiles: dict[float, float]) -> Figures:
        _, _, _, calls, answered, max_wait, unknown, *rest = row
        n = len(self.thresholds)
        return Figures(
            calls=calls,
            answered=answered,
            threshold_seconds=self.threshold_seconds,
            within=dict(zip(self.thresholds, rest[:n], strict=True)),
            over=dict(zip(self.thresholds, rest[n:], strict=True)),
            median_answer_seconds=quantiles.get(0.5),
            p90_answer_seconds=quantiles.get(0.9),
            max_wait_seconds=max_wait / US if max_wait is not None else None,
            unknown_wait=unknown,
            denominator=denominator,
            max_wait_us=max_wait,
        )
