"""Laying out HTML with WeasyPrint and writing the PDF atomically, with only the resources `resources` allows."""

from __future__ import annotations

import gc
import logging
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING

from kokom_cli.core.findings import display_path
from kokom_cli.core.i18n import tr
from kokom_cli.publish.book_pdf import builtin_layout, write_in_parts
from kokom_cli.publish.errors import render_error
from kokom_cli.publish.resources import fetcher_class, refused_message, resource_roots, template_dirs

if TYPE_CHECKING:
    from kokom_cli.workspace import Workspace

PDF_VARIANTS = ("pdf/ua-1", "pdf/a-3u")


class _Collect(logging.Handler):
    def __init__(self, sink: Callable[[logging.LogRecord], None], level: int):
        super().__init__(level)
        self.sink = sink

    def emit(self, record: logging.LogRecord) -> None:
        self.sink(record)


def write_pdf(
    html: str,
    out_path: Path,
    *,
    workspace: Workspace,
    templates_dir: Path | None = None,
    variant: str | None = None,
    attachments: list[tuple[str, bytes]] | None = None,
    progress: Callable[[str], None] | None = None,
    force: bool = False,
    book: bool = False,
) -> list[str]:
    """Lay out `html` as PDF and write it atomically; nothing is written when it fails.

    Raises RenderError when the page refers to a resource outside the allowed
    folders (or to the network), or when WeasyPrint fails. Returns WeasyPrint's
    warnings (one line each) for the caller to show. `book`: the page is the
    built-in handbook, which is laid out in parts on the machine's cores when it
    can be (`publish.parts`; not for the PDF/UA and PDF/A variants or with attachments).
    """
    if variant is not None and variant not in PDF_VARIANTS:
        allowed = ", ".join(PDF_VARIANTS)
        raise render_error(
            "--pdf-variant",
            "usage",
            tr(
                f"ukjent PDF-variant '{variant}'; tillatt: {allowed}",
                f"unknown PDF variant '{variant}'; allowed: {allowed}",
                f"ukjend PDF-variant '{variant}'; tillate: {allowed}",
            ),
        )
    from kokom_cli.core.atomic import write_bytes_atomic

    roots = resource_roots(workspace, templates_dir)
    if book and variant is None and not attachments and builtin_layout(template_dirs(workspace, templates_dir)):
        joined = write_in_parts(html, roots, display_path(out_path), progress)
        if joined is not None:
            write_bytes_atomic(out_path, joined[0], force=force)
            return joined[1]
    import weasyprint

    fetcher_type, refused_class = fetcher_class()
    fetcher = fetcher_type(roots)
    warnings: list[str] = []
    logger = logging.getLogger("weasyprint")
    progress_logger = logging.getLogger("weasyprint.progress")
    handlers = [(logger, _Collect(lambda r: warnings.append(r.getMessage()), logging.WARNING))]
    if progress is not None:
        handlers.append((progress_logger, _Collect(lambda r: progress(r.getMessage()), logging.INFO)))
    old_level = progress_logger.level
    progress_logger.setLevel(logging.INFO if progress is not None else logging.WARNING)
    for log, handler in handlers:
        log.addHandler(handler)
    out_display = display_path(out_path)
    try:
        document = weasyprint.HTML(string=html, base_url=roots[0].as_uri() + "/", url_fetcher=fetcher)
        del html  # parsed: a caller that passed a temporary no longer holds the text during layout
        gc.collect()  # the template engine's and the loaders' garbage, before the pages take the memory
        files = [
            weasyprint.Attachment(string=data, name=name, url_fetcher=fetcher) for name, data in (attachments or [])
        ]
        # Layout allocates millions of short-lived objects: the objects alive now (parsed tree, modules)
        # are moved out of the collector's sight and it runs less often (about 15 % of WeasyPrint's time).
        gc.freeze()
        thresholds = gc.get_threshold()
        gc.set_threshold(50_000, 20, 20)
        try:
            pdf = document.write_pdf(pdf_variant=variant, attachments=files or None)
        finally:
            gc.set_threshold(*thresholds)
            gc.unfreeze()
    except refused_class:
        pdf = None
    except Exception as exc:
        raise render_error(
            out_display,
            "render-failed",
            tr(
                f"WeasyPrint kunne ikke lage PDF: {type(exc).__name__}: {exc}",
                f"WeasyPrint could not make the PDF: {type(exc).__name__}: {exc}",
                f"WeasyPrint kunne ikkje lage PDF: {type(exc).__name__}: {exc}",
            ),
        ) from None
    finally:
        for log, handler in handlers:
            log.removeHandler(handler)
        progress_logger.setLevel(old_level)
    if fetcher.refused or pdf is None:
        raise render_error(out_display, "resource-refused", refused_message(fetcher.refused))
    write_bytes_atomic(out_path, pdf, force=force)
    return warnings
