"""`kokom requirements new`: a new requirement from options or, in a terminal, from questions.

Registered with the other edit commands by `edit_cmd.register`; the edit itself is
`kokom_cli.editing.edits.add_requirement`, reported by `edit_cmd.finish`.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Annotated

import typer

from kokom_cli.cli import edit_cmd
from kokom_cli.cli.edit_cmd import DryRunOption, finish
from kokom_cli.cli.options import RootOption
from kokom_cli.cli.output import workspace
from kokom_cli.cli.requirements_cmd import LevelOption
from kokom_cli.core.i18n import htr


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
                return tr("skriv et tall", "write a number", "skriv eit tal")
            if value <= 0 or (kind is float and value > 1):
                return tr(
                    "et tall over 0 (andel: høyst 1)",
                    "a number above 0 (share: at most 1)",
                    "eit tal over 0 (del: høgst 1)",
                )
            return None

        return problem

    indicator = ask(
        tr("Indikator", "Indicator", "Indikator"),
        choices=[i.value for i in Indicator],
        default=Indicator.answered_within.value,
    )
    lines = ask(
        tr(
            "Linjer (f.eks. 113 eller 116117,local)",
            "Lines (e.g. 113 or 116117,local)",
            "Linjer (t.d. 113 eller 116117,local)",
        ),
        many=True,
    )
    seconds = ask(tr("Terskel i sekunder", "Threshold in seconds", "Terskel i sekund"), check=number(int))
    share = (
        "1.0"
        if indicator == Indicator.max_wait.value
        else ask(
            tr("Påkrevd andel (0-1, f.eks. 0.9)", "Required share (0-1, e.g. 0.9)", "Påkravd del (0-1, t.d. 0.9)"),
            check=number(float),
        )
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
            help=htr(
                "Kapitlets kortnavn eller filnavn (f.eks. svartid).",
                "Chapter slug or file name (e.g. svartid).",
                "Kortnamnet eller filnamnet til kapittelet (t.d. svartid).",
            ),
        ),
    ] = None,
    requirement_id: Annotated[
        str | None,
        typer.Option(
            "--id",
            help=htr(
                "Ny, fast id, f.eks. AMK-SVAR-03.",
                "New permanent id, e.g. AMK-SVAR-03.",
                "Ny, fast id, t.d. AMK-SVAR-03.",
            ),
        ),
    ] = None,
    title: Annotated[
        str | None, typer.Option("--title", help=htr("Kravets tittel.", "The title.", "Tittelen på kravet."))
    ] = None,
    text: Annotated[
        str | None,
        typer.Option(
            "--text", help=htr("Kravteksten, i Markdown.", "The requirement, in Markdown.", "Kravteksten, i Markdown.")
        ),
    ] = None,
    level: LevelOption = None,
    applies_to: Annotated[
        list[str] | None,
        typer.Option(
            "--applies-to",
            help=htr(
                "Tjenestetyper, kommaseparert eller gjentatt: amk, legevaktsentral, legevakt, ...",
                "Service kinds, comma-separated or repeated: amk, legevaktsentral, legevakt, ...",
                "Tenestetypar, kommaseparerte eller gjentekne: amk, legevaktsentral, legevakt, ...",
            ),
        ),
    ] = None,
    verification: Annotated[
        str | None,
        typer.Option(
            "--verification",
            help=htr(
                "attestation, document, metric eller inspection.",
                "attestation, document, metric or inspection.",
                "attestation, document, metric eller inspection.",
            ),
        ),
    ] = None,
    source_title: Annotated[
        str | None,
        typer.Option(
            "--source-title",
            help=htr(
                "Det som vises til, f.eks. 'Akuttmedisinforskriften § 13'.",
                "What is cited, e.g. 'Akuttmedisinforskriften § 13'.",
                "Det som blir vist til, t.d. 'Akuttmedisinforskriften § 13'.",
            ),
        ),
    ] = None,
    source_url: Annotated[
        str | None,
        typer.Option(
            "--source-url",
            help=htr("Hvor kilden kan leses.", "Where the source can be read.", "Kvar kjelda kan lesast."),
        ),
    ] = None,
    source_ref: Annotated[
        str | None,
        typer.Option(
            "--source-ref",
            help=htr(
                "Formell henvisning, f.eks. FOR-2015-03-20-231 § 13.",
                "Formal reference, e.g. FOR-2015-03-20-231 § 13.",
                "Formell tilvising, t.d. FOR-2015-03-20-231 § 13.",
            ),
        ),
    ] = None,
    since: Annotated[
        str | None,
        typer.Option(
            "--since",
            help=htr(
                "Utgave; standard: arbeidsområdets utgave.",
                "Edition; default the workspace's edition.",
                "Utgåve; standard: utgåva til arbeidsområdet.",
            ),
        ),
    ] = None,
    rationale: Annotated[
        str | None,
        typer.Option(
            "--rationale",
            help=htr("Begrunnelsen for kravet.", "Why the requirement exists.", "Grunngivinga for kravet."),
        ),
    ] = None,
    links: Annotated[
        list[str] | None,
        typer.Option(
            "--link",
            help=htr(
                "Id-en til et beslektet krav (kan gjentas).",
                "Related requirement id (repeatable).",
                "Id-en til eit relatert krav (kan gjentakast).",
            ),
        ),
    ] = None,
    replaces: Annotated[
        list[str] | None,
        typer.Option(
            "--replaces",
            help=htr(
                "Id som dette kravet erstatter (kan gjentas).",
                "Id this one replaces (repeatable).",
                "Id som dette kravet erstattar (kan gjentakast).",
            ),
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
                'Kva anna felt som helst, t.d. --set \'metric={indicator: answered_within, lines: ["113"], '
                "threshold_seconds: 10, required_share: 0.9}' (kan gjentakast).",
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
    if edit_cmd.interactive():  # looked up on edit_cmd at each call (tests replace it there)
        if chapter is None:
            files = chapter_files(ws)
            chapter = (
                next(iter(files))
                if len(files) == 1
                else typer.prompt(
                    tr(
                        f"Kapittel ({', '.join(files)})",
                        f"Chapter ({', '.join(files)})",
                        f"Kapittel ({', '.join(files)})",
                    )
                )
            )
        questions = {
            "id": tr("Id (f.eks. AMK-SVAR-03)", "Id (e.g. AMK-SVAR-03)", "Id (t.d. AMK-SVAR-03)"),
            "title": tr("Tittel", "Title", "Tittel"),
            "text": tr("Kravtekst", "Requirement text", "Kravtekst"),
            "level": tr("Nivå (skal/bør)", "Level (skal/bør)", "Nivå (skal/bør)"),
            "applies_to": tr(
                "Gjelder (f.eks. amk,legevaktsentral)",
                "Applies to (e.g. amk,legevaktsentral)",
                "Gjeld for (t.d. amk,legevaktsentral)",
            ),
            "verification": tr(
                "Verifisering (attestation/document/metric/inspection)",
                "Verification (attestation/document/metric/inspection)",
                "Verifisering (attestation/document/metric/inspection)",
            ),
            "source_title": tr(
                "Kilde (lov, forskrift, veileder)",
                "Source (law, regulation, guideline)",
                "Kjelde (lov, forskrift, rettleiar)",
            ),
            "source_url": tr("Kildens adresse (URL)", "Address of the source (URL)", "Adressa til kjelda (URL)"),
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
                    f"manglar {', '.join(missing)}; oppgi dei som val, "
                    "eller køyr kommandoen i ein terminal for å få spørsmål om dei",
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
                    tr(
                        f"'{item}' har ikke formen FELT=VERDI",
                        f"'{item}' is not of the form FIELD=VALUE",
                        f"'{item}' har ikkje forma FELT=VERDI",
                    ),
                )
            )
        values[name.strip()] = parse_value(raw, expects_text(field_type(Requirement, (name.strip(),))))
    finish(ws, lambda: add_requirement(ws, chapter, values), dry_run)
