"""The staff register's verdict on the competence requirements of a self-assessment.

An assessment may name its register (`staff_register:`, relative to the
assessment and inside its folder). For each requirement the catalogue has a
rule for, the register decides, as call logs decide answer times:

- everyone the rules cover meets them: `met`; some do: `partial`, with the
  share; nobody does: `not_met`. A `met` answer the register does not bear out
  becomes `contradicted`. Reason `measured` (or `measured-contradicts`).
- the register lists nobody in the roles the rules cover: the answer stands,
  reason `measured-undecided`.
- the register cannot be read (missing, broken, another service's): the
  requirement is not measured and never met: outcome `unanswered`, reason
  `register-unreadable` with the first problem.

Only counts reach the assessment, never names.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from kokom_cli.competence.check import CompetenceReport, check_register, coverage_state
from kokom_cli.competence.counts import RegisterCounts, counts_path, read_counts
from kokom_cli.competence.loading import CATALOGUE_FILE, catalogue_dir, read_catalogue, read_register
from kokom_cli.core.findings import Finding, KokomError, display_path
from kokom_cli.core.i18n import tr
from kokom_cli.core.numbers import percent
from kokom_cli.workspace import Workspace, builtin_dir
from kokom_cli.yaml.document import YamlDocument
from kokom_cli.yaml.reader import load_yaml


@dataclass(frozen=True)
class RequirementVerdict:
    requirement: str
    state: str  # met | partial | not_met | no_staff | unreadable
    people: int = 0
    met: int = 0
    message: str = ""


def requirement_verdicts(report: CompetenceReport) -> dict[str, RequirementVerdict]:
    """One verdict per requirement: a person meets it when they meet every rule of it that covers them."""
    covered: dict[str, dict[int, bool]] = {}
    for rule in report.rules:
        if not rule.in_force:
            continue
        people = covered.setdefault(rule.rule.requirement, {})
        for p in rule.people:
            people[p.index] = people.get(p.index, True) and p.meets
    return {req_id: _verdict(req_id, len(people), sum(people.values())) for req_id, people in covered.items()}


def _verdict(req_id: str, total: int, met: int, counted_on: str | None = None) -> RequirementVerdict:
    """The register's verdict on one requirement from its counts (`counted_on`: the date of a pack's counts)."""
    if total == 0:
        message = tr(
            "personalregisteret har ingen i rollene regelen gjelder",
            "the staff register lists nobody in the roles the rule covers",
            "personalregisteret har ingen i rollene regelen gjeld",
        )
        return RequirementVerdict(req_id, "no_staff", 0, 0, message)
    state = coverage_state(total, met)
    source = (
        tr(
            f"Personalregisteret (tall fra pakken, per {counted_on})",
            f"Staff register (counts from the pack, as of {counted_on})",
            f"Personalregisteret (tal frå pakken, per {counted_on})",
        )
        if counted_on
        else tr("Personalregisteret", "Staff register", "Personalregisteret")
    )
    message = tr(
        f"{source}: {met} av {total} ({percent(met / total)}) oppfyller kravet",
        f"{source}: {met} of {total} ({percent(met / total)}) meet the requirement",
        f"{source}: {met} av {total} ({percent(met / total)}) oppfyller kravet",
    )
    return RequirementVerdict(req_id, state, total, met, message)


def decide(status: str | None, verdict: RequirementVerdict) -> tuple[str, list[tuple[str, str]]]:
    """The outcome of one requirement (as an Outcome value) and its reasons (code, message)."""
    if verdict.state == "unreadable":
        return "unanswered", [("register-unreadable", verdict.message)]
    if verdict.state == "no_staff":
        return status or "unanswered", [("measured-undecided", verdict.message)]
    if status == "met" and verdict.state != "met":
        return "contradicted", [
            (
                "measured-contradicts",
                tr(
                    f"besvart som oppfylt, men registeret viser noe annet: {verdict.message}",
                    f"answered met, but the register says otherwise: {verdict.message}",
                    f"svart som oppfylt, men registeret viser noko anna: {verdict.message}",
                ),
            )
        ]
    return verdict.state, [("measured", verdict.message)]


@dataclass
class RegisterReading:
    """An assessment's register read for its requirements: the verdicts, and the report when it could be read."""

    verdicts: dict[str, RequirementVerdict]
    report: CompetenceReport | None  # None: the register cannot be read (or only its counts were sent)
    covered: set[str]  # the requirements the catalogue has rules for, among those given
    counted: RegisterCounts | None = None  # the counts a pack carries in place of the register

    def coverage(self) -> dict[str, Any]:
        """Counts per rule for the overview: never a name, an id or the register's path."""
        if self.counted is not None:
            c = self.counted
            rules = [r.coverage() for r in c.rules if r.requirement in self.covered]
            return {"register": "read", "counted_on": c.as_of, "people": c.people, "roles": c.roles, "rules": rules}
        if self.report is None:
            return {"register": "unreadable", "people": None, "roles": {}, "rules": []}
        rules = [r.as_json(names=False) for r in self.report.rules if r.rule.requirement in self.covered]
        return {"register": "read", "people": self.report.people, "roles": self.report.roles, "rules": rules}


