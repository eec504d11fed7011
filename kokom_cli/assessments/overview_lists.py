"""The lists of the national overview: requirements most often not met, overdue actions, disputed answers,
answer-time figures, competence coverage, and the change since the previous period. Each takes the overview's
service rows.

Competence coverage is counts only: per service, per competence rule, how many of the staff it covers meet
it. A staff register is personal data; no person, id or register path reaches the overview."""

from __future__ import annotations

import datetime as dt
from typing import TYPE_CHECKING

from kokom_cli.assessments.evaluate import measurement_verdict
from kokom_cli.assessments.results import Outcome
from kokom_cli.requirements.models import Level

if TYPE_CHECKING:
    from kokom_cli.assessments.evaluate import Result
    from kokom_cli.assessments.models import Action
    from kokom_cli.assessments.overview import ServiceRow

NOT_MET = (Outcome.partial, Outcome.not_met, Outcome.contradicted, Outcome.unanswered, Outcome.unmeasured)


def most_not_met(rows: list[ServiceRow]) -> list[dict]:
    stats: dict[str, dict] = {}
    for row in rows:
        for r in row.evaluation.results:
            if r.outcome is Outcome.not_applicable:
                continue
            req = r.requirement
            entry = stats.setdefault(
                req.id,
                {
                    "requirement": req.id,
                    "title": req.title,
                    "level": req.level.value,
                    "chapter": r.chapter.title if r.chapter else None,
                    "applies": 0,
                    "not_met_total": 0,
                    **{o.value: 0 for o in NOT_MET},
                    "services": [],
                },
            )
            entry["applies"] += 1
            if r.outcome in NOT_MET and not r.waived:  # a valid waiver is in order
                entry[r.outcome.value] += 1
                entry["not_met_total"] += 1
                entry["services"].append(row.service.id)
    chosen = [e for e in stats.values() if e["not_met_total"]]
    for e in chosen:
        e["share_not_met"] = round(e["not_met_total"] / e["applies"], 4)
    return sorted(chosen, key=lambda e: (-e["not_met_total"], e["level"] != Level.skal.value, e["requirement"]))


def overdue(rows: list[ServiceRow], as_of: dt.date) -> list[dict]:
    out = []
    for row in rows:
        found = [(r, _action(r)) for r in row.evaluation.results if r.has("action-overdue")]
        for r, action in sorted(found, key=lambda pair: (pair[1].due, pair[0].requirement.id)):
            out.append(
                {
                    "service": row.service.id,
                    "name": row.service.name,
                    "requirement": r.requirement.id,
                    "title": r.requirement.title,
                    "level": r.requirement.level.value,
                    "outcome": r.outcome.value,
                    "what": action.what,
                    "responsible": action.responsible,
                    "due": action.due.isoformat(),
                    "days_overdue": (as_of - action.due).days,
                }
            )
    return out


def _action(result: Result) -> Action:
    """The action of a result flagged `action-overdue` (only an answer's action can be overdue)."""
    assert result.answer is not None and result.answer.action is not None
    return result.answer.action


def disputed(rows: list[ServiceRow]) -> list[dict]:
    out = []
    for row in rows:
        for r in row.evaluation.results:
            if not r.has("disputed"):
                continue
            answer = r.answer
            assert answer is not None and answer.verification is not None  # only an advisor's verdict disputes
            check = answer.verification
            out.append(
                {
                    "service": row.service.id,
                    "name": row.service.name,
                    "requirement": r.requirement.id,
                    "title": r.requirement.title,
                    "level": r.requirement.level.value,
                    "status": answer.status.value if answer.status else r.outcome.value,
                    "advisor_status": check.status.value,
                    "advisor": check.by,
                    "date": check.date.isoformat(),
                    "comment": check.comment,
                }
            )
    return out


def answer_times(rows: list[ServiceRow]) -> list[dict]:
    out = []
    for row in rows:
        for r in row.evaluation.results:
            m, spec = r.measurement, r.requirement.metric
            if m is None or spec is None:
                continue
            met, figure = measurement_verdict(spec, m)
            claimed = m.claimed.share if m.claimed is not None else None
            out.append(
                {
                    "service": row.service.id,
                    "name": row.service.name,
                    "requirement": r.requirement.id,
                    "indicator": spec.indicator.value,
                    "lines": ", ".join(spec.lines),
                    "calls": m.calls,
                    "share": float(m.share) if m.share is not None else None,
                    "max_wait_seconds": float(m.max_wait_seconds) if m.max_wait_seconds is not None else None,
                    "denominator": spec.denominator.value,
                    "definition": spec.definition_text(),
                    "claimed_share": float(claimed) if claimed is not None else None,
                    "threshold_seconds": spec.threshold_seconds,
                    "required_share": spec.required_share,
                    "met": met,
                    "source": m.source if m.error is None else "unmeasured",
                    "figure": figure,
                }
            )
    return out


def changes(rows: list[ServiceRow]) -> list[dict]:
    out = []
    for row in rows:
        if row.previous is None:
            continue
        before, now = row.previous.summary, row.evaluation.summary
        was_met = {r.requirement.id for r in row.previous.results if r.outcome is Outcome.met}
        is_met = {r.requirement.id for r in row.evaluation.results if r.outcome is Outcome.met}
        applies = {r.requirement.id for r in row.evaluation.results if r.outcome is not Outcome.not_applicable}
        delta = None if now["score"] is None or before["score"] is None else round(now["score"] - before["score"], 3)
        out.append(
            {
                "service": row.service.id,
                "name": row.service.name,
                "previous_period": row.previous.assessment.period,
                "period": row.evaluation.assessment.period,
                "score_before": before["score"],
                "score": now["score"],
                "score_change": delta,
                "skal_met_before": before["skal_met"],
                "skal_total_before": before["skal_total"],
                "skal_met": now["skal_met"],
                "skal_total": now["skal_total"],
                "newly_met": sorted(is_met - was_met),
                "no_longer_met": sorted((was_met - is_met) & applies),
            }
        )
    return out


def competence_coverage(rows: list[ServiceRow]) -> list[dict]:
    """Per service: whether its register was read (`read`, `unreadable`, `none`), its head count and per rule
    the counts (`people`, `met`, `not_met`, `share`, `state`, `per_role`, `reasons` by code)."""
    out = []
    for row in rows:
        register = row.register or {"register": "none", "people": None, "roles": {}, "rules": []}
        out.append({"service": row.service.id, "name": row.service.name, "kind": row.service.kind.value, **register})
    return out


def competence_table(coverage: list[dict]) -> list[dict]:
    """The coverage as one row per service and rule (one row for a service whose register is unreadable)."""
    out = []
    for entry in coverage:
        head = {"service": entry["service"], "name": entry["name"], "register": entry["register"]}
        if entry["register"] == "unreadable":
            out.append({**head, "requirement": None, "rule": None, "level": None, "state": "unreadable"})
        for rule in entry["rules"]:
            out.append(
                {
                    **head,
                    "requirement": rule["requirement"],
                    "rule": rule["id"],
                    "level": rule["level"],
                    "state": rule["state"],
                    "people": rule["people"],
                    "met": rule["met"],
                    "not_met": rule["not_met"],
                    "share": rule["share"],
                    "expiring": rule["expiring"],
                }
            )
    return out
