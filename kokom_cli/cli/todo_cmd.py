"""`kokom assess todo ASSESSMENT [--owner NAME]`: what each person still has to answer or document."""

from __future__ import annotations

from typing import Annotated

import typer

from kokom_cli.cli.assess_cmd import AssessmentArgument, evaluate_file
from kokom_cli.cli.options import AsOfOption, JsonOption, RootOption
from kokom_cli.cli.output import EXIT_FOUND, EXIT_OK, console, emit_json, guarded, markup_safe
from kokom_cli.core.i18n import htr

MISSING_LABELS = {
    "answer": ("svar", "answer", "svar"),
    "justification-missing": ("begrunnelse", "justification", "grunngiving"),
    "evidence-missing": ("dokumentasjon", "evidence", "dokumentasjon"),
    "evidence-stale": ("nyere dokumentasjon", "newer evidence", "nyare dokumentasjon"),
}


def register(assess_app: typer.Typer) -> None:
    assess_app.command(
        "todo",
        help=htr(
            "Kravene hver person fortsatt skal svare på eller dokumentere (`owner:` på svaret, ellers "
            "`assessed_by`).\n\nUtgangskode 1 når noe gjenstår.",
            "The requirements each person still has to answer or document (`owner:` on the answer, else "
            "`assessed_by`).\n\nExit 1 when something is left.",
            "Krava kvar person framleis skal svare på eller dokumentere (`owner:` på svaret, elles "
            "`assessed_by`).\n\nUtgangskode 1 når noko står att.",
        ),
    )(todo)


@guarded
def todo(
    assessment: AssessmentArgument,
    owner: Annotated[
        str | None,
        typer.Option(
            "--owner",
            metavar="NAME",
            help=htr("Bare denne personens krav.", "Only this person's.", "Berre krava til denne personen."),
        ),
    ] = None,
    as_of: AsOfOption = None,
    root: RootOption = None,
    json_out: JsonOption = False,
) -> None:
    from kokom_cli.core.i18n import tr
    from kokom_cli.followup.todo import todo as owed

    items = owed(evaluate_file(assessment, root, as_of), owner)
    if json_out:
        emit_json({"owner": owner, "items": [i.as_json() for i in items]})
        raise typer.Exit(EXIT_FOUND if items else EXIT_OK)
    out = console()
    if not items:
        out.print(tr("Ingenting gjenstår.", "Nothing is left.", "Ingenting står att."))
    by_owner: dict[str, list] = {}
    for item in items:
        by_owner.setdefault(
            item.owner or tr("(ingen ansvarlig)", "(nobody responsible)", "(ingen ansvarleg)"), []
        ).append(item)
    for who, group in by_owner.items():
        out.print(f"[bold]{markup_safe(who)}[/bold] ({len(group)})")
        for item in group:
            missing = ", ".join(tr(*MISSING_LABELS[m]) for m in item.missing)
            out.print(f"  {markup_safe(item.requirement):<16} {item.level:<4} {missing:<32} {markup_safe(item.title)}")
    raise typer.Exit(EXIT_FOUND if items else EXIT_OK)
