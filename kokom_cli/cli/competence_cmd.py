"""`kokom competence check|export|import`: a service's staff register against the national competence catalogue.

Exit codes: 0 when every skal rule is met by everyone it covers; 1 when one is
not; 2 when the register cannot be used (each problem one positioned line).
"""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING, Annotated

import typer

from kokom_cli.cli.options import AsOfOption, ForceOption, JsonOption, RootOption, as_of_date
from kokom_cli.cli.output import (
    EXIT_FOUND,
    EXIT_OK,
    console,
    emit_json,
    guarded,
    markup_safe,
    nothing_written,
    print_lines,
    workspace,
)
from kokom_cli.core.i18n import htr

if TYPE_CHECKING:
    from kokom_cli.competence.check import CompetenceReport, PersonOutcome

app = typer.Typer(
    no_args_is_help=True,
    help=htr(
        "Kompetanse og opplæring: personalregisteret kontrollert mot den nasjonale kurs- og regelkatalogen.",
        "Competence and training: the staff register checked against the national course and rule catalogue.",
        "Kompetanse og opplæring: personalregisteret kontrollert mot den nasjonale kurs- og regelkatalogen.",
    ),
)

NamesOption = Annotated[
    bool,
    typer.Option(
        "--names",
        help=htr(
            "Ta med hvem (id og navn) i --json. Uten dette gir --json bare tall per rolle og regel.",
            "Include who (id and name) in --json. Without it, --json gives counts per role and rule only.",
            "Ta med kven (id og namn) i --json. Utan dette gir --json berre tal per rolle og regel.",
        ),
    ),
]


@app.command(
    "check",
    help=htr(
        "Hvem oppfyller hver regel, hvem ikke og hvorfor, og hvem som går ut på dato snart.",
        "Who meets each rule, who does not and why, and who runs out soon.",
        "Kven oppfyller kvar regel, kven ikkje og kvifor, og kven som går ut på dato snart.",
    ),
)
@guarded
def check(
    target: Annotated[
        Path,
        typer.Argument(
            metavar="SERVICE_OR_REGISTER",
            help=htr(
                "Tjenestefilen (registeret finnes i assessments/personale/<id>.yaml) eller personalregisteret.",
                "The service file (its register is assessments/personale/<id>.yaml) or the staff register.",
                "Tenestefila (registeret finst i assessments/personale/<id>.yaml) eller personalregisteret.",
            ),
        ),
    ],
    as_of: AsOfOption = None,
    within: Annotated[
        int,
        typer.Option(
            "--within",
            min=0,
            max=3650,
            metavar="DAYS",
            help=htr(
                "Vis hvem som går ut innen så mange dager.",
                "Show who runs out within this many days.",
                "Vis kven som går ut innan så mange dagar.",
            ),
        ),
    ] = 60,
    names: NamesOption = False,
    root: RootOption = None,
    json_out: JsonOption = False,
) -> None:
    from kokom_cli.competence.assessment import check_file

    report, warnings = check_file(target, workspace(root), as_of=as_of_date(as_of), within=within)
    print_lines([w.render() for w in warnings], stderr=True)
    if json_out:
        emit_json(report.as_json(names))
    else:
        _print(report, names)
    raise typer.Exit(EXIT_OK if report.passed else EXIT_FOUND)


OutOption = Annotated[
    Path,
    typer.Option(
        "-o", "--output", dir_okay=False, help=htr("Filen som skrives.", "The file to write.", "Fila som blir skriven.")
    ),
]


@app.command(
    "export",
    help=htr(
        "Skriv personalregisteret som et XLSX-skjema (en tjenestefil uten register gir et tomt skjema).",
        "Write the staff register as an XLSX form (a service file without a register gives a blank form).",
        "Skriv personalregisteret som eit XLSX-skjema (ei tenestefil utan register gir eit tomt skjema).",
    ),
)
@guarded
def export(
    source: Annotated[
        Path,
        typer.Argument(
            metavar="REGISTER_OR_SERVICE",
            help=htr(
                "Personalregisteret eller tjenestefilen.",
                "The staff register or the service file.",
                "Personalregisteret eller tenestefila.",
            ),
        ),
    ],
    out: OutOption,
    as_of: AsOfOption = None,
    force: ForceOption = False,
    root: RootOption = None,
) -> None:
    from kokom_cli.assessments.register_xlsx import build_register_workbook
    from kokom_cli.assessments.register_xlsx.reading import register_for_export
    from kokom_cli.core.atomic import refuse_existing, refuse_symlink, write_bytes_atomic
    from kokom_cli.core.i18n import plural, tr

    refuse_symlink(out, force=force)
    refuse_existing(out, force=force)
    register, cat, doc, warnings = register_for_export(source, workspace(root), as_of=as_of_date(as_of))
    print_lines([w.render() for w in warnings], stderr=True)
    book = build_register_workbook(register, cat, doc=doc)
    out.parent.mkdir(parents=True, exist_ok=True)
    write_bytes_atomic(out, book, force=force)
    people = plural(len(register.people), ("person", "personer"), ("person", "people"), ("person", "personar"))
    print_lines(
        [tr(f"Skrev {out}: {people}", f"Wrote {out}: {people}", f"Skreiv {out}: {people}")],
        stderr=True,
    )


