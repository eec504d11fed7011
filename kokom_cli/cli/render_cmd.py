"""`kokom render handbook|procedures`: the books as HTML or PDF."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

from kokom_cli.cli.options import LangOption, RootOption, TemplatesOption, ThroughLinkOption
from kokom_cli.cli.output import guarded
from kokom_cli.cli.publishing import FormatOption, VariantOption, publish
from kokom_cli.core.i18n import htr

app = typer.Typer(
    help=htr(
        "Publiser bøkene som HTML eller PDF.",
        "Publish the books as HTML or PDF.",
        "Publiser bøkene som HTML eller PDF.",
    ),
    no_args_is_help=True,
)

OutOption = Annotated[
    Path,
    typer.Option(
        "-o", "--output", help=htr("Filen som skrives.", "File to write.", "Fila som blir skriven."), dir_okay=False
    ),
]


@app.command(
    "handbook",
    help=htr(
        "Kravhåndboken: forside, innhold, kapitler, register etter tjenestetype, sporbarhet.",
        "The requirements handbook: cover, contents, chapters, index by service kind, traceability.",
        "Kravhandboka: framside, innhald, kapittel, register etter tenestetype, sporbarheit.",
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
                "Legg til eit vedlegg om kva som er nytt, og merk krava som er endra sidan utgåva OLD (ei mappe "
                "eller ein git-revisjon, som for `kokom diff`).",
            ),
        ),
    ] = None,
    root: RootOption = None,
) -> None:
    from kokom_cli.procedures.books import load_books
    from kokom_cli.publish.handbook import handbook_context, trace_for_handbook
    from kokom_cli.requirements.corpus import workspace_corpus

    def context(ws):
        corpus = workspace_corpus(ws)
        data = handbook_context(ws, corpus, trace=trace_for_handbook(corpus, load_books(ws)))
        if changes_since is not None:
            from kokom_cli.editions.whatsnew import whats_new

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
        book=True,
    )
    _wrote(out)


@app.command(
    "procedures",
    help=htr(
        "Én prosedyrebok: prosedyrer med dokumentstyring og trinn, indekskort etter hastegrad.",
        "One procedure book: procedures with document control and steps, dispatch cards by urgency.",
        "Éi prosedyrebok: prosedyrar med dokumentstyring og trinn, indekskort etter hastegrad.",
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
                "Id-en til boka, t.d. amk (sjå `kokom procedures list`).",
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
    from kokom_cli.requirements.corpus import workspace_corpus

    def context(ws):
        return procedure_book_context(ws, load_books(ws), workspace_corpus(ws), book)

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
    _wrote(out)


def _wrote(out: Path) -> None:
    """The same line `assess report` prints when it has written its file."""
    from kokom_cli.cli.output import print_lines
    from kokom_cli.core.i18n import tr

    print_lines([tr(f"Skrev {out}", f"Wrote {out}", f"Skreiv {out}")], stderr=True)
