"""Findings: one problem in one file, at one position, with a stable code."""

from __future__ import annotations

import os
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import asdict, dataclass
from enum import Enum
from pathlib import Path


class Severity(str, Enum):
    error = "error"
    warning = "warning"


@dataclass(frozen=True, order=True)
class Finding:
    """A problem a user must see. `line` and `column` are 1-based; 0 means "whole file"."""

    path: str
    line: int
    column: int
    severity: Severity
    code: str
    message: str

    def render(self) -> str:
        return f"{self.path}:{self.line}:{self.column}: {self.severity.value} {self.code}: {self.message}"

    def as_json(self) -> dict:
        data = asdict(self)
        data["severity"] = self.severity.value
        return data

    def with_severity(self, severity: Severity) -> Finding:
        return Finding(self.path, self.line, self.column, severity, self.code, self.message)


_ALIASES: dict[Path, str] = {}  # a temporary folder -> how its files are shown (an unpacked pack: `pack.zip`)


@contextmanager
def display_alias(folder: Path, shown: str) -> Iterator[None]:
    """While inside, files under `folder` display as `shown/<relative path>` (the user never sees a temp folder)."""
    real = folder.resolve()
    _ALIASES[real] = shown
    try:
        yield
    finally:
        _ALIASES.pop(real, None)


def display_path(path: Path | str, base: Path | None = None) -> str:
    """A path as the user should read it: relative to `base` (or the working folder) when inside it."""
    path = Path(path)
    if _ALIASES:
        try:
            real = Path(os.path.normpath(path.absolute()))  # as written: links are not followed
        except (OSError, ValueError):
            real = path
        for folder, shown in _ALIASES.items():
            if real.is_relative_to(folder):
                return str(Path(shown) / real.relative_to(folder))
    for anchor in (base, Path.cwd()):
        if anchor is None:
            continue
        try:
            return str(path.resolve().relative_to(anchor.resolve()))
        except ValueError:
            continue
    return str(path)


def has_errors(findings: list[Finding]) -> bool:
    return any(f.severity is Severity.error for f in findings)


class KokomError(Exception):
    """A command cannot go on. Carries its findings and the exit code of the contract.

    2 (the default) for a usage error or input that cannot be read; 1 when the
    command ran and what it found stops it (a render that fails, say).
    """

    def __init__(self, findings: list[Finding] | Finding, exit_code: int = 2):
        self.findings = findings if isinstance(findings, list) else [findings]
        self.exit_code = exit_code
        super().__init__("; ".join(f.render() for f in self.findings))

    @classmethod
    def at(cls, path: str, code: str, message: str, line: int = 0, column: int = 0) -> KokomError:
        """One error at one place."""
        return cls(Finding(path, line, column, Severity.error, code, message))

    @classmethod
    def unreadable(cls, path: str, exc: OSError) -> KokomError:
        """A file the system would not let us read (permissions, gone, an I/O error): `file-unreadable`."""
        from kokom_cli.core.i18n import tr

        return cls.at(
            path,
            "file-unreadable",
            tr(
                f"kan ikke lese filen: {exc.strerror}",
                f"cannot read the file: {exc.strerror}",
                f"kan ikkje lese fila: {exc.strerror}",
            ),
        )
