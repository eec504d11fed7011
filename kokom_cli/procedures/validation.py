"""Checks across requirements that no single-file schema can express."""

from __future__ import annotations

import datetime as dt

from kokom_cli.competence.loading import catalogue_findings
from kokom_cli.core.findings import Finding, Severity
from kokom_cli.core.i18n import tr
from kokom_cli.procedures.books import load_books
from kokom_cli.procedures.checks import procedure_findings
from kokom_cli.requirements.corpus import (
    Corpus,
    Located,
    collapse_unchecked,
    unknown_id_finding,
    workspace_corpus,
)
from kokom_cli.requirements.models import Status, Verification
from kokom_cli.workspace import Workspace


def requirement_findings(corpus: Corpus) -> list[Finding]:
    findings: list[Finding] = []
    first: dict[str, Located] = {}
    chapter_slugs: dict[str, Located] = {}
    for item in corpus.located:
        req = item.requirement
        if item.national:
            first.setdefault(req.id, item)
            continue
        if req.id in first and first[req.id].national:
            findings.append(
                item.finding(
                    "national-readonly",
                    tr(
                        f"'{req.id}' er et nasjonalt krav; et lokalt arbeidsområde kan ikke endre nasjonal tekst. "
                        "Gi det lokale kravet en egen id (med prefikset i `local_prefix:`)",
                        f"'{req.id}' is a national requirement; a local workspace cannot change national text. "
                        "Give the local requirement an id of its own (with the prefix in `local_prefix:`)",
                        f"'{req.id}' er eit nasjonalt krav; eit lokalt arbeidsområde kan ikkje endre nasjonal tekst. "
                        "Gi det lokale kravet ein eigen id (med prefikset i `local_prefix:`)",
                    ),
                    field_name="id",
                )
            )
            continue
        if req.id in first:
            other = first[req.id]
            line, column = other.doc.position((*other.loc, "id"))
            findings.append(
                item.finding(
                    "duplicate-id",
                    tr(
                        f"krav-id '{req.id}' er allerede brukt i {other.doc.display}:{line}:{column}; "
                        "id-er er faste og unike: gi dette kravet en ny id",
                        f"requirement id '{req.id}' is already used at {other.doc.display}:{line}:{column}; "
                        "ids are permanent and unique: give this one a new id",
                        f"krav-id '{req.id}' er allereie brukt i {other.doc.display}:{line}:{column}; "
                        "id-ar er faste og unike: gi dette kravet ein ny id",
                    ),
                    field_name="id",
                )
            )
        else:
            first[req.id] = item
        if item.chapter is not None:
            known = chapter_slugs.setdefault(item.chapter.chapter, item)
            if known.doc is not item.doc and item.loc[-1] == 0:
                findings.append(
                    item.doc.finding(
                        ("chapter",),
                        "duplicate-chapter",
                        tr(
                            f"kapittelet '{item.chapter.chapter}' er også definert i {known.doc.display}; "
                            "bruk et nytt navn",
                            f"chapter '{item.chapter.chapter}' is also defined in {known.doc.display}; use a new slug",
                            f"kapittelet '{item.chapter.chapter}' er òg definert i {known.doc.display}; "
                            "bruk eit nytt namn",
                        ),
                    )
                )
    ids = {item.requirement.id: item.requirement for item in corpus.located}
    for item in corpus.located:
        if not item.national:
            findings.extend(_one_requirement(item, ids))
    return findings


def local_prefix_findings(corpus: Corpus, prefix: str | None) -> list[Finding]:
    """In a local workspace with `local_prefix:`, every local requirement id starts with that prefix."""
    if prefix is None:
        return []
    return [
        item.finding(
            "local-prefix",
            tr(
                f"lokale krav har id-er som begynner med '{prefix}-' (`local_prefix:` i kokom.yaml); "
                f"gi '{item.requirement.id}' en slik id",
                f"local requirements have ids starting with '{prefix}-' (`local_prefix:` in kokom.yaml); "
                f"give '{item.requirement.id}' such an id",
                f"lokale krav har id-ar som byrjar med '{prefix}-' (`local_prefix:` i kokom.yaml); "
                f"gi '{item.requirement.id}' ein slik id",
            ),
            field_name="id",
        )
        for item in corpus.located
        if not item.national and not item.requirement.id.startswith(f"{prefix}-")
    ]


