"""Safe editing of requirement chapters and procedure files.

Every edit goes the same way:

1. `open_round_trip` reads the file with ruamel.yaml in round-trip mode, with
   the indentation detected from the file and a line width so large that no
   untouched line is re-wrapped, and dumps it again without an edit. When that
   does not give the same bytes, the file is refused (with the first line that
   would change), so an edit can never reformat what the editor did not touch.
2. The edit is applied through an `EditSet`, which changes the round-trip data
   (keeping the style of the value it replaces) and, in parallel, a plain copy
   of what the file must read as afterwards. After dumping, the new bytes are
   read back with the ordinary loader and must equal that plain copy, so a
   value ruamel cannot write faithfully is refused instead of written.
3. `check_edits` validates a copy of the workspace with the edited files and
   refuses an edit that adds errors (warnings it adds are returned).
4. `write_edits`, under the workspace lock (`edit_lock`), writes each file
   atomically, refusing when the file on disk is no longer the one read.

Nothing here prints; every refusal is a KokomError with one line per problem.
"""

from __future__ import annotations

import difflib
import fcntl
import io
import os
import re
import shutil
import tempfile
import time
import typing
from collections import Counter
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from pydantic import BaseModel
from ruamel.yaml import YAML
from ruamel.yaml.comments import CommentedMap, CommentedSeq
from ruamel.yaml.error import CommentMark, YAMLError
from ruamel.yaml.scalarstring import FoldedScalarString, LiteralScalarString, ScalarString
from ruamel.yaml.tokens import CommentToken

from kokom_cli.core.atomic import FileChanged, temp_prefix, write_bytes_atomic
from kokom_cli.core.findings import Finding, KokomError, Severity, display_path, has_errors
from kokom_cli.core.i18n import tr
from kokom_cli.core.suggest import did_you_mean
from kokom_cli.workspace import CONFIG_NAME, Workspace
from kokom_cli.yaml.reader import parse_yaml
from kokom_cli.yaml.schema_check import strip_optional

LOCK_NAME = ".kokom.lock"
LOCK_WAIT_SECONDS = 3.0
FOLD_WIDTH = 76
_BOM = b"\xef\xbb\xbf"

Loc = tuple[str | int, ...]


def _error(path: str, code: str, message: str, line: int = 0, column: int = 0) -> KokomError:
    return KokomError(Finding(path, line, column, Severity.error, code, message))


def _usage(message: str) -> KokomError:
    return _error("(command line)", "usage", message)


# --- round trip -----------------------------------------------------------------------------


