"""`kokom requirements new|set|retire` and `kokom procedures set`: safe edits of the workspace's YAML.

The commands are added to the `requirements` and `procedures` sub-apps by
`register`. All the work is in `kokom_cli.editing.edits`; here are the options,
the prompts and the printing.
"""

from __future__ import annotations

import sys
from collections.abc import Callable
from typing import Annotated

import typer

from kokom_cli.cli.options import RootOption
from kokom_cli.cli.output import guarded, print_lines, workspace, write_stdout
from kokom_cli.cli.requirements_cmd import LevelOption
from kokom_cli.core.i18n import htr

DryRunOption = Annotated[
    bool,
    typer.Option(
        "--dry-run",
        help=htr(
            "Vis endringen som en diff (unified); skriv ingenting.",
            "Print the change as a unified diff; write nothing.",
        ),
    ),
]


def _finish(ws, plan, dry_run: bool) -> None:
    """Run an edit and report it: the diff for --dry-run, else the files written; warnings on stderr."""
    from kokom_cli.core.i18n import tr
    from kokom_cli.editing.edits import run_edit

    changes, warnings = run_edit(ws, plan, dry_run=dry_run)
    print_lines([w.render() for w in warnings], stderr=True)
    if not changes:
        print_lines([tr("Ingen endring: verdien er allerede slik.", "No change: the value is already so.")])
    elif dry_run:
        write_stdout("".join(c.unified_diff() for c in changes))
        print_lines([tr("(tørrkjøring: ingenting er skrevet)", "(dry run: nothing was written)")], stderr=True)
    else:
        print_lines([tr(f"Skrev {c.file.display}", f"Wrote {c.file.display}") for c in changes])


def set_requirement(
    requirement_id: Annotated[
        str,
        typer.Argument(metavar="ID", help=htr("Kravets id, f.eks. AMK-SVAR-01.", "Requirement id, e.g. AMK-SVAR-01.")),
    ],
    field: Annotated[
        str,
        typer.Argument(
            metavar="FIELD",
            help=htr(
                "Feltet, med punktum for felt inni felt: level, metric.threshold_seconds, source.0.url.",
                "Field, dotted for nested ones: level, metric.threshold_seconds, source.0.url.",
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
            ),
        ),
    ],
    dry_run: DryRunOption = False,
    root: RootOption = None,
) -> None:
    from kokom_cli.editing.edits import set_requirement_field

    ws = workspace(root)
    _finish(ws, lambda: set_requirement_field(ws, requirement_id, field, value), dry_run)


def retire(
    requirement_id: Annotated[
        str, typer.Argument(metavar="ID", help=htr("Kravet som skal settes som utgått.", "The requirement to retire."))
    ],
    replaced_by: Annotated[
        str | None,
        typer.Option(
            "--replaced-by",
            metavar="ID",
            help=htr(
                "Kravet som erstatter det (får det i `replaces`).",
                "The requirement that replaces it (gets it in `replaces`).",
            ),
        ),
    ] = None,
    dry_run: DryRunOption = False,
    root: RootOption = None,
) -> None:
    from kokom_cli.editing.edits import retire_requirement

    ws = workspace(root)
    _finish(ws, lambda: retire_requirement(ws, requirement_id, replaced_by), dry_run)


def set_procedure(
    procedure_id: Annotated[
        str,
        typer.Argument(
            metavar="ID",
            help=htr(
                "Id-en til prosedyren eller indekskortet, f.eks. PROS-AMK-01.",
                "Procedure or dispatch card id, e.g. PROS-AMK-01.",
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
            ),
        ),
    ],
    value: Annotated[
        str,
        typer.Argument(
            metavar="VALUE",
            help=htr("Ny verdi (se `kokom requirements set`).", "New value (see `kokom requirements set`)."),
        ),
    ],
    dry_run: DryRunOption = False,
    root: RootOption = None,
) -> None:
    from kokom_cli.editing.edits import set_procedure_field

    ws = workspace(root)
    _finish(ws, lambda: set_procedure_field(ws, procedure_id, field, value), dry_run)


def interactive() -> bool:
    """True when a person can answer prompts (stdin is a terminal)."""
    return sys.stdin.isatty()


