"""Call-log metrics: Helsedirektoratet's answer-time figures and the verdict on metric requirements.

`measure_requirements(jobs, mapping, memo)` is the entry point for assessments
and the overview: it reads each set of call-log files once (into the run's one
connection, `memo.RunMemo`) and gives every metric requirement its
`verdict.Measurement`; `verdict.judge` decides it.

The work is split by job: `figures` (the figures and the period), `measure`
(the method and the counting in DuckDB), `quantiles` (exact percentiles in
bounded memory), `outcome` (the verdict on one requirement), `kinds` (which
requirements a kind of service has, and `kokom metrics`' report). Their public
names are importable from here too.
"""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path
from typing import TYPE_CHECKING

from kokom_cli.calllog.figures import (
    OVER_SECONDS,
    QUANTILES,
    WITHIN_LONG_SECONDS,
    CallLogReport,
    Figures,
    Period,
)
from kokom_cli.calllog.kinds import KindReport, kind_for_lines, main_spec, metric_requirements, report_for_kind
from kokom_cli.calllog.measure import lines_present, measure, measure_loaded, overall_figures
from kokom_cli.calllog.memo import RunMemo
from kokom_cli.calllog.outcome import MetricOutcome, evaluate_metric, figures_measurement, outcome_for
from kokom_cli.calllog.reader import load
from kokom_cli.calllog.verdict import Measurement, unmeasured
from kokom_cli.config import CallLogMapping
from kokom_cli.core.findings import KokomError
from kokom_cli.core.i18n import tr
from kokom_cli.core.numbers import percent, seconds
from kokom_cli.requirements.models import Requirement

if TYPE_CHECKING:
    import duckdb

__all__ = [
    "OVER_SECONDS",
    "QUANTILES",
    "WITHIN_LONG_SECONDS",
    "CallLogReport",
    "Figures",
    "KindReport",
    "MetricOutcome",
    "Period",
    "RunMemo",
    "evaluate_metric",
    "figures_measurement",
    "format_seconds",
    "format_share",
    "kind_for_lines",
    "lines_present",
    "main_spec",
    "measure",
    "measure_loaded",
    "measure_requirements",
    "metric_requirements",
    "outcome_for",
    "report_for_kind",
]


def measure_requirements(
    jobs: Sequence[tuple[Requirement, Sequence[Path]]],
    mapping: CallLogMapping | None = None,
    memo: RunMemo | None = None,
) -> dict[str, Measurement]:
    """Each requirement's measurement from its call-log files, reading each set of files once.

    Requirements that share files share one read; `memo` (kept by the caller across assessments) remembers
    what was measured and holds the run's one connection, so a run never reads a log twice. A set of files
    that cannot be read, or that has no calls on a requirement's lines, gives a measurement with `error`
    (never met), not an exception.
    """
    if memo is None:
        with RunMemo() as own:
            return measure_requirements(jobs, mapping, own)
    groups: dict[tuple[Path, ...], list[Requirement]] = {}
    for req, files in jobs:
        groups.setdefault(tuple(Path(f) for f in files), []).append(req)
    out: dict[str, Measurement] = {}
    for files, reqs in groups.items():
        todo = [r for r in reqs if _memo_key(files, r) not in memo.measured]
        if todo:
            memo.measured.update(_measure_group(memo.connection(), files, todo, mapping))
        for r in reqs:
            out[r.id] = memo.measured[_memo_key(files, r)]
    return out


def _memo_key(files: tuple[Path, ...], requirement: Requirement) -> tuple[tuple[Path, ...], str, str]:
    """What a measurement is remembered by: the files, the requirement and its metric as it stands."""
    assert requirement.metric is not None  # only metric requirements are measured
    return (files, requirement.id, requirement.metric.model_dump_json())


def _measure_group(
    con: duckdb.DuckDBPyConnection, files: tuple[Path, ...], reqs: list[Requirement], mapping: CallLogMapping | None
) -> dict[tuple, Measurement]:
    """The measurements of `reqs` from one set of files, loaded into `con` (replacing what was loaded before)."""
    from kokom_cli.core.findings import display_path

    shown = tuple(display_path(f) for f in files)
    out: dict[tuple, Measurement] = {}
    try:
        loaded = load(con, list(files), mapping)
    except KokomError as exc:
        why = "; ".join(f"{x.path}{':' + str(x.line) if x.line else ''}: {x.message}" for x in exc.findings)
        for r in reqs:
            assert r.metric is not None
            out[_memo_key(files, r)] = unmeasured(
                r.metric,
                tr(
                    f"anropsloggen kan ikke leses: {why}",
                    f"the call log cannot be read: {why}",
                    f"anropsloggen kan ikkje lesast: {why}",
                ),
                shown,
            )
        return out
    for r in reqs:
        spec = r.metric
        assert spec is not None
        f = overall_figures(con, spec)
        if f.calls == 0:
            out[_memo_key(files, r)] = unmeasured(
                spec,
                tr(
                    f"anropsloggen ({', '.join(shown)}) har ingen anrop på linje {', '.join(spec.lines)}",
                    f"the call log ({', '.join(shown)}) has no calls on line {', '.join(spec.lines)}",
                    f"anropsloggen ({', '.join(shown)}) har ingen anrop på linje {', '.join(spec.lines)}",
                ),
                shown,
            )
        else:
            out[_memo_key(files, r)] = figures_measurement(spec, f, loaded.bad.total, shown)
    return out


def format_share(share: float | None) -> str:
    """93,1 % (bokmål) or 93.1 % (English); – when there is nothing to divide."""
    return percent(share)


def format_seconds(value: float | None) -> str:
    return seconds(value)
