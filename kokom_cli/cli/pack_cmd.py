"""`kokom assess pack ASSESSMENT -o FILE.zip`: the assessment, its service, evidence and call logs, as one file."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

from kokom_cli.cli.assess_cmd import AssessmentArgument
from kokom_cli.cli.options import AsOfOption, ForceOption, JsonOption, RootOption, as_of_date
from kokom_cli.cli.output import emit_json, guarded, print_lines, workspace
from kokom_cli.core.i18n import htr


def register(assess_app: typer.Typer) -> None:
    assess_app.command(
        "pack",
        help=htr(
            "Pakk egenvurderingen, tjenestefilen, dokumentasjonen og anropsloggene i én zip-fil med manifest "
            "(SHA-256 og størrelse for hver fil, utgaven, tjenesten). Personalregisteret blir aldri med.\n\n"
            "`kokom overview` og `kokom assess check|validate` leser pakken som en mappe.",
            "Pack the assessment, its service file, evidence and call logs into one zip file with a manifest "
            "(SHA-256 and size of every file, the edition, the service). The staff register is never packed.\n\n"
            "`kokom overview` and `kokom assess check|validate` read the pack as a folder.",
            "Pakk eigenvurderinga, tenestefila, dokumentasjonen og anropsloggane i éi zip-fil med manifest "
            "(SHA-256 og storleik for kvar fil, utgåva, tenesta). Personalregisteret blir aldri med.\n\n"
            "`kokom overview` og `kokom assess check|validate` les pakken som ei mappe.",
        ),
    )(pack)


@guarded
def pack(
    assessment: AssessmentArgument,
    out: Annotated[
        Path,
        typer.Option(
            "-o",
            "--output",
            dir_okay=False,
            metavar="FILE.zip",
            help=htr("Pakken som skrives.", "The pack to write.", "Pakken som blir skriven."),
        ),
    ],
    force: ForceOption = False,
    as_of: AsOfOption = None,
    root: RootOption = None,
    json_out: JsonOption = False,
) -> None:
    from kokom_cli.assessments.pack import pack_assessment
    from kokom_cli.core.i18n import plural, tr
    from kokom_cli.core.numbers import count
    from kokom_cli.requirements.corpus import workspace_corpus

    ws = workspace(root)
    result = pack_assessment(assessment, ws, workspace_corpus(ws), out, force=force, as_of=as_of_date(as_of))
    if json_out:
        emit_json(
            {
                "output": str(out),
                "service": result.service,
                "files": result.files,
                "withheld": result.withheld,
                "register_counts": result.counts,
                "missing": result.missing,
            }
        )
        return
    files = plural(len(result.files), ("fil", "filer"), ("file", "files"), ("fil", "filer"))
    lines = [
        tr(
            f"Skrev {out}: {files} ({count(result.size)} byte) for {result.service}",
            f"Wrote {out}: {files} ({count(result.size)} bytes) for {result.service}",
            f"Skreiv {out}: {files} ({count(result.size)} byte) for {result.service}",
        )
    ]
    if result.withheld:
        names = ", ".join(result.withheld)
        lines.append(
            tr(
                f"Ikke med (personopplysninger): {names}",
                f"Not packed (personal data): {names}",
                f"Ikkje med (personopplysningar): {names}",
            )
        )
    if result.counts:
        lines.append(
            tr(
                f"Personalregisteret er med som tall uten navn: {result.counts}",
                f"The staff register is packed as counts without names: {result.counts}",
                f"Personalregisteret er med som tal utan namn: {result.counts}",
            )
        )
    if result.missing:
        names = ", ".join(result.missing)
        lines.append(
            tr(f"Finnes ikke, ikke med: {names}", f"Missing, not packed: {names}", f"Finst ikkje, ikkje med: {names}")
        )
    print_lines(lines, stderr=True)
