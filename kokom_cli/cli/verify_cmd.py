"""`kokom assess verify ASSESSMENT ID --agree|--dispute`: the advisor's judgement of one answer, into the file."""

from __future__ import annotations

from typing import Annotated

import typer

from kokom_cli.cli.assess_cmd import AssessmentArgument
from kokom_cli.cli.options import RootOption
from kokom_cli.cli.output import guarded, print_lines, workspace, write_stdout
from kokom_cli.core.i18n import htr


def register(assess_app: typer.Typer) -> None:
    assess_app.command(
        "verify",
        help=htr(
            "Rådgiverens vurdering av ett svar: enig (--agree) eller uenig (--dispute, med --status for din egen "
            "vurdering). Skrives inn i vurderingsfilen; kommentarer og rekkefølge beholdes.",
            "The advisor's judgement of one answer: agree (--agree) or dispute (--dispute, with --status for your "
            "own judgement). Written into the assessment file; comments and order are kept.",
            "Vurderinga til rådgjevaren av eitt svar: samd (--agree) eller usamd (--dispute, med --status for di eiga "
            "vurdering). Blir skriven inn i vurderingsfila; kommentarar og rekkjefølgje blir tekne vare på.",
        ),
    )(verify)


@guarded
def verify(
    assessment: AssessmentArgument,
    requirement_id: Annotated[str, typer.Argument(metavar="ID", help=htr("Kravet.", "The requirement.", "Kravet."))],
    agree: Annotated[
        bool, typer.Option("--agree", help=htr("Enig i svaret.", "Agree with the answer.", "Samd i svaret."))
    ] = False,
    dispute: Annotated[
        bool, typer.Option("--dispute", help=htr("Uenig i svaret.", "Dispute the answer.", "Usamd i svaret."))
    ] = False,
    status: Annotated[
        str | None,
        typer.Option(
            "--status",
            help=htr(
                "Din vurdering ved --dispute: met, partial, not_met eller not_applicable (standard: not_met).",
                "Your judgement with --dispute: met, partial, not_met or not_applicable (default: not_met).",
                "Vurderinga di ved --dispute: met, partial, not_met eller not_applicable (standard: not_met).",
            ),
        ),
    ] = None,
    note: Annotated[
        str | None,
        typer.Option(
            "--note", metavar="TEXT", help=htr("Kommentar til tjenesten.", "Comment.", "Kommentar til tenesta.")
        ),
    ] = None,
    by: Annotated[
        str | None,
        typer.Option(
            "--by",
            metavar="NAME",
            envvar="KOKOM_ADVISOR",
            help=htr(
                "Rådgiverens navn (eller KOKOM_ADVISOR).",
                "The advisor's name (or KOKOM_ADVISOR).",
                "Namnet til rådgjevaren (eller KOKOM_ADVISOR).",
            ),
        ),
    ] = None,
    date: Annotated[
        str | None,
        typer.Option(
            "--date",
            metavar="DATE",
            help=htr(
                "Dato (ÅÅÅÅ-MM-DD); standard i dag.", "Date; default today.", "Dato (ÅÅÅÅ-MM-DD); standard i dag."
            ),
        ),
    ] = None,
    dry_run: Annotated[
        bool,
        typer.Option(
            "--dry-run",
            help=htr("Vis endringen uten å skrive.", "Show the change, write nothing.", "Vis endringa utan å skrive."),
        ),
    ] = False,
    root: RootOption = None,
) -> None:
    import datetime as dt

    from kokom_cli.assessments.models import AnswerStatus
    from kokom_cli.assessments.verify import verify_answer
    from kokom_cli.core.findings import KokomError
    from kokom_cli.core.i18n import tr
    from kokom_cli.core.selection import parse_date, require_choice
    from kokom_cli.requirements.corpus import workspace_corpus

    if agree == dispute:
        raise KokomError.at(
            "--agree",
            "usage",
            tr(
                "velg én av --agree og --dispute",
                "choose one of --agree and --dispute",
                "vel éin av --agree og --dispute",
            ),
        )
    if status is not None:
        require_choice(status, [s.value for s in AnswerStatus], "--status")
    if not by:
        raise KokomError.at(
            "--by",
            "usage",
            tr(
                "oppgi navnet ditt med --by (eller KOKOM_ADVISOR)",
                "give your name with --by (or KOKOM_ADVISOR)",
                "oppgi namnet ditt med --by (eller KOKOM_ADVISOR)",
            ),
        )
    ws = workspace(root)
    day = parse_date(date, "--date", dt.date.today())
    change = verify_answer(
        assessment, requirement_id, ws, workspace_corpus(ws),
        agree=agree, status=status, note=note, by=by, day=day, dry_run=dry_run,
    )  # fmt: skip
    if dry_run:
        write_stdout(change.unified_diff())
        return
    print_lines(
        [
            tr(
                f"Skrev {change.file.display}: {requirement_id} verifisert av {by}",
                f"Wrote {change.file.display}: {requirement_id} verified by {by}",
                f"Skreiv {change.file.display}: {requirement_id} verifisert av {by}",
            )
        ]
    )
