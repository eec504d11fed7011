"""What each person still owes an assessment: requirements to answer, justify or document (`kokom assess todo`)."""

from __future__ import annotations

from dataclasses import dataclass

from kokom_cli.assessments.results import Evaluation, Outcome
from kokom_cli.followup.due import match_owner, person

# reasons that ask something of the person who answers
OWED = ("justification-missing", "evidence-missing", "evidence-stale")


@dataclass(frozen=True)
class Owed:
    """One requirement a person still has work on, and what is missing."""

    requirement: str
    title: str
    level: str
    owner: str | None
    missing: tuple[str, ...]  # "answer", or reason codes from OWED

    def as_json(self) -> dict:
        return {
            "id": self.requirement,
            "title": self.title,
            "level": self.level,
            "owner": self.owner,
            "missing": list(self.missing),
        }


def todo(evaluation: Evaluation, owner: str | None = None) -> list[Owed]:
    """Requirements still to answer or evidence, with who owns each (`owner:` on the answer, else assessed_by).

    With `owner`, only that person's; a name that owns nothing is a usage error with a suggestion.
    """
    default = evaluation.assessment.assessed_by
    out = []
    for result in evaluation.results:
        missing: tuple[str, ...] = ("answer",) if result.outcome is Outcome.unanswered else ()
        missing += tuple(dict.fromkeys(r.code for r in result.reasons if r.code in OWED))
        if not missing or result.waived:
            continue
        who = (result.answer.owner if result.answer and result.answer.owner else None) or default
        out.append(Owed(result.requirement.id, result.requirement.title, result.requirement.level.value, who, missing))
    if owner is not None:
        owners = [(r.answer.owner if r.answer else None) or default for r in evaluation.results]
        wanted = match_owner(owner, owners)
        out = [o for o in out if o.owner and person(o.owner).casefold() == wanted]
    return out
