"""`kokom edition release VERSION`: freeze the current edition and say which git tag to create."""

from __future__ import annotations

from typing import Annotated

import typer

from kokom_cli.cli.options import JsonOption, RootOption
from kokom_cli.cli.output import EXIT_FOUND, emit_json, fail, guarded, print_lines, show_dry_run, workspace
from kokom_cli.core.i18n import htr

app = typer.Typer(
    help=htr(
        "Utgaver av kravene: frys og merk en utgave.",
        "Editions of the requirements: freeze and tag an edition.",
        "Utgåver av krava: frys og merk ei utgåve.",
    ),
    no_args_is_help=True,
)


@app.command(
    "release",
    help=htr(
        "Kontroller at arbeidsområdet er gyldig og lagt inn i git, før VERSION og datoen inn i kokom.yaml, og "
        "skriv ut git-taggen.",
        "Check that the workspace is valid and committed, record VERSION and the date in kokom.yaml, print the "
        "git tag.",
        "Kontroller at arbeidsområdet er gyldig og lagt inn i git, før VERSION og datoen inn i kokom.yaml, og "
        "skriv ut git-taggen.",
    ),
)
@guarded
def release(
    version: Annotated[
        str,
        typer.Argument(
            metavar="VERSION",
            help=htr(
                "Utgaven som gis ut, f.eks. 2027.1.",
                "The edition being released, e.g. 2027.1.",
                "Utgåva som blir gitt ut, t.d. 2027.1.",
            ),
        ),
    ],
    date: Annotated[
        str | None,
        typer.Option(
            "--date",
            help=htr(
                "Utgivelsesdato, ÅÅÅÅ-MM-DD; standard: i dag.",
                "Release date, YYYY-MM-DD; default today.",
                "Utgjevingsdato, ÅÅÅÅ-MM-DD; standard: i dag.",
            ),
        ),
    ] = None,
    dry_run: Annotated[
        bool,
        typer.Option(
            "--dry-run",
            help=htr(
                "Kontroller og vis endringen i kokom.yaml; skriv ingenting.",
                "Check and show the change to kokom.yaml; write nothing.",
                "Kontroller og vis endringa i kokom.yaml; skriv ingenting.",
            ),
        ),
    ] = False,
    root: RootOption = None,
    json_out: JsonOption = False,
) -> None:
    import datetime as dt

    from kokom_cli.core.findings import Finding, Severity, has_errors
    from kokom_cli.core.i18n import tr
    from kokom_cli.core.selection import parse_date
    from kokom_cli.editing.changes import require_workspace
    from kokom_cli.editing.edits import run_edit
    from kokom_cli.editions.opening import tag_name
    from kokom_cli.editions.release import check_version, release_changes, uncommitted
    from kokom_cli.procedures.validation import validate_workspace

    ws = workspace(root)
    require_workspace(ws)
    day = parse_date(date, "--date", dt.date.today())
    check_version(ws, version)
    findings = [f for f in validate_workspace(ws) if f.severity is Severity.error]
    if has_errors(findings):
        raise fail(
            [
                *findings,
                Finding(
                    "(workspace)",
                    0,
                    0,
                    Severity.error,
                    "release-invalid",
                    tr(
                        "arbeidsområdet har feil (over); rett dem før utgaven fryses",
                        "the workspace has errors (above); fix them before the edition is frozen",
                        "arbeidsområdet har feil (over); rett dei før utgåva blir frosen",
                    ),
                ),
            ],
            EXIT_FOUND,
        )
    dirty = uncommitted(ws)
    if dirty:
        raise fail(
            [
                Finding(
                    path,
                    0,
                    0,
                    Severity.error,
                    "release-uncommitted",
                    tr(
                        "ikke lagt inn i git; legg inn (commit) endringene før utgaven fryses",
                        "not committed to git; commit the changes before the edition is frozen",
                        "ikkje lagt inn i git; legg inn (commit) endringane før utgåva blir frosen",
                    ),
                )
                for path in dirty
            ],
            EXIT_FOUND,
        )
    changes, _ = run_edit(ws, lambda: release_changes(ws, version, day), dry_run=dry_run)
    tag = tag_name(version)
    commands = [
        f'git commit -m "Utgave {version}" -- kokom.yaml',
        f'git tag -a {tag} -m "Utgave {version} ({day.isoformat()})"',
    ]
    if json_out:
        emit_json(
            {"version": version, "date": day.isoformat(), "tag": tag, "written": not dry_run, "commands": commands}
        )
        return
    if dry_run:
        show_dry_run(changes)
        return
    print_lines(
        [
            tr(
                f"Utgave {version} er registrert i kokom.yaml ({day.isoformat()}).",
                f"Edition {version} is recorded in kokom.yaml ({day.isoformat()}).",
                f"Utgåve {version} er registrert i kokom.yaml ({day.isoformat()}).",
            ),
            tr(
                "Legg inn endringen og lag taggen:",
                "Commit the change and create the tag:",
                "Legg inn endringa og lag taggen:",
            ),
            *(f"  {c}" for c in commands),
        ]
    )
