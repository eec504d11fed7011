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

from collections.abc import Callable, Sequence
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
    described: dict[str, set[Path]] = field(default_factory=dict, repr=False)  # service id -> every file for it

    @property
    def findings(self) -> list[Finding]:
        return [f for found in self.failed.values() for f in found] + self.warnings


def _role(path: Path, data: Any) -> str | None:
    if isinstance(data, dict) and "people" in data and "answers" not in data:
        return "register"  # a staff register: personal data, not part of the roll-up and never listed
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
    """Every .yaml/.yml file under `folder`, sorted; hidden folders, kokom.yaml and links out of `folder` left out."""
    return _received_files(folder)[0]


def _received_files(folder: Path) -> tuple[list[Path], list[Path]]:
    """(files to read, symbolic links that lead out of `folder` and are not read). Folder links are not followed."""
    from kokom_cli.assessments.paths import resolved

    out, leaving = [], []
    real_root = folder.resolve()
    for path in folder.rglob("*"):
        if path.suffix not in (".yaml", ".yml") or path.name == "kokom.yaml":
            continue
        if any(part.startswith(".") for part in path.relative_to(folder).parts):
            continue
        if path.is_symlink():
            real = resolved(path)
            if real is None or not real.is_relative_to(real_root):
                leaving.append(path)
                continue
        if path.is_file():
            out.append(path)
    return sorted(out), sorted(leaving)


def _link_finding(path: Path) -> Finding:
    return Finding(
        _link_display(path),
        0,
        0,
        Severity.error,
        "path-outside",
        tr(
            "en symbolsk lenke som peker ut av mappen (eller ikke kan følges); den er ikke lest",
            "a symbolic link that points out of the folder (or cannot be followed); it was not read",
            "ei symbolsk lenkje som peikar ut av mappa (eller ikkje kan følgjast); ho er ikkje lesen",
        ),
    )


def _link_display(path: Path) -> str:
    """The link itself as the user should read it (`display_path` would show where it points)."""
    return str(Path(display_path(path.parent)) / path.name)


def _unexpected(display: str, exc: Exception) -> Finding:
    """A file whose check failed in a way kokom did not foresee: listed, and the other files go on."""
    return Finding(
        display,
        0,
        0,
        Severity.error,
        "file-unreadable",
        tr(
            f"filen kunne ikke kontrolleres ({type(exc).__name__}: {exc}); den er utelatt",
            f"the file could not be checked ({type(exc).__name__}: {exc}); it was left out",
            f"fila kunne ikkje kontrollerast ({type(exc).__name__}: {exc}); ho er utelaten",
        ),
    )


def _load_one(
    out: Folder,
    path: Path,
    workspace: Workspace,
    corpus: Corpus,
    kind: ServiceKind | None,
    within: Path,
    each: Callable[[LoadedAssessment], None] | None = None,
) -> None:
    """Load one file into `out`: a service, an assessment, skipped, or failed with its findings.

    The node tree of the parse is kept while the file is checked (and while `each` looks at the assessment),
    so findings need no second parse for their positions; it is freed afterwards, so that a folder of
    thousands of files stays small in memory."""
    from kokom_cli.assessments.loading import check_document
    from kokom_cli.yaml.reader import load_yaml
    from kokom_cli.yaml.schema_check import check_model

    if path.parent.name == "personale":
        return  # staff registers (assessments/personale/): personal data, never read or listed by the roll-up
    display = display_path(path)
    doc = None
    try:
        doc = load_yaml(path, display, keep_nodes=True)
        role = _role(path, doc.data)
        if role == "register":
            return
        if role is None:
            out.skipped.append(display)
            return
        if role == "service":
            service, findings = check_model(doc, Service)
            if findings:
                raise KokomError(findings)
            assert service is not None  # no findings: the model was built
            if kind is None or service.kind is kind:
                _add_service(out, service, path, doc)
            return
        loaded = check_document(doc, workspace, corpus, within=within)
        if kind is None or loaded.service.kind is kind:
            out.assessments.append(loaded)
            if each is not None:
                each(loaded)
    except KokomError as exc:
        out.failed[display] = exc.findings
    except (OSError, ValueError, RuntimeError, RecursionError) as exc:
        out.failed[display] = [_unexpected(display, exc)]
    finally:
        if doc is not None:
            doc.forget_nodes()


