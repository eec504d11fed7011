"""Loading the requirement chapters of a workspace into typed objects, keeping where each came from."""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

from pydantic import ValidationError

from kokom_cli.core.findings import Finding, KokomError, Severity, display_path
from kokom_cli.core.i18n import tr
from kokom_cli.core.suggest import did_you_mean
from kokom_cli.requirements.models import Chapter, Requirement
from kokom_cli.yaml.document import YamlDocument
from kokom_cli.yaml.reader import load_yaml
from kokom_cli.yaml.schema_check import check_model


@dataclass(frozen=True)
class Located:
    """A requirement and where it is written (file and position in the file's data)."""

    requirement: Requirement
    doc: YamlDocument
    loc: tuple
    chapter: Chapter | None
    national: bool = False  # in a local workspace: part of the national edition it builds on (read-only)

    def finding(self, code: str, message: str, *, field_name: str | None = None, **kwargs) -> Finding:
        loc = self.loc + ((field_name,) if field_name else ())
        return self.doc.finding(loc, code, message, **kwargs)


@dataclass
class Corpus:
    """All requirements of a workspace, in chapter order, with load findings."""

    chapters: list[Chapter] = field(default_factory=list)
    located: list[Located] = field(default_factory=list)
    findings: list[Finding] = field(default_factory=list)
    unreadable: list[str] = field(default_factory=list)  # chapter files that could not be read at all

    @property
    def requirements(self) -> dict[str, Requirement]:
        """Requirements by id; the first wins where an id is (wrongly) used twice."""
        out: dict[str, Requirement] = {}
        for item in self.located:
            out.setdefault(item.requirement.id, item.requirement)
        return out

    def chapter_of(self, requirement_id: str) -> Chapter | None:
        return next((i.chapter for i in self.located if i.requirement.id == requirement_id), None)

    def get(self, requirement_id: str) -> Requirement:
        """A requirement by id, or KokomError with a "did you mean" for an unknown id."""
        found = self.requirements.get(requirement_id)
        if found is None:
            raise KokomError(unknown_id_finding("(command line)", 0, 0, requirement_id, self.requirements))
        return found


UNKNOWN_ID_CODES = {"unknown-link", "unknown-replaces", "unknown-requirement"}


def collapse_unchecked(corpus: Corpus, findings: list[Finding]) -> list[Finding]:
    """With a chapter file unreadable, unknown-id findings may only be its ids: one line instead of many."""
    if not corpus.unreadable:
        return findings
    unknown = [f for f in findings if f.code in UNKNOWN_ID_CODES]
    if not unknown:
        return findings
    files = ", ".join(corpus.unreadable)
    summary = Finding(
        corpus.unreadable[0],
        0,
        0,
        Severity.warning,
        "refs-unchecked",
        tr(
            f"{len(unknown)} henvisninger til krav-id-er i {len({f.path for f in unknown})} filer kunne "
            f"ikke kontrolleres fordi {files} ikke kan leses; rett feilen i den filen først",
            f"{len(unknown)} references to requirement ids in {len({f.path for f in unknown})} files could not be "
            f"checked because {files} cannot be read; fix that file first",
            f"{len(unknown)} tilvisingar til krav-id-ar i {len({f.path for f in unknown})} filer kunne "
            f"ikkje kontrollerast fordi {files} ikkje kan lesast; rett feilen i den fila først",
        ),
    )
    return [f for f in findings if f.code not in UNKNOWN_ID_CODES] + [summary]


def unknown_id_finding(path: str, line: int, column: int, wanted: str, known, code: str = "unknown-id") -> Finding:
    hint = did_you_mean(wanted, known)
    return Finding(
        path,
        line,
        column,
        Severity.error,
        code,
        tr(
            f"ukjent krav-id '{wanted}'{hint}",
            f"unknown requirement id '{wanted}'{hint}",
            f"ukjend krav-id '{wanted}'{hint}",
        ),
    )


def chapter_files(folder: Path) -> list[Path]:
    return sorted(p for p in folder.iterdir() if p.suffix in {".yaml", ".yml"} and p.is_file())


def workspace_corpus(workspace) -> Corpus:
    """The requirements a workspace (`kokom_cli.workspace.Workspace`) sees.

    A local workspace sees its national edition's requirements first (marked
    `national`), then its own; its own requirements folder may be absent.
    """
    national = workspace.national
    if national is None:
        return load_corpus(workspace.requirements_dir)
    corpus = load_corpus(national.requirements_dir)
    corpus.located = [Located(i.requirement, i.doc, i.loc, i.chapter, national=True) for i in corpus.located]
    if workspace.requirements_dir.is_dir():
        own = load_corpus(workspace.requirements_dir)
        corpus.chapters += own.chapters
        corpus.located += own.located
        corpus.findings += own.findings
    return corpus


def load_corpus(folder: Path) -> Corpus:
    """Every chapter file in `folder`. Broken files become findings; valid requirements are kept."""
    corpus = Corpus()
    if not folder.is_dir():
        corpus.findings.append(
            Finding(
                display_path(folder),
                0,
                0,
                Severity.error,
                "folder-missing",
                tr(
                    "kravmappen finnes ikke; sjekk `requirements:` i kokom.yaml",
                    "the requirements folder does not exist; check `requirements:` in kokom.yaml",
                    "kravmappa finst ikkje; sjekk `requirements:` i kokom.yaml",
                ),
            )
        )
        return corpus
    loaded: list[tuple[Chapter | None, YamlDocument, list[tuple[Requirement, tuple]]]] = []
    for path in chapter_files(folder):
        try:
            doc = load_yaml(path, display_path(path))
        except KokomError as exc:
            corpus.findings.extend(exc.findings)
            corpus.unreadable.append(display_path(path))
            continue
        chapter, findings = check_model(doc, Chapter)
        corpus.findings.extend(findings)
        if chapter is not None:
            items = [(r, ("requirements", i)) for i, r in enumerate(chapter.requirements)]
        else:
            items = _salvage(doc)
        loaded.append((chapter, doc, items))
    loaded.sort(key=lambda entry: (entry[0].order if entry[0] else 10**6, entry[1].display))
    for chapter, doc, items in loaded:
        if chapter is not None:
            corpus.chapters.append(chapter)
        corpus.located.extend(Located(r, doc, loc, chapter) for r, loc in items)
    return corpus


def _salvage(doc: YamlDocument) -> list[tuple[Requirement, tuple]]:
    """The valid requirements of a chapter that failed as a whole, so cross-checks still see them."""
    data = doc.data
    if not isinstance(data, dict) or not isinstance(data.get("requirements"), list):
        return []
    out = []
    for index, raw in enumerate(data["requirements"]):
        try:
            out.append((Requirement.model_validate(raw), ("requirements", index)))
        except ValidationError:  # already reported by the chapter check
            continue
    return out
