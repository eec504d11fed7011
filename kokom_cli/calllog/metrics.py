"""Answer-time figures from call logs, following Helsedirektoratet's method, and the verdict on metric requirements.

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

All counting happens in DuckDB over the table `calls` (see calllog.py). The
percentiles are exact without holding every answer time: a histogram by whole
seconds finds the second each wanted rank falls in, then one by milliseconds
inside that second, then the microsecond values inside that millisecond.
Memory stays bounded by the number of distinct seconds, not by the calls.

`measure_requirements(jobs, mapping)` is the entry point for assessments and
the overview: it reads each set of call-log files once and gives every metric
requirement its `verdict.Measurement`; `verdict.judge` decides it.
"""

from __future__ import annotations

import datetime as dt
import math
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from fractions import Fraction
from pathlib import Path
from typing import TYPE_CHECKING
from zoneinfo import ZoneInfo

from kokom_cli.calllog.reader import REPORT_TIMEZONE, BadRows, Loaded, database, load
from kokom_cli.calllog.verdict import Measurement, judge, unmeasured
from kokom_cli.config import CallLogMapping
from kokom_cli.core.findings import Finding, KokomError, Severity
from kokom_cli.core.i18n import tr
from kokom_cli.core.numbers import percent, seconds
from kokom_cli.requirements.models import (
    Denominator,
    Indicator,
    MetricExclusions,
    MetricSpec,
    Requirement,
    ServiceKind,
    Status,
)

if TYPE_CHECKING:
    import duckdb

OVER_SECONDS = 20  # Helsedirektoratet's "> 20 s" category for 113
WITHIN_LONG_SECONDS = 600  # Helsedirektoratet also publishes the share answered within 10 minutes
QUANTILES = (0.5, 0.9)
_US = 1_000_000


@dataclass(frozen=True)
class Figures:
    """The figures for one set of calls (all, one month, or one line)."""

    calls: int
    answered: int
    threshold_seconds: int
    within: dict[int, int]  # threshold seconds -> calls answered within it (at it counts as within)
    over: dict[int, int]  # threshold seconds -> calls whose known wait was longer
    median_answer_seconds: float | None
    p90_answer_seconds: float | None
    max_wait_seconds: float | None
    unknown_wait: int  # unanswered calls without ended_at: how long they waited is not known
    denominator: Denominator = Denominator.offered
    max_wait_us: int | None = None

    @property
    def abandoned(self) -> int:
        return self.calls - self.answered

    @property
    def base(self) -> int:
        """The calls a share is a share of: answered ones, or every offered call."""
        return self.answered if self.denominator is Denominator.answered else self.calls

    def exact_share(self, seconds: int) -> Fraction | None:
        return Fraction(self.within[seconds], self.base) if self.base else None

    def share(self, seconds: int) -> float | None:
        exact = self.exact_share(seconds)
        return float(exact) if exact is not None else None

    @property
    def within_threshold_share(self) -> float | None:
        return self.share(self.threshold_seconds)

    def as_json(self) -> dict:
        return {
            "calls": self.calls,
            "answered": self.answered,
            "abandoned": self.abandoned,
            "denominator": self.denominator.value,
            "threshold_seconds": self.threshold_seconds,
            "within_threshold": self.within[self.threshold_seconds],
            "within_threshold_share": self.within_threshold_share,
            "median_answer_seconds": self.median_answer_seconds,
            "p90_answer_seconds": self.p90_answer_seconds,
            "max_wait_seconds": self.max_wait_seconds,
            "over_20_seconds": self.over[OVER_SECONDS],
            "within_10_minutes_share": self.share(WITHIN_LONG_SECONDS),
            "unknown_wait_calls": self.unknown_wait,
        }


