"""The round-trip YAML layer every edit goes through: comments, order, quoting and layout survive.

`open_round_trip` reads a file with ruamel.yaml in round-trip mode, with the
indentation detected from the file and a line width so large that no
untouched line is re-wrapped, and dumps it again without an edit. When that
does not give the same bytes the file is refused (with the first line that
would change), so an edit can never reformat what the editor did not touch.
The helpers below move comments and blank lines along with the entries they
follow, and write new values in the style of the ones they replace.
"""

from __future__ import annotations

import io
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from pydantic import BaseModel
from ruamel.yaml import YAML
from ruamel.yaml.comments import CommentedMap, CommentedSeq
from ruamel.yaml.error import CommentMark, YAMLError
from ruamel.yaml.scalarstring import FoldedScalarString, LiteralScalarString, ScalarString
from ruamel.yaml.tokens import CommentToken

from kokom_cli.core.findings import KokomError, display_path
from kokom_cli.core.i18n import tr
from kokom_cli.yaml.reader import parse_yaml

FOLD_WIDTH = 76
_BOM = b"\xef\xbb\xbf"


def _error(path: str, code: str, message: str, line: int = 0, column: int = 0) -> KokomError:
    return KokomError.at(path, code, message, line, column)


def round_trip_yaml() -> YAML:
    yaml = YAML(typ="rt")
    yaml.preserve_quotes = True
    yaml.width = 1 << 16
    yaml.brace_single_entry_mapping_in_flow_sequence = True  # [{title: X}] stays as written
    return yaml


def _detect_indent(data: Any, lines: list[str]) -> tuple[int, int, int]:
    """(mapping, sequence, offset) as ruamel names them, the most common in the file."""
    maps: Counter[int] = Counter()
    seqs: Counter[int] = Counter()
    offsets: Counter[int] = Counter()

    def block(node: Any) -> bool:
        return isinstance(node, (CommentedMap, CommentedSeq)) and len(node) > 0 and not node.fa.flow_style()

    def walk(node: Any) -> None:
        if not block(node):
            return
        if isinstance(node, CommentedSeq):
            for item in node:
                walk(item)
            return
        for key, value in node.items():
            if not block(value):
                continue
            key_line, key_col = node.lc.key(key)
            if isinstance(value, CommentedMap):
                line, col = value.lc.key(next(iter(value)))
                if line > key_line:
                    maps[col - key_col] += 1
            else:
                line, col = value.lc.item(0)
                dash = lines[line].rfind("-", 0, col) if line < len(lines) else -1
                if line > key_line and dash >= 0:
                    seqs[col - key_col] += 1
                    offsets[dash - key_col] += 1
            walk(value)

    walk(data)
    mapping = maps.most_common(1)[0][0] if maps else 2
    # without a block list to learn from, lists are written the way the national corpus writes them
    sequence = seqs.most_common(1)[0][0] if seqs else mapping + 2
    offset = offsets.most_common(1)[0][0] if offsets else mapping
    return mapping, sequence, offset


@dataclass
class RoundTripFile:
    """One YAML file opened for editing: its bytes as read, its round-trip data and its expected reading."""

    path: Path
    display: str
    raw: bytes
    data: Any
    expected: Any
    yaml: YAML = field(repr=False)
    model: type[BaseModel] | None = None  # the file's model, checked first after an edit

    def dump(self) -> bytes:
        stream = io.StringIO()
        self.yaml.dump(self.data, stream)
        out = stream.getvalue().encode("utf-8")
        return _BOM + out if self.raw.startswith(_BOM) else out


def round_trip_load(raw: bytes, display: str) -> tuple[YAML, Any]:
    """Round-trip data and a YAML instance set up to write it in the file's own layout."""
    text = raw.removeprefix(_BOM).decode("utf-8")
    yaml = round_trip_yaml()
    try:
        data = yaml.load(text)
    except YAMLError as exc:
        raise _error(
            display,
            "edit-not-round-trip",
            tr(
                f"ruamel.yaml kan ikke lese filen for redigering: {exc}",
                f"ruamel.yaml cannot read the file for editing: {exc}",
                f"ruamel.yaml kan ikkje lese fila for redigering: {exc}",
            ),
        ) from None
    mapping, sequence, offset = _detect_indent(data, text.splitlines())
    yaml.indent(mapping=mapping, sequence=sequence, offset=offset)
    first = next((line for line in text.splitlines() if line.strip() and not line.startswith("#")), "")
    yaml.explicit_start = first.rstrip() == "---"
    return yaml, data


