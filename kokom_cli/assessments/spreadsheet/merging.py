"""Merging an imported form into the assessment file it came from, as a round-trip edit.

`kokom assess import` into an existing assessment changes only what the form
changed: each field of each answer on the form, and the assessment's own
fields and waivers, set to what the form says. Answers that are not on the
form (a form exported for one person with `--owner`), and their waivers, are left as they are;
comments, order and quoting of the file survive, as in every kokom edit.
"""

from __future__ import annotations

from enum import Enum
from pathlib import Path
from typing import Any

from ruamel.yaml.comments import CommentedMap, CommentedSeq

from kokom_cli.assessments.models import Answer, Assessment
from kokom_cli.editing.changes import Change, EditSet
from kokom_cli.yaml.roundtrip import RoundTripFile, plain

TOP_FIELDS = [name for name in Assessment.model_fields if name != "answers"]
ANSWER_FIELDS = list(Answer.model_fields)
_FLOW = {"action", "verification", "measured"}  # small mappings, written on one line as the examples do


def _data(value: Any) -> Any:
    """Model data as the YAML reader gives it back: enums as their text, everything else as it is."""
    if isinstance(value, Enum):
        return value.value
    if isinstance(value, dict):
        return {k: _data(v) for k, v in value.items()}
    if isinstance(value, list):
        return [_data(v) for v in value]
    return value


def _styled(key: str, value: Any) -> Any:
    """A plain value as the examples write it: evidence items and small mappings on one line, the rest in blocks."""
    if isinstance(value, dict):
        out = CommentedMap((k, _styled(k, v)) for k, v in value.items())
        if key in _FLOW:
            out.fa.set_flow_style()
        return out
    if isinstance(value, list):
        seq = CommentedSeq(_styled("evidence-item" if key == "evidence" else key, v) for v in value)
        if key == "evidence":
            for item in seq:
                if isinstance(item, CommentedMap):
                    item.fa.set_flow_style()
        elif all(not isinstance(v, (dict, list)) for v in value):
            seq.fa.set_flow_style()
        return seq
    return value


def _merge_answer(edits: EditSet, file: RoundTripFile, req_id: str, new: dict | None, order: list[str]) -> None:
    answers = file.data["answers"]
    old = answers.get(req_id) if req_id in answers else None
    if req_id not in answers or not isinstance(old, dict) or new is None:
        if req_id in answers and plain(old) == new:
            return
        edits.set(file, ("answers", req_id), None if new is None else _styled(req_id, new), order=order)
        return
    for field in [f for f in ANSWER_FIELDS if f in old or f in new]:
        if plain(old.get(field)) != new.get(field):
            value = new.get(field)
            edits.set(
                file, ("answers", req_id, field), None if value is None else _styled(field, value), order=ANSWER_FIELDS
            )


def merge_change(target: Path, imported: dict[str, Any], form_ids: list[str]) -> Change | None:
    """The edit that makes the assessment at `target` say what the form says; None when nothing differs.

    `imported` is the form as plain assessment data (`assessment_data`), `form_ids` the requirement
    ids on the form, in its order: only those answers are touched.
    """
    imported = _data(imported)
    edits = EditSet()
    file = edits.open(target, Assessment)
    if not isinstance(file.data, CommentedMap):
        raise ValueError("the assessment file is not a mapping")  # check_document refuses such a file first
    on_form = set(form_ids)
    kept = [
        w for w in plain(file.data.get("waivers")) or [] if isinstance(w, dict) and w.get("requirement") not in on_form
    ]
    imported = dict(imported, waivers=[*kept, *imported.get("waivers", [])] or None)  # waivers off the form stay
    for key in TOP_FIELDS:
        if plain(file.data.get(key)) != imported.get(key):
            value = imported.get(key)
            edits.set(file, (key,), None if value is None else _styled(key, value), order=[*TOP_FIELDS, "answers"])
    if not isinstance(file.data.get("answers"), CommentedMap):
        edits.set(file, ("answers",), CommentedMap(), order=[*TOP_FIELDS, "answers"])
    # a new answer goes after the answers that come before it on the form
    order = [*form_ids, *(k for k in file.data["answers"] if k not in form_ids)]
    for req_id in form_ids:
        _merge_answer(edits, file, req_id, imported["answers"].get(req_id), order)
    changes = edits.changes()
    return changes[0] if changes else None
