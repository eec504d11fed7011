"""`kokom requirements new|set|retire` and `kokom procedures set`: safe edits of the workspace's YAML.

The commands are added to the `requirements` and `procedures` sub-apps by
`register`. All the work is in `kokom_cli.editing.edits`; here are the options
and the printing (`requirements new`, with its prompts, is in `new_requirement_cmd`).
"""

from __future__ import annotations

import sys
from typing import Annotated

import typer

from kokom_cli.cli.options import RequirementIdArgument, RootOption
from kokom_cli.cli.output import guarded, print_lines, show_dry_run, workspace
from kokom_cli.core.i18n import htr

DryRunOption = Annotated[
    bool,
    typer.Option(
        "--dry-run",
        help=htr(
            "Vis endringen som en diff (unified); skriv ingenting.",
            "Print the change as a unified diff; write nothing.",
            "Vis endringa som ein diff (unified); skriv ingenting.",
        ),
    ),
]


def finish(ws, plan, dry_run: bool) -> None:
    """Run an edit and report it: the diff for --dry-run, else the files written; warnings on stderr."""
    from kokom_cli.core.i18n import tr
    from kokom_cli.editing.edits import run_edit

    changes, warnings = run_edit(ws, plan, dry_run=dry_run)
    print_lines([w.render() for w in warnings], stderr=True)
    if not changes:
        print_lines(
            [
                tr(
                    "Ingen endring: verdien er allerede slik.",
                    "No change: the value is already so.",
                    "Inga endring: verdien er allereie slik.",
                )
            ]
        )
    elif dry_run:
        show_dry_run(changes)
    else:
        print_lines(
            [tr(f"Skrev {c.file.display}", f"Wrote {c.file.display}", f"Skreiv {c.file.display}") for c in changes]
        )


def set_requirement(
    requirement_id: RequirementIdArgument,
    field: Annotated[
        str,
        typer.Argument(
            metavar="FIELD",
            help=htr(
                "Feltet, med punktum for felt inni felt: level, metric.threshold_seconds, source.0.url.",
                "Field, dotted for nested ones: level, metric.threshold_seconds, source.0.url.",
                "Feltet, med punktum for felt inni felt: level, metric.threshold_seconds, source.0.url.",
            ),
        ),
    ],
    value: Annotated[
        str,
        typer.Argument(
            metavar="VALUE",
            help=htr(
                "Ny verdi. Tekst slik den er skrevet; andre felt leses som YAML (10, 0.9, [amk, legevakt], "
                "{class: editorial, text: ...}); 'null' fjerner et valgfritt felt.",
                "New value. Text as typed; other fields read as YAML (10, 0.9, [amk, legevakt], "
                "{class: editorial, text: ...}); 'null' removes an optional field.",
                "Ny verdi. Tekst slik han er skriven; andre felt blir lesne som YAML (10, 0.9, [amk, legevakt], "
                "{class: editorial, text: ...}); 'null' fjernar eit valfritt felt.",
            ),
        ),
    ],
    dry_run: DryRunOption = False,
    root: RootOption = None,
) -> None:
    from kokom_cli.editing.edits import set_requirement_field

    ws = workspace(root)
    finish(ws, lambda: set_requirement_field(ws, requirement_id, field, value), dry_run)


def retire(
    requirement_id: Annotated[
        str,
        typer.Argument(
            metavar="ID",
            help=htr(
                "Kravet som skal settes som utgått.",
                "The requirement to retire.",
                "Kravet som skal setjast som utgått.",
            ),
        ),
    ],
    replaced_by: Annotated[
        str | None,
        typer.Option(
            "--replaced-by",
            metavar="ID",
            help=htr(
                "Kravet som erstatter det (får det i `replaces`).",
                "The requirement that replaces it (gets it in `replaces`).",
                "Kravet som erstattar det (får det i `replaces`).",
            ),
        ),
    ] = None,
    dry_run: DryRunOption = False,
    root: RootOption = None,
) -> None:
    from kokom_cli.editing.edits import retire_requirement

    ws = workspace(root)
    finish(ws, lambda: retire_requirement(ws, requirement_id, replaced_by), dry_run)


def set_procedure(
    procedure_id: Annotated[
        str,
        typer.Argument(
            metavar="ID",
            help=htr(
                "Id-en til prosedyren eller indekskortet, f.eks. PROS-AMK-01.",
                "Procedure or dispatch card id, e.g. PROS-AMK-01.",
                "Id-en til prosedyren eller indekskortet, t.d. PROS-AMK-01.",
            ),
        ),
    ],
    field: Annotated[
        str,
        typer.Argument(
            metavar="FIELD",
            help=htr(
                "Feltet, med punktum for felt inni felt: version, steps.0.text, review_interval_months.",
                "Field, dotted for nested ones: version, steps.0.text, review_interval_months.",
                "Feltet, med punktum for felt inni felt: version, steps.0.text, review_interval_months.",
            ),
        ),
    ],
    value: Annotated[
        str,
        typer.Argument(
            metavar="VALUE",
            help=htr(
                "Ny verdi (se `kokom requirements set`).",
                "New value (see `kokom requirements set`).",
                "Ny verdi (sjå `kokom requirements set`).",
            ),
        ),
    ],
    dry_run: DryRunOption = False,
    root: RootOption = None,
) -> None:
    from kokom_cli.editing.edits import set_procedure_field

    ws = workspace(root)
    finish(ws, lambda: set_procedure_field(ws, procedure_id, field, value), dry_run)


def interactive() -> bool:
    """True when a person can answer prompts (stdin is a terminal)."""
    return sys.stdin.isatty()


def register(requirements_app: typer.Typer, procedures_app: typer.Typer) -> None:
    """Add the edit commands to the `requirements` and `procedures` sub-apps."""
    from kokom_cli.cli.new_requirement_cmd import new

    requirements_app.command(
        "new",
        help=htr(
            "Legg til et krav i et kapittel. Felt som mangler, blir du spurt om i en terminal; i et skript gis de "
            "som valg.",
            "Add a requirement to a chapter. Missing fields are asked for in a terminal; in a script give them "
            "as options.",
            "Legg til eit krav i eit kapittel. Felt som manglar, får du spørsmål om i ein terminal; i eit "
            "skript blir dei gitt som val.",
        ),
    )(guarded(new))
    requirements_app.command(
        "set",
        help=htr(
            "Sett ett felt i et krav; resten av filen beholdes byte for byte.",
            "Set one field of a requirement, keeping the rest of the file byte for byte.",
            "Set eitt felt i eit krav; resten av fila blir teken vare på byte for byte.",
        ),
    )(guarded(set_requirement))
    requirements_app.command(
        "retire",
        help=htr(
            "Sett et krav som utgått (status: retired), eventuelt med kravet som tar over.",
            "Retire a requirement (status: retired), optionally naming its successor.",
            "Set eit krav som utgått (status: retired), eventuelt med kravet som tek over.",
        ),
    )(guarded(retire))
    procedures_app.command(
        "set",
        help=htr(
            "Sett ett felt i en prosedyre eller et indekskort; resten av filen beholdes byte for byte.",
            "Set one field of a procedure or dispatch card, keeping the rest of the file byte for byte.",
            "Set eitt felt i ein prosedyre eller eit indekskort; resten av fila blir teken vare på byte for byte.",
        ),
    )(guarded(set_procedure))