def open_round_trip(path: Path, display: str | None = None) -> RoundTripFile:
    """Open `path` for editing, or refuse (KokomError) when it cannot be written back byte for byte."""
    display = display or display_path(path)
    try:
        raw = path.read_bytes()
    except OSError as exc:
        raise KokomError.unreadable(display, exc) from None
    expected = parse_yaml(raw, path, display).data  # refuses broken or hostile YAML with a position
    yaml, data = round_trip_load(raw, display)
    opened = RoundTripFile(path=path, display=display, raw=raw, data=data, expected=expected, yaml=yaml)
    try:
        again = opened.dump()
    except YAMLError as exc:
        again = str(exc).encode()
    if again != raw:
        raise _not_reproducible(display, raw, again)
    return opened


def _not_reproducible(display: str, raw: bytes, again: bytes) -> KokomError:
    old, new = raw.decode("utf-8", "replace").splitlines(), again.decode("utf-8", "replace").splitlines()
    index = next((i for i, (a, b) in enumerate(zip(old, new, strict=False)) if a != b), min(len(old), len(new)))
    if b"\r\n" in raw:
        why = tr(
            "filen har Windows-linjeskift (CRLF); lagre den med vanlige linjeskift (LF)",
            "the file has Windows line endings (CRLF); save it with plain line endings (LF)",
            "fila har Windows-linjeskift (CRLF); lagre ho med vanlege linjeskift (LF)",
        )
    else:
        shown = (
            new[index] if index < len(new) else tr("(slutten av filen)", "(the end of the file)", "(slutten av fila)")
        )
        why = tr(
            f"linjen ville blitt skrevet som «{shown.strip()[:60]}»; vanlige årsaker er ujevnt innrykk, "
            "tekst som fortsetter over flere linjer uten | eller >, eller mellomrom på slutten av linjen",
            f"the line would be written as '{shown.strip()[:60]}'; common causes are uneven indentation, "
            "text running over several lines without | or >, or spaces at the end of a line",
            f"linja ville blitt skriven som «{shown.strip()[:60]}»; vanlege årsaker er ujamt innrykk, "
            "tekst som held fram over fleire linjer utan | eller >, eller mellomrom på slutten av linja",
        )
    return _error(
        display,
        "edit-not-round-trip",
        tr(
            f"kokom redigerer bare filer den kan skrive tilbake uendret, og denne kan den ikke: {why}. "
            "Rett filen for hånd, eller rediger den for hånd",
            f"kokom only edits files it can write back unchanged, and it cannot do so with this one: {why}. "
            "Fix the file by hand, or edit it by hand",
            f"kokom redigerer berre filer som kan skrivast tilbake uendra, og det kan ikkje denne: {why}. "
            "Rett fila for hand, eller rediger ho for hand",
        ),
        index + 1,
        1,
    )


def plain(value: Any) -> Any:
    """A round-trip value as the ordinary loader reads it."""
    if isinstance(value, dict):
        return {plain(k): plain(v) for k, v in value.items()}
    if isinstance(value, list):
        return [plain(v) for v in value]
    if isinstance(value, bool) or value is None:
        return value
    for kind in (str, int, float):
        if isinstance(value, kind):
            return kind(value)
    return value


def _fold_positions(text: str, width: int = FOLD_WIDTH) -> list[int]:
    """Where a folded (`>`) scalar may break `text` so that lines stay near `width`."""
    out, start, last = [], 0, None
    for index, char in enumerate(text):
        if char == "\n":
            start, last = index + 1, None
            continue
        if (
            char == " "
            and 0 < index < len(text) - 1
            and not text[index - 1].isspace()
            and not text[index + 1].isspace()
        ):
            last = index
        if index - start >= width and last is not None:
            out.append(last)
            start, last = last + 1, None
    return out


