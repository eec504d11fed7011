"""The handbook's PDF in parts: worker processes, failures as one line, the joined file (see `publish.parts`)."""

from __future__ import annotations

import multiprocessing
import sys
from collections.abc import Callable
from pathlib import Path

from kokom_cli.core.i18n import tr
from kokom_cli.publish.errors import render_error
from kokom_cli.publish.resources import refused_message

# what the parts rely on: the built-in page structure and style sheets (a label override is fine)
LAYOUT_FILES = ("handbook.html.j2", "base.html.j2", "macros.html.j2", "print.css", "style.css")


def builtin_layout(dirs: list[Path]) -> bool:
    """True when no template override replaces a file the handbook's structure or print styles come from."""
    return not any((folder / name).exists() for folder in dirs[:-1] for name in LAYOUT_FILES)


# Below this the page is laid out as one document. The national handbook (200 kB, 46 pages) is not faster in
# parts on 2 shared cores: the workers' own WeasyPrint import, the page-number document and the join cost
# about a second of CPU, which only free cores pay back (bench/README.md, "in parts").
MIN_CHARS = 500_000
_POOL: list = []


def start_workers() -> None:
    """Start the worker processes; each loads WeasyPrint and lays out a small page first."""
    from kokom_cli.publish.part_worker import warm_up
    from kokom_cli.publish.parts import worker_count

    if not _POOL and usable():
        _POOL.append(multiprocessing.get_context("fork").Pool(worker_count(), initializer=warm_up))


def usable() -> bool:
    """Parts need fork (Linux): a task's process is forked from a warmed-up worker."""
    return sys.platform.startswith("linux")


def write_in_parts(
    html: str, roots: list[Path], out_display: str, progress: Callable[[str], None] | None
) -> tuple[bytes, list[str]] | None:
    """(PDF, warnings) of the page laid out in parts, or None when it is not cut into parts.

    Raises RenderError as `write_pdf` does (a refused resource, a failed layout).
    """
    from kokom_cli.publish.part_worker import PartResult
    from kokom_cli.publish.parts import lay_out, split_book

    split = split_book(html) if usable() and len(html) >= MIN_CHARS else None
    if split is None:
        return None
    del html
    start_workers()
    try:
        outcome = lay_out(split, base_url=roots[0].as_uri() + "/", roots=roots, pool=_POOL[0], progress=progress)
    finally:
        stop_workers()
    if outcome is None:
        return None
    if isinstance(outcome, PartResult):
        if outcome.refused:
            raise render_error(out_display, "resource-refused", refused_message(outcome.refused))
        raise render_error(
            out_display,
            "render-failed",
            tr(
                f"WeasyPrint kunne ikke lage PDF: {outcome.error}",
                f"WeasyPrint could not make the PDF: {outcome.error}",
                f"WeasyPrint kunne ikkje lage PDF: {outcome.error}",
            ),
        )
    from kokom_cli.publish.pdfjoin import join

    results, numbers = outcome
    if progress is not None:
        progress("Step 6 - Creating PDF")
    pdf = join([r.pdf or b"" for r in results], numbers.pdf or b"")
    warnings = [w for r in (*results, numbers) for w in r.warnings]
    return pdf, warnings


def stop_workers() -> None:
    """End the worker processes (start_workers' caller does, whatever happened in between)."""
    while _POOL:
        _POOL.pop().terminate()
