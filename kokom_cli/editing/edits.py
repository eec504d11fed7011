"""The edits the commands make: set a field of a requirement or procedure, retire a requirement, add one.

Each builds an `EditSet` over the round-trip files and returns the changes;
`run_edit` validates them, and writes them under the workspace lock.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from pydantic import BaseModel
from ruamel.yaml.comments import CommentedMap, CommentedSeq
from ruamel.yaml.scalarstring import ScalarString

from kokom_cli.core.findings import Finding, KokomError
from kokom_cli.core.i18n import tr
from kokom_cli.core.locking import LOCK_NAME, workspace_lock
from kokom_cli.core.suggest import did_you_mean
from kokom_cli.editing.changes import Change, EditSet, check_edits, container, require_workspace, write_edits
from kokom_cli.editing.values import Loc, expects_text, field_type, model_fields, parse_path, parse_value, usage
from kokom_cli.workspace import Workspace
from kokom_cli.yaml.roundtrip import RoundTripFile, folded_if_long

__all__ = [
    "LOCK_NAME",
    "Change",
    "add_requirement",
    "retire_requirement",
    "run_edit",
    "set_procedure_field",
    "set_requirement_field",
]


def _error(path: str, code: str, message: str, line: int = 0, column: int = 0) -> KokomError:
    return KokomError.at(path, code, message, line, column)


def run_edit(workspace: Workspace, plan, *, dry_run: bool = False) -> tuple[list[Change], list[Finding]]:
    """Plan an edit (`plan()` returns its changes), validate it and, unless `dry_run`, write it under the lock.

    Returns the changes and the warnings the edit adds.
    """
    require_workspace(workspace)
    if dry_run:
        changes = plan()
        return changes, check_edits(workspace, changes)
    assert workspace.root is not None  # require_workspace
    with workspace_lock(workspace.root):
        changes = plan()
        warnings = check_edits(workspace, changes)
        write_edits(changes)
    return changes, warnings


def _order(model: type[BaseModel], loc: Loc) -> list[str]:
    """Field order of the model that owns the last part of `loc`, for placing a new key."""
    owner = field_type(model, loc[:-1]) if loc[:-1] else model
    return list(model_fields(owner)) if isinstance(owner, type) and issubclass(owner, BaseModel) else []


def _set_field(
    edits: EditSet,
    path: Path,
    base: Loc,
    model: type[BaseModel],
    file_model: type[BaseModel],
    field_text: str,
    value_text: str,
    kind: str,
) -> None:
    loc = parse_path(field_text)
    if loc[0] in ("id", "kind"):
        raise usage(
            tr(
                f"'{loc[0]}' kan ikke endres: id-er er faste; lag et nytt {kind} som erstatter dette",
                f"'{loc[0]}' cannot be changed: ids are permanent; create a new {kind} that replaces this one",
                f"'{loc[0]}' kan ikkje endrast: id-ar er faste; lag eit nytt {kind} som erstattar dette",
            )
        )
    value = parse_value(value_text, expects_text(field_type(model, loc)))
    file = edits.open(path, file_model)
    edits.set(file, base + loc, value, order=_order(model, loc))


def _located(workspace: Workspace, requirement_id: str):
    from kokom_cli.requirements.corpus import workspace_corpus

    corpus = workspace_corpus(workspace)
    corpus.get(requirement_id)  # unknown id: KokomError with "did you mean"
    item = next(item for item in corpus.located if item.requirement.id == requirement_id)
    if item.national:
        raise _error(
            item.doc.display,
            "national-readonly",
            tr(
                f"{requirement_id} er et nasjonalt krav i utgaven dette lokale arbeidsområdet bygger på, og kan ikke "
                "endres her; endringer i nasjonal tekst gjøres av nasjonal redaksjon",
                f"{requirement_id} is a national requirement of the edition this local workspace builds on and "
                "cannot be changed here; national text is changed by the national editors",
                f"{requirement_id} er eit nasjonalt krav i utgåva dette lokale arbeidsområdet byggjer på, og kan ikkje "
                "endrast her; endringar i nasjonal tekst blir gjorde av nasjonal redaksjon",
            ),
        )
    return corpus, item


def set_requirement_field(workspace: Workspace, requirement_id: str, field_text: str, value_text: str) -> list[Change]:
    """The change that sets FIELD (a dotted path, e.g. `metric.threshold_seconds`) of a requirement."""
    from kokom_cli.requirements.models import Chapter, Requirement

    _, item = _located(workspace, requirement_id)
    edits = EditSet()
    _set_field(
        edits, item.doc.path, item.loc, Requirement, Chapter, field_text, value_text, tr("krav", "requirement", "krav")
    )
    return edits.changes()


def set_procedure_field(workspace: Workspace, procedure_id: str, field_text: str, value_text: str) -> list[Change]:
    """The change that sets FIELD of a procedure or dispatch card in a book of the workspace."""
    from kokom_cli.procedures.books import load_books

    library = load_books(workspace)
    item = library.get(procedure_id)
    book = library.book(item.book_id)
    if book is None or book.builtin:
        raise _error(
            item.doc.display,
            "edit-builtin",
            tr(
                f"{procedure_id} står i den innebygde nasjonale boken '{item.book_id}' og kan ikke redigeres her; "
                "kopier prosedyren inn i den lokale boken for å endre den",
                f"{procedure_id} is in the built-in national book '{item.book_id}' and cannot be edited here; "
                "copy the procedure into the local book to change it",
                f"{procedure_id} står i den innebygde nasjonale boka '{item.book_id}' og kan ikkje redigerast her; "
                "kopier prosedyren inn i den lokale boka for å endre han",
            ),
        )
    edits = EditSet()
    _set_field(
        edits,
        item.doc.path,
        (),
        type(item.entry),
        type(item.entry),
        field_text,
        value_text,
        tr("dokument", "document", "dokument"),
    )
    return edits.changes()


def retire_requirement(workspace: Workspace, requirement_id: str, replaced_by: str | None = None) -> list[Change]:
    """Set `status: retired`; with `replaced_by`, add the id to that requirement's `replaces`."""
    from kokom_cli.requirements.models import Chapter, Requirement, Status

    _, old = _located(workspace, requirement_id)
    order = list(model_fields(Requirement))
    edits = EditSet()
    if replaced_by == requirement_id:
        raise usage(
            tr(
                "et krav kan ikke erstatte seg selv",
                "a requirement cannot replace itself",
                "eit krav kan ikkje erstatte seg sjølv",
            )
        )
    new = _located(workspace, replaced_by)[1] if replaced_by else None
    done = old.requirement.status is Status.retired and (new is None or requirement_id in new.requirement.replaces)
    if done:
        raise usage(
            tr(
                f"{requirement_id} er allerede utgått",
                f"{requirement_id} is already retired",
                f"{requirement_id} er allereie utgått",
            )
        )
    edits.set(edits.open(old.doc.path, Chapter), (*old.loc, "status"), "retired", order)
    if new is not None and requirement_id not in new.requirement.replaces:
        file = edits.open(new.doc.path, Chapter)
        written = container(file.data, new.loc, file.display).get("replaces")
        replaces = CommentedSeq([*(written or []), requirement_id])
        if written is None or written.fa.flow_style():
            replaces.fa.set_flow_style()
        edits.set(file, (*new.loc, "replaces"), replaces, order)
    return edits.changes()


