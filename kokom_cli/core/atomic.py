"""Writing files so that a crash never leaves a half-written file behind."""

from __future__ import annotations

import os
import tempfile
from collections.abc import Callable
from pathlib import Path
from typing import BinaryIO


class FileChanged(Exception):
    """The file on disk is no longer what the caller read: someone else wrote it meanwhile."""


def temp_prefix(target: Path) -> str:
    """Temporary files for `target` are named `.<name>.<random>.tmp` in its folder."""
    return f".{target.name}."


def refuse_existing(path: Path, *, force: bool = False) -> None:
    """Raise KokomError (`file-exists`) when `path` exists, unless `force`: no command overwrites a file unasked."""
    if force or not os.path.lexists(path):
        return
    from kokom_cli.core.findings import KokomError
    from kokom_cli.core.i18n import tr

    raise KokomError.at(
        str(path),
        "file-exists",
        tr(
            "filen finnes allerede; velg et annet navn eller bruk --force",
            "the file already exists; choose another name or use --force",
            "fila finst allereie; vel eit anna namn eller bruk --force",
        ),
    )


def refuse_symlink(path: Path, *, force: bool = False) -> None:
    """Raise KokomError when `path` is a symbolic link (dangling or not), unless `force`.

    Received folders may hold planted links (`oversikt.html` -> a file of the advisor's): no output
    is written through one unless the user asks for it with --force. The one check every writer uses.
    """
    if force or not os.path.islink(path):
        return
    from kokom_cli.core.findings import Finding, KokomError, Severity
    from kokom_cli.core.i18n import tr

    raise KokomError(
        Finding(
            str(path),
            0,
            0,
            Severity.error,
            "output-symlink",
            tr(
                "er en symbolsk lenke; kokom skriver ikke gjennom lenker (ingenting er skrevet): slett lenken, "
                "velg et annet navn, eller bruk --force for å skrive til det lenken peker på",
                "is a symbolic link; kokom does not write through links (nothing was written): remove the link, "
                "choose another name, or use --force to write to what the link points at",
                "er ei symbolsk lenkje; kokom skriv ikkje gjennom lenkjer (ingenting er skrive): slett lenkja, "
                "vel eit anna namn, eller bruk --force for å skrive til det lenkja peikar på",
            ),
        )
    )


def write_bytes_atomic(path: Path, data: bytes, *, expect: bytes | None = None, force: bool = False) -> None:
    """Write via a temporary file in the same folder, fsync, rename, fsync the folder.

    A symlink is refused (KokomError, see `refuse_symlink`); with `force` it is written at its
    target. An existing file keeps its permissions. With `expect`, the file must still hold
    exactly those bytes right before it is replaced, else FileChanged is raised and nothing is written.
    """
    write_atomic_with(path, lambda handle: handle.write(data), expect=expect, force=force)


def write_atomic_with(
    path: Path, fill: Callable[[BinaryIO], object], *, expect: bytes | None = None, force: bool = False
) -> None:
    """`write_bytes_atomic` for output too large to hold in memory: `fill` writes it to the open temporary file."""
    refuse_symlink(path, force=force)
    target = path.resolve() if path.is_symlink() else path
    folder = target.parent
    mode = target.stat().st_mode & 0o7777 if target.exists() else None
    fd, tmp = tempfile.mkstemp(prefix=temp_prefix(target), suffix=".tmp", dir=folder)
    try:
        with os.fdopen(fd, "wb") as handle:
            fill(handle)
            handle.flush()
            os.fsync(handle.fileno())
        if mode is not None:
            os.chmod(tmp, mode)
        else:
            umask = os.umask(0)
            os.umask(umask)
            os.chmod(tmp, 0o666 & ~umask)
        if expect is not None and (not target.is_file() or target.read_bytes() != expect):
            raise FileChanged(str(target))
        os.replace(tmp, target)
    except BaseException as exc:
        Path(tmp).unlink(missing_ok=True)
        if isinstance(exc, OSError) and exc.filename is None:
            exc.filename = str(path)  # a full disk names the file it could not write
        raise
    dir_fd = os.open(folder, os.O_RDONLY)
    try:
        os.fsync(dir_fd)
    finally:
        os.close(dir_fd)


def write_text_atomic(path: Path, text: str, *, force: bool = False) -> None:
    write_bytes_atomic(path, text.encode("utf-8"), force=force)
