"""What changed between two editions, classed by its effect on compliance.

An edition is a workspace folder or a git revision of the current repository
(`open_edition`). `diff_editions` compares their requirements and procedures:
added, removed, renamed (a new requirement whose `replaces` names one that is
retired or gone) and changed field by field. Every change has a class:

- tightening: bør → skal; a stricter threshold (fewer seconds, a higher
  share, more lines measured); wider applicability (more kinds of service,
  looser conditions); a stronger verification; more or fresher evidence; a
  new requirement (skal or bør); a retired requirement brought back;
- relaxing: the opposite, and a removed or retired requirement;
- editorial: wording, sources, links and other text only.

A change that only touches wording is editorial unless the new edition's
`change_note` (new or changed since the old edition) states another class:
that is how an editor marks a substantive change of text.

Procedures are compared the same way: a new one tightens, a removed one
relaxes; more steps, duties, criteria or key questions tighten, fewer relax; a
shorter review interval tightens; the rest is editorial unless the
procedure's own `change_note` states another class.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from kokom_cli.core.findings import Finding
from kokom_cli.core.i18n import tr
from kokom_cli.editions.rules import EDITORIAL, RELAXING, TIGHTENING, overall, procedure_field, requirement_field
from kokom_cli.requirements.models import ChangeClass, Requirement, Status
from kokom_cli.workspace import Workspace

__all__ = [
    "EDITORIAL",
    "RELAXING",
    "TIGHTENING",
    "EditionDiff",
    "FieldChange",
    "ItemChange",
    "class_label",
    "diff_editions",
]


@dataclass(frozen=True)
class FieldChange:
    field: str
    old: Any
    new: Any
    change_class: ChangeClass
    reason: str

    def as_json(self) -> dict:
        return {
            "field": self.field,
            "old": self.old,
            "new": self.new,
            "class": self.change_class.value,
            "reason": self.reason,
        }


@dataclass(frozen=True)
class ItemChange:
    """One requirement or procedure that was added, removed, renamed or changed."""

    kind: str  # "requirement" | "procedure"
    id: str
    title: str
    change_class: ChangeClass
    reason: str
    fields: list[FieldChange] = field(default_factory=list)
    replaces: str | None = None  # for a rename: the old id
    level: str | None = None
    stated: bool = False  # the class comes from the editor's change_note

    def as_json(self) -> dict:
        data: dict[str, Any] = {
            "kind": self.kind,
            "id": self.id,
            "title": self.title,
            "class": self.change_class.value,
            "reason": self.reason,
        }
        if self.level:
            data["level"] = self.level
        if self.replaces:
            data["replaces"] = self.replaces
        if self.fields:
            data["fields"] = [f.as_json() for f in self.fields]
        if self.stated:
            data["stated"] = True
        return data


@dataclass
class EditionDiff:
    old: str
    new: str
    added: list[ItemChange] = field(default_factory=list)
    removed: list[ItemChange] = field(default_factory=list)
    changed: list[ItemChange] = field(default_factory=list)
    renamed: list[ItemChange] = field(default_factory=list)
    findings: list[Finding] = field(default_factory=list)  # problems loading either edition

    def items(self) -> list[ItemChange]:
        return [*self.added, *self.removed, *self.renamed, *self.changed]

    def by_id(self, kind: str = "requirement") -> dict[str, ItemChange]:
        """Each changed id of `kind` (the new id of a rename, the id of a removal) -> its change."""
        return {item.id: item for item in self.items() if item.kind == kind}

    def summary(self) -> dict[str, int]:
        out = {c.value: 0 for c in ChangeClass}
        for item in self.items():
            out[item.change_class.value] += 1
        return out

    def as_json(self) -> dict:
        return {
            "old": self.old,
            "new": self.new,
            "added": [i.as_json() for i in self.added],
            "removed": [i.as_json() for i in self.removed],
            "changed": [i.as_json() for i in self.changed],
            "renamed": [i.as_json() for i in self.renamed],
            "summary": self.summary(),
        }


def class_label(change_class: ChangeClass) -> str:
    return {
        TIGHTENING: tr("skjerping", "tightening", "skjerping"),
        RELAXING: tr("lemping", "relaxing", "lemping"),
        EDITORIAL: tr("redaksjonell", "editorial", "redaksjonell"),
    }[change_class]


# --- comparing ---------------------------------------------------------------------------------


def _flatten(data: dict, prefix: str = "") -> dict[str, Any]:
    """Nested mappings as dotted paths; lists and scalars are leaves."""
    out: dict[str, Any] = {}
    for key, value in data.items():
        path = f"{prefix}{key}"
        if isinstance(value, dict) and value:
            out |= _flatten(value, path + ".")
        else:
            out[path] = value
    return out


def _field_changes(old: dict, new: dict, rule, skip: set[str]) -> list[FieldChange]:
    out: list[FieldChange] = []
    old_flat, new_flat = _flatten(old), _flatten(new)
    for path in dict.fromkeys([*old_flat, *new_flat]):
        if path.split(".")[0] in skip:
            continue
        before, after = old_flat.get(path), new_flat.get(path)
        if before == after or (before in (None, [], {}) and after in (None, [], {})):
            continue
        top = path.split(".")[0]
        if top in old and top in new and (old[top] is None or new[top] is None):
            path = top  # a whole mapping added or removed: one change, not one per sub-field
            before, after = old[top], new[top]
            if any(f.field == path for f in out):
                continue
        change_class, reason = rule(path, before, after)
        out.append(FieldChange(path, before, after, change_class, reason))
    return out


def _dump(model) -> dict:
    return model.model_dump(mode="json", by_alias=True)


def _compare(old, new, rule, skip: set[str]) -> tuple[list[FieldChange], ChangeClass, bool]:
    """The field changes of a requirement or procedure and their class; the class its new `change_note` states
    when the fields alone are editorial (True: stated)."""
    fields = _field_changes(_dump(old), _dump(new), rule, skip)
    change_class = overall([f.change_class for f in fields])
    note = new.change_note
    if note is not None and note != old.change_note and change_class is EDITORIAL:
        return fields, note.change_class, True
    return fields, change_class, False


def _reason(fields: list[FieldChange], change_class: ChangeClass, stated_text: str | None) -> str:
    if stated_text:
        return stated_text
    return "; ".join(dict.fromkeys(f.reason for f in fields if f.change_class is change_class))


def _renames(old: dict[str, Requirement], new: dict[str, Requirement], out: EditionDiff) -> tuple[set[str], set[str]]:
    """Renamed requirements: a new one whose `replaces` names one that is retired or gone. (old ids, new ids)"""
    renamed_old: set[str] = set()
    renamed_new: set[str] = set()
    for req in new.values():
        for gone in req.replaces:
            before = old.get(gone)
            if before is None or before.status is Status.retired:
                continue
            still = new.get(gone)
            known = old.get(req.id)
            if (still is None or still.status is Status.retired) and (known is None or gone not in known.replaces):
                fields, change_class, stated = _compare(
                    before, req, requirement_field, {"id", "replaces", "status", "since"}
                )
                note = req.change_note.text if stated and req.change_note else None
                out.renamed.append(
                    ItemChange(
                        "requirement",
                        req.id,
                        req.title,
                        change_class,
                        _reason(fields, change_class, note),
                        fields,
                        replaces=gone,
                        level=req.level.value,
                        stated=stated,
                    )
                )
                renamed_old.add(gone)
                renamed_new.add(req.id)
    return renamed_old, renamed_new


def diff_requirements(old: dict[str, Requirement], new: dict[str, Requirement], out: EditionDiff) -> None:
    renamed_old, renamed_new = _renames(old, new, out)
    for req_id, req in new.items():
        before = old.get(req_id)
        if before is None:
            if req_id in renamed_new:
                continue
            if req.status is Status.retired:
                out.added.append(
                    ItemChange(
                        "requirement",
                        req_id,
                        req.title,
                        EDITORIAL,
                        tr("lagt til som utgått", "added as retired", "lagt til som utgått"),
                        level=req.level.value,
                    )
                )
            else:
                out.added.append(
                    ItemChange(
                        "requirement",
                        req_id,
                        req.title,
                        TIGHTENING,
                        tr(
                            f"nytt {req.level.value}-krav",
                            f"new {req.level.value} requirement",
                            f"nytt {req.level.value}-krav",
                        ),
                        level=req.level.value,
                    )
                )
            continue
        if req_id in renamed_old:
            continue
        skip = {"replaces"} if req_id in renamed_new else set()
        fields, change_class, stated = _compare(before, req, requirement_field, skip)
        if fields:
            note = req.change_note.text if stated and req.change_note else None
            out.changed.append(
                ItemChange(
                    "requirement",
                    req_id,
                    req.title,
                    change_class,
                    _reason(fields, change_class, note),
                    fields,
                    level=req.level.value,
                    stated=stated,
                )
            )
    for req_id, req in old.items():
        if req_id not in new and req_id not in renamed_old and req.status is not Status.retired:
            out.removed.append(
                ItemChange(
                    "requirement",
                    req_id,
                    req.title,
                    RELAXING,
                    tr("kravet er fjernet", "the requirement is removed", "kravet er fjerna"),
                    level=req.level.value,
                )
            )


def diff_procedures(old: dict, new: dict, out: EditionDiff) -> None:
    for entry_id, entry in new.items():
        before = old.get(entry_id)
        if before is None:
            out.added.append(
                ItemChange(
                    "procedure", entry_id, entry.title, TIGHTENING, tr("ny prosedyre", "new procedure", "ny prosedyre")
                )
            )
            continue
        fields, change_class, stated = _compare(before, entry, procedure_field, set())
        if fields:
            note = entry.change_note.text if stated and entry.change_note else None
            out.changed.append(
                ItemChange(
                    "procedure",
                    entry_id,
                    entry.title,
                    change_class,
                    _reason(fields, change_class, note),
                    fields,
                    stated=stated,
                )
            )
    for entry_id, entry in old.items():
        if entry_id not in new:
            out.removed.append(
                ItemChange(
                    "procedure",
                    entry_id,
                    entry.title,
                    RELAXING,
                    tr("prosedyren er fjernet", "the procedure is removed", "prosedyren er fjerna"),
                )
            )


def _procedures_of(workspace: Workspace) -> tuple[dict, list[Finding]]:
    from kokom_cli.procedures.books import load_books

    library = load_books(workspace)
    entries: dict[str, Any] = {}
    for book in library.books:
        if not book.builtin:
            for item in book.entries:
                entries.setdefault(item.entry.id, item.entry)
    return entries, library.findings


def diff_editions(old: Workspace, new: Workspace, old_label: str = "OLD", new_label: str = "NEW") -> EditionDiff:
    """Every difference between two editions (see the module docstring for the classes)."""
    from kokom_cli.requirements.corpus import workspace_corpus

    out = EditionDiff(old=old_label, new=new_label)
    old_corpus, new_corpus = workspace_corpus(old), workspace_corpus(new)
    out.findings += old_corpus.findings + new_corpus.findings
    diff_requirements(old_corpus.requirements, new_corpus.requirements, out)
    old_procedures, old_findings = _procedures_of(old)
    new_procedures, new_findings = _procedures_of(new)
    out.findings += old_findings + new_findings
    diff_procedures(old_procedures, new_procedures, out)
    for group in (out.added, out.removed, out.changed, out.renamed):
        group.sort(key=lambda item: (item.kind != "requirement", item.id))
    return out
