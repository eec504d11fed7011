"""Typed models of the requirement chapters (the workspace config is in `kokom_cli.config`).

The models are the single source of truth for the JSON Schemas (`kokom schema`)
and for validation. Every model forbids unknown fields, so a misspelt key is a
finding rather than silently ignored data.
"""

from __future__ import annotations

from enum import Enum
from typing import Annotated

from pydantic import BaseModel, ConfigDict, Field, StringConstraints, model_validator

from kokom_cli.core.i18n import tr

REQUIREMENT_ID_PATTERN = r"^[A-ZÆØÅ][A-ZÆØÅ0-9]*(-[A-ZÆØÅ0-9]+)+$"
EDITION_PATTERN = r"^\d{4}\.\d+$"

RequirementId = Annotated[str, StringConstraints(pattern=REQUIREMENT_ID_PATTERN)]
Edition = Annotated[str, StringConstraints(pattern=EDITION_PATTERN)]
NonEmptyText = Annotated[str, StringConstraints(min_length=1)]


class Strict(BaseModel):
    """Base for every file model: unknown keys are errors.

    Text fields never accept numbers or booleans (pydantic does not coerce them
    to str), so `edition: 2026.1` or `id: NO` is reported, not silently changed.
    """

    model_config = ConfigDict(extra="forbid", frozen=True)


class ServiceKind(str, Enum):
    """The kinds of service a requirement can apply to."""

    amk = "amk"
    legevaktsentral = "legevaktsentral"
    legevakt = "legevakt"
    kommune = "kommune"
    helseforetak = "helseforetak"
    ambulanse = "ambulanse"


class Level(str, Enum):
    skal = "skal"
    bor = "bør"


class Verification(str, Enum):
    attestation = "attestation"
    document = "document"
    metric = "metric"
    inspection = "inspection"


class Status(str, Enum):
    active = "active"
    retired = "retired"


class ChangeClass(str, Enum):
    tightening = "tightening"
    relaxing = "relaxing"
    editorial = "editorial"


class Source(Strict):
    """A reference to the law, regulation or guideline a requirement rests on."""

    title: NonEmptyText = Field(description="What is cited, e.g. 'Akuttmedisinforskriften § 13'.")
    ref: str | None = Field(None, description="Formal reference, e.g. 'FOR-2015-03-20-231 § 13'.")
    url: str | None = Field(None, description="Address where the source can be read.")


class EvidenceKind(str, Enum):
    document = "document"
    record = "record"
    metric = "metric"
    training_record = "training_record"
    attestation = "attestation"
    inspection = "inspection"


class ExpectedEvidence(Strict):
    """Evidence a service is expected to hold for a requirement, and how fresh it must be."""

    kind: EvidenceKind
    description: NonEmptyText
    max_age_months: int | None = Field(
        None, strict=True, ge=1, le=120, description="Evidence older than this is stale."
    )

    def in_words(self) -> str:
        """One line for a form: "document: Plan for ... (høyst 12 måneder gammel)"."""
        age = (
            tr(
                f" (høyst {self.max_age_months} måneder gammel)",
                f" (at most {self.max_age_months} months old)",
                f" (høgst {self.max_age_months} månader gammal)",
            )
            if self.max_age_months
            else ""
        )
        return f"{self.kind.value}: {' '.join(self.description.split())}{age}"


class Indicator(str, Enum):
    answered_within = "answered_within"
    max_wait = "max_wait"


class Denominator(str, Enum):
    """What a share is a share of: answered calls only (Helsedirektoratet's 113 indicator) or every offered call,
    unanswered included (its 116 117 indicator)."""

    answered = "answered"
    offered = "offered"

    def label(self) -> str:
        if self is Denominator.answered:
            return tr("andel av besvarte anrop", "share of answered calls", "del av svarte anrop")
        return tr("andel av alle anrop", "share of all calls", "del av alle anrop")


