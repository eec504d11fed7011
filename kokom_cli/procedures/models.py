"""Typed models of procedure books: the book, its procedures and its dispatch cards.

A book is a folder `procedures/<book>/` with `book.yaml` (the book's metadata
and ordered chapters) and one YAML file per procedure or dispatch card. A
procedure follows the template of hospital quality systems (purpose, scope,
definitions, responsibility, steps, deviations, references, document
control); a dispatch card (`kind: dispatch_card`) follows the style of Norsk
indeks for medisinsk nødhjelp: coded criteria per urgency and response steps
per urgency and role.

Roles are plain text in the models and checked against `ROLES` by the
validation rules, so an unknown role gets its own finding code and a
"did you mean" instead of a generic enum error.
"""

from __future__ import annotations

import datetime as dt
from typing import Annotated, Literal

from pydantic import Field, StringConstraints

from kokom_cli.requirements.models import (
    REQUIREMENT_ID_PATTERN,
    ChangeNote,
    Edition,
    NonEmptyText,
    RequirementId,
    ServiceKind,
    Strict,
)

# role id -> (bokmål label, English label, nynorsk label), as in templates/labels.yaml.
# Persons and units that act in a step or a response.
ROLES: dict[str, tuple[str, str, str]] = {
    "medisinsk_operator": ("medisinsk operatør", "medical operator", "medisinsk operatør"),
    "ressurskoordinator": ("ressurskoordinator", "resource coordinator", "ressurskoordinator"),
    "operativ_leder": ("operativ leder", "shift leader", "operativ leiar"),
    "amk_lege": ("AMK-lege", "AMK doctor", "AMK-lege"),
    "vaktlege": ("lege i vakt", "duty doctor", "lege i vakt"),
    "bakvakt": ("bakvakt", "backup doctor", "bakvakt"),
    "fagansvarlig_lege": (
        "medisinsk faglig ansvarlig lege",
        "doctor responsible for medical content",
        "medisinsk fagleg ansvarleg lege",
    ),
    "leder": ("leder", "manager", "leiar"),
    "ambulanse": ("ambulansepersonell", "ambulance crew", "ambulansepersonell"),
    "amk": ("AMK-sentralen", "the AMK centre", "AMK-sentralen"),
    "legevaktsentral": ("legevaktsentralen", "the out-of-hours call centre", "legevaktsentralen"),
}

ProcedureId = Annotated[str, StringConstraints(pattern=REQUIREMENT_ID_PATTERN)]
Slug = Annotated[str, StringConstraints(pattern=r"^[a-z0-9][a-z0-9-]*$")]
RoleId = Annotated[str, Field(json_schema_extra={"enum": list(ROLES)})]
CriterionCode = Annotated[str, StringConstraints(pattern=r"^[AHV]\.\d{2}\.\d{2}$")]
CardNumber = Annotated[int, Field(strict=True, ge=1, le=99)]

URGENCY_LETTERS = {"red": "A", "yellow": "H", "green": "V"}


class BookChapter(Strict):
    id: Slug = Field(description="Chapter slug, e.g. varsling.")
    title: NonEmptyText


class Book(Strict):
    """`procedures/<book>/book.yaml`."""

    id: Slug = Field(description="Book id, e.g. amk. Local books extend a national one with `extends`.")
    title: NonEmptyText
    owner: NonEmptyText = Field(description="Who maintains the book and is reminded of due reviews.")
    applies_to: list[ServiceKind] = Field(min_length=1)
    edition: Edition
    extends: Slug | None = Field(None, description="For a local book: the id of the national book it supplements.")
    intro: str | None = None
    chapters: list[BookChapter] = Field(min_length=1, description="In reading order.")


class DocumentControl(Strict):
    """Document control shared by procedures and dispatch cards."""

    id: ProcedureId = Field(description="Permanent document id, e.g. PROS-AMK-01.")
    title: NonEmptyText
    chapter: Slug = Field(description="One of the book's chapter ids.")
    version: NonEmptyText = Field(description='Revision, in quotes, e.g. "1.0".')
    prepared_by: NonEmptyText
    approved_by: NonEmptyText
    approved_on: dt.date
    valid_from: dt.date
    review_interval_months: int = Field(strict=True, ge=1, le=60)
    fulfils: list[RequirementId] = Field(default_factory=list, description="Requirement ids this document implements.")
    change_note: ChangeNote | None = Field(
        None, description="What this version's change means for compliance, when the wording alone would not say."
    )

    def next_review(self) -> dt.date:
        """The date the document is due for review: approval date plus the review interval."""
        months = self.approved_on.month - 1 + self.review_interval_months
        year, month = self.approved_on.year + months // 12, months % 12 + 1
        for day in (self.approved_on.day, 30, 29, 28):
            try:
                return dt.date(year, month, day)
            except ValueError:
                continue
        raise AssertionError("unreachable")


class Term(Strict):
    term: NonEmptyText
    definition: NonEmptyText


class Duty(Strict):
    role: RoleId
    duty: NonEmptyText


class Step(Strict):
    text: NonEmptyText
    role: RoleId | None = Field(None, description="Who acts; every step must name one.")


class Reference(Strict):
    title: NonEmptyText
    ref: str | None = None
    url: str | None = None


class Procedure(DocumentControl):
    """A procedure in the hospital quality-system template (sections 1-7)."""

    kind: Literal["procedure"] = "procedure"
    purpose: NonEmptyText
    scope: NonEmptyText
    definitions: list[Term] = Field(default_factory=list)
    responsibility: list[Duty] = Field(min_length=1)
    steps: list[Step] = Field(min_length=1, description="In order.")
    deviations: NonEmptyText = Field(description="What to do when the procedure cannot be followed.")
    references: list[Reference] = Field(default_factory=list)


class Criterion(Strict):
    code: CriterionCode = Field(description="A.nn.mm (red), H.nn.mm (yellow) or V.nn.mm (green); nn is the card.")
    text: NonEmptyText
    see_card: CardNumber | None = Field(None, description="Go on to this card instead.")


class CriteriaByUrgency(Strict):
    red: list[Criterion] = Field(default_factory=list)
    yellow: list[Criterion] = Field(default_factory=list)
    green: list[Criterion] = Field(default_factory=list)


class ResponseByUrgency(Strict):
    """Numbered steps per role (role id -> steps) for each urgency."""

    red: dict[RoleId, list[NonEmptyText]] = Field(default_factory=dict)
    yellow: dict[RoleId, list[NonEmptyText]] = Field(default_factory=dict)
    green: dict[RoleId, list[NonEmptyText]] = Field(default_factory=dict)


class LocalAdaptation(Strict):
    date: dt.date
    responsible_doctor: NonEmptyText
    text: NonEmptyText


class DispatchCard(DocumentControl):
    """A criteria-based dispatch card in the style of Norsk indeks for medisinsk nødhjelp."""

    kind: Literal["dispatch_card"]
    number: CardNumber
    example: bool = Field(False, description="True for an illustrative card that is not the text of the real index.")
    note: str | None = None
    background: NonEmptyText
    key_questions: list[NonEmptyText] = Field(
        default_factory=list, description="What the operator asks, in the order asked."
    )
    caller_advice: list[NonEmptyText] = Field(
        default_factory=list, description="What the caller is told to do until help arrives."
    )
    criteria: CriteriaByUrgency
    response: ResponseByUrgency
    related: list[CardNumber] = Field(default_factory=list)
    local_adaptations: list[LocalAdaptation] = Field(default_factory=list)


Entry = Procedure | DispatchCard
