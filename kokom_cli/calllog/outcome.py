"""The verdict of a call log on one metric requirement: `MetricOutcome`, from figures or from files.

`figures_measurement` turns figures into the one measurement model
(`verdict.Measurement`) and `verdict.judge` decides it; `outcome_for` adds the
case where the log cannot decide (no calls, or no answered calls where only
answered calls count). `evaluate_metric` reads the files and decides.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from fractions import Fraction
from pathlib import Path

from kokom_cli.calllog.figures import US, Figures, Period
from kokom_cli.calllog.measure import measure
from kokom_cli.calllog.verdict import Measurement, judge
from kokom_cli.config import CallLogMapping
from kokom_cli.core.findings import Finding, KokomError, Severity
from kokom_cli.core.i18n import tr
from kokom_cli.requirements.models import Denominator, Indicator, MetricSpec


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
        max_wait_seconds=Fraction(figures.max_wait_us, US) if figures.max_wait_us is not None else None,
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
    met: bool | None = None
    measured_share: float | None = None
    if figures.calls == 0 or (
        spec.denominator is Denominator.answered
        and figures.answered == 0
        and spec.indicator is Indicator.answered_within
    ):
        note = (
            tr(
                f" Ugyldige rader holdt utenfor: {bad_rows}.",
                f" Bad rows left out: {bad_rows}.",
                f" Ugyldige rader haldne utanfor: {bad_rows}.",
            )
            if bad_rows
            else ""
        )
        when = tr(" i perioden", " in the period", " i perioden") if period.start or period.end else ""
        what = (
            tr("ingen anrop", "no calls", "ingen anrop")
            if figures.calls == 0
            else tr("ingen besvarte anrop", "no answered calls", "ingen svarte anrop")
        )
        reason = tr(
            f"Anropsloggen har {what} på linje {lines}{when}; kravet kan ikke avgjøres.{note}",
            f"The call log has {what} on line {lines}{when}; the requirement cannot be decided.{note}",
            f"Anropsloggen har {what} på linje {lines}{when}; kravet kan ikkje avgjerast.{note}",
        )
    else:
        verdict = judge(spec, m)
        met, reason = verdict.met, verdict.figure
        measured_share = float(m.share) if m.share is not None else None
    return MetricOutcome(
        requirement_id=requirement_id,
        spec=spec,
        met=met,
        calls=figures.calls,
        measured_share=measured_share,
        max_wait_seconds=figures.max_wait_seconds,
        over_threshold=figures.over.get(spec.threshold_seconds, 0),
        bad_rows=bad_rows,
        reason=reason,
        measurement=m,
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
                tr("ingen anropslogg oppgitt", "no call log given", "ingen anropslogg oppgitt"),
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
