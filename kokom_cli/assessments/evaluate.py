"""Evaluating an assessment: the outcome of each requirement, with reasons, and a summary.

Pure functions: everything read from disk (the service, the answers, which
evidence files exist, what the call logs measured) comes in as arguments, and
`as_of` (the day the check is made) is given, never read from the clock.

Outcomes: `met`, `partial`, `not_met`, `not_applicable`, `unanswered`,
`contradicted` (answered met, but the measured data says otherwise, or a typed
figure disagrees with the call log), and `unmeasured` (a referenced call log
cannot be read, or has no calls on the requirement's lines: never met). The
outcome is the service's own answer, except for `metric` requirements with
figures: call logs always decide when the assessment references them (met or
not_met), a typed figure (`measured:`) decides only without a log and is
reported as claimed, and a `met` answer the figures do not bear out becomes
`contradicted`. Every judgement is `calllog.verdict.judge`, in fractions.

Reasons, each with a stable code:

| code | when |
|---|---|
| `condition-lines`, `condition-population` | not applicable: the requirement's conditions exclude the service |
| `declared-not-applicable` | the service answered not_applicable |
| `justification-missing` | partial, not_met or not_applicable with no justification |
| `evidence-missing` | met/partial, and expected evidence is not given (or a listed file does not exist) |
| `evidence-stale` | the newest evidence of an expected kind is older than its `max_age_months` |
| `measured` | a metric requirement decided from call logs (the figure and its definition are in the message) |
| `claimed` | a metric requirement decided from a figure typed into the assessment, with no call log |
| `unmeasured` | a referenced call log cannot be read or has no calls on the lines (outcome `unmeasured`) |
| `measured-undecided` | the call log cannot decide (unknown waits); the answer stands |
| `measured-contradicts` | answered met, but the figure misses the threshold (outcome `contradicted`) |
| `figure-contradicts` | the typed figure disagrees with the call log beyond rounding (outcome `contradicted`) |
| `waived` | not met, but an approved waiver is valid on the check date |
| `waiver-expired` | the waiver expired before the check date |
| `waiver-not-yet-approved` | the waiver's `approved_on` is after the check date |
| `action-missing` | a skal requirement not met (or contradicted) with no action and no valid waiver |
| `action-overdue` | the action's due date has passed and the requirement is still not met |
| `disputed` | the advisor's verification gives another status than the service's answer |

Reasons never change an outcome, except the measurement ones.

Summary: `skal_total`/`bor_total` count applicable requirements (outcome not
`not_applicable`), `skal_met`/`bor_met` those with outcome `met`. `score` is
the weighted share met, skal counting 2 and bør 1:
(2·skal_met + bor_met) / (2·skal_total + bor_total), rounded to 3 decimals;
null when nothing applies. `passed` is true when every applicable skal
requirement is met, validly waived, or declared not applicable with a
justification; this is exit code 0 of `kokom assess check`.
"""

from __future__ import annotations

import calendar
import datetime as dt

from kokom_cli.assessments.applicability import Applicability
from kokom_cli.assessments.models import Answer, AnswerStatus, Assessment, Service, Waiver
from kokom_cli.assessments.results import Evaluation, Outcome, Reason, Result, outcome_label
from kokom_cli.calllog.verdict import Measurement, claimed_text, judge
from kokom_cli.competence.assessment import RequirementVerdict, decide
from kokom_cli.core.i18n import tr
from kokom_cli.requirements.models import Chapter, EvidenceKind, Level, MetricSpec, Requirement


def add_months(day: dt.date, months: int) -> dt.date:
    """`months` later, on the same day of the month where it exists; the last date Python knows when past it."""
    month_index = day.month - 1 + months
    year, month = day.year + month_index // 12, month_index % 12 + 1
    if not dt.MINYEAR <= year <= dt.MAXYEAR:
        return dt.date.max if months > 0 else dt.date.min
    if day.day <= 28:  # every month has the day: most dates, and no calendar arithmetic
        return dt.date(year, month, day.day)
    return dt.date(year, month, min(day.day, calendar.monthrange(year, month)[1]))


def measurement_verdict(spec: MetricSpec, m: Measurement) -> tuple[bool | None, str]:
    """Whether the measurement meets the requirement (None: cannot decide), and the figure in words."""
    verdict = judge(spec, m)
    return verdict.met, verdict.figure


