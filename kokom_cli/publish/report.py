"""What the self-assessment report template (`assessment_report.html.j2`) is given.

`report_context(evaluation)` arranges an evaluated assessment for the
service's leader and the advisor: the summary, the results per chapter, the
gaps (requirements not in order, or with a problem to look at), the action
plan sorted by due date, the disputed answers and the waivers.
"""

from __future__ import annotations

from dataclasses import dataclass

from kokom_cli.assessments.results import Evaluation, Outcome, Result

_NOT_IN_ORDER = (Outcome.partial, Outcome.not_met, Outcome.contradicted, Outcome.unanswered, Outcome.unmeasured)


@dataclass(frozen=True)
class ChapterResults:
    slug: str
    title: str
    results: list[Result]


def _chapters(results: list[Result]) -> list[ChapterResults]:
    out: list[ChapterResults] = []
    for r in results:
        slug = r.chapter.chapter if r.chapter else "uten-kapittel"
        if not out or out[-1].slug != slug:
            out.append(ChapterResults(slug, r.chapter.title if r.chapter else "–", []))
        out[-1].results.append(r)
    return out


def is_gap(result: Result) -> bool:
    """Not in order (partial, not met, contradicted, unanswered, unmeasured), or carrying a problem reason."""
    return result.outcome in _NOT_IN_ORDER or any(reason.is_problem for reason in result.reasons)


def report_context(evaluation: Evaluation) -> dict:
    assessment = evaluation.assessment
    results = evaluation.results
    actions = sorted(
        ((r, r.answer.action) for r in results if r.answer is not None and r.answer.action is not None),
        key=lambda pair: (pair[1].due, pair[0].requirement.id),
    )
    by_id = {r.requirement.id: r for r in results}
    return {
        "title": evaluation.service.name,
        "edition": assessment.edition,
        "date": evaluation.as_of,
        "service": evaluation.service,
        "assessment": assessment,
        "summary": evaluation.summary,
        "passed": evaluation.passed,
        "chapters": _chapters(results),
        "gaps": [r for r in results if is_gap(r)],
        "actions": [
            {"result": r, "action": a, "overdue": a.due < evaluation.as_of and r.outcome in _NOT_IN_ORDER}
            for r, a in actions
        ],
        "disputed": [r for r in results if r.has("disputed")],
        "waivers": [
            {"waiver": w, "result": by_id.get(w.requirement), "valid": w.valid_on(evaluation.as_of)}
            for w in assessment.waivers
        ],
        "as_of": evaluation.as_of,
    }
