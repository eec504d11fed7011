"""One editor at a time: the workspace lock, through the filelock library (flock on Unix, msvcrt on Windows).

The lock file stays in place after release (filelock's design: every waiter
locks the same inode, so two holders never coexist); `kokom edition release`
and the validation ignore it.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from kokom_cli.core.findings import KokomError, display_path
from kokom_cli.core.i18n import tr

LOCK_NAME = ".kokom.lock"
LOCK_WAIT_SECONDS = 3.0


@contextmanager
def workspace_lock(root: Path, wait: float | None = None) -> Iterator[None]:
    """Hold the workspace's lock while editing; another kokom process waits, then gives up with one line."""
    from filelock import FileLock, Timeout

    path = root / LOCK_NAME
    lock = FileLock(path, timeout=LOCK_WAIT_SECONDS if wait is None else wait)
    try:
        lock.acquire(poll_interval=0.05)
    except Timeout:
        raise KokomError.at(
            display_path(path),
            "edit-locked",
            tr(
                "en annen kokom-prosess redigerer dette arbeidsområdet; prøv igjen når den er ferdig "
                f"(låsefilen er {LOCK_NAME} i arbeidsområdet)",
                "another kokom process is editing this workspace; try again when it has finished "
                f"(the lock file is {LOCK_NAME} in the workspace)",
                "ein annan kokom-prosess redigerer dette arbeidsområdet; prøv igjen når han er ferdig "
                f"(låsefila er {LOCK_NAME} i arbeidsområdet)",
            ),
        ) from None
    try:
        yield
    finally:
        lock.release()
