"""Loading procedure books into typed objects, keeping where each procedure is written.

Layout: `procedures/<folder>/book.yaml` plus one YAML file per procedure or
dispatch card in the same folder. A local workspace's book may `extends:` a
national book; when the workspace does not hold that book itself, the
built-in national book of that id is loaded beside it (marked `builtin`), so
the guardrail checks and the traceability see the national text.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

from kokom_cli.core.findings import Finding, KokomError, Severity, display_path
from kokom_cli.core.i18n import tr
from kokom_cli.core.suggest import did_you_mean
from kokom_cli.procedures.models import Book, DispatchCard, Entry, Procedure
from kokom_cli.yaml.document import YamlDocument
from kokom_cli.yaml.reader import load_yaml
from kokom_cli.yaml.schema_check import check_model

BOOK_FILE = "book.yaml"
_ENTRY_MODELS: dict[str, type[Procedure] | type[DispatchCard]] = {
    "procedure": Procedure,
    "dispatch_card": DispatchCard,
}


@dataclass(frozen=True)
class LocatedEntry:
    """A procedure or dispatch card, the book it belongs to, and the file it is written in."""

    entry: Entry
    book_id: str
    doc: YamlDocument

    def finding(self, loc: tuple, code: str, message: str, **kwargs) -> Finding:
        return self.doc.finding(loc, code, message, **kwargs)


@dataclass
class LoadedBook:
    """One book: its metadata, where it lives, and its valid entries in chapter order."""

    book: Book
    doc: YamlDocument
    folder: Path
    entries: list[LocatedEntry] = field(default_factory=list)
    builtin: bool = False  # a national book loaded from the built-in corpus as the base of a local book

    def chapter_title(self, chapter_id: str) -> str | None:
        return next((c.title for c in self.book.chapters if c.id == chapter_id), None)


@dataclass
class Library:
    """Every book of a workspace, with load findings (unreadable or invalid files)."""

    books: list[LoadedBook] = field(default_factory=list)
    findings: list[Finding] = field(default_factory=list)

    def book(self, book_id: str) -> LoadedBook | None:
        return next((b for b in self.books if b.book.id == book_id), None)

    def entries(self) -> list[LocatedEntry]:
        """All entries of all books, book by book, each in chapter order (local overlays included)."""
        return [e for b in self.books for e in b.entries]

    def is_overlay(self, item: LocatedEntry) -> bool:
        """True for a local book's copy of an entry of the national book it extends."""
        book = self.book(item.book_id)
        base = self.book(book.book.extends) if book and book.book.extends else None
        return base is not None and any(e.entry.id == item.entry.id for e in base.entries)

    def effective(self) -> dict[str, LocatedEntry]:
        """Entries by id as they apply: a local overlay replaces the national entry it copies.

        Where an id is (wrongly) used twice otherwise, the first wins.
        """
        out: dict[str, LocatedEntry] = {}
        for item in self.entries():
            if item.entry.id not in out or self.is_overlay(item):
                out[item.entry.id] = item
        return out

    def get(self, entry_id: str) -> LocatedEntry:
        """An entry by id, or KokomError with a "did you mean" for an unknown id."""
        known = self.effective()
        if entry_id not in known:
            raise KokomError(
                Finding(
                    "(command line)",
                    0,
                    0,
                    Severity.error,
                    "unknown-procedure",
                    tr(
                        f"ukjent prosedyre-id '{entry_id}'{did_you_mean(entry_id, known)}",
                        f"unknown procedure id '{entry_id}'{did_you_mean(entry_id, known)}",
                        f"ukjend prosedyre-id '{entry_id}'{did_you_mean(entry_id, known)}",
                    ),
                )
            )
        return known[entry_id]


