"""Options that several commands share, declared once: where to work, what to print, which day and language."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

from kokom_cli.core.i18n import htr

RootOption = Annotated[
    Path | None,
    typer.Option(
        "--root",
        file_okay=False,
        help=htr(
            "Mappen til arbeidsområdet (med kokom.yaml). Standard: funnet over gjeldende mappe, "
            "ellers de innebygde nasjonale kravene.",
            "Workspace folder (holds kokom.yaml). Default: found above the current folder, "
            "else the built-in national corpus.",
            "Mappa til arbeidsområdet (med kokom.yaml). Standard: funnen over gjeldande mappe, "
            "elles dei innebygde nasjonale krava.",
        ),
    ),
]
JsonOption = Annotated[
    bool,
    typer.Option(
        "--json",
        help=htr(
            "Skriv ett JSON-dokument til stdout.",
            "Print one JSON document on stdout.",
            "Skriv eitt JSON-dokument til stdout.",
        ),
    ),
]

AsOfOption = Annotated[
    str | None,
    typer.Option(
        "--as-of",
        metavar="DATE",
        help=htr(
            "Regn per denne dagen (ÅÅÅÅ-MM-DD): frister, dokumentasjonens alder og unntak. Standard: i dag.",
            "Count as on this day (YYYY-MM-DD): due dates, evidence age and waivers. Default: today.",
            "Rekn per denne dagen (ÅÅÅÅ-MM-DD): fristar, alderen på dokumentasjonen og unntak. Standard: i dag.",
        ),
    ),
]
LangOption = Annotated[
    str | None,
    typer.Option(
        "--lang",
        help=htr(
            "Etiketter: nb, nn eller en (standard: `kokom --lang`, ellers `language` i kokom.yaml).",
            "Labels: nb, nn or en (default: `kokom --lang`, else kokom.yaml `language`).",
            "Etikettar: nb, nn eller en (standard: `kokom --lang`, elles `language` i kokom.yaml).",
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
            "Mappe med malar som erstattar dei innebygde (standard: `templates:` i kokom.yaml).",
        ),
    ),
]
RequirementIdArgument = Annotated[
    str,
    typer.Argument(
        metavar="ID",
        help=htr(
            "Kravets id, f.eks. AMK-SVAR-01.",
            "Requirement id, e.g. AMK-SVAR-01.",
            "Id-en til kravet, t.d. AMK-SVAR-01.",
        ),
    ),
]

ForceOption = Annotated[
    bool,
    typer.Option(
        "--force",
        help=htr(
            "Overskriv en fil som finnes fra før.",
            "Overwrite an existing output file.",
            "Skriv over ei fil som finst frå før.",
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
            "Skriv òg når utdatafila er ei symbolsk lenkje (til det lenkja peikar på).",
        ),
    ),
]


def as_of_date(value: str | None):
    """The --as-of day, today when not given."""
    import datetime as dt

    from kokom_cli.core.selection import parse_date

    return parse_date(value, "--as-of", dt.date.today())