def _evidence_reasons(
    req: Requirement, answer: Answer, as_of: dt.date, missing_files: frozenset[str], measurement: Measurement | None
) -> list[Reason]:
    out = [
        Reason(
            "evidence-missing",
            tr(
                f"dokumentasjonsfilen {ev.file} finnes ikke",
                f"the evidence file {ev.file} does not exist",
                f"dokumentasjonsfila {ev.file} finst ikkje",
            ),
        )
        for ev in answer.evidence
        if ev.file is not None and ev.file in missing_files
    ]
    if answer.status not in (AnswerStatus.met, AnswerStatus.partial):
        return out
    present = [ev for ev in answer.evidence if ev.file is None or ev.file not in missing_files]
    for expected in req.evidence:
        if expected.kind is EvidenceKind.metric and measurement is not None and measurement.measured:
            continue
        items = [ev for ev in present if ev.kind in (None, expected.kind)]
        if not items:
            out.append(
                Reason(
                    "evidence-missing",
                    tr(
                        f"mangler dokumentasjon: {expected.description}",
                        f"evidence missing: {expected.description}",
                        f"manglar dokumentasjon: {expected.description}",
                    ),
                )
            )
            continue
        newest = max(ev.date for ev in items)
        if expected.max_age_months and add_months(newest, expected.max_age_months) < as_of:
            out.append(
                Reason(
                    "evidence-stale",
                    tr(
                        f"nyeste dokumentasjon er fra {newest}, eldre enn {expected.max_age_months} måneder: "
                        f"{expected.description}",
                        f"the newest evidence is from {newest}, older than {expected.max_age_months} months: "
                        f"{expected.description}",
                        f"nyaste dokumentasjon er frå {newest}, eldre enn {expected.max_age_months} månader: "
                        f"{expected.description}",
                    ),
                )
            )
    return out


def _outcome(req: Requirement, answer: Answer | None, measurement: Measurement | None) -> tuple[Outcome, list[Reason]]:
    status = answer.status if answer else None
    if status is AnswerStatus.not_applicable:
        return Outcome.not_applicable, [
            Reason(
                "declared-not-applicable",
                tr(
                    "tjenesten har vurdert kravet som ikke relevant",
                    "the service declared the requirement not applicable",
                    "tenesta har vurdert kravet som ikkje relevant",
                ),
            )
        ]
    if req.metric is not None and measurement is not None:
        return _measured_outcome(req.metric, status, measurement)
    return (Outcome(status.value) if status else Outcome.unanswered), []


def _measured_outcome(spec: MetricSpec, status: AnswerStatus | None, m: Measurement) -> tuple[Outcome, list[Reason]]:
    """The figures decide: call logs when referenced (a typed figure beside them must agree), else the typed one."""
    verdict = judge(spec, m)
    figure = verdict.figure
    if m.error is not None:
        return Outcome.unmeasured, [Reason("unmeasured", figure)]
    if verdict.met is None:
        return (Outcome(status.value) if status else Outcome.unanswered), [
            Reason(
                "measured-undecided",
                tr(
                    f"målingen avgjør ikke kravet: {figure}",
                    f"the measurement does not decide: {figure}",
                    f"målinga avgjer ikkje kravet: {figure}",
                ),
            )
        ]
    if not verdict.agrees:
        both = claimed_text(spec, m)
        return Outcome.contradicted, [
            Reason(
                "figure-contradicts",
                tr(
                    f"tallet i vurderingen stemmer ikke med anropsloggen: {both}. {figure}",
                    f"the figure in the assessment disagrees with the call log: {both}. {figure}",
                    f"talet i vurderinga stemmer ikkje med anropsloggen: {both}. {figure}",
                ),
            )
        ]
    if m.claimed is not None and m.measured:
        figure += tr(
            f" Oppgitt i vurderingen: {claimed_text(spec, m)}.",
            f" Typed: {claimed_text(spec, m)}.",
            f" Oppgitt i vurderinga: {claimed_text(spec, m)}.",
        )
    if status is AnswerStatus.met and not verdict.met:
        return Outcome.contradicted, [
            Reason(
                "measured-contradicts",
                tr(
                    f"besvart som oppfylt, men målingen viser noe annet: {figure}",
                    f"answered met, but the measurement says otherwise: {figure}",
                    f"svart som oppfylt, men målinga viser noko anna: {figure}",
                ),
            )
        ]
    code = "measured" if m.measured else "claimed"
    return (Outcome.met if verdict.met else Outcome.not_met), [Reason(code, figure)]