def _round_trip_yaml() -> YAML:
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
    yaml = _round_trip_yaml()
    try:
        data = yaml.load(text)
    except YAMLError as exc:
        raise _error(
            display,
            "edit-not-round-trip",
            tr(
                f"ruamel.yaml kan ikke lese filen for redigering: {exc}",
                f"ruamel.yaml cannot read the file for editing: {exc}",
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
        raise _error(
            display,
            "file-unreadable",
            tr(f"kan ikke lese filen: {exc.strerror}", f"cannot read the file: {exc.strerror}"),
        ) from None
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
        )
    else:
        shown = new[index] if index < len(new) else tr("(slutten av filen)", "(the end of the file)")
        why = tr(
            f"linjen ville blitt skrevet som «{shown.strip()[:60]}»; vanlige årsaker er ujevnt innrykk, "
            "tekst som fortsetter over flere linjer uten | eller >, eller mellomrom på slutten av linjen",
            f"the line would be written as '{shown.strip()[:60]}'; common causes are uneven indentation, "
            "text running over several lines without | or >, or spaces at the end of a line",
        )
    return _error(
        display,
        "edit-not-round-trip",
        tr(
            f"kokom redigerer bare filer den kan skrive tilbake uendret, og denne kan den ikke: {why}. "
            "Rett filen for hånd, eller rediger den for hånd",
            f"kokom only edits files it can write back unchanged, and it cannot do so with this one: {why}. "
            "Fix the file by hand, or edit it by hand",
        ),
        index + 1,
        1,
    )


# --- fields and values ----------------------------------------------------------------------


def parse_path(text: str) -> Loc:
    """`metric.threshold_seconds` or `source.0.title` (also `source[0].title`) as a location."""
    parts = [p for p in re.split(r"[.\[\]]+", text.strip()) if p]
    if not parts:
        raise _usage(tr("feltnavnet er tomt", "the field name is empty"))
    return tuple(int(p) if p.isdigit() else p for p in parts)


def _dotted(loc: Loc) -> str:
    return ".".join(str(p) for p in loc)


def model_fields(model: type[BaseModel]) -> dict[str, Any]:
    """Field name as written in YAML (the alias where there is one) -> field info, in model order."""
    return {(info.alias or name): info for name, info in model.model_fields.items()}


def field_type(model: type[BaseModel], loc: Loc) -> Any:
    """The type a value at `loc` must have, or a usage error for a field the model does not have."""
    current: Any = model
    for index, part in enumerate(loc):
        base = strip_optional(current)
        origin = typing.get_origin(base)
        here = _dotted(loc[: index + 1])
        if origin is list:
            if not isinstance(part, int):
                raise _usage(
                    tr(
                        f"'{_dotted(loc[:index])}' er en liste; velg et element med nummer, f.eks. "
                        f"{_dotted(loc[:index])}.0",
                        f"'{_dotted(loc[:index])}' is a list; pick an item by number, e.g. {_dotted(loc[:index])}.0",
                    )
                )
            current = typing.get_args(base)[0]
        elif origin is dict:
            current = typing.get_args(base)[1]
        elif isinstance(base, type) and issubclass(base, BaseModel) and isinstance(part, str):
            fields = model_fields(base)
            if part not in fields:
                raise _usage(
                    tr(
                        f"ukjent felt '{here}'{did_you_mean(part, fields)}; tillatte felt: {', '.join(fields)}",
                        f"unknown field '{here}'{did_you_mean(part, fields)}; allowed fields: {', '.join(fields)}",
                    )
                )
            current = fields[part].annotation
        else:
            raise _usage(
                tr(
                    f"ukjent felt '{here}': '{_dotted(loc[:index]) or part}' har ingen underfelt",
                    f"unknown field '{here}': '{_dotted(loc[:index]) or part}' has no sub-fields",
                )
            )
    return strip_optional(current)


def expects_text(annotation: Any) -> bool:
    return isinstance(annotation, type) and issubclass(annotation, str)


def parse_value(text: str, as_text: bool) -> Any:
    """A value given on the command line.

    For a text field the value is the text as typed (quotes around it are
    removed); anything else is read as YAML, so `10` is a number and
    `[amk, legevakt]` a list. An empty value, `null` or `~` removes an optional
    field.
    """
    stripped = text.strip()
    if stripped in ("", "null", "~"):
        return None
    if as_text and stripped[0] not in "'\"":
        return text
    try:
        value = _round_trip_yaml().load(text)
    except YAMLError as exc:
        if as_text:
            return text
        problem = getattr(exc, "problem", None) or str(exc).splitlines()[0]
        raise _usage(
            tr(f"verdien '{text}' er ikke gyldig YAML: {problem}", f"the value '{text}' is not valid YAML: {problem}")
        ) from None
    return text if as_text and not isinstance(value, str) else value


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


# --- edits ------------------------------------------------------------------------------------


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
    if token is None:
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


def _take_tail(node: Any) -> str | None:
    return _take(_tail_slot(node))


def _put_tail(node: Any, lines: str | None) -> None:
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


def _container(root: Any, loc: Loc, display: str) -> Any:
    node = root
    for index, part in enumerate(loc):
        here = _dotted(loc[: index + 1])
        if isinstance(node, list) and isinstance(part, int) and not 0 <= part < len(node):
            raise _out_of_range(here, len(node))
        try:
            node = node[part]
        except (KeyError, IndexError, TypeError):
            raise _usage(
                tr(
                    f"'{here}' finnes ikke i {display}; sett hele '{here}' i stedet",
                    f"'{here}' does not exist in {display}; set the whole '{here}' instead",
                )
            ) from None
    return node


def _out_of_range(here: str, size: int) -> KokomError:
    return _usage(
        tr(
            f"'{here}': listen har {size} element (0 til {size - 1})",
            f"'{here}': the list has {size} item(s) (0 to {size - 1})",
        )
    )


class EditSet:
    """Edits to one or more files, applied to the round-trip data and to the expected plain data alike."""

    def __init__(self) -> None:
        self.files: dict[Path, RoundTripFile] = {}

    def open(self, path: Path, model: type[BaseModel] | None = None) -> RoundTripFile:
        key = path.absolute()
        if key not in self.files:
            self.files[key] = open_round_trip(path)
            self.files[key].model = model
        return self.files[key]

    def set(self, file: RoundTripFile, loc: Loc, value: Any, order: list[str] | None = None) -> None:
        """Set (or with None remove) the value at `loc`. A new key goes where `order` puts it."""
        parent, key = _container(file.data, loc[:-1], file.display), loc[-1]
        expected_parent = _container(file.expected, loc[:-1], file.display)
        if isinstance(parent, list):
            if not isinstance(key, int) or not 0 <= key < len(parent):
                raise _out_of_range(_dotted(loc), len(parent))
            if value is None:
                raise _usage(
                    tr(
                        "et listeelement kan ikke fjernes med null; sett hele listen",
                        "a list item cannot be removed with null; set the whole list",
                    )
                )
            parent[key] = styled_like(parent[key], value)
            expected_parent[key] = plain(value)
            return
        if not isinstance(parent, dict) or isinstance(key, int):
            raise _usage(tr(f"'{_dotted(loc)}' peker ikke på et felt", f"'{_dotted(loc)}' does not name a field"))
        if value is None:
            if key in parent:
                remove_key(parent, key)
                expected_parent.pop(key, None)
            return
        if key in parent:
            parent[key] = styled_like(parent[key], value)
        else:
            self._insert(parent, key, value, order or [])
        expected_parent[key] = plain(value)

    @staticmethod
    def _insert(mapping: CommentedMap, key: str, value: Any, order: list[str]) -> None:
        rank = order.index(key) if key in order else len(order)
        position = 0
        for index, existing in enumerate(mapping):
            if (order.index(existing) if existing in order else len(order)) <= rank:
                position = index + 1
        tail = _take_tail(mapping) if position == len(mapping) else None  # the lines after the old last entry
        mapping.insert(position, key, value)
        _put_tail(mapping, tail)

    def append(self, file: RoundTripFile, loc: Loc, item: Any, *, blank_line: bool) -> None:
        """Append `item` to the list at `loc`, after a blank line when the list's items are spaced so."""
        seq = _container(file.data, loc, file.display)
        tail = _take_tail(seq)
        seq.append(item)
        if blank_line:
            seq.yaml_set_comment_before_after_key(len(seq) - 1, before="\n")
        _put_tail(seq, tail)
        _container(file.expected, loc, file.display).append(plain(item))

    def changes(self) -> list[Change]:
        """The new bytes of every edited file, each read back and checked against the intended data."""
        out = []
        for file in self.files.values():
            new = file.dump()
            try:
                reread = parse_yaml(new, file.path, file.display).data
            except KokomError as exc:
                reread = exc
            if reread != file.expected:
                raise _error(
                    file.display,
                    "edit-not-faithful",
                    tr(
                        "verdien kan ikke skrives slik at filen leses likt tilbake (f.eks. mellomrom på slutten av "
                        "en tekst over flere linjer); endringen er ikke lagret",
                        "the value cannot be written so that the file reads back the same (e.g. trailing spaces in "
                        "a text over several lines); nothing was written",
                    ),
                )
            if new != file.raw:
                out.append(Change(file=file, new=new))
        return out


@dataclass(frozen=True)
class Change:
    """A file and the bytes it will hold after the edit."""

    file: RoundTripFile
    new: bytes

    def unified_diff(self) -> str:
        old = self.file.raw.decode("utf-8", "replace").splitlines(keepends=True)
        new = self.new.decode("utf-8", "replace").splitlines(keepends=True)
        lines = difflib.unified_diff(old, new, f"a/{self.file.display}", f"b/{self.file.display}")
        return "".join(line if line.endswith("\n") else line + "\n" for line in lines)


# --- validation -------------------------------------------------------------------------------


def _key(finding: Finding) -> tuple:
    """A finding without positions, so that lines moved by an edit do not make it look new."""
    return finding.path, finding.severity, finding.code, re.sub(r":\d+:\d+", "", finding.message)


def _relocate(changes: list[Change], folder: Path, copy_root: Path) -> dict[Path, bytes]:
    out: dict[Path, bytes] = {}
    for change in changes:
        try:
            relative = change.file.path.absolute().relative_to(folder)
        except ValueError:
            continue
        out[copy_root / relative] = change.new
    return out


def _refuse(findings: list[Finding]) -> KokomError:
    return KokomError(
        [
            Finding(
                f.path,
                f.line,
                f.column,
                f.severity,
                f.code,
                f.message + tr(" (endringen er ikke lagret)", " (nothing was written)"),
            )
            for f in findings
            if f.severity is Severity.error
        ]
    )


def _file_findings(change: Change) -> list[Finding]:
    """Errors the edit adds to the edited file itself (a value of the wrong type, say)."""
    from kokom_cli.yaml.schema_check import check_model

    file = change.file
    if file.model is None:
        return []
    before = {_key(f) for f in check_model(parse_yaml(file.raw, file.path, file.display), file.model)[1]}
    after = check_model(parse_yaml(change.new, file.path, file.display), file.model)[1]
    return [f for f in after if _key(f) not in before]


def check_edits(workspace: Workspace, changes: list[Change]) -> list[Finding]:
    """Validate the workspace as it would be after `changes`.

    The edited files are checked against their models first, so a value of
    the wrong type is reported alone rather than with everything it breaks.
    Raises KokomError with the errors the edit would add (nothing is written);
    returns the warnings it would add.
    """
    from kokom_cli.procedures.validation import validate_workspace

    own = [f for change in changes for f in _file_findings(change)]
    if has_errors(own):
        raise _refuse(own)
    before = {_key(f) for f in validate_workspace(workspace)}
    with tempfile.TemporaryDirectory(prefix="kokom-edit-") as tmp:
        copy_root = Path(tmp).resolve()
        replace: dict[Path, bytes] = {}
        folders = {}
        for name, folder in (("requirements", workspace.requirements_dir), ("procedures", workspace.procedures_dir)):
            if folder.is_dir():
                shutil.copytree(folder, copy_root / name, ignore=shutil.ignore_patterns(".*"))
                replace |= _relocate(changes, folder, copy_root / name)
                folders[str(copy_root / name)] = folder
        for path, data in replace.items():
            path.write_bytes(data)
        config = workspace.config.model_copy(update={"requirements": "requirements", "procedures": "procedures"})
        after = validate_workspace(Workspace(root=copy_root, config=config))
    added = []
    for finding in after:
        path = finding.path
        for copied, real in folders.items():
            if Path(path).is_absolute() and path.startswith(copied + os.sep):
                path = display_path(real / Path(path).relative_to(copied))
        moved = Finding(path, finding.line, finding.column, finding.severity, finding.code, finding.message)
        if _key(moved) not in before:
            added.append(moved)
    if has_errors(added):
        raise _refuse(added)
    return added


# --- writing ----------------------------------------------------------------------------------


def _lock_path(workspace: Workspace) -> Path:
    assert workspace.root is not None
    return workspace.root / LOCK_NAME


@contextmanager
def edit_lock(workspace: Workspace, wait: float | None = None) -> Iterator[None]:
    """Hold the workspace's lock file while editing; another kokom process waits, then gives up.

    The lock file is removed on release; a lock taken on a file that was
    removed meanwhile is retaken on the new one, so two holders never coexist.
    """
    path = _lock_path(workspace)
    deadline = time.monotonic() + (LOCK_WAIT_SECONDS if wait is None else wait)
    while True:
        fd = os.open(path, os.O_RDWR | os.O_CREAT, 0o644)
        try:
            fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            os.close(fd)
            if time.monotonic() >= deadline:
                raise _error(
                    display_path(path),
                    "edit-locked",
                    tr(
                        "en annen kokom-prosess redigerer dette arbeidsområdet; prøv igjen når den er ferdig "
                        f"(låsefilen er {LOCK_NAME} i arbeidsområdet)",
                        "another kokom process is editing this workspace; try again when it has finished "
                        f"(the lock file is {LOCK_NAME} in the workspace)",
                    ),
                ) from None
            time.sleep(0.05)
            continue
        try:
            same = os.path.samestat(os.fstat(fd), os.stat(path))
        except FileNotFoundError:
            same = False
        if same:
            break
        os.close(fd)
    try:
        yield
    finally:
        Path(path).unlink(missing_ok=True)
        os.close(fd)


def _sweep_temporaries(target: Path) -> None:
    """Remove temporary files a killed kokom left beside `target` (only called under the lock)."""
    for stale in target.parent.glob(f"{temp_prefix(target)}*.tmp"):
        stale.unlink(missing_ok=True)


def write_edits(workspace: Workspace, changes: list[Change]) -> None:
    """Write every change atomically; the caller holds `edit_lock`.

    Every file must still hold the bytes that were read: that is checked for
    all files before the first write and again right before each replace.
    """
    targets = [(c, c.file.path.resolve()) for c in changes]
    for change, target in targets:
        _sweep_temporaries(target)
        if not target.is_file() or target.read_bytes() != change.file.raw:
            raise _changed(change.file.display)
    for change, target in targets:
        try:
            # a workspace's own symlinked chapter is edited at its target (outputs of -o refuse links)
            write_bytes_atomic(change.file.path, change.new, expect=change.file.raw, force=True)
        except FileChanged:
            raise _changed(change.file.display) from None
        except OSError as exc:
            raise _error(
                change.file.display,
                "edit-write-failed",
                tr(
                    f"kunne ikke skrive filen: {exc.strerror or exc}; filen er som før",
                    f"could not write the file: {exc.strerror or exc}; the file is as it was",
                ),
            ) from None


def _changed(display: str) -> KokomError:
    return _error(
        display,
        "edit-file-changed",
        tr(
            "filen er endret på disken etter at kokom leste den (i en editor?); endringen er ikke lagret: "
            "lagre eller lukk filen i editoren og kjør kommandoen på nytt",
            "the file changed on disk after kokom read it (in an editor?); nothing was written: "
            "save or close it in the editor and run the command again",
        ),
    )


def require_workspace(workspace: Workspace) -> None:
    """The built-in national corpus is read-only: editing needs a workspace of one's own."""
    if workspace.builtin:
        raise _error(
            "(workspace)",
            "edit-builtin",
            tr(
                f"det innebygde nasjonale korpuset kan ikke redigeres; lag et arbeidsområde (en mappe med "
                f"{CONFIG_NAME} og en kopi av requirements/), og kjør kommandoen der eller med --root",
                f"the built-in national corpus cannot be edited; create a workspace (a folder with "
                f"{CONFIG_NAME} and a copy of requirements/) and run the command there or with --root",
            ),
        )


# --- the edits the commands make ----------------------------------------------------------------


def run_edit(workspace: Workspace, plan, *, dry_run: bool = False) -> tuple[list[Change], list[Finding]]:
    """Plan an edit (`plan()` returns its changes), validate it and, unless `dry_run`, write it under the lock.

    Returns the changes and the warnings the edit adds.
    """
    require_workspace(workspace)
    if dry_run:
        changes = plan()
        return changes, check_edits(workspace, changes)
    with edit_lock(workspace):
        changes = plan()
        warnings = check_edits(workspace, changes)
        write_edits(workspace, changes)
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
        raise _usage(
            tr(
                f"'{loc[0]}' kan ikke endres: id-er er faste; lag et nytt {kind} som erstatter dette",
                f"'{loc[0]}' cannot be changed: ids are permanent; create a new {kind} that replaces this one",
            )
        )
    value = parse_value(value_text, expects_text(field_type(model, loc)))
    file = edits.open(path, file_model)
    edits.set(file, base + loc, value, order=_order(model, loc))


def _located(workspace: Workspace, requirement_id: str):
    from kokom_cli.requirements.corpus import load_corpus

    corpus = load_corpus(workspace.requirements_dir)
    corpus.get(requirement_id)  # unknown id: KokomError with "did you mean"
    return corpus, next(item for item in corpus.located if item.requirement.id == requirement_id)


def set_requirement_field(workspace: Workspace, requirement_id: str, field_text: str, value_text: str) -> list[Change]:
    """The change that sets FIELD (a dotted path, e.g. `metric.threshold_seconds`) of a requirement."""
    from kokom_cli.requirements.models import Chapter, Requirement

    _, item = _located(workspace, requirement_id)
    edits = EditSet()
    _set_field(edits, item.doc.path, item.loc, Requirement, Chapter, field_text, value_text, tr("krav", "requirement"))
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
            ),
        )
    edits = EditSet()
    _set_field(
        edits, item.doc.path, (), type(item.entry), type(item.entry), field_text, value_text, tr("dokument", "document")
    )
    return edits.changes()