@dataclass(frozen=True)
class Period:
    """Calendar days in Europe/Oslo, both ends included; None is open."""

    start: dt.date | None = None
    end: dt.date | None = None

    def hours(self) -> tuple[int | None, int | None]:
        """The first UTC hour in the period and the first after it, counted from 1970 (Norwegian midnights are
        whole UTC hours)."""
        oslo = ZoneInfo(REPORT_TIMEZONE)

        def hour(day: dt.date) -> int:
            return int(dt.datetime.combine(day, dt.time(), oslo).timestamp()) // 3600

        return (hour(self.start) if self.start else None, hour(self.end + dt.timedelta(days=1)) if self.end else None)

    def as_json(self) -> dict:
        return {
            "from": self.start.isoformat() if self.start else None,
            "to": self.end.isoformat() if self.end else None,
        }


@dataclass(frozen=True)
class CallLogReport:
    """Everything `kokom metrics` reports about some call-log files."""

    files: list[str]
    lines: list[str]
    period: Period
    overall: Figures
    by_month: dict[str, Figures]
    by_line: dict[str, Figures]
    other_lines: dict[str, int]  # good rows on lines that were not measured
    outside_period: int  # good rows on the measured lines outside the period
    bad: BadRows
    definition: dict | None = None

    def as_json(self) -> dict:
        return {
            **self.overall.as_json(),
            "definition": self.definition,
            "files": self.files,
            "lines": self.lines,
            "period": self.period.as_json(),
            "by_month": {k: v.as_json() for k, v in self.by_month.items()},
            "by_line": {k: v.as_json() for k, v in self.by_line.items()},
            "other_lines": self.other_lines,
            "outside_period": self.outside_period,
            "bad_rows": self.bad.as_json(),
        }


@dataclass(frozen=True)
class MetricOutcome:
    """The verdict of the call log on one metric requirement.

    `met` is None when the log cannot decide: no calls on the requirement's
    lines, or (max_wait) unanswered calls whose wait is unknown and no call
    known to have waited too long.
    """

    requirement_id: str | None
    spec: MetricSpec
    met: bool | None
    calls: int
    measured_share: float | None  # answered_within: share of offered calls answered within the threshold
    max_wait_seconds: float | None  # the longest known wait
    over_threshold: int  # calls whose known wait was longer than the threshold
    bad_rows: int
    reason: str
    measurement: Measurement | None = None

    def as_json(self) -> dict:
        return {
            "id": self.requirement_id,
            "indicator": self.spec.indicator.value,
            **self.spec.definition(),
            "definition_text": self.spec.definition_text(),
            "lines": self.spec.lines,
            "threshold_seconds": self.spec.threshold_seconds,
            "required_share": self.spec.required_share,
            "met": self.met,
            "calls": self.calls,
            "measured_share": self.measured_share,
            "max_wait_seconds": self.max_wait_seconds,
            "over_threshold": self.over_threshold,
            "bad_rows": self.bad_rows,
            "reason": self.reason,
        }


# ---------------------------------------------------------------------------------------------------------------
# Which requirements are measured for a kind of service


def metric_requirements(requirements: Iterable[Requirement], kind: ServiceKind | None = None) -> list[Requirement]:
    """Active requirements with a `metric`, optionally only those that apply to `kind`, in corpus order."""
    return [
        r
        for r in requirements
        if r.metric is not None and r.status is Status.active and (kind is None or kind in r.applies_to)
    ]


def main_spec(requirements: Sequence[Requirement]) -> Requirement | None:
    """The answered_within requirement that sets a kind's lines and threshold."""
    return next((r for r in requirements if r.metric and r.metric.indicator is Indicator.answered_within), None)


