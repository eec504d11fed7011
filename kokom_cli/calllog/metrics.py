"""Answer-time figures from call logs, following Helsedirektoratet's method, and the verdict on metric requirements.

The method (FACTS.md): answer time runs from the call ringing at an operator
position to the answer; every offered call is in the denominator, unanswered
ones included; a call answered exactly at the threshold counts as within it.
Median and 90th percentile are over answered calls (interpolated like
DuckDB's `quantile_cont`). The wait of a call is its answer time, or for an
unanswered call the time until it ended where `ended_at` says so.

All counting happens in DuckDB over the table `calls` (see calllog.py). The
percentiles are exact without holding every answer time: a histogram by whole
seconds finds the second each wanted rank falls in, then one by milliseconds
inside that second, then the microsecond values inside that millisecond.
Memory stays bounded by the number of distinct seconds, not by the calls.

`evaluate_metric(spec, files, mapping)` is the entry point for the
self-assessment: it decides one metric requirement from call-log files.
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

from kokom_cli.calllog.reader import REPORT_TIMEZONE, BadRows, Loaded, database, load, sql_str
from kokom_cli.config import CallLogMapping
from kokom_cli.core.findings import Finding, KokomError, Severity
from kokom_cli.core.i18n import tr
from kokom_cli.requirements.models import Indicator, MetricSpec, Requirement, ServiceKind, Status

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

    @property
    def abandoned(self) -> int:
        return self.calls - self.answered

    def share(self, seconds: int) -> float | None:
        return self.within[seconds] / self.calls if self.calls else None

    @property
    def within_threshold_share(self) -> float | None:
        return self.share(self.threshold_seconds)

    def as_json(self) -> dict:
        return {
            "calls": self.calls,
            "answered": self.answered,
            "abandoned": self.abandoned,
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
class Measurement:
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

    def as_json(self) -> dict:
        return {
            **self.overall.as_json(),
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

    def as_json(self) -> dict:
        return {
            "id": self.requirement_id,
            "indicator": self.spec.indicator.value,
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
) -> Measurement:
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
) -> Measurement:
    """`measure` over calls already loaded into `con` (so several specs can share one read)."""
    thresholds = sorted({threshold_seconds, OVER_SECONDS, WITHIN_LONG_SECONDS, *extra_thresholds})
    start, end = period.hours()
    in_period = " AND ".join(
        ["TRUE"] + ([f"hour >= {start}"] if start is not None else []) + ([f"hour < {end}"] if end is not None else [])
    )
    measured = f"line IN ({', '.join(sql_str(x) for x in lines) or 'NULL'})"
    base = (
        f"SELECT month, line, answer_us, wait_us FROM calls JOIN months USING (hour) "
        f"WHERE problem IS NULL AND {measured} AND {in_period}"
    )
    counts = ", ".join(
        [f"coalesce(count_if(answer_us <= {t * _US}), 0)" for t in thresholds]  # NULL on no rows
        + [f"coalesce(count_if(wait_us > {t * _US}), 0)" for t in thresholds]
    )
    rows = con.execute(f"""
        SELECT grouping(month, line) AS g, month, line, count(*) AS calls, count(answer_us) AS answered,
               max(wait_us) AS max_wait, coalesce(count_if(answer_us IS NULL AND wait_us IS NULL), 0), {counts}
        FROM ({base}) GROUP BY GROUPING SETS ((), (month), (line)) ORDER BY g, month, line""").fetchall()
    quantiles = _exact_quantiles(con, base, {_key(r[0], r[1], r[2]): r[4] for r in rows})
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
        )
    overall = figures.pop("")  # the grand total comes even from no rows
    others = con.execute(f"""
        SELECT line, count_if(NOT ({measured})) AS other, count_if({measured} AND NOT ({in_period})) AS outside
        FROM calls WHERE problem IS NULL GROUP BY line ORDER BY line""").fetchall()
    return Measurement(
        files=[f.display for f in loaded.files],
        lines=list(lines),
        period=period,
        overall=overall,
        by_month={k[2:]: v for k, v in figures.items() if k.startswith("m:")},
        by_line={k[2:]: v for k, v in figures.items() if k.startswith("l:")},
        other_lines={line: n for line, n, _ in others if n},
        outside_period=sum(o for _, _, o in others),
        bad=loaded.bad,
    )


@dataclass(frozen=True)
class KindReport:
    """`kokom metrics`: the figures for a kind's lines and the verdict on each of its metric requirements."""

    kind: ServiceKind
    measurement: Measurement
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
    same = [r for r in specs if r.metric and r.metric.lines == main.metric.lines]
    m = measure_loaded(
        con,
        loaded,
        lines=main.metric.lines,
        threshold_seconds=threshold_seconds or main.metric.threshold_seconds,
        extra_thresholds=[r.metric.threshold_seconds for r in same if r.metric],
        period=period,
    )
    outcomes = []
    for r in specs:
        assert r.metric is not None
        figures = (
            m.overall
            if r in same
            else measure_loaded(
                con, loaded, lines=r.metric.lines, threshold_seconds=r.metric.threshold_seconds, period=period
            ).overall
        )
        outcomes.append(outcome_for(r.metric, figures, loaded.bad.total, r.id, period))
    return KindReport(kind, m, outcomes)


