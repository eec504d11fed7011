"""Publishing a document from a command: options checked once, the render, a progress line while the PDF is laid out.

Shared by every command that writes HTML or PDF (handbook, procedure books,
self-assessment report, overview).
"""

from __future__ import annotations

import gc
import re
from pathlib import Path
from typing import Annotated

import typer

from kokom_cli.cli.output import fail, print_lines, workspace
from kokom_cli.core.i18n import htr

FormatOption = Annotated[
    str, typer.Option("--format", "-f", help=htr("html eller pdf.", "html or pdf.", "html eller pdf."))
]
VariantOption = Annotated[
    str | None,
    typer.Option(
        "--pdf-variant",
        help=htr(
            "pdf/ua-1 (tagget, universelt utformet) eller pdf/a-3u.",
            "pdf/ua-1 (tagged, accessible) or pdf/a-3u.",
            "pdf/ua-1 (tagga, universelt utforma) eller pdf/a-3u.",
        ),
    ),
]


def publish(
    template: str,
    context_of,
    *,
    fmt: str,
    out: Path,
    lang: str | None,
    templates: Path | None,
    variant: str | None,
    root: Path | None,
    attachments=None,
    force: bool = False,
    book: bool = False,
) -> None:
    """Render `template` with the context `context_of(workspace)` returns, then write HTML or PDF.

    Shared by every command that publishes a document (handbook, procedure books, reports).
    Template and resource problems print one line each and exit 1; no output file is left behind.
    `book`: the page may be laid out in parts (the handbook, see publish.parts).
    """
    from kokom_cli.core.atomic import refuse_symlink
    from kokom_cli.core.i18n import LANGUAGES, language, set_language, tr
    from kokom_cli.core.selection import require_choice, usage_error
    from kokom_cli.publish.render import PDF_VARIANTS, RenderError, render_html, write_html

    require_choice(fmt, ("html", "pdf"), "--format")
    refuse_symlink(out, force=force)  # before the work, so a planted link costs nothing
    if lang is not None:
        set_language(require_choice(lang, LANGUAGES, "--lang"))  # generated text (annexes) follows the labels
    if variant is not None:
        require_choice(variant, PDF_VARIANTS, "--pdf-variant")
        if fmt != "pdf":
            raise usage_error(
                "--pdf-variant",
                tr("gjelder bare --format pdf", "only applies to --format pdf", "gjeld berre --format pdf"),
            )
    ws = workspace(root)
    # labels: this command's --lang, else `kokom --lang nn|en` / KOKOM_LANG, else kokom.yaml `language`
    lang = lang or (language() if language() != "nb" else ws.config.language)

    def render() -> str:
        # Loading and templating allocate millions of objects and free almost none: the cycle
        # collector would walk them again and again for nothing (a third of the time at 5,000 requirements).
        gc.disable()
        try:
            return render_html(template, context_of(ws), workspace=ws, lang=lang, templates_dir=templates)
        finally:
            gc.enable()

    try:
        if fmt == "html":
            write_html(render(), out, force=force)
            return
        warnings = _pdf_with_progress(render, out, ws, templates, variant, attachments, force, book)
    except RenderError as exc:
        raise fail(exc.findings, exc.exit_code) from None
    print_lines([f"weasyprint: {w}" for w in dict.fromkeys(warnings)], stderr=True)


def _pdf_with_progress(render, out, ws, templates, variant, attachments, force=False, book=False) -> list[str]:
    """write_pdf with a rich status line on stderr that follows WeasyPrint's steps and pages.

    The HTML goes to write_pdf as a temporary, so no frame here keeps it alive while the pages are laid out.
    """
    from kokom_cli.cli.output import console, markup_safe
    from kokom_cli.core.i18n import tr
    from kokom_cli.publish.render import write_pdf

    err = console(stderr=True)
    with err.status(tr("Lager PDF ...", "Making the PDF ...", "Lagar PDF ..."), spinner="dots") as status:

        def progress(message: str) -> None:
            page = re.search(r"Creating layout - Page (\d+)", message)
            number = page.group(1) if page else ""
            status.update(
                tr(
                    f"Lager PDF: side {number} er satt",
                    f"Making the PDF: page {number} laid out",
                    f"Lagar PDF: side {number} er sett",
                )
                if page
                else f"PDF: {markup_safe(message)}"
            )

        return write_pdf(
            render(),
            out,
            workspace=ws,
            templates_dir=templates,
            variant=variant,
            attachments=attachments,
            progress=progress if err.is_terminal else None,
            force=force,
            book=book,
        )