def retire_requirement(workspace: Workspace, requirement_id: str, replaced_by: str | None = None) -> list[Change]:
    """Set `status: retired`; with `replaced_by`, add the id to that requirement's `replaces`."""
    from kokom_cli.requirements.models import Chapter, Requirement, Status

    _, old = _located(workspace, requirement_id)
    order = list(model_fields(Requirement))
    edits = EditSet()
    if replaced_by == requirement_id:
        raise _usage(tr("et krav kan ikke erstatte seg selv", "a requirement cannot replace itself"))
    new = _located(workspace, replaced_by)[1] if replaced_by else None
    done = old.requirement.status is Status.retired and (new is None or requirement_id in new.requirement.replaces)
    if done:
        raise _usage(tr(f"{requirement_id} er allerede utgått", f"{requirement_id} is already retired"))
    edits.set(edits.open(old.doc.path, Chapter), (*old.loc, "status"), "retired", order)
    if new is not None and requirement_id not in new.requirement.replaces:
        file = edits.open(new.doc.path, Chapter)
        written = _container(file.data, new.loc, file.display).get("replaces")
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
    from kokom_cli.requirements.corpus import load_corpus

    return {
        item.chapter.chapter: item.doc.path
        for item in load_corpus(workspace.requirements_dir).located
        if item.chapter is not None
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
        raise _usage(
            tr(
                f"ukjent kapittel '{chapter or ''}'{did_you_mean(chapter or '', files)}; velg med --chapter "
                f"en av: {', '.join(files)}",
                f"unknown chapter '{chapter or ''}'{did_you_mean(chapter or '', files)}; choose with "
                f"--chapter one of: {', '.join(files)}",
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
    seq = _container(file.data, ("requirements",), file.display)
    edits.append(file, ("requirements",), item, blank_line=_spaced(file, seq))
    return edits.changes()