def styled_like(old: Any, new: Any) -> Any:
    """`new` written in the style of the value it replaces: quotes, `>` or `|` blocks are kept."""
    if not isinstance(new, str) or type(new) is not str or not isinstance(old, ScalarString):
        return new
    if isinstance(old, FoldedScalarString):
        folded = FoldedScalarString(new)
        folded.fold_pos = _fold_positions(new)
        return folded
    if isinstance(old, LiteralScalarString) or "\n" not in new:
        return type(old)(new)
    return new


def folded_if_long(text: str) -> Any:
    """A new text value: plain when short, a folded block (`>-`) when longer than a line."""
    if len(text) <= FOLD_WIDTH or "\n" in text:
        return LiteralScalarString(text) if "\n" in text else text
    folded = FoldedScalarString(text)
    folded.fold_pos = _fold_positions(text)
    return folded


# --- comments and blank lines that belong to an entry -----------------------------------------


def _block(node: Any) -> bool:
    return isinstance(node, (CommentedMap, CommentedSeq)) and len(node) > 0 and not node.fa.flow_style()


def _tail_slot(node: Any) -> tuple[dict, Any, int, Any] | None:
    """Where ruamel keeps the comments and blank lines after the last line of a block `node`.

    Returns (comment items, key, slot, the last value).
    """
    if not _block(node):
        return None
    key = next(reversed(node)) if isinstance(node, CommentedMap) else len(node) - 1
    value = node[key]
    if _block(value):
        return _tail_slot(value)
    return node.ca.items, key, 2 if isinstance(node, CommentedMap) else 0, value


def _block_scalar(value: Any) -> bool:
    return isinstance(value, (FoldedScalarString, LiteralScalarString))


def _entry_slot(mapping: CommentedMap, key: Any) -> tuple[dict, Any, int, Any] | None:
    """Where the lines after the entry `key` of `mapping` are kept."""
    value = mapping[key]
    return _tail_slot(value) if _block(value) else (mapping.ca.items, key, 2, value)


def _take(slot: tuple[dict, Any, int, Any] | None) -> str | None:
    """Remove and return the lines (comments, blank lines) kept at `slot`.

    After a block scalar ruamel's token holds just those lines; after any other
    value it starts with the rest of the value's own line, which stays put.
    """
    if slot is None:
        return None
    items, key, index, value = slot
    entry = items.get(key)
    token = entry[index] if entry and len(entry) > index else None
    if entry is None or token is None:
        return None
    if _block_scalar(value):
        entry[index] = None
        return token.value
    head, _, rest = token.value.partition("\n")
    if head.strip():
        token.value = head + "\n"
    else:
        entry[index] = None
    return rest or None


def _put(slot: tuple[dict, Any, int, Any] | None, lines: str | None) -> None:
    """Add `lines` after the value at `slot` (after what is already there)."""
    if not lines or slot is None:
        return
    items, key, index, value = slot
    entry = items.setdefault(key, [None, None, None, None])
    existing = entry[index]
    before = existing.value if existing is not None else ("" if _block_scalar(value) else "\n")
    entry[index] = CommentToken(before + lines, CommentMark(0), None)


def take_tail(node: Any) -> str | None:
    return _take(_tail_slot(node))


def put_tail(node: Any, lines: str | None) -> None:
    _put(_tail_slot(node), lines)


def remove_key(mapping: CommentedMap, key: Any) -> None:
    """Delete an entry; the comments and blank lines after it move to the entry before it (if any)."""
    keys = list(mapping)
    index = keys.index(key)
    lines = _take(_entry_slot(mapping, key))
    mapping.ca.items.pop(key, None)
    del mapping[key]
    if index > 0:
        _put(_entry_slot(mapping, keys[index - 1]), lines)


def rename_key(mapping: CommentedMap, old: Any, new: Any) -> None:
    """Give an entry a new key in the same place, with its comments."""
    position = list(mapping).index(old)
    comments = mapping.ca.items.pop(old, None)
    value = mapping[old]
    del mapping[old]
    mapping.insert(position, new, value)
    if comments is not None:
        mapping.ca.items[new] = comments
