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

from kokom_cli.competence.check import CompetenceReport, check_register
from kokom_cli.competence.loading import CATALOGUE_FILE, catalogue_dir, read_catalogue, read_register
from kokom_cli.core.findings import Finding, KokomError, display_path
from kokom_cli.core.i18n import tr
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


def pct(share: float) -> str:
    text = f"{share * 100:.1f} %"
    return tr(text.replace(".", ","), text, text.replace(".", ","))


def requirement_verdicts(report: CompetenceReport) -> dict[str, RequirementVerdict]:
    """One verdict per requirement: a person meets it when they meet every rule of it that covers them."""
    covered: dict[str, dict[int, bool]] = {}
    for rule in report.rules:
        if not rule.in_force:
            continue
        people = covered.setdefault(rule.rule.requirement, {})
        for p in rule.people:
            people[p.index] = people.get(p.index, True) and p.meets
    out = {}
    for req_id, people in covered.items():
        total, met = len(people), sum(people.values())
        if total == 0:
            message = tr(
                "personalregisteret har ingen i rollene regelen gjelder",
                "the staff register lists nobody in the roles the rule covers",
                "personalregisteret har ingen i rollene regelen gjeld",
            )
            out[req_id] = RequirementVerdict(req_id, "no_staff", 0, 0, message)
            continue
        state = "met" if met == total else ("not_met" if met == 0 else "partial")
        message = tr(
            f"Personalregisteret: {met} av {total} ({pct(met / total)}) oppfyller kravet",
            f"Staff register: {met} of {total} ({pct(met / total)}) meet the requirement",
            f"Personalregisteret: {met} av {total} ({pct(met / total)}) oppfyller kravet",
        )
        out[req_id] = RequirementVerdict(req_id, state, total, met, message)
    return out


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
    report: CompetenceReport | None  # None: the register cannot be read
    covered: set[str]  # the requirements the catalogue has rules for, among those given

    def coverage(self) -> dict[str, Any]:
        """Counts per rule for the overview: never a name, an id or the register's path."""
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
) -> RegisterReading | None:
    """The register of an assessment in `folder` that names `written` (None when it names none).

    The path was checked to stay inside the folder when the assessment was loaded. Without a workspace
    (the overview has none) the built-in catalogue is used.
    """
    if not written:
        return None
    folder_of_catalogue = catalogue_dir(workspace) if workspace else builtin_dir("competence")
    loaded = read_catalogue(folder_of_catalogue / CATALOGUE_FILE)
    covered = {r.requirement for r in loaded.catalogue.rules if r.requirement in requirements}
    path = folder / written
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


def assessment_verdicts(
    folder: Path,
    written: str | None,
    service: str,
    workspace: Workspace | None,
    requirements: dict[str, Any],
    *,
    as_of: dt.date,
) -> dict[str, RequirementVerdict]:
    """The register's verdicts for an assessment (nothing when it names no register): `read_assessment_register`."""
    reading = read_assessment_register(folder, written, service, workspace, requirements, as_of=as_of)
    return reading.verdicts if reading else {}


def register_candidates(service_path: Path, service_id: str, workspace: Workspace) -> list[Path]:
    """Where the register of a service is looked for: `assessments/personale/<id>.yaml` beside `services/`."""
    out = [service_path.parent.parent / "assessments" / "personale" / f"{service_id}.yaml"]
    if workspace.root is not None:
        out.append(workspace.root / "assessments" / "personale" / f"{service_id}.yaml")
    return list({p.resolve(): p for p in out}.values())


def _register_of_service(doc: YamlDocument, workspace: Workspace) -> tuple[Path, str]:
    """The register a service file points to by convention, and the service id (KokomError when there is none)."""
    service = doc.data.get("id")
    if not isinstance(service, str) or not service:
        raise KokomError(
            doc.finding(
                ("id",),
                "service-id-missing",
                tr("tjenestefilen mangler `id:`", "no `id:`", "tenestefila manglar `id:`"),
            )
        )
    candidates = register_candidates(doc.path, service, workspace)
    found = next((p for p in candidates if p.is_file()), None)
    if found is None:
        tried = ", ".join(display_path(p) for p in candidates)
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
    if isinstance(doc.data, dict) and "kind" in doc.data and "people" not in doc.data:
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
