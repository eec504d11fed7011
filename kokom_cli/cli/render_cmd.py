"""`kokom render handbook|procedures`: the books as HTML or PDF."""

from __future__ import annotations

import gc
import re
from pathlib import Path
from typing import Annotated

import typer

from kokom_cli.cli.output import RootOption, fail, guarded, print_lines, workspace
from kokom_cli.core.i18n import htr

app = typer.Typer(
    help=htr("Publiser bøkene som HTML eller PDF.", "Publish the books as HTML or PDF."), no_args_is_help=True
)

FormatOption = Annotated[str, typer.Option("--format", "-f", help=htr("html eller pdf.", "html or pdf."))]
OutOption = Annotated[
    Path, typer.Option("-o", "--output", help=htr("Filen som skrives.", "File to write."), dir_okay=False)
]
LangOption = Annotated[
    str | None,
    typer.Option(
        "--lang",
        help=htr(
            "Etiketter: nb, nn eller en (standard: `kokom --lang`, ellers `language` i kokom.yaml).",
            "Labels: nb, nn or en (default: `kokom --lang`, else kokom.yaml `language`).",
        ),
    ),
]
TemplatesOption = Annotated[
    Path | None,
    typer.Option(
        "--templates",
        file_okay=False,
        help=htr(
            "Mappe med maler som erstatter de innebygde (standard: `templates:` i kokom.yaml).",
            "Folder of templates overriding the built-in ones (default: kokom.yaml `templates:`).",
        ),
    ),
]
ThroughLinkOption = Annotated[
    bool,
    typer.Option(
        "--force",
        help=htr(
            "Skriv også når utdatafilen er en symbolsk lenke (til det lenken peker på).",
            "Write even when the output file is a symbolic link (to what it points at).",
        ),
    ),
]
VariantOption = Annotated[
    str | None,
    typer.Option(
        "--pdf-variant",
        help=htr(
            "pdf/ua-1 (tagget, universelt utformet) eller pdf/a-3u.", "pdf/ua-1 (tagged, accessible) or pdf/a-3u."
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
) -> None:
    """Render `template` with the context `context_of(workspace)` returns, then write HTML or PDF.

    Shared by every command that publishes a document (handbook, procedure books, reports).
    Template and resource problems print one line each and exit 1; no output file is left behind.
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
            raise usage_error("--pdf-variant", tr("gjelder bare --format pdf", "only applies to --format pdf"))
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
        warnings = _pdf_with_progress(render, out, ws, templates, variant, attachments, force)
    except RenderError as exc:
        raise fail(exc.findings, exc.exit_code) from None
    print_lines([f"weasyprint: {w}" for w in dict.fromkeys(warnings)], stderr=True)


def _pdf_with_progress(render, out, ws, templates, variant, attachments, force=False) -> list[str]:
    """write_pdf with a rich status line on stderr that follows WeasyPrint's steps and pages.

    The HTML goes to write_pdf as a temporary, so no frame here keeps it alive while the pages are laid out.
    """
    from kokom_cli.cli.output import console, markup_safe
    from kokom_cli.core.i18n import tr
    from kokom_cli.publish.render import write_pdf

    err = console(stderr=True)
    with err.status(tr("Lager PDF ...", "Making the PDF ..."), spinner="dots") as status:

        def progress(message: str) -> None:
            page = re.search(r"Creating layout - Page (\d+)", message)
            number = page.group(1) if page else ""
            status.update(
                tr(f"Lager PDF: side {number} er satt", f"Making the PDF: page {number} laid out")
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
        )


@app.command(
    "handbook",
    help=htr(
        "Kravhåndboken: forside, innhold, kapitler, register etter tjenestetype, sporbarhet.",
        "The requirements handbook: cover, contents, chapters, index by service kind, traceability.",
    ),
)
@guarded
def handbook(
    fmt: FormatOption = "html",
    out: OutOption = Path("handbok.html"),
    lang: LangOption = None,
    templates: TemplatesOption = None,
    variant: VariantOption = None,
    force: ThroughLinkOption = False,
    changes_since: Annotated[
        str | None,
        typer.Option(
            "--changes-since",
            metavar="OLD",
            help=htr(
                "Legg til et vedlegg om hva som er nytt, og merk kravene som er endret siden utgaven OLD (en mappe "
                "eller en git-revisjon, som for `kokom diff`).",
                'Add a "what\'s new" annex and mark the requirements changed since the edition OLD (a folder or '
                "a git revision, as for `kokom diff`).",
            ),
        ),
    ] = None,
    root: RootOption = None,
) -> None:
    from kokom_cli.procedures.books import load_books
    from kokom_cli.publish.handbook import handbook_context, trace_for_handbook
    from kokom_cli.requirements.corpus import load_corpus

    def context(ws):
        corpus = load_corpus(ws.requirements_dir)
        data = handbook_context(ws, corpus, trace=trace_for_handbook(corpus, load_books(ws)))
        if changes_since is not None:
            from kokom_cli.editions.diff import whats_new

            data["changes"] = whats_new(ws, changes_since)
        return data

    publish(
        "handbook.html.j2",
        context,
        fmt=fmt,
        out=out,
        lang=lang,
        templates=templates,
        variant=variant,
        root=root,
        force=force,
    )


@app.command(
    "procedures",
    help=htr(
        "Én prosedyrebok: prosedyrer med dokumentstyring og trinn, indekskort etter hastegrad.",
        "One procedure book: procedures with document control and steps, dispatch cards by urgency.",
    ),
)
@guarded
def procedures(
    book: Annotated[
        str,
        typer.Argument(
            metavar="BOOK",
            help=htr(
                "Bokens id, f.eks. amk (se `kokom procedures list`).",
                "Book id, e.g. amk (see `kokom procedures list`).",
            ),
        ),
    ],
    fmt: FormatOption = "html",
    out: OutOption = Path("prosedyrebok.html"),
    lang: LangOption = None,
    templates: TemplatesOption = None,
    variant: VariantOption = None,
    force: ThroughLinkOption = False,
    root: RootOption = None,
) -> None:
    from kokom_cli.procedures.books import load_books
    from kokom_cli.publish.handbook import procedure_book_context
    from kokom_cli.requirements.corpus import load_corpus

    def context(ws):
        return procedure_book_context(ws, load_books(ws), load_corpus(ws.requirements_dir), book)

    publish(
        "procedures.html.j2",
        context,
        fmt=fmt,
        out=out,
        lang=lang,
        templates=templates,
        variant=variant,
        root=root,
        force=force,
    )
