"""What is due, by whom and by when: one list across assessments and procedure books.

Each item has a date and, where the files say so, a person responsible:

- `action`: an answer's action (`action.due`, `action.responsible`);
- `waiver`: a waiver's expiry (renewed by whoever assessed the service);
- `evidence`: the day the newest evidence of an expected kind grows older than
  the requirement's `max_age_months`, for answers given as met or partial;
- `review`: a procedure's next review, by the owner of its book.

Items are judged against one day (`as_of`): overdue when their date is before
it, due when it falls within the chosen number of days.
"""

from __future__ import annotations

import datetime as dt
import functools
import hashlib
from collections.abc import Iterable
from dataclasses import dataclass

from kokom_cli.assessments.evaluate import add_months
from kokom_cli.assessments.loading import LoadedAssessment
from kokom_cli.assessments.models import AnswerStatus
from kokom_cli.core.findings import Finding, KokomError, Severity
from kokom_cli.core.i18n import language, tr
from kokom_cli.core.suggest import did_you_mean
from kokom_cli.procedures.books import Library

KINDS = ("action", "waiver", "evidence", "review")


@dataclass(frozen=True)
class DueItem:
    """One dated thing to do."""

    kind: str  # one of KINDS
    ref: str  # the requirement or procedure id
    title: str  # what is to be done, in words
    date: dt.date
    responsible: str | None
    service: str | None  # the service id; None for the workspace's own procedure books
    source: str  # the file it comes from, as shown to the user
    detail: str = ""  # what tells two items of one kind and ref apart (an evidence kind)

    @property
    def uid(self) -> str:
        """Stable across runs and edits of the wording, so a calendar re-import updates instead of duplicating."""
        key = "|".join((self.kind, self.service or "", self.ref, self.detail))
        return f"{hashlib.sha256(key.encode()).hexdigest()[:24]}@kokom"

    def days_left(self, as_of: dt.date) -> int:
        return (self.date - as_of).days

    def status(self, as_of: dt.date) -> str:
        return "overdue" if self.date < as_of else "due"

    def as_json(self, as_of: dt.date) -> dict:
        return {
            "kind": self.kind,
            "ref": self.ref,
            "title": self.title,
            "date": self.date.isoformat(),
            "days_left": self.days_left(as_of),
            "status": self.status(as_of),
            "responsible": self.responsible,
            "service": self.service,
            "source": self.source,
        }


def person(responsible: str) -> str:
    """The name in "Kari Nordmann, leder legevaktsentralen": what `--owner` is matched against."""
    return responsible.split(",", 1)[0].strip()


def date_problems(loaded: LoadedAssessment) -> list[Finding]:
    """Dates that look wrong: an action due before the assessment was made (a typo, or an old action left open)."""
    assessment = loaded.assessment
    return [
        loaded.doc.finding(
            ("answers", req_id, "action", "due"),
            "action-due-before-assessment",
            tr(
                f"fristen {answer.action.due} er før vurderingen ble gjort ({assessment.date}); "
                "rett datoen, eller sett en ny frist for tiltaket",
                f"the due date {answer.action.due} is before the assessment was made ({assessment.date}); "
                "fix the date, or set the action a new one",
                f"fristen {answer.action.due} er før vurderinga blei gjord ({assessment.date}); "
                "rett datoen, eller set ein ny frist for tiltaket",
            ),
            severity=Severity.warning,
        )
        for req_id, answer in assessment.answers.items()
        if answer is not None and answer.action is not None and answer.action.due < assessment.date
    ]


def assessment_items(loaded: LoadedAssessment) -> list[DueItem]:
    """Actions, waivers and evidence going stale in one assessment."""
    assessment, service = loaded.assessment, loaded.service.id
    source = loaded.doc.display
    out: list[DueItem] = []
    for req, _chapter, _applies in loaded.items:
        answer = assessment.answers.get(req.id)
        if answer is None:
            continue
        if answer.action is not None:
            out.append(
                DueItem(
                    "action", req.id, answer.action.what, answer.action.due, answer.action.responsible, service, source
                )
            )
        if answer.status not in (AnswerStatus.met, AnswerStatus.partial):
            continue
        present = [ev for ev in answer.evidence if ev.file is None or ev.file not in loaded.missing_files]
        for expected in req.evidence:
            dated = [ev.date for ev in present if ev.kind in (None, expected.kind)]
            if not expected.max_age_months or not dated:
                continue  # missing evidence is a finding of `assess check`, not a date
            stale = add_months(max(dated), expected.max_age_months)
            title = _renew(expected.description, language())
            out.append(
                DueItem("evidence", req.id, title, stale, assessment.assessed_by, service, source, expected.kind.value)
            )
    for waiver in assessment.waivers:
        title = tr(
            f"Unntaket går ut: {waiver.justification}",
            f"The waiver expires: {waiver.justification}",
            f"Unntaket går ut: {waiver.justification}",
        )
        out.append(
            DueItem("waiver", waiver.requirement, title, waiver.expires, assessment.assessed_by, service, source)
        )
    return out


@functools.lru_cache(maxsize=4096)
def _renew(description: str, lang: str) -> str:
    """The title of evidence to renew: the same for every service that has it, so made once per language."""
    return tr(
        f"Forny dokumentasjon: {description}", f"Renew evidence: {description}", f"Forny dokumentasjon: {description}"
    )


def review_items(library: Library) -> list[DueItem]:
    """The next review of every procedure and dispatch card in effect, by the owner of its book."""
    out = []
    for item in library.effective().values():
        book = library.book(item.book_id)
        owner = book.book.owner if book is not None else None
        title = tr(f"Revider {item.entry.title}", f"Review {item.entry.title}", f"Revider {item.entry.title}")
        out.append(DueItem("review", item.entry.id, title, item.entry.next_review(), owner, None, item.doc.display))
    return out


def match_owner(owner: str, responsible: Iterable[str | None]) -> str:
    """`owner` as a person's name to compare with; a usage error with a suggestion when nobody has that name.

    An owner that matches nobody is an error rather than an empty list that looks like good news.
    """
    names = sorted({person(r) for r in responsible if r})
    wanted = person(owner).casefold()
    if not any(wanted == n.casefold() for n in names):
        hint = did_you_mean(owner, names) or tr(
            f"; ansvarlige: {', '.join(names) or '(ingen)'}",
            f"; responsible: {', '.join(names) or '(none)'}",
            f"; ansvarlege: {', '.join(names) or '(ingen)'}",
        )
        raise KokomError.at(
            "--owner",
            "usage",
            tr(
                f"ingen med navnet '{owner}' er ansvarlig for noe{hint}",
                f"nobody called '{owner}' is responsible for anything{hint}",
                f"ingen med namnet '{owner}' er ansvarleg for noko{hint}",
            ),
        )
    return wanted


def select(items: Iterable[DueItem], as_of: dt.date, within: int, owner: str | None = None) -> list[DueItem]:
    """Items overdue or due within `within` days, soonest first; only `owner`'s when given."""
    items = list(items)
    if owner is not None:
        wanted = match_owner(owner, (i.responsible for i in items))
        items = [i for i in items if i.responsible and person(i.responsible).casefold() == wanted]
    horizon = as_of + dt.timedelta(days=within)
    return sorted((i for i in items if i.date <= horizon), key=lambda i: (i.date, i.service or "", i.kind, i.ref))