def _key(g: int, month: str | None, line: str | None) -> str:
    """'' for all calls, 'm:2026-01' for a month, 'l:113' for a line (grouping(month, line) is 3, 1 or 2)."""
    return {3: "", 1: f"m:{month}", 2: f"l:{line}"}[g]


def _exact_quantiles(
    con: duckdb.DuckDBPyConnection, base: str, answered: dict[str, int]
) -> dict[str, dict[float, float]]:
    """For each group key, the median and 90th percentile of answer times in seconds, exact, in bounded memory."""
    targets: dict[tuple[str, int], tuple[int | None, int]] = {}  # (key, rank) -> (bucket at the last width, offset)
    for key, n in answered.items():
        for q in QUANTILES:
            if n:
                position = (n - 1) * q
                for rank in {math.floor(position), math.ceil(position)}:
                    targets[(key, rank)] = (None, rank)
    if not targets:
        return {}
    previous = None
    for width in (_US, 1000, 1):
        histogram: dict[tuple[str, int | None], list[tuple[int, int]]] = {}
        if previous is None:  # whole seconds, for every group at once
            rows = con.execute(f"""
                SELECT grouping(month, line), month, line, answer_us // {width} AS b, count(*)
                FROM ({base}) WHERE answer_us IS NOT NULL
                GROUP BY GROUPING SETS ((b), (month, b), (line, b))""").fetchall()
            for g, month, line, bucket, count in rows:
                histogram.setdefault((_key(g, month, line), None), []).append((bucket, count))
        else:  # finer, only inside the buckets that hold a wanted rank
            wanted = sorted({(k, p) for (k, _), (p, _) in targets.items()})
            prefixes = ", ".join(sorted({str(p) for _, p in wanted}))
            pairs = ", ".join(f"({sql_str(k)}, {p})" for k, p in wanted)
            rows = con.execute(f"""
                SELECT e.k, e.answer_us // {previous} AS prefix, e.answer_us // {width} AS b, count(*)
                FROM (SELECT unnest(['', 'm:' || month, 'l:' || line]) AS k, answer_us FROM ({base})
                      WHERE answer_us // {previous} IN ({prefixes})) e
                SEMI JOIN (VALUES {pairs}) t(k, p) ON e.k = t.k AND e.answer_us // {previous} = t.p
                GROUP BY ALL""").fetchall()
            for k, prefix, bucket, count in rows:
                histogram.setdefault((k, prefix), []).append((bucket, count))
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