def kind_for_lines(
    requirements: Sequence[Requirement], present: Iterable[str], kind: ServiceKind | None = None
) -> tuple[ServiceKind, list[Requirement]]:
    """The kind of service a call log is measured as, and that kind's metric requirements.

    Without `kind`, the kind whose main requirement measures lines found in the log; KokomError when no kind
    or more than one fits, or when the chosen kind has no answered_within requirement to set lines and threshold.
    """
    kinds = [kind] if kind else list(ServiceKind)
    fits = []
    for k in kinds:
        specs = metric_requirements(requirements, k)
        main = main_spec(specs)
        if main and (kind or set(main.metric.lines) & set(present)):
            fits.append((k, specs))
    if len(fits) == 1:
        return fits[0]
    found = ", ".join(present) or "–"
    if kind:
        message = tr(
            f"ingen aktive krav med `metric: answered_within` gjelder {kind.value}; kan ikke velge linjer og terskel",
            f"no active requirement with `metric: answered_within` applies to {kind.value}; "
            "cannot choose lines and threshold",
        )
    elif fits:
        message = tr(
            f"loggen har linjer for flere tjenestetyper ({found}); velg med --kind "
            f"{' eller '.join(k.value for k, _ in fits)}",
            f"the log has lines of several kinds of service ({found}); choose with --kind "
            f"{' or '.join(k.value for k, _ in fits)}",
        )
    else:
        message = tr(
            f"ingen målte linjer i loggen (fant: {found}); velg --kind, eller koble linjenavn med "
            "call_log.line_names i kokom.yaml",
            f"no measured lines in the log (found: {found}); choose --kind, or map line names with "
            "call_log.line_names in kokom.yaml",
        )
    raise KokomError(Finding("--kind", 0, 0, Severity.error, "usage", message))


