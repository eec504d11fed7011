"""Remembering the findings of a workspace that has not changed since the last `kokom validate`.

Why: parsing YAML is most of what validate costs, and most runs (an editor's
check before a commit, a CI step, a pre-commit hook) look at files that have not
changed. The findings are a pure function of the input files, kokom's version,
the options, the language, the date and the working folder (paths are shown
relative to it), so a run with the same inputs may print the stored findings.

The inputs are compared by path, size, modification time and inode of every
YAML file in the folders that were read. As git does, a file modified within
a couple of seconds of the stored run is not trusted (file times are coarse),
so a quick edit-and-validate never sees stale findings. The cache is JSON in
the user's cache folder (never pickle, never inside the workspace); anything
unexpected in it means a full run. `KOKOM_NO_CACHE=1` or `--no-cache` turns it off.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
import os
import time
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from pathlib import Path

from kokom_cli import __version__
from kokom_cli.core.findings import Finding, Severity

SKIP_DIRS = {".git", ".hg", ".venv", "venv", "node_modules", "__pycache__", ".hypothesis", ".pytest_cache"}
RACY_NS = 2_000_000_000
FORMAT = 1


def cache_dir() -> Path:
    base = os.environ.get("XDG_CACHE_HOME") or str(Path.home() / ".cache")
    return Path(base) / "kokom" / "validate"


def _yaml_files(folder: Path) -> Iterator[os.DirEntry]:
    try:
        entries = sorted(os.scandir(folder), key=lambda e: e.name)
    except OSError:
        return
    for entry in entries:
        if entry.is_dir(follow_symlinks=False):
            if entry.name not in SKIP_DIRS and not entry.name.startswith("."):
                yield from _yaml_files(Path(entry.path))
        elif entry.name.endswith((".yaml", ".yml")):
            yield entry


def _fingerprint(folders: Iterable[Path], options: dict, not_after_ns: int | None) -> str | None:
    """A digest of every input; None when a file changed too recently to be trusted."""
    digest = hashlib.sha256(json.dumps(options, sort_keys=True).encode())
    for folder in sorted({str(f) for f in folders}):
        digest.update(f"D{folder}\n".encode())
        for entry in _yaml_files(Path(folder)):
            st = entry.stat()
            if not_after_ns is not None and st.st_mtime_ns >= not_after_ns - RACY_NS:
                return None
            digest.update(f"{entry.path}\0{st.st_size}\0{st.st_mtime_ns}\0{st.st_ino}\n".encode())
    return digest.hexdigest()


@dataclass
class ValidationCache:
    """The stored findings for one workspace (or the built-in corpus) and one set of options."""

    scope: str
    options: dict
    note: str | None = None  # a line stored with the findings (the edition checked against), set by lookup

    @classmethod
    def for_run(
        cls, root: Path | None, *, strict: bool, language: str, as_of: dt.date | None = None
    ) -> ValidationCache:
        cwd = str(Path.cwd())
        options = {
            "format": FORMAT,
            "version": __version__,
            "strict": strict,
            "language": language,
            "as_of": (as_of or dt.date.today()).isoformat(),
            "cwd": cwd,
        }
        return cls(scope=str(root.resolve()) if root else "builtin", options=options)

    @property
    def path(self) -> Path:
        name = hashlib.sha256(json.dumps([self.scope, self.options], sort_keys=True).encode()).hexdigest()[:24]
        return cache_dir() / f"{name}.json"

    def lookup(self) -> list[Finding] | None:
        """The stored findings if every input is as it was, else None."""
        try:
            entry = json.loads(self.path.read_text(encoding="utf-8"))
            key = _fingerprint([Path(f) for f in entry["folders"]], self.options, entry["stored_at_ns"])
            if key is None or key != entry["key"]:
                return None
            self.note = entry.get("note")
            return [
                Finding(f["path"], f["line"], f["column"], Severity(f["severity"]), f["code"], f["message"])
                for f in entry["findings"]
            ]
        except (OSError, ValueError, KeyError, TypeError):
            return None

    def start(self, folders: Iterable[Path]) -> tuple[list[str], str | None, int]:
        """Fingerprint the inputs before reading them, so an edit during the run is never missed."""
        folders = sorted({str(f) for f in folders})
        started = time.time_ns()
        return folders, _fingerprint([Path(f) for f in folders], self.options, None), started

    def store(
        self, started: tuple[list[str], str | None, int], findings: list[Finding], note: str | None = None
    ) -> None:
        from kokom_cli.core.atomic import write_text_atomic

        folders, key, started_ns = started
        if key is None:
            return
        entry = {
            "key": key,
            "folders": folders,
            "stored_at_ns": started_ns,
            "findings": [f.as_json() for f in findings],
            "note": note,
        }
        try:
            self.path.parent.mkdir(parents=True, exist_ok=True)
            write_text_atomic(self.path, json.dumps(entry, ensure_ascii=False))
        except OSError:
            pass  # a cache that cannot be written only costs speed