def outcome_for(
    spec: MetricSpec, figures: Figures, bad_rows: int = 0, requirement_id: str | None = None, period: Period = Period()
) -> MetricOutcome:
    """Decide one metric requirement from the figures of its lines (measured with its threshold among them)."""
    t = spec.threshold_seconds
    lines = ", ".join(spec.lines)
    note = tr(f" Ugyldige rader holdt utenfor: {bad_rows}.", f" Bad rows left out: {bad_rows}.") if bad_rows else ""
    common = dict(
        requirement_id=requirement_id,
        spec=spec,
        calls=figures.calls,
        bad_rows=bad_rows,
        max_wait_seconds=figures.max_wait_seconds,
        over_threshold=figures.over.get(t, 0),
    )
    if figures.calls == 0:
        when = tr(" i perioden", " in the period") if period.start or period.end else ""
        return MetricOutcome(
            met=None,
            measured_share=None,
            **common,
            reason=tr(
                f"Anropsloggen har ingen anrop på linje {lines}{when}; kravet kan ikke avgjøres.{note}",
                f"The call log has no calls on line {lines}{when}; the requirement cannot be decided.{note}",
            ),
        )
    share = figures.share(t)
    if spec.indicator is Indicator.answered_within:
        met = Fraction(figures.within[t]) >= Fraction(str(spec.required_share)) * figures.calls
        verdict = tr("oppfylt", "met") if met else tr("ikke oppfylt", "not met")
        return MetricOutcome(
            met=met,
            measured_share=share,
            **common,
            reason=tr(
                f"Målt {format_share(share)} av {figures.calls} anrop på linje {lines} besvart innen {t} s "
                f"(krav: {format_share(spec.required_share)}): {verdict}.{note}",
                f"Measured {format_share(share)} of {figures.calls} calls on line {lines} answered within {t} s "
                f"(required: {format_share(spec.required_share)}): {verdict}.{note}",
            ),
        )
    over, longest = figures.over[t], format_seconds(figures.max_wait_seconds)
    if over:
        met, reason = (
            False,
            tr(
                f"{over} av {figures.calls} anrop på linje {lines} ventet lenger enn {t} s "
                f"(lengste ventetid {longest}): ikke oppfylt.",
                f"{over} of {figures.calls} calls on line {lines} waited longer than {t} s "
                f"(longest wait {longest}): not met.",
            ),
        )
    elif figures.unknown_wait:
        met, reason = (
            None,
            tr(
                f"Ingen kjent ventetid over {t} s, men {figures.unknown_wait} ubesvarte anrop mangler "
                "ended_at, så ventetiden deres er ukjent; kravet kan ikke avgjøres.",
                f"No known wait over {t} s, but {figures.unknown_wait} unanswered calls lack ended_at, "
                "so their wait is unknown; the requirement cannot be decided.",
            ),
        )
    else:
        met, reason = (
            True,
            tr(
                f"Ingen av {figures.calls} anrop på linje {lines} ventet lenger enn {t} s "
                f"(lengste ventetid {longest}): oppfylt.",
                f"None of {figures.calls} calls on line {lines} waited longer than {t} s "
                f"(longest wait {longest}): met.",
            ),
        )
    return MetricOutcome(met=met, measured_share=share, **common, reason=reason + note)


def evaluate_metric(
    spec: MetricSpec,
    files: Sequence[Path],
    mapping: CallLogMapping | None = None,
    *,
    requirement_id: str | None = None,
    period: Period = Period(),
) -> MetricOutcome:
    """Decide one metric requirement from call-log files (the self-assessment's entry point).

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
    m = measure(files, mapping, lines=spec.lines, threshold_seconds=spec.threshold_seconds, period=period)
    return outcome_for(spec, m.overall, m.bad.total, requirement_id, period)


def format_share(share: float | None) -> str:
    """93,1 % (bokmål) or 93.1 % (English); – when there is nothing to divide."""
    return "–" if share is None else tr(f"{share * 100:.1f} %".replace(".", ","), f"{share * 100:.1f} %")


def format_seconds(seconds: float | None) -> str:
    return "–" if seconds is None else tr(f"{seconds:.1f} s".replace(".", ","), f"{seconds:.1f} s")
