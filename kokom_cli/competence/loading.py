"""Reading the competence catalogue and a staff register, with every problem as a positioned finding.

The catalogue is `competence/katalog.yaml`: the workspace's own when it has
one, else the built-in national one. A staff register is refused (exit 2)
when it breaks the schema, names a role, education or course the catalogue
does not know (with a suggestion), lists a person twice or in two roles, has
a completion after the check date, or belongs to another service. A
completion before the person's start date is a warning: courses from an
earlier job count, but the date is worth a second look.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from kokom_cli.competence.models import Catalogue, Register, RuleKind
from kokom_cli.core.findings import Finding, KokomError, Severity, display_path, has_errors
from kokom_cli.core.i18n import tr
from kokom_cli.core.suggest import did_you_mean
from kokom_cli.workspace import Workspace, builtin_dir
from kokom_cli.yaml.document import YamlDocument
from kokom_cli.yaml.reader import load_yaml
from kokom_cli.yaml.schema_check import check_model

CATALOGUE_FILE = "katalog.yaml"


def catalogue_dir(workspace: Workspace) -> Path:
    """The workspace's own `competence/` folder when it has one, else the built-in one."""
    if workspace.root is not None and (workspace.root / "competence" / CATALOGUE_FILE).is_file():
        return workspace.root / "competence"
    return builtin_dir("competence")


def own_catalogue(workspace: Workspace) -> Path | None:
    """The catalogue `kokom validate` checks: the built-in one for the built-in corpus, else the workspace's own."""
    folder = catalogue_dir(workspace)
    if workspace.root is not None and folder == builtin_dir("competence"):
        return None
    return folder / CATALOGUE_FILE


@dataclass
class LoadedCatalogue:
    catalogue: Catalogue
    doc: YamlDocument
    findings: list[Finding] = field(default_factory=list)

    def __post_init__(self) -> None:
        c = self.catalogue
        self.roles = {r.id: r for r in c.roles}
        self.courses = {x.id: x for x in c.courses}
        self.educations = {e.id: e for e in c.educations}


def _unknown(
    doc: YamlDocument, loc: tuple, what: tuple[str, str, str, str], value: str, known: Iterable[str]
) -> Finding:
    code, nb, en, nn = what  # "unknown <thing>" in each language: nynorsk inflects "ukjend"/"ukjent" by gender
    hint = did_you_mean(value, known)
    return doc.finding(loc, f"unknown-{code}", f"{tr(nb, en, nn)} '{value}'{hint}")


_ROLE = ("role", "ukjent rolle", "unknown role", "ukjend rolle")
_COURSE = ("course", "ukjent kurs", "unknown course", "ukjent kurs")
_EDUCATION = ("education", "ukjent utdanning", "unknown education", "ukjend utdanning")


def _catalogue_findings(doc: YamlDocument, cat: Catalogue, requirements: dict[str, Any] | None) -> list[Finding]:
    out: list[Finding] = []
    for section in ("roles", "educations", "courses", "rules"):
        seen: set[str] = set()
        for index, item in enumerate(getattr(cat, section)):
            if item.id in seen:
                message = tr(
                    f"id-en '{item.id}' står to ganger",
                    f"the id '{item.id}' is used twice",
                    f"id-en '{item.id}' står to gonger",
                )
                out.append(doc.finding((section, index, "id"), "duplicate-id", message))
            seen.add(item.id)
    roles = {r.id for r in cat.roles}
    courses = {c.id for c in cat.courses}
    educations = {e.id for e in cat.educations}
    for index, rule in enumerate(cat.rules):
        at = ("rules", index)
        out += [_unknown(doc, (*at, "roles", i), _ROLE, r, roles) for i, r in enumerate(rule.roles) if r not in roles]
        for name in ("courses", "any_of"):
            out += [
                _unknown(doc, (*at, name, i), _COURSE, c, courses)
                for i, c in enumerate(getattr(rule, name))
                if c not in courses
            ]
        out += [
            _unknown(doc, (*at, "education", i), _EDUCATION, e, educations)
            for i, e in enumerate(rule.education)
            if e not in educations
        ]
        needed = {
            RuleKind.doctor_alone: ("min_clinical_months",),
            RuleKind.doctor_experience: ("min_legevakt_shifts", "min_gp_months"),
        }.get(rule.kind, ())
        out += [
            doc.finding(
                at,
                "rule-incomplete",
                tr(
                    f"regelen ({rule.kind.value}) trenger `{n}:`",
                    f"the rule needs `{n}:`",
                    f"regelen ({rule.kind.value}) treng `{n}:`",
                ),
            )
            for n in needed
            if getattr(rule, n) is None
        ]
        if rule.kind is RuleKind.qualification and not (
            rule.courses or rule.any_of or rule.education or rule.clinical_practice
        ):
            message = tr(
                "regelen krever ingenting; oppgi courses, any_of, education eller clinical_practice",
                "the rule asks for nothing; give courses, any_of, education or clinical_practice",
                "regelen krev ingenting; oppgi courses, any_of, education eller clinical_practice",
            )
            out.append(doc.finding(at, "rule-incomplete", message))
        if requirements is not None:
            out += _requirement_findings(doc, (*at, "requirement"), rule.requirement, requirements)
    return out


