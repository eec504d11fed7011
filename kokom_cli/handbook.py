"""What the handbook templates are given: the requirement book arranged for reading.

`handbook_context(workspace, corpus, trace=None)` returns the context of
`handbook.html.j2`: title, edition, date, chapters with their requirements,
the index of requirements by service kind and, when procedures exist, the
traceability appendix (requirement id -> procedures that fulfil it).
"""

from __future__ import annotations

import datetime as dt
import os
from typing import TYPE_CHECKING

from kokom_cli.findings import KokomError, has_errors
from kokom_cli.models import ServiceKind

if TYPE_CHECKING:
    from kokom_cli.corpus import Corpus
    from kokom_cli.workspace import Workspace


def publication_date(workspace: Workspace) -> dt.date:
    """The release date of the edition if it is released, else today (or SOURCE_DATE_EPOCH, for reproducible builds)."""
    for released in workspace.config.released:
        if released.version == workspace.config.edition:
            return released.date
    epoch = os.environ.get("SOURCE_DATE_EPOCH")
    if epoch and epoch.isdigit():
        return dt.datetime.fromtimestamp(int(epoch), dt.timezone.utc).date()
    return dt.date.today()


def book_meta(workspace: Workspace) -> dict:
    """Title, edition and date shared by every book and report of a workspace."""
    config = workspace.config
    return {"title": config.title, "edition": config.edition, "date": publication_date(workspace)}


def handbook_context(workspace: Workspace, corpus: Corpus, trace: dict[str, list] | None = None) -> dict:
    """The context of handbook.html.j2. Raises KokomError when the requirements cannot be read."""
    if has_errors(corpus.findings):
        raise KokomError([f for f in corpus.findings if f.severity.value == "error"])
    chapters = []
    for chapter in corpus.chapters:
        chapters.append({"slug": chapter.chapter, "title": chapter.title, "intro": chapter.intro,
                         "requirements": list(chapter.requirements)})
    by_kind = {kind.value: [] for kind in ServiceKind}
    for chapter in chapters:
        for req in chapter["requirements"]:
            for kind in req.applies_to:
                by_kind[kind.value].append(req)
    return {
        **book_meta(workspace),
        "chapters": chapters,
        "by_kind": {kind: reqs for kind, reqs in by_kind.items() if reqs},
        "known_ids": set(corpus.requirements),
        "trace": trace,
    }
