"""Reading a folder of services and assessments, as `kokom overview` and `kokom assess validate` do.

`load_folder(folder, workspace, corpus, kind=None)` reads every YAML file under
`folder` (recursively; hidden folders and `kokom.yaml` left out): files in a
folder named `services` are services, files in a folder named `assessments`
are assessments, and any other file is told by its keys (`answers` or
`service:` make an assessment, `kind:` a service; anything else is skipped and
listed). Each file is loaded and checked exactly as `kokom assess check` does
(`assessments.check_document`); a file that fails is kept in `failed` with its
findings and the rest go on. This is all `kokom assess validate` does, besides
reading the call logs (`overview.check_call_logs`).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

from kokom_cli.assessments.models import Service
from kokom_cli.core.findings import Finding, KokomError, Severity, display_path
from kokom_cli.core.i18n import tr
from kokom_cli.requirements.models import ServiceKind

if TYPE_CHECKING:
    from kokom_cli.assessments.loading import LoadedAssessment
    from kokom_cli.requirements.corpus import Corpus
    from kokom_cli.workspace import Workspace


@dataclass
class Folder:
    """What `load_folder` found: services by id, assessments that loaded, files that failed, files skipped."""

    root: Path
    services: dict[str, tuple[Service, Path]] = field(default_factory=dict)
    assessments: list[LoadedAssessment] = field(default_factory=list)
    failed: dict[str, list[Finding]] = field(default_factory=dict)  # display path -> findings
    skipped: list[str] = field(default_factory=list)
    warnings: list[Finding] = field(default_factory=list)

    @property
    def findings(self) -> list[Finding]:
        return [f for found in self.failed.values() for f in found] + self.warnings


def _role(path: Path, data: Any) -> str | None:
    if path.parent.name == "services":
        return "service"
    if path.parent.name == "assessments":
        return "assessment"
    if isinstance(data, dict):
        if "answers" in data or "service" in data:
            return "assessment"
        if "kind" in data:
            return "service"
    return None


def yaml_files(folder: Path) -> list[Path]:
    """Every .yaml/.yml file under `folder`, sorted; hidden folders and kokom.yaml left out."""
    out = []
    for path in folder.rglob("*"):
        if path.suffix not in (".yaml", ".yml") or path.name == "kokom.yaml" or not path.is_file():
            continue
        if any(part.startswith(".") for part in path.relative_to(folder).parts):
            continue
        out.append(path)
    return sorted(out)


def load_folder(folder: Path, workspace: Workspace, corpus: Corpus, *, kind: ServiceKind | None = None) -> Folder:
    """Load and check every service and assessment under `folder`. KokomError only when the folder is unusable."""
    from kokom_cli.assessments.loading import check_document
    from kokom_cli.yaml.reader import load_yaml
    from kokom_cli.yaml.schema_check import check_model

    if not folder.is_dir():
        raise KokomError(
            Finding(str(folder), 0, 0, Severity.error, "folder-missing", tr("mappen finnes ikke", "no such folder"))
        )
    corpus_errors = [f for f in corpus.findings if f.severity is Severity.error]
    if corpus_errors:
        raise KokomError(corpus_errors)
    out = Folder(folder)
    for path in yaml_files(folder):
        display = display_path(path)
        try:
            doc = load_yaml(path, display)
            role = _role(path, doc.data)
            if role is None:
                out.skipped.append(display)
                continue
            if role == "service":
                service, findings = check_model(doc, Service)
                if findings:
                    raise KokomError(findings)
                if kind is None or service.kind is kind:
                    _add_service(out, service, path, doc)
                continue
            loaded = check_document(doc, workspace, corpus)
        except KokomError as exc:
            out.failed[display] = exc.findings
            continue
        if kind is None or loaded.service.kind is kind:
            out.assessments.append(loaded)
            out.services.setdefault(loaded.service.id, (loaded.service, loaded.service_path))
    return out


def _add_service(out: Folder, service: Service, path: Path, doc) -> None:
    known = out.services.get(service.id)
    if known is not None and known[1].resolve() != path.resolve():
        out.warnings.append(
            doc.finding(
                ("id",),
                "service-duplicate",
                tr(
                    f"tjenesten '{service.id}' er også beskrevet i {display_path(known[1])}; den første brukes",
                    f"the service '{service.id}' is also described in {display_path(known[1])}; the first one is used",
                ),
                severity=Severity.warning,
            )
        )
        return
    out.services[service.id] = (service, path)