def _spaced(file: RoundTripFile, seq: CommentedSeq) -> bool:
    """True when the items of `seq` are separated by blank lines in the file."""
    lines = file.raw.decode("utf-8", "replace").splitlines()
    gaps = [not lines[seq.lc.item(i)[0] - 1].strip() for i in range(1, len(seq)) if seq.lc.item(i)[0] >= 1]
    return sum(gaps) * 2 > len(gaps)


_FLOW_LISTS = {"applies_to", "links", "replaces", "lines", "lines_any"}
_LONG_TEXTS = {"text", "rationale", "note", "description"}


def styled_new(key: str, value: Any) -> Any:
    """A value for a new requirement, written the way the national chapters write it."""
    if isinstance(value, (CommentedMap, CommentedSeq, ScalarString)):
        return value
    if isinstance(value, dict):
        out = CommentedMap()
        for k, v in value.items():
            if v is not None:
                out[k] = styled_new(k, v)
        return out
    if isinstance(value, list):
        seq = CommentedSeq(styled_new(key, v) for v in value)
        if key in _FLOW_LISTS:
            seq.fa.set_flow_style()
        return seq
    if key in ("since", "edition") and isinstance(value, str):
        from ruamel.yaml.scalarstring import DoubleQuotedScalarString

        return DoubleQuotedScalarString(value)
    if key in _LONG_TEXTS and isinstance(value, str):
        return folded_if_long(value)
    return value


def chapter_files(workspace: Workspace) -> dict[str, Path]:
    """Chapter slug -> file, for the chapters that load."""
    from kokom_cli.requirements.corpus import workspace_corpus

    return {
        item.chapter.chapter: item.doc.path
        for item in workspace_corpus(workspace).located
        if item.chapter is not None and not item.national
    }


def add_requirement(workspace: Workspace, chapter: str | None, values: dict[str, Any]) -> list[Change]:
    """The change that appends a requirement (`values`, by YAML field name) to a chapter.

    `chapter` is a chapter slug or file name; it may be left out when there is one chapter.
    """
    from kokom_cli.requirements.models import Chapter, Requirement

    files = chapter_files(workspace)
    if chapter is None and len(files) == 1:
        chapter = next(iter(files))
    path = files.get(chapter or "") or next((p for p in files.values() if chapter in (p.name, p.stem)), None)
    if path is None:
        raise usage(
            tr(
                f"ukjent kapittel '{chapter or ''}'{did_you_mean(chapter or '', files)}; velg med --chapter "
                f"en av: {', '.join(files)}",
                f"unknown chapter '{chapter or ''}'{did_you_mean(chapter or '', files)}; choose with "
                f"--chapter one of: {', '.join(files)}",
                f"ukjent kapittel '{chapter or ''}'{did_you_mean(chapter or '', files)}; vel med --chapter "
                f"eitt av: {', '.join(files)}",
            )
        )
    order = list(model_fields(Requirement))
    unknown = [k for k in values if k not in order]
    if unknown:
        field_type(Requirement, (unknown[0],))  # raises the "unknown field" error
    item = CommentedMap()
    for key in order:
        if values.get(key) is not None:
            item[key] = styled_new(key, values[key])
    edits = EditSet()
    file = edits.open(path, Chapter)
    seq = container(file.data, ("requirements",), file.display)
    edits.append(file, ("requirements",), item, blank_line=_spaced(file, seq))
    return edits.changes()