# ---------------------------------------------------------------------------------------------------------------
# Measuring


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
        **{f"t{i}": t * _US for i, t in enumerate(thresholds)},
    }
    in_period = "hour >= $start AND hour < $end"
    measured = "list_contains($lines::VARCHAR[], line)"
    kept = "TRUE"
    if exclude.abandoned_shorter_than_seconds:
        params["short"] = exclude.abandoned_shorter_than_seconds * _US
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
    rows = _run(
        con,
        f"""
        SELECT grouping(month, line) AS g, month, line, count(*) AS calls, count(answer_us) AS answered,
               max(wait_us) AS max_wait, coalesce(count_if(answer_us IS NULL AND wait_us IS NULL), 0), {counts}
        FROM ({base}) GROUP BY GROUPING SETS ((), (month), (line)) ORDER BY g, month, line""",
        params,
    )
    quantiles = _exact_quantiles(con, base, params, {_key(r[0], r[1], r[2]): r[4] for r in rows})
    figures: dict[str, Figures] = {}
    for g, month, line, calls, answered, max_wait, unknown, *rest in rows:
        key = _key(g, month, line)
        q = quantiles.get(key, {})
        figures[key] = Figures(
            calls=calls,
            answered=answered,
            threshold_seconds=threshold_seconds,
            within=dict(zip(thresholds, rest[: len(thresholds)], strict=True)),
            over=dict(zip(thresholds, rest[len(thresholds) :], strict=True)),
            median_answer_seconds=q.get(0.5),
            p90_answer_seconds=q.get(0.9),
            max_wait_seconds=max_wait / _US if max_wait is not None else None,
            unknown_wait=unknown,
            denominator=denominator,
            max_wait_us=max_wait,
        )
    overall = figures.pop("")  # the grand total comes even from no rows
    others = _run(
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


@dataclass(frozen=True)
class KindReport:
    """`kokom metrics`: the figures for a kind's lines and the verdict on each of its metric requirements."""

    kind: ServiceKind
    measurement: CallLogReport
    outcomes: list[MetricOutcome]

    def as_json(self) -> dict:
        return {
            **self.measurement.as_json(),
            "kind": self.kind.value,
            "requirements": [o.as_json() for o in self.outcomes],
        }


def report_for_kind(
    con: duckdb.DuckDBPyConnection,
    loaded: Loaded,
    kind: ServiceKind,
    specs: Sequence[Requirement],
    *,
    threshold_seconds: int | None = None,
    period: Period = Period(),
) -> KindReport:
    """Figures on the lines of the kind's main requirement (at its threshold unless given), and every verdict."""
    main = main_spec(specs)
    assert main is not None and main.metric is not None
    same = [
        r
        for r in specs
        if r.metric
        and r.metric.lines == main.metric.lines
        and r.metric.exclude == main.metric.exclude
        and (r.metric.denominator is main.metric.denominator or r.metric.indicator is Indicator.max_wait)
    ]
    m = measure_loaded(
        con,
        loaded,
        lines=main.metric.lines,
        threshold_seconds=threshold_seconds or main.metric.threshold_seconds,
        extra_thresholds=[r.metric.threshold_seconds for r in same if r.metric],
        period=period,
        denominator=main.metric.denominator,
        exclude=main.metric.exclude,
    )
    outcomes = []
    for r in specs:
        assert r.metric is not None
        figures = (
            m.overall
            if r in same
            else measure_loaded(
                con,
                loaded,
                lines=r.metric.lines,
                threshold_seconds=r.metric.threshold_seconds,
                period=period,
                denominator=r.metric.denominator,
                exclude=r.metric.exclude,
            ).overall
        )
        outcomes.append(outcome_for(r.metric, figures, loaded.bad.total, r.id, period))
    return KindReport(kind, m, outcomes)


def _run(con: duckdb.DuckDBPyConnection, sql: str, params: dict) -> list[tuple]:
    return con.execute(sql, _used(sql, params)).fetchall()


def _used(sql: str, params: dict) -> dict:
    """The parameters `sql` names (DuckDB refuses any it does not use)."""
    return {k: v for k, v in params.items() if f"${k}" in sql}


def _key(g: int, month: str | None, line: str | None) -> str:
    """'' for all calls, 'm:2026-01' for a month, 'l:113' for a line (grouping(month, line) is 3, 1 or 2)."""
    return {3: "", 1: f"m:{month}", 2: f"l:{line}"}[g]


def _histogram(
    con: duckdb.DuckDBPyConnection, base: str, params: dict, width: int, previous: int | None, targets: dict
) -> dict[tuple[str, int | None], list[tuple[int, int]]]:
    """Answer times counted in buckets of `width` µs: all of them, or only inside the `previous` buckets wanted."""
    histogram: dict[tuple[str, int | None], list[tuple[int, int]]] = {}
    if previous is None:  # whole seconds, for every group at once
        rows = _run(
            con,
            f"""
            SELECT grouping(month, line), month, line, answer_us // {width} AS b, count(*)
            FROM ({base}) WHERE answer_us IS NOT NULL
            GROUP BY GROUPING SETS ((b), (month, b), (line, b))""",
            params,
        )
        for g, month, line, bucket, count in rows:
            histogram.setdefault((_key(g, month, line), None), []).append((bucket, count))
        return histogram
    wanted = sorted({(k, p) for (k, _), (p, _) in targets.items()})
    wanted_params = {
        **params,
        "prefixes": sorted({p for _, p in wanted}),
        "keys": [k for k, _ in wanted],
        "ps": [p for _, p in wanted],
    }
    rows = _run(
        con,
        f"""
        SELECT e.k, e.answer_us // {previous} AS prefix, e.answer_us // {width} AS b, count(*)
        FROM (SELECT unnest(['', 'm:' || month, 'l:' || line]) AS k, answer_us FROM ({base})
              WHERE list_contains($prefixes::BIGINT[], answer_us // {previous})) e
        SEMI JOIN (SELECT unnest($keys::VARCHAR[]) AS k, unnest($ps::BIGINT[]) AS p) t
             ON e.k = t.k AND e.answer_us // {previous} = t.p
        GROUP BY ALL""",
        wanted_params,
    )
    for k, prefix, bucket, count in rows:
        histogram.setdefault((k, prefix), []).append((bucket, count))
    return histogram


def _exact_quantiles(
    con: duckdb.DuckDBPyConnection, base: str, params: dict, answered: dict[str, int]
) -> dict[str, dict[float, float]]:
    """For each group key, the median and 90th percentile of answer times in seconds, exact, in bounded memory."""
    # (key, rank) -> (bucket at the last width, offset)
    targets: dict[tuple[str, int], tuple[int | None, int]] = {
        (key, rank): (None, rank)
        for key, n in answered.items()
        if n
        for q in QUANTILES
        for rank in {math.floor((n - 1) * q), math.ceil((n - 1) * q)}
    }
    if not targets:
        return {}
    previous = None
    for width in (_US, 1000, 1):
        histogram = _histogram(con, base, params, width, previous, targets)
        for target, (prefix, offset) in targets.items():
            before = 0
            for bucket, count in sorted(histogram[(target[0], prefix)]):
                if offset < before + count:
                    targets[target] = (bucket, offset - before)
                    break
                before += count
        previous = width
    out: dict[str, dict[float, float]] = {}
    for key, n in answered.items():
        if not n:
            continue
        for q in QUANTILES:
            position = (n - 1) * q
            low, high = targets[(key, math.floor(position))][0], targets[(key, math.ceil(position))][0]
            assert low is not None and high is not None
            out.setdefault(key, {})[q] = (low + (high - low) * (position - math.floor(position))) / _US
    return out


# ---------------------------------------------------------------------------------------------------------------
# Verdicts


def figures_measurement(spec: MetricSpec, figures: Figures, bad_rows: int = 0, files=()) -> Measurement:
    """The one measurement model, from the figures of a requirement's lines (its threshold among them)."""
    t = spec.threshold_seconds
    return Measurement(
        "call_logs",
        spec.denominator,
        calls=figures.calls,
        answered=figures.answered,
        within=figures.within.get(t),
        share=figures.exact_share(t) if t in figures.within else None,
        max_wait_seconds=Fraction(figures.max_wait_us, _US) if figures.max_wait_us is not None else None,
        over_threshold=figures.over.get(t, 0),
        unknown_wait=figures.unknown_wait,
        bad_rows=bad_rows,
        files=tuple(files),
        definition=spec.definition(),
    )


def outcome_for(
    spec: MetricSpec, figures: Figures, bad_rows: int = 0, requirement_id: str | None = None, period: Period = Period()
) -> MetricOutcome:
    """Decide one metric requirement from the figures of its lines (measured with its threshold among them)."""
    lines = ", ".join(spec.lines)
    m = figures_measurement(spec, figures, bad_rows)
    common = dict(
        requirement_id=requirement_id,
        spec=spec,
        calls=figures.calls,
        bad_rows=bad_rows,
        max_wait_seconds=figures.max_wait_seconds,
        over_threshold=figures.over.get(spec.threshold_seconds, 0),
        measurement=m,
    )
    if figures.calls == 0 or (
        spec.denominator is Denominator.answered
        and figures.answered == 0
        and spec.indicator is Indicator.answered_within
    ):
        note = tr(f" Ugyldige rader holdt utenfor: {bad_rows}.", f" Bad rows left out: {bad_rows}.") if bad_rows else ""
        when = tr(" i perioden", " in the period") if period.start or period.end else ""
        what = tr("ingen anrop", "no calls") if figures.calls == 0 else tr("ingen besvarte anrop", "no answered calls")
        return MetricOutcome(
            met=None,
            measured_share=None,
            **common,
            reason=tr(
                f"Anropsloggen har {what} på linje {lines}{when}; kravet kan ikke avgjøres.{note}",
                f"The call log has {what} on line {lines}{when}; the requirement cannot be decided.{note}",
            ),
        )
    verdict = judge(spec, m)
    return MetricOutcome(
        met=verdict.met,
        measured_share=float(m.share) if m.share is not None else None,
        **common,
        reason=verdict.figure,
    )


def evaluate_metric(
    spec: MetricSpec,
    files: Sequence[Path],
    mapping: CallLogMapping | None = None,
    *,
    requirement_id: str | None = None,
    period: Period = Period(),
) -> MetricOutcome:
    """Decide one metric requirement from call-log files.

    Raises KokomError (exit 2) when a file is missing or not a readable call log.
    Bad rows are left out and counted in the outcome's `bad_rows`.
    """
    if not files:
        raise KokomError(
            Finding(
                "(call log)",
                0,
                0,
                Severity.error,
                "calllog-missing",
                tr("ingen anropslogg oppgitt", "no call log given"),
            )
        )
    m = measure(
        files,
        mapping,
        lines=spec.lines,
        threshold_seconds=spec.threshold_seconds,
        period=period,
        denominator=spec.denominator,
        exclude=spec.exclude,
    )
    return outcome_for(spec, m.overall, m.bad.total, requirement_id, period)


def measure_requirements(
    jobs: Sequence[tuple[Requirement, Sequence[Path]]],
    mapping: CallLogMapping | None = None,
    memo: dict | None = None,
) -> dict[str, Measurement]:
    """Each requirement's measurement from its call-log files, reading each set of files once.

    Requirements that share files share one read; `memo` (kept by the caller across assessments) remembers
    what was measured, so a run never reads a log twice. A set of files that cannot be read, or that has no
    calls on a requirement's lines, gives a measurement with `error` (never met), not an exception.
    """
    memo = {} if memo is None else memo
    groups: dict[tuple[Path, ...], list[Requirement]] = {}
    for req, files in jobs:
        groups.setdefault(tuple(Path(f) for f in files), []).append(req)
    out: dict[str, Measurement] = {}
    for files, reqs in groups.items():
        todo = [r for r in reqs if (files, r.id, r.metric.model_dump_json()) not in memo]
        if todo:
            _measure_group(files, todo, mapping, memo)
        for r in reqs:
            out[r.id] = memo[(files, r.id, r.metric.model_dump_json())]
    return out


def _measure_group(files: tuple[Path, ...], reqs: list[Requirement], mapping, memo: dict) -> None:
    from kokom_cli.core.findings import display_path

    shown = tuple(display_path(f) for f in files)
    try:
        with database() as con:
            loaded = load(con, list(files), mapping)
            for r in reqs:
                spec = r.metric
                assert spec is not None
                report = measure_loaded(
                    con,
                    loaded,
                    lines=spec.lines,
                    threshold_seconds=spec.threshold_seconds,
                    denominator=spec.denominator,
                    exclude=spec.exclude,
                )
                f = report.overall
                if f.calls == 0:
                    memo[(files, r.id, spec.model_dump_json())] = unmeasured(
                        spec,
                        tr(
                            f"anropsloggen ({', '.join(shown)}) har ingen anrop på linje {', '.join(spec.lines)}",
                            f"the call log ({', '.join(shown)}) has no calls on line {', '.join(spec.lines)}",
                        ),
                        shown,
                    )
                else:
                    memo[(files, r.id, spec.model_dump_json())] = figures_measurement(spec, f, loaded.bad.total, shown)
    except KokomError as exc:
        why = "; ".join(f"{x.path}{':' + str(x.line) if x.line else ''}: {x.message}" for x in exc.findings)
        for r in reqs:
            assert r.metric is not None
            memo[(files, r.id, r.metric.model_dump_json())] = unmeasured(
                r.metric, tr(f"anropsloggen kan ikke leses: {why}", f"the call log cannot be read: {why}"), shown
            )


def format_share(share: float | None) -> str:
    """93,1 % (bokmål) or 93.1 % (English); – when there is nothing to divide."""
    return percent(share)


def format_seconds(value: float | None) -> str:
    return seconds(value)