@app.command(
    "import",
    help=htr(
        "Les et utfylt XLSX-skjema tilbake til personalregisteret; hvert problem vises ved sin celle, og da "
        "skrives ingenting.",
        "Read a filled-in XLSX form back into the staff register; every problem at its cell, nothing written then.",
        "Les eit utfylt XLSX-skjema tilbake til personalregisteret; kvart problem blir vist ved cella si, og då "
        "blir ingenting skrive.",
    ),
)
@guarded
def import_(
    source: Annotated[
        Path,
        typer.Argument(
            metavar="FILE.xlsx",
            help=htr(
                "Et skjema laget med `kokom competence export`.",
                "A form made by `kokom competence export`.",
                "Eit skjema laga med `kokom competence export`.",
            ),
        ),
    ],
    out: OutOption,
    as_of: AsOfOption = None,
    force: ForceOption = False,
    root: RootOption = None,
    json_out: JsonOption = False,
) -> None:
    from kokom_cli.assessments.register_xlsx import import_register
    from kokom_cli.assessments.spreadsheet import MAX_PROBLEMS
    from kokom_cli.assessments.spreadsheet.limits import read_received
    from kokom_cli.competence.loading import CATALOGUE_FILE, catalogue_dir, read_catalogue
    from kokom_cli.core.atomic import refuse_existing, refuse_symlink, write_text_atomic
    from kokom_cli.core.findings import Severity, display_path
    from kokom_cli.core.i18n import tr

    refuse_symlink(out, force=force)
    refuse_existing(out, force=force)
    display = display_path(source)
    raw = read_received(source, display)
    cat = read_catalogue(catalogue_dir(workspace(root)) / CATALOGUE_FILE)
    result = import_register(raw, display, cat, as_of=as_of_date(as_of), written_as=display_path(out))
    shown = result.problems[:MAX_PROBLEMS]
    more = len(result.problems) - len(shown) + result.more
    if json_out:
        written = None if result.text is None else str(out)
        emit_json({"written": written, "problems": [p.as_json() for p in shown], "more": more})
    print_lines([p.render() for p in shown], stderr=True)
    if result.text is None or result.register is None:
        errors = sum(p.severity is Severity.error for p in shown)
        print_lines(nothing_written(errors, more), stderr=True)
        raise typer.Exit(2)
    out.parent.mkdir(parents=True, exist_ok=True)
    write_text_atomic(out, result.text, force=force)
    people = len(result.register.people)
    print_lines(
        [tr(f"Skrev {out}: {people} personer", f"Wrote {out}: {people} people", f"Skreiv {out}: {people} personar")],
        stderr=True,
    )


def _who(p: PersonOutcome, names: bool) -> str:
    name = f" {p.person.name}" if names and p.person.name else ""
    return f"{p.person.id}{name} ({p.person.role})"


def _print(report: CompetenceReport, names: bool) -> None:
    from kokom_cli.core.i18n import tr
    from kokom_cli.core.numbers import percent as pct

    out = console()
    roles = ", ".join(f"{role} {n}" for role, n in sorted(report.roles.items()))
    out.print(
        f"[bold]{markup_safe(report.service)}[/bold]: {report.people} {tr('personer', 'people', 'personar')} "
        f"({markup_safe(roles)}), "
        f"{tr('kontrollert per', 'checked as of', 'kontrollert per')} {report.as_of}"
    )
    idle = sorted({r.rule.requirement for r in report.rules if r.state == "no_staff"})
    for r in report.rules:
        head = f"[bold]{markup_safe(r.rule.requirement)}[/bold] {markup_safe(r.rule.id)} ({r.level or '?'})"
        if r.state == "not_in_force":
            out.print(f"[dim]– {head}: {tr('gjelder fra', 'applies from', 'gjeld frå')} {r.rule.in_force}[/dim]")
            continue
        if r.state == "no_staff":
            continue
        mark = (
            "[green]✓[/green]" if r.state == "met" else ("[red]✗[/red]" if r.level == "skal" else "[yellow]✗[/yellow]")
        )
        share = pct(r.met / len(r.people))
        of, meet = tr("av", "of", "av"), tr("oppfyller", "meet it", "oppfyller")
        out.print(f"{mark} {head}: {r.met} {of} {len(r.people)} {meet} ({share})")
        for p in r.people:
            if not p.meets:
                why = "; ".join(message for _, message in p.reasons)
                out.print(f"    ✗ {markup_safe(_who(p, names))}: {markup_safe(why)}")
        for p in r.expiring:
            runs_out = tr(f"går ut {p.expires}", f"runs out on {p.expires}", f"går ut {p.expires}")
            out.print(f"    [yellow]![/yellow] {markup_safe(_who(p, names))}: {runs_out}")
    if idle:
        nobody = tr(
            "Ingen i registeret har rollene disse reglene gjelder",
            "Nobody in the register has the roles of",
            "Ingen i registeret har rollene desse reglane gjeld",
        )
        out.print(f"[dim]– {nobody}: {markup_safe(', '.join(idle))}[/dim]")
    failing = sorted({r.rule.requirement for r in report.rules if r.level == "skal" and r.in_force and r.not_met})
    out.print()
    if failing:
        out.print(
            tr(
                "Ikke i orden: skal-krav som ikke er oppfylt: ",
                "Not in order: skal requirements not met: ",
                "Ikkje i orden: skal-krav som ikkje er oppfylte: ",
            )
            + markup_safe(", ".join(failing))
            + "."
        )
    else:
        out.print(
            tr(
                "I orden: alle skal-regler er oppfylt.",
                "In order: every skal rule is met.",
                "I orden: alle skal-reglar er oppfylte.",
            )
        )
