"""What the book templates are given: the requirements and procedure books arranged for reading.

`handbook_context(workspace, corpus, trace=None)` returns the context of
`handbook.html.j2`: title, edition, date, chapters with their requirements,
the index of requirements by service kind and, when procedures exist, the
traceability appendix (requirement id -> procedures that fulfil it, from
`trace_for_handbook`). `procedure_book_context(workspace, library, corpus,
book_id)` returns the context of `procedures.html.j2`: one book's chapters
with its procedures and dispatch cards (a local book shows the national book
it extends, with its own copies in place of the national ones).
"""

from __future__ import annotations

import datetime as dt
import os
from typing import TYPE_CHECKING, Any

from kokom_cli.core.findings import Finding, KokomError, Severity, has_errors
from kokom_cli.core.i18n import tr
from kokom_cli.core.suggest import did_you_mean
from kokom_cli.requirements.models import Requirement, ServiceKind

if TYPE_CHECKING:
    from kokom_cli.procedures.books import Library
    from kokom_cli.requirements.corpus import Corpus
    from kokom_cli.workspace import Workspace


def publication_date(workspace: Workspace) -> dt.date:
    """The release date of the edition if it is released, else today (or SOURCE_DATE_EPOCH, for reproducible builds)."""
    for released in workspace.config.released:
        if released.version == workspace.config.edition:
            return released.date
    epoch = os.environ.get("SOURCE_DATE_EPOCH")
    if epoch and epoch.isdigit():
        return dt.datetime.fromtimestamp(int(epoch), dt.UTC).date()
    return dt.date.today()


def book_meta(workspace: Workspace) -> dict:
    """Title, edition and date shared by every book and report of a workspace."""
    config = workspace.config
    return {"title": config.title, "edition": config.edition, "date": publication_date(workspace)}


def _readable(findings: list[Finding]) -> None:
    """Books are published from valid files only: load errors stop the render (exit 2)."""
    if has_errors(findings):
        raise KokomError(sorted(f for f in findings if f.severity is Severity.error))


def trace_for_handbook(corpus: Corpus, library: Library) -> dict[str, list] | None:
    """Requirement id -> the procedures (ProcedureRef) that fulfil it; None when there are no procedures."""
    from kokom_cli.procedures.trace import trace_matrix

    _readable(library.findings)  # an incomplete appendix would be wrong: broken procedure files stop the render
    if not library.entries():
        return None
    return {row.requirement_id: row.procedures for row in trace_matrix(corpus, library).rows}


def handbook_context(workspace: Workspace, corpus: Corpus, trace: dict[str, list] | None = None) -> dict:
    """The context of handbook.html.j2. Raises KokomError when the requirements cannot be read."""
    _readable(corpus.findings)
    chapters: list[dict[str, Any]] = []
    for chapter in corpus.chapters:
        chapters.append(
            {
                "slug": chapter.chapter,
                "title": chapter.title,
                "intro": chapter.intro,
                "requirements": list(chapter.requirements),
            }
        )
    by_kind: dict[str, list[Requirement]] = {kind.value: [] for kind in ServiceKind}
    for entry in chapters:
        for req in entry["requirements"]:
            for kind in req.applies_to:
                by_kind[kind.value].append(req)
    return {
        **book_meta(workspace),
        "chapters": chapters,
        "by_kind": {kind: reqs for kind, reqs in by_kind.items() if reqs},
        "known_ids": set(corpus.requirements),
        "trace": trace,
    }


def procedure_book_context(workspace: Workspace, library: Library, corpus: Corpus, book_id: str) -> dict:
    """The context of procedures.html.j2 for one book. KokomError for an unknown book or unreadable files."""
    _readable(library.findings)
    _readable(corpus.findings)
    loaded = library.book(book_id)
    if loaded is None:
        ids = [b.book.id for b in library.books]
        raise KokomError(
            Finding(
                "BOOK",
                0,
                0,
                Severity.error,
                "unknown-book",
                tr(
                    f"ukjent bok '{book_id}'{did_you_mean(book_id, ids)}; bøker: {', '.join(ids) or '(ingen)'}",
                    f"unknown book '{book_id}'{did_you_mean(book_id, ids)}; books: {', '.join(ids) or '(none)'}",
                    f"ukjend bok '{book_id}'{did_you_mean(book_id, ids)}; bøker: {', '.join(ids) or '(ingen)'}",
                ),
            )
        )
    base = library.book(loaded.book.extends) if loaded.book.extends else None
    own = {item.entry.id: item for item in loaded.entries}
    overlays = set(own) & {item.entry.id for item in base.entries} if base else set()
    items = [own.pop(item.entry.id, item) for item in base.entries] if base else []
    items += own.values()
    chapters = [*(base.book.chapters if base else []), *loaded.book.chapters]
    grouped = [
        {
            "slug": c.id,
            "title": c.title,
            "entries": [
                {"entry": i.entry, "local_copy": i.entry.id in overlays} for i in items if i.entry.chapter == c.id
            ],
        }
        for c in chapters
    ]
    book = loaded.book
    return {
        **book_meta(workspace),
        "title": book.title,
        "edition": book.edition,
        "book": book,
        "base_title": base.book.title if base else None,
        "chapters": [c for c in grouped if c["entries"]],
        "requirements": corpus.requirements,
    }
