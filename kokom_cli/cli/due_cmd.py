"""`kokom due`: everything with a date (actions, waivers, evidence, reviews), soonest first, and as a calendar."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

from kokom_cli.cli.options import AsOfOption, ForceOption, JsonOption, RootOption, as_of_date
from kokom_cli.cli.output import EXIT_FOUND, EXIT_OK, console, emit_json, guarded, markup_safe, print_lines, workspace
from kokom_cli.core.i18n import DAYS, due_in, htr, plural


def register(app: typer.Typer) -> None:
    app.command(
        "due",
        help=htr(
            "Alt som har en dato: tiltak, unntak som går ut, dokumentasjon som blir for gammel og prosedyrer som "
            "skal revideres, med ansvarlig og frist, det som haster først. Uten PATH: arbeidsområdet.\n\n"
            "Utgangskode 1 når noe har forfalt.",
            "Everything with a date: actions, waivers expiring, evidence going stale and procedures due for review, "
            "with who is responsible and by when, soonest first. Without PATH: the workspace.\n\n"
            "Exit 1 when something is overdue.",
            "Alt som har ein dato: tiltak, unntak som går ut, dokumentasjon som blir for gammal og prosedyrar som "
            "skal reviderast, med ansvarleg og frist, det som hastar først. Utan PATH: arbeidsområdet.\n\n"
            "Utgangskode 1 når noko har forfalt.",
        ),
    )(due)


@guarded
def due(
    paths: Annotated[
        list[Path] | None,
        typer.Argument(
            metavar="[PATH]...",
            help=htr(
                "Egenvurderinger eller mapper med tjenester (som for `kokom overview`).",
                "Assessments, or folders of services (as for `kokom overview`).",
                "Eigenvurderingar eller mapper med tenester (som for `kokom overview`).",
            ),
        ),
    ] = None,
    within: Annotated[
        int,
        typer.Option(
            "--within",
            min=0,
            help=htr(
                "Ta med det som forfaller innen så mange dager.",
                "Include what falls due within this many days.",
                "Ta med det som forfell innan så mange dagar.",
            ),
        ),
    ] = 30,
    owner: Annotated[
        str | None,
        typer.Option(
            "--owner",
            metavar="NAME",
            help=htr(
                "Bare det denne personen er ansvarlig for.",
                "Only what this person is responsible for.",
                "Berre det denne personen er ansvarleg for.",
            ),
        ),
    ] = None,
    ics: Annotated[
        Path | None,
        typer.Option(
            "--ics",
            dir_okay=False,
            help=htr(
                "Skriv også listen som en iCalendar-fil (.ics) som en kalender kan abonnere på.",
                "Also write the list as an iCalendar file (.ics) for a calendar to subscribe to.",
                "Skriv òg lista som ei iCalendar-fil (.ics) som ein kalender kan abonnere på.",
            ),
        ),
    ] = None,
    force: ForceOption = False,
    as_of: AsOfOption = None,
    root: RootOption = None,
    json_out: JsonOption = False,
) -> None:
    import datetime as dt

    from kokom_cli.core.atomic import refuse_existing, refuse_symlink, write_bytes_atomic
    from kokom_cli.core.i18n import tr
    from kokom_cli.followup.calendar import calendar_bytes
    from kokom_cli.followup.collect import gather
    from kokom_cli.followup.due import select
    from kokom_cli.requirements.corpus import workspace_corpus

    today = as_of_date(as_of)
    ws = workspace(root)
    if ics is not None:
        refuse_symlink(ics)  # never through a link, not even with --force: it may be planted in a received folder
        refuse_existing(ics, force=force)
    found = gather(paths or [], ws, workspace_corpus(ws))
    items = select(found.items, today, within, owner)
    if ics is not None:
        stamp = dt.datetime.now(dt.UTC).replace(microsecond=0)
        title = tr("kokom: frister", "kokom: due dates", "kokom: fristar") + (f" ({owner})" if owner else "")
        write_bytes_atomic(ics, calendar_bytes(items, title=title, stamp=stamp))
    groups: dict[str | None, list] = {}
    for item in items:
        groups.setdefault(item.service, []).append(item)
    overdue = any(i.status(today) == "overdue" for i in items)
    if json_out:
        emit_json(
            {
                "as_of": today.isoformat(),
                "within_days": within,
                "owner": owner,
                "groups": [
                    {
                        "service": service,
                        "name": found.names.get(service) if service else None,
                        "items": [i.as_json(today) for i in group],
                    }
                    for service, group in groups.items()
                ],
                "problems": [f.as_json() for f in found.problems],
            }
        )
    else:
        _print(groups, found.names, today, within)
        print_lines([f.render() for f in found.problems], stderr=True)
        if ics is not None:
            print_lines([tr(f"Skrev {ics}", f"Wrote {ics}", f"Skreiv {ics}")], stderr=True)
    raise typer.Exit(EXIT_FOUND if overdue or found.problems else EXIT_OK)


def _print(groups: dict, names: dict[str, str], today, within: int) -> None:
    from kokom_cli.core.i18n import tr
    from kokom_cli.followup.calendar import kind_label

    out = console()
    if not groups:
        out.print(
            tr(
                f"Ingenting forfaller innen {plural(within, *DAYS)} fra {today}.",
                f"Nothing due within {plural(within, *DAYS)} of {today}.",
                f"Ingenting forfell innan {plural(within, *DAYS)} frå {today}.",
            )
        )
    for service, group in groups.items():
        heading = (
            f"{names.get(service, service)} ({service})"
            if service
            else tr("Prosedyrebøker", "Procedure books", "Prosedyrebøker")
        )
        out.print(f"[bold]{markup_safe(heading)}[/bold]")
        # plain lines, not rich markup: a national folder has about a hundred thousand of them
        print_lines(
            [
                f"  {item.date}  {due_in(item.days_left(today)):<28} {kind_label(item.kind):<14} {item.ref:<14} "
                f"{item.title}{f' — {item.responsible}' if item.responsible else ''}"
                for item in group
            ]
        )
