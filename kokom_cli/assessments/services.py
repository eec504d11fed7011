"""Finding and checking the service an assessment is for: its file, confined like any received path, and its lines."""

from __future__ import annotations

import os
from pathlib import Path

from kokom_cli.assessments.models import Assessment, Service
from kokom_cli.assessments.paths import is_file, path_problem, resolved
from kokom_cli.core.findings import Finding, KokomError, display_path
from kokom_cli.core.i18n import tr
from kokom_cli.core.suggest import did_you_mean
from kokom_cli.requirements.corpus import Corpus
from kokom_cli.workspace import Workspace
from kokom_cli.yaml.document import YamlDocument
from kokom_cli.yaml.reader import load_yaml
from kokom_cli.yaml.schema_check import check_model


def load_service(path: Path) -> tuple[Service, YamlDocument]:
    doc = load_yaml(path, display_path(path))
    service, findings = check_model(doc, Service)
    if findings:
        raise KokomError(findings)
    assert service is not None
    return service, doc


def service_candidates(assessment_path: Path, service_id: str, workspace: Workspace) -> list[Path]:
    """Where `service: <id>` is looked for when no `service_file:` is given."""
    out = [assessment_path.parent.parent / "services" / f"{service_id}.yaml"]
    if workspace.root is not None:
        out.append(workspace.root / "services" / f"{service_id}.yaml")
    return list({resolved(p) or p: p for p in out}.values())


def known_lines(corpus: Corpus) -> set[str]:
    """Every phone line the requirements name: in a metric's `lines` or a condition's `lines_any`."""
    out: set[str] = set()
    for req in corpus.requirements.values():
        if req.metric is not None:
            out.update(req.metric.lines)
        if req.conditions is not None and req.conditions.lines_any:
            out.update(req.conditions.lines_any)
    return out


def line_findings(service: Service, doc: YamlDocument, corpus: Corpus) -> list[Finding]:
    """A service's lines that no requirement knows (a misspelt `lokal` would silently be measured as nothing)."""
    known = known_lines(corpus)
    if not known:
        return []
    return [
        doc.finding(
            ("lines", index),
            "service-line-unknown",
            tr(
                f"ukjent linje '{line}'{did_you_mean(line, sorted(known))} "
                f"(kravene kjenner: {', '.join(sorted(known))})",
                f"unknown line '{line}'{did_you_mean(line, sorted(known))} (the requirements know: "
                f"{', '.join(sorted(known))})",
                f"ukjend linje '{line}'{did_you_mean(line, sorted(known))} (krava kjenner: {', '.join(sorted(known))})",
            ),
        )
        for index, line in enumerate(service.lines)
        if line not in known
    ]


def service_root(assessment_path: Path, within: Path | None = None) -> Path:
    """The folder an assessment's service file must be in: the one holding the assessment's folder.

    `<service>/assessments/x.yaml` may name `<service>/services/x.yaml` (or anything under `<service>/`);
    when a received folder `within` is being read, never a file above it.
    """
    root = Path(os.path.normpath(assessment_path.absolute().parent.parent))
    if within is not None:
        limit = Path(os.path.normpath(within.absolute()))
        if not root.is_relative_to(limit):
            root = limit
    return root


def _service_outside(doc: YamlDocument, loc: tuple, written: str, why: str, base: Path) -> KokomError:
    return KokomError(
        doc.finding(
            loc,
            "path-outside",
            tr(
                f"tjenestefilen '{written}' {why}; den må ligge i {display_path(base)} eller under den",
                f"the service file '{written}' {why}; it must be in {display_path(base)} or below it",
                f"tenestefila '{written}' {why}; ho må liggje i {display_path(base)} eller under den",
            ),
        )
    )


def _service_path(doc: YamlDocument, assessment: Assessment, workspace: Workspace, base: Path) -> Path:
    """The service file an assessment names or implies, confined to `base` (the workspace's own is trusted)."""
    if assessment.service_file:
        problem = path_problem(assessment.service_file, doc.path.parent, base, allow_up=True)
        if problem is not None:
            raise _service_outside(doc, ("service_file",), assessment.service_file, problem[1], base)
        path = doc.path.parent / assessment.service_file
        if not is_file(path):
            raise KokomError(
                doc.finding(
                    ("service_file",),
                    "service-missing",
                    tr(
                        f"finner ikke tjenestefilen {assessment.service_file} (regnet fra vurderingens mappe)",
                        f"the service file {assessment.service_file} does not exist "
                        "(relative to the assessment's folder)",
                        f"finn ikkje tenestefila {assessment.service_file} (rekna frå mappa til vurderinga)",
                    ),
                )
            )
        return path
    candidates = service_candidates(doc.path, assessment.service, workspace)
    found = next((p for p in candidates if is_file(p)), None)
    if found is None:
        tried = ", ".join(display_path(p) for p in candidates)
        raise KokomError(
            doc.finding(
                ("service",),
                "service-missing",
                tr(
                    f"finner ikke tjenesten '{assessment.service}' (prøvde {tried}); legg den der, "
                    "eller oppgi `service_file:`",
                    f"cannot find service '{assessment.service}' (tried {tried}); put it there or give `service_file:`",
                    f"finn ikkje tenesta '{assessment.service}' (prøvde {tried}); legg henne der, "
                    "eller oppgi `service_file:`",
                ),
            )
        )
    trusted = workspace.root is not None and found == workspace.root / "services" / found.name
    real = resolved(found)
    if not trusted and (real is None or not real.is_relative_to(resolved(base) or base)):
        why = tr(
            "peker (via en symbolsk lenke) ut av mappen",
            "points (through a symbolic link) out of the folder",
            "peikar (via ei symbolsk lenkje) ut av mappa",
        )
        raise _service_outside(doc, ("service",), display_path(found), why, base)
    return found


def resolve_service(
    doc: YamlDocument, assessment: Assessment, workspace: Workspace, within: Path | None = None
) -> tuple[Service, Path]:
    path = _service_path(doc, assessment, workspace, service_root(doc.path, within))
    service, _ = load_service(path)
    if service.id != assessment.service:
        raise KokomError(
            doc.finding(
                ("service",),
                "service-mismatch",
                tr(
                    f"vurderingen gjelder '{assessment.service}', men {display_path(path)} beskriver '{service.id}'",
                    f"the assessment is for '{assessment.service}', but {display_path(path)} describes '{service.id}'",
                    f"vurderinga gjeld '{assessment.service}', men {display_path(path)} skildrar '{service.id}'",
                ),
            )
        )
    return service, path


def service_file_entry(service_path: Path, assessment_path: Path, service_id: str, workspace: Workspace) -> str | None:
    """The `service_file:` an assessment saved at `assessment_path` needs to reach `service_path`.

    None when `service: <id>` finds that file anyway (see `service_candidates`).
    """
    if any(
        p.resolve() == service_path.resolve()
        for p in service_candidates(assessment_path, service_id, workspace)
        if p.is_file()
    ):
        return None
    return Path(os.path.relpath(service_path.absolute(), assessment_path.absolute().parent)).as_posix()
