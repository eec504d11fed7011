"""`kokom init` (a national or a local workspace) and `kokom service new` (a service file)."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

from kokom_cli.cli.options import ForceOption, RootOption
from kokom_cli.cli.output import guarded, print_lines
from kokom_cli.core.i18n import htr

service_app = typer.Typer(
    help=htr(
        "Tjenestefiler for lokale tjenester.", "Service files of local services.", "Tenestefiler for lokale tenester."
    ),
    no_args_is_help=True,
)


def register(app: typer.Typer) -> None:
    app.command(
        "init",
        help=htr(
            "Lag et arbeidsområde: lokalt (kokom.yaml som peker på en nasjonal utgave, services/, assessments/) "
            "eller nasjonalt (--national: en kopi av kravene og bøkene å redigere, under git).",
            "Create a workspace: local (kokom.yaml naming a national edition, services/, assessments/) or "
            "national (--national: a copy of the requirements and books to edit, under git).",
            "Lag eit arbeidsområde: lokalt (kokom.yaml som peikar på ei nasjonal utgåve, services/, assessments/) "
            "eller nasjonalt (--national: ein kopi av krava og bøkene å redigere, under git).",
        ),
    )(init)
    app.add_typer(service_app, name="service")
    service_app.command(
        "new",
        help=htr(
            "Skriv en gyldig tjenestefil (services/<id>.yaml) fra valg, eller spør i en terminal.",
            "Write a valid service file (services/<id>.yaml) from options, or ask in a terminal.",
            "Skriv ei gyldig tenestefil (services/<id>.yaml) frå val, eller spør i ein terminal.",
        ),
    )(service_new)


@guarded
def init(
    folder: Annotated[
        Path,
        typer.Argument(
            help=htr("Mappen (standard: denne).", "The folder (default: this one).", "Mappa (standard: denne).")
        ),
    ] = Path("."),
    national: Annotated[
        bool,
        typer.Option(
            "--national",
            help=htr(
                "Et nasjonalt arbeidsområde.", "A national workspace (the centre's).", "Eit nasjonalt arbeidsområde."
            ),
        ),
    ] = False,
    edition: Annotated[
        str,
        typer.Option(
            "--edition",
            help=htr(
                "Lokalt: utgaven det bygger på: builtin, en mappe, eller DEPOT@REVISJON (f.eks. "
                "../krav@edition-2027.1). Nasjonalt: utgavenummeret.",
                "Local: the edition it builds on: builtin, a folder, or REPOSITORY@REVISION (e.g. "
                "../krav@edition-2027.1). National: the edition number.",
                "Lokalt: utgåva det byggjer på: builtin, ei mappe, eller DEPOT@REVISJON (t.d. "
                "../krav@edition-2027.1). Nasjonalt: utgåvenummeret.",
            ),
        ),
    ] = "builtin",
    title: Annotated[str | None, typer.Option("--title", help=htr("Tittel.", "Title.", "Tittel."))] = None,
    prefix: Annotated[
        str | None,
        typer.Option(
            "--prefix",
            help=htr(
                "Id-prefiks for egne krav, f.eks. FJORD.",
                "Id prefix of local requirements.",
                "Id-prefiks for eigne krav, t.d. FJORD.",
            ),
        ),
    ] = None,
) -> None:
    from kokom_cli.core.i18n import tr
    from kokom_cli.scaffold import init_local, init_national

    if national:
        number = "2026.1" if edition == "builtin" else edition
        written = init_national(folder, title=title or "Nasjonale krav til medisinsk nødmeldetjeneste", edition=number)
        next_step = tr(
            "Neste: `git add -A && git commit`, og `kokom edition release` når en utgave er klar.",
            "Next: `git add -A && git commit`, and `kokom edition release` when an edition is ready.",
            "Neste: `git add -A && git commit`, og `kokom edition release` når ei utgåve er klar.",
        )
    else:
        written = init_local(folder, edition, title=title or "Lokal tjeneste", prefix=prefix)
        next_step = tr(
            "Neste: `kokom service new`, så `kokom assess new services/<id>.yaml -o assessments/<id>.yaml`.",
            "Next: `kokom service new`, then `kokom assess new services/<id>.yaml -o assessments/<id>.yaml`.",
            "Neste: `kokom service new`, så `kokom assess new services/<id>.yaml -o assessments/<id>.yaml`.",
        )
    print_lines([tr(f"Skrev {p}", f"Wrote {p}", f"Skreiv {p}") for p in written] + [next_step])


@guarded
def service_new(
    service_id: Annotated[
        str | None, typer.Option("--id", help=htr("Id, f.eks. lvs-fjordby.", "Id.", "Id, t.d. lvs-fjordby."))
    ] = None,
    name: Annotated[str | None, typer.Option("--name", help=htr("Navn.", "Name.", "Namn."))] = None,
    kind: Annotated[
        str | None,
        typer.Option(
            "--kind",
            help=htr(
                "Tjenestetype: amk, legevaktsentral, ...",
                "Service kind: amk, legevaktsentral, ...",
                "Tenestetype: amk, legevaktsentral, ...",
            ),
        ),
    ] = None,
    owner: Annotated[str | None, typer.Option("--owner", help=htr("Eier.", "Owner organisation.", "Eigar."))] = None,
    municipalities: Annotated[
        list[str] | None,
        typer.Option(
            "--municipality",
            help=htr("Kommune (kan gjentas).", "Municipality (repeatable).", "Kommune (kan gjentakast)."),
        ),
    ] = None,
    population: Annotated[
        int | None, typer.Option("--population", help=htr("Innbyggere.", "Inhabitants.", "Innbyggjarar."))
    ] = None,
    lines: Annotated[
        list[str] | None,
        typer.Option(
            "--line",
            help=htr(
                "Telefonlinje, f.eks. 116117 (kan gjentas).",
                "Phone line (repeatable).",
                "Telefonlinje, t.d. 116117 (kan gjentakast).",
            ),
        ),
    ] = None,
    out: Annotated[
        Path | None,
        typer.Option(
            "-o",
            "--output",
            help=htr("Standard: services/<id>.yaml.", "Default: services/<id>.yaml.", "Standard: services/<id>.yaml."),
        ),
    ] = None,
    force: ForceOption = False,
    root: RootOption = None,
) -> None:

    from kokom_cli.assessments.service_file import write_service
    from kokom_cli.cli import prompts
    from kokom_cli.core.findings import KokomError
    from kokom_cli.core.i18n import tr
    from kokom_cli.requirements.models import ServiceKind
    from kokom_cli.workspace import resolve_root

    kinds = [k.value for k in ServiceKind]
    values: dict = {
        "id": service_id,
        "name": name,
        "kind": kind,
        "owner": owner,
        "municipalities": [m.strip() for v in municipalities or [] for m in v.split(",") if m.strip()],
        "population": population,
        "lines": [x.strip() for v in lines or [] for x in v.split(",") if x.strip()],
    }
    if prompts.interactive():
        _ask_service(values, kinds)
    missing = [f"--{k}" for k in ("id", "name", "kind") if not values[k]]
    if missing:
        raise KokomError.at(
            "(command line)",
            "usage",
            tr(
                f"mangler {', '.join(missing)}; oppgi dem som valg, eller kjør kommandoen i en terminal "
                "for å bli spurt",
                f"missing {', '.join(missing)}; give them as options, or run the command in a terminal to be asked",
                f"manglar {', '.join(missing)}; oppgi dei som val, eller køyr kommandoen i ein terminal "
                "for å få spørsmål om dei",
            ),
        )
    if out is None:
        base = resolve_root(root) or Path(".")
        out = base / "services" / f"{values['id']}.yaml"
    write_service(values, out, force=force)
    print_lines([tr(f"Skrev {out}", f"Wrote {out}", f"Skreiv {out}")])


def _ask_service(values: dict, kinds: list[str]) -> None:
    """Ask for every value not given as an option."""
    import re

    from kokom_cli.assessments.models import SERVICE_ID_PATTERN
    from kokom_cli.cli.prompts import ask
    from kokom_cli.core.i18n import tr

    def id_problem(answer: str) -> str | None:
        return (
            None
            if re.match(SERVICE_ID_PATTERN, answer)
            else tr(
                "små bokstaver, tall og bindestrek, f.eks. lvs-fjordby",
                "lower case, digits and hyphens",
                "små bokstavar, tal og bindestrek, t.d. lvs-fjordby",
            )
        )

    def number_problem(answer: str) -> str | None:
        return None if answer == "" or answer.isdigit() else tr("et helt tall", "a whole number", "eit heilt tal")

    if values["id"] is None:
        values["id"] = ask(
            tr("Id (f.eks. lvs-fjordby)", "Id (e.g. lvs-fjordby)", "Id (t.d. lvs-fjordby)"), check=id_problem
        )
    if values["name"] is None:
        values["name"] = ask(tr("Navn", "Name", "Namn"))
    if values["kind"] is None:
        values["kind"] = ask(
            tr(f"Type ({'/'.join(kinds)})", f"Kind ({'/'.join(kinds)})", f"Type ({'/'.join(kinds)})"), choices=kinds
        )
    if values["owner"] is None:
        values["owner"] = ask(tr("Eier", "Owner", "Eigar"), default="")
    if not values["municipalities"]:
        values["municipalities"] = ask(
            tr("Kommuner (kommaseparert)", "Municipalities", "Kommunar (kommaseparert)"), default="", many=True
        )
    if values["population"] is None:
        answer = str(ask(tr("Innbyggere", "Population", "Innbyggjarar"), default="", check=number_problem))
        values["population"] = int(answer) if answer else None
    if not values["lines"]:
        values["lines"] = ask(
            tr("Linjer (f.eks. 116117,local)", "Lines (e.g. 116117,local)", "Linjer (t.d. 116117,local)"), many=True
        )