def _one_requirement(item: Located, ids: dict) -> list[Finding]:
    req = item.requirement
    out: list[Finding] = []
    for index, link in enumerate(req.links):
        if link == req.id:
            out.append(
                item.doc.finding(
                    (*item.loc, "links", index),
                    "link-self",
                    tr(
                        f"kravet {req.id} lenker til seg selv; fjern lenken",
                        f"requirement {req.id} links to itself; remove the link",
                        f"kravet {req.id} lenkjer til seg sjølv; fjern lenkja",
                    ),
                )
            )
        elif link not in ids:
            line, column = item.doc.position((*item.loc, "links", index))
            out.append(unknown_id_finding(item.doc.display, line, column, link, ids, code="unknown-link"))
        elif ids[link].status is Status.retired:
            out.append(
                item.doc.finding(
                    (*item.loc, "links", index),
                    "link-retired",
                    tr(
                        f"{req.id} lenker til det utgåtte kravet {link}; lenk til etterfølgeren",
                        f"{req.id} links to retired requirement {link}; link to its successor",
                        f"{req.id} lenkjer til det utgåtte kravet {link}; lenk til etterfølgjaren",
                    ),
                    severity=Severity.warning,
                )
            )
    for index, old in enumerate(req.replaces):
        if old not in ids:
            line, column = item.doc.position((*item.loc, "replaces", index))
            message = unknown_id_finding(item.doc.display, line, column, old, ids, code="unknown-replaces")
            out.append(
                Finding(
                    message.path,
                    message.line,
                    message.column,
                    message.severity,
                    message.code,
                    message.message
                    + tr(
                        "; behold det erstattede kravet med `status: retired`",
                        "; keep the replaced requirement with `status: retired`",
                        "; behald det erstatta kravet med `status: retired`",
                    ),
                )
            )
        elif ids[old].status is not Status.retired:
            out.append(
                item.doc.finding(
                    (*item.loc, "replaces", index),
                    "replaced-active",
                    tr(
                        f"{req.id} erstatter {old}, men {old} er fortsatt aktivt; sett status: retired",
                        f"{req.id} replaces {old}, but {old} is still active; set its status to retired",
                        f"{req.id} erstattar {old}, men {old} er framleis aktivt; set status: retired",
                    ),
                    severity=Severity.warning,
                )
            )
    if req.verification is Verification.metric and req.metric is None:
        out.append(
            item.finding(
                "metric-missing",
                tr(
                    f"{req.id} verifiseres med `metric`, men har ingen `metric:`-terskel; legg til indicator, "
                    "lines, threshold_seconds og required_share",
                    f"{req.id} is verified by `metric` but has no `metric:` threshold; add indicator, "
                    "lines, threshold_seconds and required_share",
                    f"{req.id} blir verifisert med `metric`, men har ingen `metric:`-terskel; legg til indicator, "
                    "lines, threshold_seconds og required_share",
                ),
                field_name="verification",
            )
        )
    if req.metric is not None and req.verification is not Verification.metric:
        out.append(
            item.finding(
                "metric-unused",
                tr(
                    f"{req.id} har `metric:`, men verifiseres med `{req.verification.value}`; "
                    "sett `verification: metric` eller fjern metric",
                    f"{req.id} has a `metric:` but is verified by `{req.verification.value}`; "
                    "set `verification: metric` or remove the metric",
                    f"{req.id} har `metric:`, men blir verifisert med `{req.verification.value}`; "
                    "set `verification: metric` eller fjern metric",
                ),
                field_name="metric",
                severity=Severity.warning,
            )
        )
    if (
        req.conditions
        and req.conditions.population_min is not None
        and req.conditions.population_max is not None
        and req.conditions.population_min > req.conditions.population_max
    ):
        out.append(
            item.finding(
                "conditions-empty",
                tr(
                    "population_min er større enn population_max; kravet kan ikke gjelde noen tjeneste",
                    "population_min is larger than population_max; the requirement can apply to no service",
                    "population_min er større enn population_max; kravet kan ikkje gjelde noka teneste",
                ),
                field_name="conditions",
            )
        )
    return out


def validate_workspace(workspace: Workspace, *, strict: bool = False, as_of: dt.date | None = None) -> list[Finding]:
    """Every finding in the workspace, sorted by file and position. `strict` makes warnings errors.

    `as_of` (default today) is the date against which procedure reviews count as overdue.
    """
    corpus = workspace_corpus(workspace)
    findings = corpus.findings + requirement_findings(corpus)
    if workspace.local:
        findings += local_prefix_findings(corpus, workspace.config.local_prefix)
    books = load_books(workspace)
    findings += books.findings + procedure_findings(books, corpus, as_of=as_of)
    findings += catalogue_findings(workspace, corpus.requirements)  # the competence catalogue names requirement ids
    findings = collapse_unchecked(corpus, findings)
    if strict:
        findings = [f.with_severity(Severity.error) for f in findings]
    return sorted(set(findings))
