"""The result of evaluating an assessment: an outcome per requirement with its reasons, and the summary.

`assessments.evaluate` makes them; the reports, the overview and `--json` read them.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from enum import Enum
from typing import Any

from kokom_cli.assessments.models import Answer, Assessment, Service
from kokom_cli.calllog.verdict import Measurement
from kokom_cli.core.i18n import tr
from kokom_cli.requirements.models import Chapter, Level, Requirement


class Outcome(str, Enum):
    met = "met"
    partial = "partial"
    not_met = "not_met"
    not_applicable = "not_applicable"
    unanswered = "unanswered"
    contradicted = "contradicted"
    unmeasured = "unmeasured"


INFO_CODES = frozenset(
    {"condition-lines", "condition-population", "declared-not-applicable", "measured", "claimed", "waived"}
)


@dataclass(frozen=True)
class Reason:
    code: str
    message: str

    @property
    def is_problem(self) -> bool:
        return self.code not in INFO_CODES


@dataclass(frozen=True)
class Result:
    requirement: Requirement
    chapter: Chapter | None
    outcome: Outcome
    reasons: tuple[Reason, ...]
    answer: Answer | None = None
    waived: bool = False
    measurement: Measurement | None = None

    @property
    def passes(self) -> bool:
        """Met, validly waived, or not applicable with its justification."""
        if self.outcome is Outcome.not_applicable:
            return not self.has("justification-missing")
        return self.outcome is Outcome.met or self.waived

    def has(self, code: str) -> bool:
        return any(r.code == code for r in self.reasons)

    def as_json(self) -> dict:
        req, answer = self.requirement, self.answer
        data: dict[str, Any] = {
            "id": req.id,
            "level": req.level.value,
            "outcome": self.outcome.value,
            "reasons": [r.code for r in self.reasons],
            "details": [{"code": r.code, "message": r.message} for r in self.reasons],
            "title": req.title,
            "chapter": self.chapter.chapter if self.chapter else None,
            "chapter_title": self.chapter.title if self.chapter else None,
            "status": answer.status.value if answer and answer.status else None,
            "claimed": answer.status.value if answer and answer.status else None,
            "verified": answer.verification.status.value if answer and answer.verification else None,
            "waived": self.waived,
        }
        if self.measurement and self.requirement.metric:
            data["measured"] = self.measurement.as_json() | {
                "definition_text": self.requirement.metric.definition_text()
            }
        if answer and answer.action:
            data["action"] = answer.action.model_dump(mode="json")
        return data


@dataclass(frozen=True)
class Evaluation:
    service: Service
    assessment: Assessment
    as_of: dt.date
    results: list[Result] = field(default_factory=list)

    @property
    def summary(self) -> dict:
        def counts(level: Level) -> tuple[int, int]:
            chosen = [
                r for r in self.results if r.requirement.level is level and r.outcome is not Outcome.not_applicable
            ]
            return len(chosen), sum(r.outcome is Outcome.met for r in chosen)

        skal_total, skal_met = counts(Level.skal)
        bor_total, bor_met = counts(Level.bor)
        weight = 2 * skal_total + bor_total
        return {
            "skal_total": skal_total,
            "skal_met": skal_met,
            "bor_total": bor_total,
            "bor_met": bor_met,
            "score": round((2 * skal_met + bor_met) / weight, 3) if weight else None,
            "skal_waived": sum(r.waived for r in self.results if r.requirement.level is Level.skal),
            "outcomes": {o.value: sum(r.outcome is o for r in self.results) for o in Outcome},
            "disputed": sum(r.has("disputed") for r in self.results),
            "passed": self.passed,
        }

    @property
    def passed(self) -> bool:
        return all(r.passes for r in self.results if r.requirement.level is Level.skal)

    def as_json(self) -> dict:
        return {
            "service": self.service.id,
            "service_name": self.service.name,
            "kind": self.service.kind.value,
            "edition": self.assessment.edition,
            "period": self.assessment.period,
            "as_of": self.as_of.isoformat(),
            "summary": self.summary,
            "results": [r.as_json() for r in self.results],
        }


def outcome_label(outcome: str) -> str:
    """An outcome (or answer status) in plain words."""
    return {
        "met": tr("oppfylt", "met", "oppfylt"),
        "partial": tr("delvis oppfylt", "partly met", "delvis oppfylt"),
        "not_met": tr("ikke oppfylt", "not met", "ikkje oppfylt"),
        "not_applicable": tr("ikke relevant", "not applicable", "ikkje relevant"),
        "unanswered": tr("ikke besvart", "unanswered", "ikkje svart på"),
        "contradicted": tr("motsagt av målingen", "contradicted by the data", "motsagt av målinga"),
        "unmeasured": tr("ikke målt", "not measured", "ikkje målt"),
    }[outcome]
