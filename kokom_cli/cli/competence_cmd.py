"""`kokom competence check|export|import`: a service's staff register against the national competence catalogue.

Exit codes: 0 when every skal rule is met by everyone it covers; 1 when one is
not; 2 when the register cannot be used (each problem one positioned line).
"""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING, Annotated

import typer

from kokom_cli.cli.options import AsOfOption, JsonOption, RootOption, as_of_date
from kokom_cli.cli.output import EXIT_FOUND, EXIT_OK, console, emit_json, guarded, markup_safe, print_lines, workspace
from kokom_cli.core.i18n import htr

if TYPE_CHECKING:
    from kokom_cli.competence.check import CompetenceReport, PersonOutcome

app = typer.Typer(
    no_args_is_help=True,
    help=htr(
        "Kompetanse og opplæring: personalregisteret kontrollert mot den nasjonale kurs- og regelkatalogen.",
        "Competence and training: the staff register checked against the national course and rule catalogue.",
    ),
)

NamesOption = Annotated[
    bool,
    typer.Option(
        "--names",
        help=htr(
            "Ta med hvem (id og navn) i --json. Uten dette gir --json bare tall per rolle og regel.",
            "Include who (id and name) in --json. Without it, --json gives counts per role and rule only.",
        ),
    ),
]


@app.command(
    "check",
    help=htr(
        "Hvem oppfyller hver regel, hvem ikke og hvorfor, og hvem som går ut på dato snart.",
        "Who meets each rule, who does not and why, and who runs out soon.",
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
            help=htr("Vis hvem som går ut innen så mange dager.", "Show who runs out within this many days."),
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


def _who(p: PersonOutcome, names: bool) -> str:
    name = f" {p.person.name}" if names and p.person.name else ""
    return f"{p.person.id}{name} ({p.person.role})"


def _print(report: CompetenceReport, names: bool) -> None:
    from kokom_cli.competence.assessment import pct
    from kokom_cli.core.i18n import tr

    out = console()
    roles = ", ".join(f"{role} {n}" for role, n in sorted(report.roles.items()))
    out.print(
        f"[bold]{markup_safe(report.service)}[/bold]: {report.people} {tr('personer', 'people')} "
        f"({markup_safe(roles)}), "
        f"{tr('kontrollert per', 'checked as of')} {report.as_of}"
    )
    idle = sorted({r.rule.requirement for r in report.rules if r.state == "no_staff"})
    for r in report.rules:
        head = f"[bold]{markup_safe(r.rule.requirement)}[/bold] {markup_safe(r.rule.id)} ({r.level or '?'})"
        if r.state == "not_in_force":
            out.print(f"[dim]– {head}: {tr('gjelder fra', 'applies from')} {r.rule.in_force}[/dim]")
            continue
        if r.state == "no_staff":
            continue
        mark = (
            "[green]✓[/green]" if r.state == "met" else ("[red]✗[/red]" if r.level == "skal" else "[yellow]✗[/yellow]")
        )
        share = pct(r.met / len(r.people))
        out.print(f"{mark} {head}: {r.met} {tr('av', 'of')} {len(r.people)} {tr('oppfyller', 'meet it')} ({share})")
        for p in r.people:
            if not p.meets:
                why = "; ".join(message for _, message in p.reasons)
                out.print(f"    ✗ {markup_safe(_who(p, names))}: {markup_safe(why)}")
        for p in r.expiring:
            runs_out = tr(f"går ut {p.expires}", f"runs out on {p.expires}")
            out.print(f"    [yellow]![/yellow] {markup_safe(_who(p, names))}: {runs_out}")
    if idle:
        nobody = tr("Ingen i registeret har rollene disse reglene gjelder", "Nobody in the register has the roles of")
        out.print(f"[dim]– {nobody}: {markup_safe(', '.join(idle))}[/dim]")
    failing = sorted({r.rule.requirement for r in report.rules if r.level == "skal" and r.in_force and r.not_met})
    out.print()
    if failing:
        out.print(
            tr("Ikke i orden: skal-krav som ikke er oppfylt: ", "Not in order: skal requirements not met: ")
            + markup_safe(", ".join(failing))
            + "."
        )
    else:
        out.print(tr("I orden: alle skal-regler er oppfylt.", "In order: every skal rule is met."))