def _ask_metric() -> str:
    """The metric of a requirement verified by measurement, asked field by field (as YAML flow text)."""
    import json

    from kokom_cli.cli.prompts import ask
    from kokom_cli.core.i18n import tr
    from kokom_cli.requirements.models import Indicator

    def number(kind: type) -> Callable[[str], str | None]:
        def problem(answer: str) -> str | None:
            try:
                value = kind(answer)
            except ValueError:
                return tr("skriv et tall", "write a number")
            if value <= 0 or (kind is float and value > 1):
                return tr("et tall over 0 (andel: høyst 1)", "a number above 0 (share: at most 1)")
            return None

        return problem

    indicator = ask(
        tr("Indikator", "Indicator"), choices=[i.value for i in Indicator], default=Indicator.answered_within.value
    )
    lines = ask(tr("Linjer (f.eks. 113 eller 116117,local)", "Lines (e.g. 113 or 116117,local)"), many=True)
    seconds = ask(tr("Terskel i sekunder", "Threshold in seconds"), check=number(int))
    share = (
        "1.0"
        if indicator == Indicator.max_wait.value
        else ask(tr("Påkrevd andel (0-1, f.eks. 0.9)", "Required share (0-1, e.g. 0.9)"), check=number(float))
    )
    return (
        f"{{indicator: {indicator}, lines: {json.dumps(lines)}, threshold_seconds: {int(str(seconds))}, "
        f"required_share: {float(str(share))}}}"
    )


def _split(values: list[str] | None) -> list[str] | None:
    """`--applies-to amk,legevakt` and `--applies-to amk --applies-to legevakt` alike."""
    if not values:
        return None
    return [part.strip() for value in values for part in value.split(",") if part.strip()]