class MetricExclusions(Strict):
    """Calls left out of a metric before anything is counted (recorded messages and keypad menus are already
    outside answer time)."""

    abandoned_shorter_than_seconds: int | None = Field(
        None,
        strict=True,
        gt=0,
        le=3600,
        description="Leave out unanswered calls that ended within this many seconds of being offered "
        "(needs ended_at in the log; calls whose end is unknown stay in).",
    )
    test_calls: bool = Field(
        False,
        strict=True,
        description="Leave out calls flagged as test calls by the column call_log.test_call names in kokom.yaml.",
    )

    def describe(self) -> list[str]:
        out = []
        if self.abandoned_shorter_than_seconds:
            n = self.abandoned_shorter_than_seconds
            out.append(
                tr(
                    f"ubesvarte anrop kortere enn {n} s holdt utenfor",
                    f"abandoned calls under {n} s left out",
                    f"usvarte anrop kortare enn {n} s haldne utanfor",
                )
            )
        if self.test_calls:
            out.append(tr("testanrop holdt utenfor", "test calls left out", "testanrop haldne utanfor"))
        return out


class MetricSpec(Strict):
    """A machine-readable threshold for a measurable requirement.

    `answered_within`: at least `required_share` of the calls in the
    `denominator` (answered calls, or every offered call with unanswered ones
    included) answered within `threshold_seconds`. `max_wait`: no offered call
    waits longer than `threshold_seconds` (required_share is then 1.0).
    `exclude` leaves calls out before anything is counted.
    """

    indicator: Indicator
    lines: list[NonEmptyText] = Field(min_length=1, description="Phone lines measured, e.g. ['113'].")
    threshold_seconds: int = Field(strict=True, gt=0, le=86400)
    required_share: float = Field(strict=True, gt=0, le=1)
    denominator: Denominator = Field(
        Denominator.offered,
        description="answered: share of answered calls (Helsedirektoratet's 113 indicator); offered: share of all "
        "offered calls, unanswered included (its 116 117 indicator).",
    )
    exclude: MetricExclusions = Field(default_factory=MetricExclusions)

    def definition(self) -> dict:
        """The definition a figure was computed with, so it can be compared with a published one."""
        return {
            "denominator": self.denominator.value,
            "exclude": self.exclude.model_dump(exclude_defaults=True),
        }

    def definition_text(self) -> str:
        """'andel av besvarte anrop' or 'andel av alle anrop', with the exclusions."""
        return "; ".join([self.denominator.label(), *self.exclude.describe()])

    @model_validator(mode="after")
    def _max_wait_is_absolute(self) -> MetricSpec:
        if self.indicator is Indicator.max_wait and self.required_share != 1.0:
            raise ValueError("a max_wait metric must have required_share: 1.0 (no call may wait longer)")
        return self


class Conditions(Strict):
    """Service attributes that narrow where a requirement applies."""

    lines_any: list[NonEmptyText] | None = Field(None, description="Applies only to services with one of these lines.")
    population_min: int | None = Field(None, strict=True, ge=0)
    population_max: int | None = Field(None, strict=True, ge=0)


class ChangeNote(Strict):
    """An editor's statement of what a change means for compliance."""

    change_class: ChangeClass = Field(alias="class")
    text: NonEmptyText

    model_config = ConfigDict(extra="forbid", frozen=True, populate_by_name=True)


class Requirement(Strict):
    id: RequirementId = Field(description="Permanent id, e.g. AMK-SVAR-01. Rename with `replaces`.")
    title: NonEmptyText
    text: NonEmptyText = Field(description="The requirement, in Markdown.")
    level: Level
    applies_to: list[ServiceKind] = Field(min_length=1)
    conditions: Conditions | None = None
    source: list[Source] = Field(min_length=1)
    verification: Verification
    evidence: list[ExpectedEvidence] = Field(default_factory=list)
    metric: MetricSpec | None = None
    since: Edition
    status: Status = Status.active
    links: list[RequirementId] = Field(default_factory=list)
    replaces: list[RequirementId] = Field(default_factory=list)
    rationale: str | None = None
    note: str | None = Field(None, description="Editorial note, e.g. on the confidence of the source.")
    change_note: ChangeNote | None = None


class Chapter(Strict):
    """One file in `requirements/`: a chapter and its requirements."""

    chapter: Annotated[str, StringConstraints(pattern=r"^[a-z0-9][a-z0-9-]*$")] = Field(
        description="Chapter slug, stable across editions."
    )
    title: NonEmptyText
    order: int = Field(strict=True, ge=0)
    intro: str | None = None
    requirements: list[Requirement] = Field(min_length=1)