def load_folder(
    folder: Path,
    workspace: Workspace,
    corpus: Corpus,
    *,
    kind: ServiceKind | None = None,
    packs: Sequence[Path] = (),
    each: Callable[[LoadedAssessment], None] | None = None,
) -> Folder:
    """Load and check every service and assessment under `folder`. KokomError only when the folder is unusable.

    `each` is called with every assessment as soon as it is loaded, while its file's node tree is at hand
    (findings about it then cost no second parse); it may see an assessment that `_claim` leaves out later.

    One bad file never stops the rest: it is kept in `failed` with its findings. Symbolic links that lead out
    of `folder` are not followed. An assessment counts for a service only when it was checked against that
    service's own file (see `_claim`); one that names another file for the same id is listed as a conflict.
    `packs` are folders unpacked from packs found in `folder` (`unpack.opened_folder`), each read as a folder of
    its own and counted with the rest.
    """
    if not folder.is_dir():
        raise KokomError(
            Finding(
                str(folder),
                0,
                0,
                Severity.error,
                "folder-missing",
                tr("mappen finnes ikke", "no such folder", "mappa finst ikkje"),
            )
        )
    corpus_errors = [f for f in corpus.findings if f.severity is Severity.error]
    if corpus_errors:
        raise KokomError(corpus_errors)
    out = Folder(folder)
    files, leaving = _received_files(folder)
    for path in leaving:
        out.failed[_link_display(path)] = [_link_finding(path)]
    for path in files:
        _load_one(out, path, workspace, corpus, kind, folder, each)
    for pack in packs:
        for path in yaml_files(pack):
            _load_one(out, path, workspace, corpus, kind, pack, each)
    for loaded in out.assessments:
        out.described.setdefault(loaded.service.id, set()).add(loaded.service_path.resolve())
    out.assessments = [loaded for loaded in out.assessments if _claim(out, loaded)]
    for service_id, paths in out.described.items():
        if len(paths) > 1:
            out.services.pop(service_id, None)
    return out


def _claim(out: Folder, loaded: LoadedAssessment) -> bool:
    """Whether `loaded` may stand for its service: no other file in the folder describes a service of that id.

    Otherwise the assessment is listed as a conflict (naming every file), never used: which file is the real
    service is the advisor's call, not the order the files happen to be read in.
    """
    service = loaded.service
    paths = out.described[service.id]
    if len(paths) == 1:
        out.services.setdefault(service.id, (service, loaded.service_path))
        return True
    names = ", ".join(sorted(display_path(p) for p in paths))
    out.failed[loaded.doc.display] = [
        loaded.doc.finding(
            ("service",),
            "service-conflict",
            tr(
                f"tjenesten '{service.id}' er beskrevet i flere filer ({names}); vurderingen er utelatt fra "
                "oversikten til bare én fil beskriver den",
                f"the service '{service.id}' is described in several files ({names}); the assessment is left out "
                "of the overview until only one file describes it",
                f"tenesta '{service.id}' er skildra i fleire filer ({names}); vurderinga er halden utanfor "
                "oversikta til berre éi fil skildrar henne",
            ),
        )
    ]
    return False


def _add_service(out: Folder, service: Service, path: Path, doc) -> None:
    out.described.setdefault(service.id, set()).add(path.resolve())
    known = out.services.get(service.id)
    if known is not None and known[1].resolve() != path.resolve():
        out.warnings.append(
            doc.finding(
                ("id",),
                "service-duplicate",
                tr(
                    f"tjenesten '{service.id}' er også beskrevet i {display_path(known[1])}; den første brukes",
                    f"the service '{service.id}' is also described in {display_path(known[1])}; the first one is used",
                    f"tenesta '{service.id}' er òg skildra i {display_path(known[1])}; den første blir brukt",
                ),
                severity=Severity.warning,
            )
        )
        return
    out.services[service.id] = (service, path)
