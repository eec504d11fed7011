"""Gathering the follow-up items of a run: assessments from files and folders, and the workspace's procedure books."""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

from kokom_cli.assessments.folder import load_folder
from kokom_cli.assessments.loading import LoadedAssessment, load_assessment
from kokom_cli.core.findings import Finding, KokomError
from kokom_cli.followup.due import DueItem, assessment_items, date_problems, review_items
from kokom_cli.requirements.corpus import Corpus
from kokom_cli.workspace import Workspace


@dataclass
class Gathered:
    """Every item found, the names of the services they belong to, and the files that could not be read."""

    items: list[DueItem] = field(default_factory=list)
    names: dict[str, str] = field(default_factory=dict)  # service id -> name
    problems: list[Finding] = field(default_factory=list)


def gather(paths: list[Path], workspace: Workspace, corpus: Corpus) -> Gathered:
    """Items from each path (an assessment file or a folder of services), else from the workspace itself.

    With no paths: the workspace's folder (its services and assessments) and
    the reviews of its procedure books; the built-in corpus has only reviews.
    One file that cannot be read is listed in `problems`; the rest still count.
    """
    from kokom_cli.procedures.books import load_books

    out = Gathered()
    if not paths:
        library = load_books(workspace)
        out.problems += library.findings
        out.items += review_items(library)
        paths = [workspace.root] if workspace.root is not None else []
    dated: dict[int, tuple[LoadedAssessment, list[Finding]]] = {}

    def note_dates(loaded: LoadedAssessment) -> None:  # while the file's positions are at hand
        dated[id(loaded)] = (loaded, date_problems(loaded))

    for path in paths:
        if path.is_dir():
            folder = load_folder(path, workspace, corpus, each=note_dates)
            out.problems += folder.findings
            loaded_list = folder.assessments
        else:
            try:
                loaded_list = [load_assessment(path, workspace, corpus)]
            except KokomError as exc:
                if not path.exists():
                    raise
                out.problems += exc.findings
                continue
        for loaded in loaded_list:
            out.names[loaded.service.id] = loaded.service.name
            out.items += assessment_items(loaded)
            noted = dated.get(id(loaded))
            out.problems += noted[1] if noted is not None else date_problems(loaded)
    return out