def _requirement_findings(doc: YamlDocument, loc: tuple, req_id: str, requirements: dict[str, Any]) -> list[Finding]:
    from kokom_cli.requirements.corpus import unknown_id_finding
    from kokom_cli.requirements.models import Status

    req = requirements.get(req_id)
    if req is None:
        line, column = doc.position(loc)
        return [unknown_id_finding(doc.display, line, column, req_id, requirements)]
    if req.status is Status.retired:
        message = tr(
            f"{req_id} er trukket tilbake; vis til kravet som erstatter det",
            f"{req_id} is retired",
            f"{req_id} er trekt tilbake; vis til kravet som erstattar det",
        )
        return [doc.finding(loc, "retired-link", message, severity=Severity.warning)]
    return []


def read_catalogue(path: Path, requirements: dict[str, Any] | None = None) -> LoadedCatalogue:
    """The catalogue with its findings; KokomError when it cannot be read or has errors."""
    doc = load_yaml(path, display_path(path))
    cat, findings = check_model(doc, Catalogue)
    if findings:
        raise KokomError(findings)
    assert cat is not None
    findings = _catalogue_findings(doc, cat, requirements)
    if has_errors(findings):
        raise KokomError(findings)
    return LoadedCatalogue(cat, doc, findings)


def catalogue_findings(workspace: Workspace, requirements: dict[str, Any]) -> list[Finding]:
    """What `kokom validate` reports about the catalogue (nothing when the workspace has none of its own)."""
    path = own_catalogue(workspace)
    if path is None or not path.is_file():
        return []
    try:
        return read_catalogue(path, requirements).findings
    except KokomError as exc:
        return exc.findings


def _two_roles(doc: YamlDocument) -> tuple[Any, list[Finding]]:
    """`role: [a, b]` is one finding (a person has one role), not a schema error; the first role is kept."""
    data = doc.data
    people = data.get("people") if isinstance(data, dict) else None
    if not isinstance(people, list):
        return data, []
    out, fixed = [], []
    for index, person in enumerate(people):
        role = person.get("role") if isinstance(person, dict) else None
        if isinstance(role, list) and len(role) > 1 and all(isinstance(r, str) for r in role):
            out.append(_two_roles_finding(doc, ("people", index, "role"), str(person.get("id")), role[0], role[1]))
            person = {**person, "role": role[0]}
        fixed.append(person)
    return {**data, "people": fixed}, out


def _two_roles_finding(doc: YamlDocument, loc: tuple, who: str, first: str, second: str) -> Finding:
    return doc.finding(
        loc,
        "person-two-roles",
        tr(
            f"{who} står i to roller ({first} og {second}); en person har én rolle i registeret: "
            "den hen har på vaktlisten",
            f"{who} is in two roles ({first} and {second}); a person has one role in the register: "
            "the one on the duty roster",
            f"{who} står i to roller ({first} og {second}); ein person har éi rolle i registeret: "
            "den hen har på vaktlista",
        ),
    )