def read_assessment_register(
    folder: Path,
    written: str | None,
    service: str,
    workspace: Workspace | None,
    requirements: dict[str, Any],
    *,
    as_of: dt.date,
    assessment: Path | None = None,
) -> RegisterReading | None:
    """The register of an assessment in `folder` that names `written` (None when it names none).

    The path was checked to stay inside the folder when the assessment was loaded. Without a workspace
    (the overview has none) the built-in catalogue is used. Where the register is not there (a pack never
    carries it) but the counts a pack carries are, beside the `assessment` file, the counts decide.
    """
    if not written:
        return None
    folder_of_catalogue = catalogue_dir(workspace) if workspace else builtin_dir("competence")
    loaded = read_catalogue(folder_of_catalogue / CATALOGUE_FILE)
    covered = {r.requirement for r in loaded.catalogue.rules if r.requirement in requirements}
    path = folder / written
    if assessment is not None and not path.exists() and not path.is_symlink():
        counted = counts_path(assessment)
        if counted.is_file() and not counted.is_symlink():
            return _from_counts(counted, service, covered)
    try:
        register, _ = read_register(path, loaded, as_of=as_of, service=service)
    except KokomError as exc:
        first = exc.findings[0]
        more = len(exc.findings) - 1
        extra = tr(f" (og {more} til)", f" (and {more} more)", f" (og {more} til)") if more else ""
        message = tr(
            f"personalregisteret {display_path(path)} kan ikke leses, så kravet er ikke målt: {first.render()}{extra}",
            f"the staff register {display_path(path)} cannot be read, so the requirement is not measured: "
            f"{first.render()}{extra}",
            f"personalregisteret {display_path(path)} kan ikkje lesast, så kravet er ikkje målt: "
            f"{first.render()}{extra}",
        )
        verdicts = {req_id: RequirementVerdict(req_id, "unreadable", message=message) for req_id in covered}
        return RegisterReading(verdicts, None, covered)
    levels = {req_id: requirements[req_id].level.value for req_id in covered}
    report = check_register(register, loaded, levels, as_of=as_of)
    verdicts = {k: v for k, v in requirement_verdicts(report).items() if k in covered}
    return RegisterReading(verdicts, report, covered)


def _from_counts(path: Path, service: str, covered: set[str]) -> RegisterReading:
    """The verdicts from the counts a pack carries: the states worked out again from the numbers."""
    counts, why = read_counts(path, service)
    if counts is None:
        verdicts = {req_id: RequirementVerdict(req_id, "unreadable", message=why) for req_id in covered}
        return RegisterReading(verdicts, None, covered)
    verdicts = {}
    for req_id in covered:
        c = counts.requirements.get(req_id)
        if c is None:
            continue  # no rule of it in force when the pack was made: the answer stands, as with a register
        verdicts[req_id] = _verdict(req_id, c.people, c.met, counts.as_of)
    return RegisterReading(verdicts, None, covered, counts)


def assessment_verdicts(
    folder: Path,
    written: str | None,
    service: str,
    workspace: Workspace | None,
    requirements: dict[str, Any],
    *,
    as_of: dt.date,
    assessment: Path | None = None,
) -> dict[str, RequirementVerdict]:
    """The register's verdicts for an assessment (nothing when it names no register): `read_assessment_register`."""
    reading = read_assessment_register(
        folder, written, service, workspace, requirements, as_of=as_of, assessment=assessment
    )
    return reading.verdicts if reading else {}


def register_candidates(service_path: Path, service_id: str, workspace: Workspace) -> list[Path]:
    """Where the register of a service is looked for: `assessments/personale/<id>.yaml` beside `services/`."""
    out = [service_path.parent.parent / "assessments" / "personale" / f"{service_id}.yaml"]
    if workspace.root is not None:
        out.append(workspace.root / "assessments" / "personale" / f"{service_id}.yaml")
    return list({p.resolve(): p for p in out}.values())


def is_service_file(data: Any) -> bool:
    """A service file (given where a register is expected): it has a `kind` and no `people`."""
    return isinstance(data, dict) and "kind" in data and "people" not in data


def register_of_service(doc: YamlDocument, workspace: Workspace) -> tuple[Path | None, str]:
    """The register a service file points to by convention (None when there is none yet), and the service id.
    KokomError when the service file has no id."""
    service = doc.data.get("id")
    if not isinstance(service, str) or not service:
        raise KokomError(
            doc.finding(
                ("id",),
                "service-id-missing",
                tr("tjenestefilen mangler `id:`", "no `id:`", "tenestefila manglar `id:`"),
            )
        )
    return next((p for p in register_candidates(doc.path, service, workspace) if p.is_file()), None), service


def _register_of_service(doc: YamlDocument, workspace: Workspace) -> tuple[Path, str]:
    """`register_of_service`, with an error when the service has no register."""
    found, service = register_of_service(doc, workspace)
    if found is None:
        tried = ", ".join(display_path(p) for p in register_candidates(doc.path, service, workspace))
        message = tr(
            f"finner ikke personalregisteret til '{service}' (prøvde {tried}); oppgi registerfilen direkte",
            f"cannot find the staff register of '{service}' (tried {tried}); give the register file itself",
            f"finn ikkje personalregisteret til '{service}' (prøvde {tried}); oppgi registerfila direkte",
        )
        raise KokomError(doc.finding(("id",), "register-missing", message))
    return found, service


def check_file(
    path: Path, workspace: Workspace, *, as_of: dt.date, within: int = 0
) -> tuple[CompetenceReport, list[Finding]]:
    """`kokom competence check`: a service file (its register is found) or a register; the report and warnings."""
    from kokom_cli.requirements.corpus import load_corpus

    doc = load_yaml(path, display_path(path))
    service: str | None = None
    if is_service_file(doc.data):
        path, service = _register_of_service(doc, workspace)
    loaded = read_catalogue(catalogue_dir(workspace) / CATALOGUE_FILE)
    register, warnings = read_register(path, loaded, as_of=as_of, service=service)
    requirements = load_corpus(workspace.requirements_dir).requirements
    levels = {
        r.requirement: requirements[r.requirement].level.value
        for r in loaded.catalogue.rules
        if r.requirement in requirements
    }
    return check_register(register, loaded, levels, as_of=as_of, within=within), warnings