def new(
    chapter: Annotated[
        str | None,
        typer.Option(
            "--chapter",
            help=htr("Kapitlets kortnavn eller filnavn (f.eks. svartid).", "Chapter slug or file name (e.g. svartid)."),
        ),
    ] = None,
    requirement_id: Annotated[
        str | None,
        typer.Option("--id", help=htr("Ny, fast id, f.eks. AMK-SVAR-03.", "New permanent id, e.g. AMK-SVAR-03.")),
    ] = None,
    title: Annotated[str | None, typer.Option("--title", help=htr("Kravets tittel.", "The title."))] = None,
    text: Annotated[
        str | None, typer.Option("--text", help=htr("Kravteksten, i Markdown.", "The requirement, in Markdown."))
    ] = None,
    level: LevelOption = None,
    applies_to: Annotated[
        list[str] | None,
        typer.Option(
            "--applies-to",
            help=htr(
                "Tjenestetyper, kommaseparert eller gjentatt: amk, legevaktsentral, legevakt, ...",
                "Service kinds, comma-separated or repeated: amk, legevaktsentral, legevakt, ...",
            ),
        ),
    ] = None,
    verification: Annotated[
        str | None,
        typer.Option(
            "--verification",
            help=htr("attestation, document, metric eller inspection.", "attestation, document, metric or inspection."),
        ),
    ] = None,
    source_title: Annotated[
        str | None,
        typer.Option(
            "--source-title",
            help=htr(
                "Det som vises til, f.eks. 'Akuttmedisinforskriften § 13'.",
                "What is cited, e.g. 'Akuttmedisinforskriften § 13'.",
            ),
        ),
    ] = None,
    source_url: Annotated[
        str | None, typer.Option("--source-url", help=htr("Hvor kilden kan leses.", "Where the source can be read."))
    ] = None,
    source_ref: Annotated[
        str | None,
        typer.Option(
            "--source-ref",
            help=htr(
                "Formell henvisning, f.eks. FOR-2015-03-20-231 § 13.", "Formal reference, e.g. FOR-2015-03-20-231 § 13."
            ),
        ),
    ] = None,
    since: Annotated[
        str | None,
        typer.Option(
            "--since",
            help=htr("Utgave; standard: arbeidsområdets utgave.", "Edition; default the workspace's edition."),
        ),
    ] = None,
    rationale: Annotated[
        str | None, typer.Option("--rationale", help=htr("Begrunnelsen for kravet.", "Why the requirement exists."))
    ] = None,
    links: Annotated[
        list[str] | None,
        typer.Option(
            "--link", help=htr("Id-en til et beslektet krav (kan gjentas).", "Related requirement id (repeatable).")
        ),
    ] = None,
    replaces: Annotated[
        list[str] | None,
        typer.Option(
            "--replaces", help=htr("Id som dette kravet erstatter (kan gjentas).", "Id this one replaces (repeatable).")
        ),
    ] = None,
    extra: Annotated[
        list[str] | None,
        typer.Option(
            "--set",
            metavar="FIELD=VALUE",
            help=htr(
                'Et hvilket som helst annet felt, f.eks. --set \'metric={indicator: answered_within, lines: ["113"], '
                "threshold_seconds: 10, required_share: 0.9}' (kan gjentas).",
                'Any other field, e.g. --set \'metric={indicator: answered_within, lines: ["113"], '
                "threshold_seconds: 10, required_share: 0.9}' (repeatable).",
            ),
        ),
    ] = None,
    dry_run: DryRunOption = False,
    root: RootOption = None,
) -> None:
    from kokom_cli.core.findings import Finding, KokomError, Severity
    from kokom_cli.core.i18n import tr
    from kokom_cli.editing.edits import (
        add_requirement,
        chapter_files,
        expects_text,
        field_type,
        parse_value,
        require_workspace,
    )
    from kokom_cli.requirements.models import Requirement

    ws = workspace(root)
    require_workspace(ws)
    values: dict = {
        "id": requirement_id,
        "title": title,
        "text": text,
        "level": level.replace("bor", "bør") if level else None,
        "applies_to": _split(applies_to),
        "verification": verification,
        "source_title": source_title,
        "source_url": source_url,
    }
    if interactive():
        if chapter is None:
            files = chapter_files(ws)
            chapter = (
                next(iter(files))
                if len(files) == 1
                else typer.prompt(tr(f"Kapittel ({', '.join(files)})", f"Chapter ({', '.join(files)})"))
            )
        questions = {
            "id": tr("Id (f.eks. AMK-SVAR-03)", "Id (e.g. AMK-SVAR-03)"),
            "title": tr("Tittel", "Title"),
            "text": tr("Kravtekst", "Requirement text"),
            "level": tr("Nivå (skal/bør)", "Level (skal/bør)"),
            "applies_to": tr("Gjelder (f.eks. amk,legevaktsentral)", "Applies to (e.g. amk,legevaktsentral)"),
            "verification": tr(
                "Verifisering (attestation/document/metric/inspection)",
                "Verification (attestation/document/metric/inspection)",
            ),
            "source_title": tr("Kilde (lov, forskrift, veileder)", "Source (law, regulation, guideline)"),
            "source_url": tr("Kildens adresse (URL)", "Address of the source (URL)"),
        }
        from kokom_cli.cli.prompts import ask
        from kokom_cli.requirements.models import Level, ServiceKind, Verification

        choices = {
            "level": [v.value for v in Level],
            "applies_to": [v.value for v in ServiceKind],
            "verification": [v.value for v in Verification],
        }
        for key, question in questions.items():
            if values[key] is None:
                default = {"level": "skal", "verification": "document", "source_url": ""}.get(key)
                values[key] = ask(question, default=default, choices=choices.get(key), many=key == "applies_to")
        if values["verification"] == "metric" and not any(x.strip().startswith("metric=") for x in extra or []):
            extra = [*(extra or []), "metric=" + _ask_metric()]
    missing = [f"--{k.replace('_', '-')}" for k, v in values.items() if v is None and k != "source_url"]
    if missing:
        raise KokomError(
            Finding(
                "(command line)",
                0,
                0,
                Severity.error,
                "usage",
                tr(
                    f"mangler {', '.join(missing)}; oppgi dem som valg, "
                    "eller kjør kommandoen i en terminal for å bli spurt",
                    f"missing {', '.join(missing)}; give them as options, or run the command in a terminal to be asked",
                ),
            )
        )
    source = {"title": values.pop("source_title"), "ref": source_ref, "url": values.pop("source_url") or None}
    values |= {
        "source": [source],
        "since": since or ws.edition,
        "status": "active",
        "rationale": rationale,
        "links": _split(links),
        "replaces": _split(replaces),
    }
    for item in extra or []:
        name, sep, raw = item.partition("=")
        if not sep:
            raise KokomError(
                Finding(
                    "--set",
                    0,
                    0,
                    Severity.error,
                    "usage",
                    tr(f"'{item}' har ikke formen FELT=VERDI", f"'{item}' is not of the form FIELD=VALUE"),
                )
            )
        values[name.strip()] = parse_value(raw, expects_text(field_type(Requirement, (name.strip(),))))
    _finish(ws, lambda: add_requirement(ws, chapter, values), dry_run)


def register(requirements_app: typer.Typer, procedures_app: typer.Typer) -> None:
    """Add the edit commands to the `requirements` and `procedures` sub-apps."""
    requirements_app.command(
        "new",
        help=htr(
            "Legg til et krav i et kapittel. Felt som mangler, blir du spurt om i en terminal; i et skript gis de "
            "som valg.",
            "Add a requirement to a chapter. Missing fields are asked for in a terminal; in a script give them "
            "as options.",
        ),
    )(guarded(new))
    requirements_app.command(
        "set",
        help=htr(
            "Sett ett felt i et krav; resten av filen beholdes byte for byte.",
            "Set one field of a requirement, keeping the rest of the file byte for byte.",
        ),
    )(guarded(set_requirement))
    requirements_app.command(
        "retire",
        help=htr(
            "Sett et krav som utgått (status: retired), eventuelt med kravet som tar over.",
            "Retire a requirement (status: retired), optionally naming its successor.",
        ),
    )(guarded(retire))
    procedures_app.command(
        "set",
        help=htr(
            "Sett ett felt i en prosedyre eller et indekskort; resten av filen beholdes byte for byte.",
            "Set one field of a procedure or dispatch card, keeping the rest of the file byte for byte.",
        ),
    )(guarded(set_procedure))
