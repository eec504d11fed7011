"""Remembering the findings of a workspace that has not changed since the last `kokom validate`.

Why: parsing YAML is most of what validate costs, and most runs (an editor's
check before a commit, a CI step, a pre-commit hook) look at files that have not
changed. The findings are a pure function of the input files, kokom's version,
the options, the language, the date and the working folder (paths are shown
relative to it), so a run with the same inputs may print the stored findings.

The inputs are the folders the workspace names (taken from the workspace on
every run, never from the cache file), compared by path, type, size,
modification and change time, inode and device of every entry under them,
symlinked folders included. As git does, a file modified within
a couple of seconds of the stored run is not trusted (file times are coarse),
so a quick edit-and-validate never sees stale findings. The cache is JSON in
the user's cache folder (never pickle, never inside the workspace); a cache
file that is not a small regular file of this user with kokom's own marker
is ignored, and one that is a link, FIFO or device is replaced, never written
through; anything unexpected in it means a full run. `KOKOM_NO_CACHE=1` or `--no-cache` turns it off.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
import os
import stat
import time
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from pathlib import Path

from kokom_cli import __version__
from kokom_cli.core.findings import Finding, KokomError, Severity

SKIP_DIRS = {".git", ".hg", ".venv", "venv", "node_modules", "__pycache__", ".hypothesis", ".pytest_cache"}
RACY_NS = 2_000_000_000
FORMAT = 2
MAX_CACHE_BYTES = 16 * 1024 * 1024
MAGIC = "kokom-validate-cache"


def cache_dir() -> Path:
    base = os.environ.get("XDG_CACHE_HOME") or str(Path.home() / ".cache")
    return Path(base) / "kokom" / "validate"


def _walk(folder: Path, seen: set[tuple[int, int]]) -> Iterator[tuple[str, os.stat_result, os.stat_result | None]]:
    """(path, lstat, stat of what a symlink points at) of every entry under `folder`, symlinked folders
    included (each real folder once, so a link loop ends). Skips version-control and tool folders."""
    try:
        info = os.stat(folder)
        if (info.st_dev, info.st_ino) in seen:
            return
        seen.add((info.st_dev, info.st_ino))
        entries = sorted(os.scandir(folder), key=lambda e: e.name)
    except (OSError, ValueError):
        return
    for entry in entries:
        try:
            link = entry.stat(follow_symlinks=False)
            target = os.stat(entry.path) if entry.is_symlink() else link
        except (OSError, ValueError):
            target = None
            link = None
        if link is None:
            yield entry.path, os.stat_result((0,) * 10), None
            continue
        yield entry.path, link, target
        if (
            target is not None
            and stat.S_ISDIR(target.st_mode)
            and entry.name not in SKIP_DIRS
            and not entry.name.startswith(".")
        ):
            yield from _walk(Path(entry.path), seen)


def _stamp(st: os.stat_result | None) -> str:
    if st is None:
        return "-"
    return f"{st.st_mode:o}:{st.st_size}:{st.st_mtime_ns}:{st.st_ctime_ns}:{st.st_ino}:{st.st_dev}"


def _fingerprint(folders: Iterable[Path], options: dict, not_after_ns: int | None) -> str | None:
    """A digest of every input; None when a file changed too recently to be trusted.

    Every entry under the folders counts (not only YAML: a referenced file may be checked), with
    its own and, for a symlink, its target's type, size, mtime, ctime, inode and device: a rewrite
    that keeps size and mtime still changes the ctime.
    """
    digest = hashlib.sha256(json.dumps(options, sort_keys=True).encode())
    seen: set[tuple[int, int]] = set()
    for folder in sorted({str(f) for f in folders}):
        digest.update(f"D{folder}\n".encode("utf-8", "surrogateescape"))
        for path, link, target in _walk(Path(folder), seen):
            if not_after_ns is not None and any(
                st is not None and st.st_mtime_ns >= not_after_ns - RACY_NS for st in (link, target)
            ):
                return None
            digest.update(f"{path}\0{_stamp(link)}\0{_stamp(target)}\n".encode("utf-8", "surrogateescape"))
    return digest.hexdigest()


def _read_own_file(path: Path) -> bytes | None:
    """The cache file's bytes if it is a small regular file of this user (never a FIFO, device or link)."""
    flags = os.O_RDONLY | getattr(os, "O_NOFOLLOW", 0) | getattr(os, "O_NONBLOCK", 0) | getattr(os, "O_NOCTTY", 0)
    try:
        before = os.lstat(path)
        if not stat.S_ISREG(before.st_mode) or before.st_size > MAX_CACHE_BYTES:
            return None
        fd = os.open(path, flags)
    except (OSError, ValueError):
        return None
    with os.fdopen(fd, "rb") as handle:
        info = os.fstat(handle.fileno())
        if (
            not stat.S_ISREG(info.st_mode)
            or info.st_size > MAX_CACHE_BYTES
            or (info.st_dev, info.st_ino)
            != (
                before.st_dev,
                before.st_ino,
            )
        ):
            return None
        if hasattr(os, "getuid") and info.st_uid != os.getuid():
            return None
        data = handle.read(MAX_CACHE_BYTES + 1)
    return data if len(data) <= MAX_CACHE_BYTES else None


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

    def lookup(self, folders: Iterable[Path]) -> list[Finding] | None:
        """The stored findings if every input in `folders` (taken from the workspace, never from the
        cache file) is as it was, else None."""
        raw = _read_own_file(self.path)
        if raw is None:
            return None
        try:
            entry = json.loads(raw.decode("utf-8"))
            if entry.get("magic") != MAGIC or entry.get("format") != FORMAT:
                return None
            key = _fingerprint(folders, self.options, int(entry["stored_at_ns"]))
            if key is None or key != entry["key"]:
                return None
            self.note = entry.get("note")
            return [
                Finding(
                    str(f["path"]),
                    int(f["line"]),
                    int(f["column"]),
                    Severity(f["severity"]),
                    str(f["code"]),
                    str(f["message"]),
                )
                for f in entry["findings"]
            ]
        except (OSError, ValueError, KeyError, TypeError, AttributeError, RecursionError):
            return None

    def start(self, folders: Iterable[Path]) -> tuple[str | None, int]:
        """Fingerprint the inputs before reading them, so an edit during the run is never missed."""
        started = time.time_ns()
        return _fingerprint(folders, self.options, None), started

    def store(self, started: tuple[str | None, int], findings: list[Finding], note: str | None = None) -> None:
        from kokom_cli.core.atomic import write_text_atomic

        key, started_ns = started
        if key is None:
            return
        entry = {
            "magic": MAGIC,
            "format": FORMAT,
            "key": key,
            "stored_at_ns": started_ns,
            "findings": [f.as_json() for f in findings],
            "note": note,
        }
        text = json.dumps(entry, ensure_ascii=False)
        if len(text.encode("utf-8")) > MAX_CACHE_BYTES:
            return
        try:
            self.path.parent.mkdir(parents=True, exist_ok=True, mode=0o700)
            try:
                info = os.lstat(self.path)
            except FileNotFoundError:
                info = None
            if info is not None and not stat.S_ISREG(info.st_mode):
                os.unlink(self.path)  # a link, FIFO or device in its place: removed, never written through
            write_text_atomic(self.path, text)
        except (OSError, KokomError):
            pass  # a cache that cannot be written only costs speed
