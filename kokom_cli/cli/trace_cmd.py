"""`kokom trace`: which procedures fulfil which requirements."""

from __future__ import annotations

from typing import Annotated

import typer

from kokom_cli.cli.options import JsonOption, RootOption
from kokom_cli.cli.output import EXIT_FOUND, EXIT_OK, console, emit_json, guarded, markup_safe
from kokom_cli.core.i18n import htr


def register(app: typer.Typer) -> None:
    app.command(
        "trace",
        help=htr(
            "For hvert krav: prosedyrene som oppfyller det. Utgangskode 1 hvis en prosedyre viser til en ukjent "
            "eller utgått id.",
            "For each requirement, the procedures that fulfil it. Exit 1 if a procedure cites an unknown or "
            "retired id.",
            "For kvart krav: prosedyrane som oppfyller det. Utgangskode 1 viss ein prosedyre viser til ein ukjend "
            "eller utgått id.",
        ),
    )(trace)


@guarded
def trace(
    uncovered: Annotated[
        bool,
        typer.Option(
            "--uncovered",
            help=htr(
                "Bare kravene som ingen prosedyre oppfyller.",
                "Only the requirements no procedure fulfils.",
                "Berre krava som ingen prosedyre oppfyller.",
            ),
        ),
    ] = False,
    root: RootOption = None,
    json_out: JsonOption = False,
) -> None:
    from kokom_cli.cli.procedures_cmd import load_library
    from kokom_cli.core.findings import KokomError, has_errors
    from kokom_cli.core.i18n import tr
    from kokom_cli.procedures.trace import trace_matrix
    from kokom_cli.requirements.corpus import workspace_corpus

    ws, library = load_library(root)
    corpus = workspace_corpus(ws)
    if has_errors(corpus.findings):
        raise KokomError(sorted(corpus.findings))
    matrix = trace_matrix(corpus, library)
    if uncovered:
        matrix.rows = [r for r in matrix.rows if r.requirement_id in matrix.uncovered]
    code = EXIT_FOUND if matrix.citations else EXIT_OK
    if json_out:
        emit_json(matrix.as_json())
        raise typer.Exit(code)
    out = console()
    from rich.table import Table

    if uncovered:
        table = Table(
            title=tr(
                f"{len(matrix.uncovered)} krav uten prosedyre",
                f"{len(matrix.uncovered)} requirements without a procedure",
                f"{len(matrix.uncovered)} krav utan prosedyre",
            )
        )
        for column in (
            "ID",
            tr("Nivå", "Level", "Nivå"),
            tr("Gjelder", "Applies to", "Gjeld"),
            tr("Tittel", "Title", "Tittel"),
        ):
            table.add_column(column)
        for r in matrix.rows:
            scope = "" if r.in_scope else tr(" (utenfor bøkene)", " (outside the books)", " (utanfor bøkene)")
            table.add_row(markup_safe(r.requirement_id), r.level, ", ".join(r.applies_to) + scope, markup_safe(r.title))
    else:
        covered = sum(r.covered for r in matrix.rows)
        table = Table(
            title=tr(
                f"Sporbarhet: {covered} av {len(matrix.rows)} krav har prosedyre",
                f"Traceability: {covered} of {len(matrix.rows)} requirements have a procedure",
                f"Sporbarheit: {covered} av {len(matrix.rows)} krav har prosedyre",
            )
        )
        for column in (
            "ID",
            tr("Nivå", "Level", "Nivå"),
            tr("Tittel", "Title", "Tittel"),
            tr("Prosedyrer", "Procedures", "Prosedyrar"),
        ):
            table.add_column(column)
        for r in matrix.rows:
            procs = ", ".join(p.id for p in r.procedures) or (
                "-" if r.status == "active" else tr("(utgått)", "(retired)", "(utgått)")
            )
            table.add_row(markup_safe(r.requirement_id), r.level, markup_safe(r.title), markup_safe(procs))
    out.print(table)
    for c in matrix.citations:
        problem = tr("ukjent", "unknown", "ukjent") if c.problem == "unknown" else tr("utgått", "retired", "utgått")
        out.print(
            tr(
                f"{markup_safe(c.procedure.id)} viser til {problem} krav {markup_safe(c.requirement_id)}",
                f"{markup_safe(c.procedure.id)} cites {problem} requirement {markup_safe(c.requirement_id)}",
                f"{markup_safe(c.procedure.id)} viser til {problem} krav {markup_safe(c.requirement_id)}",
            )
        )
    raise typer.Exit(code)
