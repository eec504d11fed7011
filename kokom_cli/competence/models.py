"""Typed models of the national competence catalogue and of a service's staff register.

The catalogue (`competence/katalog.yaml` in the corpus) says which role needs
which course, education or experience, from which date, how long a completion
counts where a source says so, and which requirement each rule proves. The
staff register (`staff_register:` in an assessment, kept in the service's own
workspace because it is personal data) lists people by pseudonym or name, one
role each, with their start date, education, experience and completed courses.
"""

from __future__ import annotations

import datetime as dt
from enum import Enum
from typing import Annotated

from pydantic import Field, StringConstraints

from kokom_cli.requirements.models import NonEmptyText, RequirementId, Strict

SLUG_PATTERN = r"^[a-z0-9æøå][a-z0-9æøå-]*$"
Slug = Annotated[str, StringConstraints(pattern=SLUG_PATTERN)]


class Role(Strict):
    """A role on the duty roster (medisinsk operatør, lege i vakt, ...)."""

    id: Slug
    name: NonEmptyText = Field(description="Name in bokmål.")
    name_en: NonEmptyText | None = None


class Education(Strict):
    """A kind of education a rule may ask for."""

    id: Slug
    name: NonEmptyText
    name_en: NonEmptyText | None = None


class Course(Strict):
    """A course or training, with its length and how long a completion counts, as the source states them."""

    id: Slug
    name: NonEmptyText
    name_en: NonEmptyText | None = None
    length: NonEmptyText | None = Field(None, description="Length as the source gives it, e.g. '3 dager'.")
    valid_months: int | None = Field(
        None,
        strict=True,
        ge=1,
        description="How long a completion counts, only where a source says so; none means it does not run out.",
    )
    note: NonEmptyText | None = Field(None, description="Where the length or validity comes from.")


class RuleKind(str, Enum):
    qualification = "qualification"  # courses, education, clinical practice
    doctor_alone = "doctor_alone"  # specialist, approved GP or enough months of clinical service
    doctor_experience = "doctor_experience"  # specialist, enough legevakt shifts or months as GP
    backup_doctor = "backup_doctor"  # a doctor who does not qualify has a qualified backup


class Rule(Strict):
    """Which roles need what, from when, and which requirement it proves."""

    id: Slug
    requirement: RequirementId = Field(description="The requirement this rule proves (its level is the rule's).")
    kind: RuleKind = RuleKind.qualification
    roles: list[Slug] = Field(min_length=1)
    courses: list[Slug] = Field(default_factory=list, description="Every one of these courses.")
    any_of: list[Slug] = Field(default_factory=list, description="At least one of these courses.")
    education: list[Slug] = Field(default_factory=list, description="One of these educations.")
    clinical_practice: bool = Field(False, description="The person must have the necessary clinical practice.")
    min_clinical_months: int | None = Field(None, strict=True, ge=1)
    min_legevakt_shifts: int | None = Field(None, strict=True, ge=1)
    min_gp_months: int | None = Field(None, strict=True, ge=1)
    in_force: dt.date | None = Field(None, description="The rule applies from this day.")
    note: NonEmptyText | None = None


class Catalogue(Strict):
    """The national competence catalogue."""

    roles: list[Role] = Field(min_length=1)
    educations: list[Education] = Field(default_factory=list)
    courses: list[Course] = Field(default_factory=list)
    rules: list[Rule] = Field(default_factory=list)


class Completion(Strict):
    """One completed course."""

    course: Slug
    date: dt.date = Field(description="Day the course was completed (YYYY-MM-DD).")


class Person(Strict):
    """One person on the duty roster. `id` is a pseudonym or staff number; `name` is optional."""

    id: NonEmptyText
    name: NonEmptyText | None = None
    role: Slug = Field(description="One role per person: the one they have on the duty roster.")
    start: dt.date = Field(description="First day in the service.")
    education: list[Slug] = Field(default_factory=list)
    authorisation: NonEmptyText | None = Field(None, description="Norwegian authorisation, e.g. sykepleier, lege.")
    clinical_practice: bool | None = Field(None, description="Has the necessary clinical practice (operators).")
    specialist_general_practice: bool = Field(False, description="Specialist in general practice (allmennmedisin).")
    approved_gp: bool = Field(False, description="Approved general practitioner (godkjent allmennlege).")
    clinical_months: int | None = Field(
        None, strict=True, ge=0, description="Months of clinical service after the degree, as the rule counts them."
    )
    legevakt_shifts: int | None = Field(None, strict=True, ge=0, description="Legevakt shifts worked.")
    gp_months: int | None = Field(None, strict=True, ge=0, description="Months as GP in the municipality.")
    backup: NonEmptyText | None = Field(None, description="The id of this doctor's backup doctor (bakvakt).")
    courses: list[Completion] = Field(default_factory=list)


class Register(Strict):
    """A service's staff register."""

    service: Annotated[str, StringConstraints(pattern=SLUG_PATTERN)] = Field(description="The service id.")
    updated: dt.date | None = Field(None, description="When the register was last brought up to date.")
    people: list[Person] = Field(default_factory=list)
