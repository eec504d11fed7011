"""A set of edits to YAML files: applied faithfully, validated on a copy of the workspace, written atomically.

1. An `EditSet` changes the round-trip data (keeping the style of the value
   it replaces) and, in parallel, a plain copy of what the file must read as
   afterwards. After dumping, the new bytes are read back with the ordinary
   loader and must equal that plain copy, so a value ruamel cannot write
   faithfully is refused instead of written.
2. `check_edits` validates a copy of the workspace with the edited files and
   refuses an edit that adds errors (warnings it adds are returned).
3. `write_edits`, under the workspace lock, writes each file atomically,
   refusing when the file on disk is no longer the one read.

Nothing here prints; every refusal is a KokomError with one line per problem.
"""

from __future__ import annotations

import difflib
import os
import re
import shutil
import tempfile
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from pydantic import BaseModel
from ruamel.yaml.comments import CommentedMap

from kokom_cli.core.atomic import FileChanged, temp_prefix, write_bytes_atomic
from kokom_cli.core.findings import Finding, KokomError, Severity, display_path, has_errors
from kokom_cli.core.i18n import ITEMS, plural, tr
from kokom_cli.editing.values import Loc, dotted, usage
from kokom_cli.workspace import CONFIG_NAME, Workspace
from kokom_cli.yaml.reader import parse_yaml
from kokom_cli.yaml.roundtrip import (
    RoundTripFile,
    open_round_trip,
    plain,
    put_tail,
    remove_key,
    styled_like,
    take_tail,
)


def _error(path: str, code: str, message: str, line: int = 0, column: int = 0) -> KokomError:
    return KokomError.at(path, code, message, line, column)


def container(root: Any, loc: Loc, display: str) -> Any:
    node = root
    for index, part in enumerate(loc):
        here = dotted(loc[: index + 1])
        if isinstance(node, list) and isinstance(part, int) and not 0 <= part < len(node):
            raise _out_of_range(here, len(node))
        try:
            node = node[part]
        except (KeyError, IndexError, TypeError):
            raise usage(
                tr(
                    f"'{here}' finnes ikke i {display}; sett hele '{here}' i stedet",
                    f"'{here}' does not exist in {display}; set the whole '{here}' instead",
                    f"'{here}' finst ikkje i {display}; set heile '{here}' i staden",
                )
            ) from None
    return node


def _out_of_range(here: str, size: int) -> KokomError:
    return usage(
        tr(
            f"'{here}': listen har {plural(size, *ITEMS)} (0 til {size - 1})",
            f"'{here}': the list has {plural(size, *ITEMS)} (0 to {size - 1})",
            f"'{here}': lista har {plural(size, *ITEMS)} (0 til {size - 1})",
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
        parent, key = container(file.data, loc[:-1], file.display), loc[-1]
        expected_parent = container(file.expected, loc[:-1], file.display)
        if isinstance(parent, list):
            if not isinstance(key, int) or not 0 <= key < len(parent):
                raise _out_of_range(dotted(loc), len(parent))
            if value is None:
                raise usage(
                    tr(
                        "et listeelement kan ikke fjernes med null; sett hele listen",
                        "a list item cannot be removed with null; set the whole list",
                        "eit listeelement kan ikkje fjernast med null; set heile lista",
                    )
                )
            parent[key] = styled_like(parent[key], value)
            expected_parent[key] = plain(value)
            return
        if not isinstance(parent, CommentedMap) or isinstance(key, int):
            raise usage(
                tr(
                    f"'{dotted(loc)}' peker ikke på et felt",
                    f"'{dotted(loc)}' does not name a field",
                    f"'{dotted(loc)}' peikar ikkje på eit felt",
                )
            )
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
        tail = take_tail(mapping) if position == len(mapping) else None  # the lines after the old last entry
        mapping.insert(position, key, value)
        put_tail(mapping, tail)

    def append(self, file: RoundTripFile, loc: Loc, item: Any, *, blank_line: bool) -> None:
        """Append `item` to the list at `loc`, after a blank line when the list's items are spaced so."""
        seq = container(file.data, loc, file.display)
        tail = take_tail(seq)
        seq.append(item)
        if blank_line:
            seq.yaml_set_comment_before_after_key(len(seq) - 1, before="\n")
        put_tail(seq, tail)
        container(file.expected, loc, file.display).append(plain(item))

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
                        "verdien kan ikkje skrivast slik at fila blir lesen likt tilbake (t.d. mellomrom på slutten av "
                        "ein tekst over fleire linjer); endringa er ikkje lagra",
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
                f.message + tr(" (endringen er ikke lagret)", " (nothing was written)", " (endringa er ikkje lagra)"),
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
        folders: dict[str, Path] = {}
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
        shown = finding.path
        for copied, real in folders.items():
            if Path(shown).is_absolute() and shown.startswith(copied + os.sep):
                shown = display_path(real / Path(shown).relative_to(copied))
        moved = Finding(shown, finding.line, finding.column, finding.severity, finding.code, finding.message)
        if _key(moved) not in before:
            added.append(moved)
    if has_errors(added):
        raise _refuse(added)
    return added


def _sweep_temporaries(target: Path) -> None:
    """Remove temporary files a killed kokom left beside `target` (only called under the lock)."""
    for stale in target.parent.glob(f"{temp_prefix(target)}*.tmp"):
        stale.unlink(missing_ok=True)


def write_edits(changes: list[Change]) -> None:
    """Write every change atomically; the caller holds the lock (`core.locking`).

    Every file must still hold the bytes that were read: that is checked for
    all files before the first write and again right before each replace.
    """
    targets = [(c, c.file.path.resolve()) for c in changes]
    for change, target in targets:
        _sweep_temporaries(target)
        if not target.is_file() or target.read_bytes() != change.file.raw:
            raise _changed(change.file.display)
    for change, _target in targets:
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
                    f"kunne ikkje skrive fila: {exc.strerror or exc}; fila er som før",
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
            "fila er endra på disken etter at kokom las ho (i ein editor?); endringa er ikkje lagra: "
            "lagre eller lukk fila i editoren og køyr kommandoen på nytt",
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
                f"det innebygde nasjonale korpuset kan ikkje redigerast; lag eit arbeidsområde (ei mappe med "
                f"{CONFIG_NAME} og ein kopi av requirements/), og køyr kommandoen der eller med --root",
            ),
        )