def _people_findings(doc: YamlDocument, reg: Register, cat: LoadedCatalogue, as_of: dt.date) -> list[Finding]:
    out: list[Finding] = []
    first: dict[str, tuple[int, str]] = {}
    for index, person in enumerate(reg.people):
        at = ("people", index)
        keys = [person.id.strip().casefold()] + ([f"name:{person.name.strip().casefold()}"] if person.name else [])
        earlier = next((first[k] for k in keys if k in first), None)
        if earlier is not None:
            line, _ = doc.position(("people", earlier[0]))
            if earlier[1] != person.role:
                out.append(_two_roles_finding(doc, (*at, "role"), person.id, earlier[1], person.role))
            else:
                message = tr(
                    f"{person.id} står allerede i registeret (linje {line}); slå oppføringene sammen",
                    f"{person.id} is already in the register (line {line}); merge the entries",
                    f"{person.id} står allereie i registeret (linje {line}); slå oppføringane saman",
                )
                out.append(doc.finding((*at, "id"), "person-duplicate", message))
        for k in keys:
            first.setdefault(k, (index, person.role))
        if person.role not in cat.roles:
            out.append(_unknown(doc, (*at, "role"), _ROLE, person.role, cat.roles))
        for i, education in enumerate(person.education):
            if education not in cat.educations:
                out.append(_unknown(doc, (*at, "education", i), _EDUCATION, education, cat.educations))
        for i, done in enumerate(person.courses):
            loc = (*at, "courses", i)
            if done.course not in cat.courses:
                out.append(_unknown(doc, (*loc, "course"), _COURSE, done.course, cat.courses))
            if done.date > as_of:
                message = tr(
                    f"kursdatoen {done.date} er etter kontrolldagen {as_of}; rett datoen, "
                    "eller før kurset inn når det er fullført",
                    f"the course date {done.date} is after the check date {as_of}; fix it, "
                    "or record the course once it is completed",
                    f"kursdatoen {done.date} er etter kontrolldagen {as_of}; rett datoen, "
                    "eller før kurset inn når det er fullført",
                )
                out.append(doc.finding((*loc, "date"), "course-date-future", message))
            elif done.date < person.start:
                message = tr(
                    f"kurset er fullført {done.date}, før {person.id} begynte ({person.start}); "
                    "sjekk datoen (kurs fra en tidligere jobb teller)",
                    f"completed on {done.date}, before {person.id} started ({person.start}); "
                    "check the date (courses from an earlier job count)",
                    f"kurset er fullført {done.date}, før {person.id} byrja ({person.start}); "
                    "sjekk datoen (kurs frå ein tidlegare jobb tel)",
                )
                out.append(doc.finding((*loc, "date"), "course-before-start", message, severity=Severity.warning))
    return out


def read_register(
    path: Path, cat: LoadedCatalogue, *, as_of: dt.date, service: str | None = None, display: str | None = None
) -> tuple[Register, list[Finding]]:
    """The register and its warnings; KokomError (exit 2) with every finding when it cannot be used."""
    return check_register_document(load_yaml(path, display or display_path(path)), cat, as_of=as_of, service=service)


def check_register_document(
    doc: YamlDocument, cat: LoadedCatalogue, *, as_of: dt.date, service: str | None = None
) -> tuple[Register, list[Finding]]:
    """`read_register` on a loaded document (the XLSX import checks the YAML it would write this way)."""
    data, findings = _two_roles(doc)
    reg, schema = check_model(doc, Register, data)
    if schema:
        raise KokomError(sorted(findings + schema, key=lambda f: (f.line, f.column)))
    assert reg is not None
    if service is not None and reg.service != service:
        message = tr(
            f"registeret gjelder '{reg.service}', ikke '{service}'; bruk registeret til {service}",
            f"the register is for '{reg.service}', not '{service}'; use the register of {service}",
            f"registeret gjeld '{reg.service}', ikkje '{service}'; bruk registeret til {service}",
        )
        findings.append(doc.finding(("service",), "register-service-mismatch", message))
    findings += _people_findings(doc, reg, cat, as_of)
    findings.sort(key=lambda f: (f.line, f.column))
    if has_errors(findings):
        raise KokomError(findings)
    return reg, findings