def load_books(workspace) -> Library:
    """Every procedure book of `workspace` (a `kokom_cli.workspace.Workspace`).

    Broken files become findings in `Library.findings`; valid entries are kept.
    A workspace book that `extends` a book it does not hold gets the built-in
    national book of that id loaded beside it (`LoadedBook.builtin` is True);
    findings inside built-in books are not reported for a local workspace.
    A missing procedures folder is an empty library (a finding only when
    kokom.yaml names a folder other than the default).
    """
    from kokom_cli.workspace import builtin_dir

    folder = workspace.procedures_dir
    library = Library()
    national = getattr(workspace, "national", None)
    if national is not None:  # a local workspace sees every book of its national edition
        if folder.is_dir():
            _load_folder(folder, library)
        base = Library()
        if national.procedures_dir.is_dir():
            _load_folder(national.procedures_dir, base)
        for book in base.books:
            book.builtin = True
        library.books = base.books + library.books
        library.findings += base.findings
        return library
    if not folder.is_dir():
        if workspace.config.procedures != "procedures":
            library.findings.append(
                Finding(
                    display_path(folder),
                    0,
                    0,
                    Severity.error,
                    "folder-missing",
                    tr(
                        "prosedyremappen finnes ikke; sjekk `procedures:` i kokom.yaml",
                        "the procedures folder does not exist; check `procedures:` in kokom.yaml",
                        "prosedyremappa finst ikkje; sjekk `procedures:` i kokom.yaml",
                    ),
                )
            )
        return library
    _load_folder(folder, library)
    builtin_folder = builtin_dir("procedures")
    wanted = {b.book.extends for b in library.books if b.book.extends} - {b.book.id for b in library.books}
    if wanted and builtin_folder.is_dir() and builtin_folder.resolve() != folder.resolve():
        national = Library()
        _load_folder(builtin_folder, national)
        for book in national.books:
            if book.book.id in wanted:
                book.builtin = True
                library.books.append(book)
    return library


def _load_folder(folder: Path, library: Library) -> None:
    for book_folder in sorted(p for p in folder.iterdir() if p.is_dir() and not p.name.startswith(".")):
        book = _load_book(book_folder, library.findings)
        if book is not None:
            library.books.append(book)


def _yaml_files(folder: Path) -> list[Path]:
    return sorted(p for p in folder.iterdir() if p.suffix in {".yaml", ".yml"} and p.is_file() and p.name != BOOK_FILE)


def _load_book(folder: Path, findings: list[Finding]) -> LoadedBook | None:
    path = folder / BOOK_FILE
    if not path.is_file():
        findings.append(
            Finding(
                display_path(folder),
                0,
                0,
                Severity.error,
                "book-missing",
                tr(
                    f"mappen har ingen {BOOK_FILE}; legg til en med id, title, owner, applies_to, edition og chapters",
                    f"the folder has no {BOOK_FILE}; add one with id, title, owner, applies_to, edition and chapters",
                    f"mappa har ingen {BOOK_FILE}; legg til ei med id, title, owner, applies_to, edition og chapters",
                ),
            )
        )
        return None
    try:
        doc = load_yaml(path, display_path(path))
    except KokomError as exc:
        findings.extend(exc.findings)
        return None
    book, book_findings = check_model(doc, Book)
    findings.extend(book_findings)
    if book is None:
        return None
    loaded = LoadedBook(book=book, doc=doc, folder=folder)
    for entry_path in _yaml_files(folder):
        item = _load_entry(entry_path, book.id, findings)
        if item is not None:
            loaded.entries.append(item)
    order = {c.id: i for i, c in enumerate(book.chapters)}
    loaded.entries.sort(key=lambda e: order.get(e.entry.chapter, len(order)))
    return loaded


def _load_entry(path: Path, book_id: str, findings: list[Finding]) -> LocatedEntry | None:
    try:
        doc = load_yaml(path, display_path(path))
    except KokomError as exc:
        findings.extend(exc.findings)
        return None
    data = doc.data
    if not isinstance(data, dict):
        findings.append(
            doc.finding(
                (),
                "schema-type",
                tr(
                    "en prosedyrefil må være en mapping (nøkkel: verdi) med id, title, chapter, ...",
                    "a procedure file must be a mapping (key: value) with id, title, chapter, ...",
                    "ei prosedyrefil må vere ein mapping (nøkkel: verdi) med id, title, chapter, ...",
                ),
            )
        )
        return None
    kind = data.get("kind", "procedure")
    model = _ENTRY_MODELS.get(kind) if isinstance(kind, str) else None
    if model is None:
        findings.append(
            doc.finding(
                ("kind",),
                "entry-kind",
                tr(
                    f"ukjent kind '{kind}'{did_you_mean(str(kind), _ENTRY_MODELS)}; "
                    f"tillatt: {', '.join(_ENTRY_MODELS)}",
                    f"unknown kind '{kind}'{did_you_mean(str(kind), _ENTRY_MODELS)}; "
                    f"allowed: {', '.join(_ENTRY_MODELS)}",
                    f"ukjend kind '{kind}'{did_you_mean(str(kind), _ENTRY_MODELS)}; "
                    f"tillate: {', '.join(_ENTRY_MODELS)}",
                ),
            )
        )
        return None
    entry, entry_findings = check_model(doc, model)
    findings.extend(entry_findings)
    return None if entry is None else LocatedEntry(entry=entry, book_id=book_id, doc=doc)