def evaluate_one(
    req: Requirement,
    chapter: Chapter | None,
    applies: Applicability,
    answer: Answer | None,
    waiver: Waiver | None,
    *,
    as_of: dt.date,
    measurement: Measurement | None = None,
    missing_files: frozenset[str] = frozenset(),
    competence: RequirementVerdict | None = None,
) -> Result:
    if not applies.applies:
        return Result(req, chapter, Outcome.not_applicable, (Reason(applies.code or "", applies.reason or ""),))
    outcome, reasons = _outcome(req, answer, measurement)
    status = answer.status if answer else None
    if competence is not None and outcome is not Outcome.not_applicable:  # the staff register decides
        decided, why = decide(status.value if status else None, competence)
        outcome, reasons = Outcome(decided), [Reason(code, message) for code, message in why]
    not_met = outcome in (
        Outcome.partial,
        Outcome.not_met,
        Outcome.contradicted,
        Outcome.unanswered,
        Outcome.unmeasured,
    )
    if (
        answer is not None
        and status in (AnswerStatus.partial, AnswerStatus.not_met, AnswerStatus.not_applicable)
        and not (answer.justification or "").strip()
    ):
        reasons.append(
            Reason("justification-missing", tr("begrunnelse mangler", "no justification given", "grunngiving manglar"))
        )
    if answer is not None:
        reasons += _evidence_reasons(req, answer, as_of, missing_files, measurement)
    waived = False
    if waiver is not None:
        if waiver.approved_on is not None and as_of < waiver.approved_on:
            reasons.append(
                Reason(
                    "waiver-not-yet-approved",
                    tr(
                        f"unntaket godkjent av {waiver.approved_by} gjelder først fra {waiver.approved_on}",
                        f"the waiver approved by {waiver.approved_by} only counts from {waiver.approved_on}",
                        f"unntaket godkjent av {waiver.approved_by} gjeld først frå {waiver.approved_on}",
                    ),
                )
            )
        elif waiver.expires < as_of:
            reasons.append(
                Reason(
                    "waiver-expired",
                    tr(
                        f"unntaket godkjent av {waiver.approved_by} gikk ut {waiver.expires}",
                        f"the waiver approved by {waiver.approved_by} expired on {waiver.expires}",
                        f"unntaket godkjent av {waiver.approved_by} gjekk ut {waiver.expires}",
                    ),
                )
            )
        elif not_met:
            waived = True
            reasons.append(
                Reason(
                    "waived",
                    tr(
                        f"unntak godkjent av {waiver.approved_by}, gyldig til {waiver.expires}: {waiver.justification}",
                        f"waiver approved by {waiver.approved_by}, valid until {waiver.expires}: "
                        f"{waiver.justification}",
                        f"unntak godkjent av {waiver.approved_by}, gyldig til {waiver.expires}: {waiver.justification}",
                    ),
                )
            )
    action = answer.action if answer else None
    if req.level is Level.skal and outcome in (Outcome.not_met, Outcome.contradicted) and action is None and not waived:
        reasons.append(
            Reason(
                "action-missing",
                tr(
                    "skal-krav som ikke er oppfylt, uten tiltak",
                    "a skal requirement not met, with no action",
                    "skal-krav som ikkje er oppfylt, utan tiltak",
                ),
            )
        )
    if action is not None and not_met and action.due < as_of:
        reasons.append(
            Reason(
                "action-overdue",
                tr(
                    f"fristen for tiltaket gikk ut {action.due} ({action.responsible})",
                    f"the action was due on {action.due} ({action.responsible})",
                    f"fristen for tiltaket gjekk ut {action.due} ({action.responsible})",
                ),
            )
        )
    outcome = _verified_outcome(answer, outcome, reasons)
    return Result(req, chapter, outcome, tuple(reasons), answer, waived, measurement)


# Reasons that mean measured data decided the outcome: an advisor's verification never overrides those.
DATA_DECIDED = frozenset({"measured", "unmeasured", "measured-contradicts", "figure-contradicts"})


def _verified_outcome(answer: Answer | None, outcome: Outcome, reasons: list[Reason]) -> Outcome:
    """The advisor's status decides where given, over the service's claim; measured data decides over both.

    A verification that differs from the service's answer adds `disputed` (with both judgements).
    """
    verification = answer.verification if answer else None
    if verification is None:
        return outcome
    claimed = answer.status.value if answer and answer.status else outcome.value
    if verification.status.value != claimed:
        comment = f": {verification.comment}" if verification.comment else ""
        judged, said = outcome_label(verification.status.value), outcome_label(claimed)
        reasons.append(
            Reason(
                "disputed",
                tr(
                    f"rådgiver {verification.by} vurderte {verification.date} kravet som {judged} "
                    f"(tjenesten: {said}){comment}",
                    f"advisor {verification.by} judged it {judged} on {verification.date} "
                    f"(the service: {said}){comment}",
                    f"rådgjevar {verification.by} vurderte {verification.date} kravet som {judged} "
                    f"(tenesta: {said}){comment}",
                ),
            )
        )
    if any(r.code in DATA_DECIDED for r in reasons):
        return outcome
    return Outcome(verification.status.value)


def evaluate(
    items: list[tuple[Requirement, Chapter | None, Applicability]],
    service: Service,
    assessment: Assessment,
    *,
    as_of: dt.date,
    measurements: dict[str, Measurement] | None = None,
    missing_files: frozenset[str] = frozenset(),
    competence: dict[str, RequirementVerdict] | None = None,
) -> Evaluation:
    """Every requirement of the service's kind, in corpus order, evaluated against the assessment."""
    measurements = measurements or {}
    waivers = {w.requirement: w for w in assessment.waivers}
    results = [
        evaluate_one(
            req,
            chapter,
            applies,
            assessment.answers.get(req.id),
            waivers.get(req.id),
            as_of=as_of,
            measurement=measurements.get(req.id),
            missing_files=missing_files,
            competence=(competence or {}).get(req.id),
        )
        for req, chapter, applies in items
    ]
    return Evaluation(service, assessment, as_of, results)
