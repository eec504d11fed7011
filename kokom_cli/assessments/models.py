"""Typed models of a service (`services/<id>.yaml`) and its self-assessment (`assessments/<id>-<period>.yaml`).

How an assessment names its service: `service: lvs-fjordby` is the service id.
The file is found, in this order, at `service_file:` (a path relative to the
assessment), at `../services/<id>.yaml` next to the assessment's folder (the
layout of a workspace: `services/` beside `assessments/`), and at
`services/<id>.yaml` in the workspace root. The file's `id` must equal
`service`.

File paths inside an assessment (evidence files, call logs) are relative to
the assessment file and must stay inside its folder.
"""

from __future__ import annotations

import datetime as dt
from enum import Enum
from typing import Annotated

from pydantic import Field, StringConstraints, model_validator

from kokom_cli.core.i18n import tr
from kokom_cli.requirements.models import Edition, EvidenceKind, NonEmptyText, ServiceKind, Strict

SERVICE_ID_PATTERN = r"^[a-z0-9æøå][a-z0-9æøå-]*$"
ServiceId = Annotated[str, StringConstraints(pattern=SERVICE_ID_PATTERN)]


class Service(Strict):
    """One local service: an AMK centre, a legevaktsentral, a legevakt, ..."""

    id: ServiceId = Field(description="Permanent id in lower case, e.g. lvs-fjordby; the file is services/<id>.yaml.")
    name: NonEmptyText
    kind: ServiceKind
    owner: NonEmptyText | None = Field(None, description="The organisation that runs the service.")
    municipalities: list[NonEmptyText] = Field(default_factory=list, description="Municipalities covered.")
    population: int | None = Field(None, strict=True, ge=0, description="Inhabitants covered.")
    lines: list[NonEmptyText] = Field(
        default_factory=list, description="Phone lines answered, e.g. ['116117', 'local']."
    )


class AnswerStatus(str, Enum):
    met = "met"
    partial = "partial"
    not_met = "not_met"
    not_applicable = "not_applicable"


class Evidence(Strict):
    """One piece of evidence: a file (relative to the assessment, inside its folder) or a text, with its date."""

    file: NonEmptyText | None = None
    text: NonEmptyText | None = None
    date: dt.date = Field(description="When the evidence was made or last updated (YYYY-MM-DD).")
    kind: EvidenceKind | None = Field(None, description="Which expected evidence this is; any kind when left out.")

    @model_validator(mode="after")
    def _file_or_text(self) -> Evidence:
        if (self.file is None) == (self.text is None):
            raise ValueError(
                tr(
                    "dokumentasjon trenger nøyaktig én av `file:` og `text:`",
                    "evidence needs exactly one of `file:` or `text:`",
                    "dokumentasjon treng nøyaktig éin av `file:` og `text:`",
                )
            )
        return self


class Action(Strict):
    """What the service will do to close a gap, who is responsible, and by when."""

    what: NonEmptyText
    responsible: NonEmptyText
    due: dt.date


class AdvisorVerification(Strict):
    """The national advisor's own judgement of an answer."""

    status: AnswerStatus
    comment: str | None = None
    by: NonEmptyText
    date: dt.date


class Measured(Strict):
    """Answer-time figures the service measured itself, for `metric` requirements without a call log."""

    calls: int = Field(strict=True, ge=0, description="Offered calls in the period, unanswered included.")
    share: float | None = Field(None, ge=0, le=1, description="Share answered within the threshold (0-1).")
    max_wait_seconds: float | None = Field(None, ge=0, description="Longest wait of any offered call.")
    median_answer_seconds: float | None = Field(None, ge=0)


class Answer(Strict):
    """The service's answer to one requirement. A blank `status` is unanswered."""

    status: AnswerStatus | None = None
    justification: str | None = None
    evidence: list[Evidence] = Field(default_factory=list)
    action: Action | None = None
    verification: AdvisorVerification | None = None
    measured: Measured | None = None
    call_logs: list[NonEmptyText] | None = Field(
        None, description="Call-log CSV files for this metric requirement; overrides the assessment's call_logs."
    )
    owner: NonEmptyText | None = Field(
        None, description="Who answers and documents this requirement; the assessment's assessed_by when left out."
    )


class Waiver(Strict):
    """An approved exception from a requirement, valid from `approved_on` (when given) through `expires`."""

    requirement: NonEmptyText
    justification: NonEmptyText
    approved_by: NonEmptyText
    expires: dt.date
    approved_on: dt.date | None = Field(None, description="The day it was approved; it counts from then.")

    def valid_on(self, day: dt.date) -> bool:
        return (self.approved_on is None or self.approved_on <= day) and day <= self.expires


class Assessment(Strict):
    """One self-assessment of one service for one period against one edition of the requirements."""

    service: ServiceId = Field(description="The service id; see the module docstring for how its file is found.")
    service_file: NonEmptyText | None = Field(None, description="Path to the service file, relative to this file.")
    edition: Edition
    period: NonEmptyText
    assessed_by: str | None = None
    date: dt.date
    answers: dict[str, Answer | None] = Field(
        default_factory=dict, description="Requirement id -> answer; an empty answer is unanswered."
    )
    waivers: list[Waiver] = Field(default_factory=list)
    call_logs: list[NonEmptyText] = Field(
        default_factory=list, description="Call-log CSV files (relative to this file) for every metric requirement."
    )
    staff_register: NonEmptyText | None = Field(
        None,
        description="The staff register (relative to this file, inside its folder): it decides the competence "
        "requirements.",
    )
