"""Which metric requirements a kind of service has, which kind a call log is measured as, and its report.

`kind_for_lines` picks the kind whose main (answered_within) requirement
measures lines found in the log; `report_for_kind` measures that kind's lines
once and decides each of its metric requirements (`kokom metrics`).
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING

from kokom_cli.calllog.figures import CallLogReport, Period
from kokom_cli.calllog.measure import measure_loaded
from kokom_cli.calllog.outcome import MetricOutcome, outcome_for
from kokom_cli.calllog.reader import Loaded
from kokom_cli.core.findings import Finding, KokomError, Severity
from kokom_cli.core.i18n import tr
from kokom_cli.requirements.models import Indicator, Requirement, ServiceKind, Status

if TYPE_CHECKING:
    import duckdb


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
        if main is not None and main.metric is not None and (kind or set(main.metric.lines) & set(present)):
            fits.append((k, specs))
    if len(fits) == 1:
        return fits[0]
    found = ", ".join(present) or "–"
    if kind:
        message = tr(
            f"ingen aktive krav med `metric: answered_within` gjelder {kind.value}; kan ikke velge linjer og terskel",
            f"no active requirement with `metric: answered_within` applies to {kind.value}; "
            "cannot choose lines and threshold",
            f"ingen aktive krav med `metric: answered_within` gjeld {kind.value}; kan ikkje velje linjer og terskel",
        )
    elif fits:
        message = tr(
            f"loggen har linjer for flere tjenestetyper ({found}); velg med --kind "
            f"{' eller '.join(k.value for k, _ in fits)}",
            f"the log has lines of several kinds of service ({found}); choose with --kind "
            f"{' or '.join(k.value for k, _ in fits)}",
            f"loggen har linjer for fleire tenestetypar ({found}); vel med --kind "
            f"{' eller '.join(k.value for k, _ in fits)}",
        )
    else:
        message = tr(
            f"ingen målte linjer i loggen (fant: {found}); velg --kind, eller koble linjenavn med "
            "call_log.line_names i kokom.yaml",
            f"no measured lines in the log (found: {found}); choose --kind, or map line names with "
            "call_log.line_names in kokom.yaml",
            f"ingen målte linjer i loggen (fann: {found}); vel --kind, eller kople linjenamn med "
            "call_log.line_names i kokom.yaml",
        )
    raise KokomError(Finding("--kind", 0, 0, Severity.error, "usage", message))


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
