"""The staff register as counts only, for a pack: what an advisor may see of it, never a name.

A service's staff register is personal data and stays with the service
(`assess pack` never packs it). So that the advisor's `assess check` and
`overview` can still decide the competence requirements, the pack carries the
register's counts as kokom computed them when packing: per requirement how many
people the rules cover and how many meet them, and per rule the counts the
overview shows. The file sits beside the assessment (`counts_path`).

On the advisor's machine the file is untrusted input like everything in a pack:
it is read with a size limit and a strict model, and the states are worked out
again from the counts, never taken from the file. A file that cannot be read
makes the requirements unmeasured, as an unreadable register does.
"""

from __future__ import annotations

import datetime as dt
import json
import os
from pathlib import Path
from typing import TYPE_CHECKING, Annotated, Any, Literal

from pydantic import BaseModel, ConfigDict, Field, ValidationError, model_validator

from kokom_cli.competence.check import coverage_state
from kokom_cli.core.findings import display_path
from kokom_cli.core.i18n import tr

if TYPE_CHECKING:
    from kokom_cli.competence.assessment import RegisterReading

FORMAT = "kokom-register-counts"
SUFFIX = ".personaltal.json"
MAX_BYTES = 1 << 20  # a register of thousands of people and every rule is a few hundred kilobytes of counts

Count = Annotated[int, Field(ge=0, le=1_000_000)]
Name = Annotated[str, Field(min_length=1, max_length=100, pattern=r"^[\w.\-æøåÆØÅ]+$")]


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", strict=True)


class _People(_Strict):
    people: Count
    met: Count

    @model_validator(mode="after")
    def _met_among_people(self) -> _People:
        if self.met > self.people:
            raise ValueError("met > people")
        return self


class RoleCount(_People):
    not_met: Count
    expiring: Count


class RuleCount(_People):
    id: Name
    requirement: Name
    level: Literal["skal", "bør"] | None
    in_force: bool
    expiring: Count
    per_role: dict[Name, RoleCount] = Field(max_length=100)
    reasons: dict[Name, Count] = Field(max_length=100)

    def coverage(self) -> dict[str, Any]:
        """The overview's counts for this rule; the state worked out from the counts, not read."""
        return {
            "id": self.id,
            "requirement": self.requirement,
            "level": self.level,
            "state": coverage_state(self.people, self.met, self.in_force),
            "people": self.people,
            "met": self.met,
            "not_met": self.people - self.met,
            "share": round(self.met / self.people, 4) if self.people else None,  # as `RuleOutcome.share`
            "expiring": self.expiring,
            "per_role": {k: v.model_dump() for k, v in self.per_role.items()},
            "reasons": dict(self.reasons),
        }


class RegisterCounts(_Strict):
    format: Literal["kokom-register-counts"]
    format_version: Literal[1]
    service: Name
    as_of: str = Field(pattern=r"^\d{4}-\d{2}-\d{2}$")
    people: Count
    roles: dict[Name, Count] = Field(max_length=100)
    requirements: dict[Name, _People] = Field(max_length=1000)
    rules: list[RuleCount] = Field(max_length=1000)


def counts_path(assessment: Path) -> Path:
    """Where an assessment's register counts sit: beside it, `<assessment name>.personaltal.json`."""
    return assessment.with_name(assessment.stem + SUFFIX)


def register_counts(reading: RegisterReading, service: str, as_of: dt.date) -> bytes:
    """The counts of a register that was read (`reading.report` is not None), as the file's bytes."""
    report = reading.report
    assert report is not None
    rules = []
    for rule in report.rules:
        if rule.rule.requirement not in reading.covered:
            continue
        data = rule.as_json(names=False)
        rules.append(
            {k: data[k] for k in ("id", "requirement", "level", "people", "met", "expiring", "per_role", "reasons")}
        )
        rules[-1]["in_force"] = rule.in_force
    counts = {
        "format": FORMAT,
        "format_version": 1,
        "service": service,
        "as_of": as_of.isoformat(),
        "people": report.people,
        "roles": report.roles,
        "requirements": {v.requirement: {"people": v.people, "met": v.met} for v in reading.verdicts.values()},
        "rules": rules,
    }
    return (json.dumps(counts, ensure_ascii=False, indent=2, sort_keys=True) + "\n").encode("utf-8")


def read_counts(path: Path, service: str) -> tuple[RegisterCounts | None, str]:
    """The counts in `path`, or None and why they cannot be used (one line, for the requirements' reason)."""
    shown = display_path(path)
    try:
        # never through a link, even one planted between the caller's check and this read
        fd = os.open(path, os.O_RDONLY | getattr(os, "O_NOFOLLOW", 0) | getattr(os, "O_NONBLOCK", 0))
        with os.fdopen(fd, "rb") as handle:
            raw = handle.read(MAX_BYTES + 1)
        if len(raw) > MAX_BYTES:
            raise ValueError(tr("filen er for stor", "the file is too large", "fila er for stor"))
        counts = RegisterCounts.model_validate(json.loads(raw.decode("utf-8")))
    except ValidationError as exc:
        error = exc.errors()[0]
        where = ".".join(str(part) for part in error["loc"]) or "(filen)"
        return None, _unreadable(shown, f"{where}: {error['msg']}")
    except (OSError, ValueError) as exc:
        return None, _unreadable(shown, str(exc).splitlines()[0] if str(exc) else type(exc).__name__)
    if counts.service != service:
        return None, tr(
            f"personaltallene i {shown} gjelder tjenesten '{counts.service}', ikke '{service}'; kravet er ikke målt",
            f"the staff counts in {shown} are for the service '{counts.service}', not '{service}'; "
            "the requirement is not measured",
            f"personaltala i {shown} gjeld tenesta '{counts.service}', ikkje '{service}'; kravet er ikkje målt",
        )
    return counts, ""


def _unreadable(shown: str, why: str) -> str:
    return tr(
        f"personaltallene i {shown} kan ikke leses, så kravet er ikke målt: {why}",
        f"the staff counts in {shown} cannot be read, so the requirement is not measured: {why}",
        f"personaltala i {shown} kan ikkje lesast, så kravet er ikkje målt: {why}",
    )
