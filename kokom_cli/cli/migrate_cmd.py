"""`kokom assess migrate ASSESSMENT --to EDITION`: carry a self-assessment forward to a new edition.

Which editions: the assessment names its own (`edition: "2026.1"`); that
edition is read from the git tag `edition-2026.1` that `kokom edition
release` told the editor to create, or from `--from` (a folder or a git
revision). `--to` is an edition number (the current workspace's edition, or
else the tag `edition-<number>`), a workspace folder, or a git revision.
"""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

from kokom_cli.cli.assess_cmd import AssessmentArgument
from kokom_cli.cli.options import ForceOption, JsonOption, RootOption
from kokom_cli.cli.output import emit_json, guarded, print_lines, write_stdout
from kokom_cli.core.i18n import htr


def report_lines(result, written: str | None) -> list[str]:
    from kokom_cli.core.i18n import tr
    from kokom_cli.editions.diff import class_label

    lines = [
        tr(
            f"Vurderingen er ført over fra utgave {result.old_edition} til {result.new_edition}.",
            f"The assessment is carried over from edition {result.old_edition} to {result.new_edition}.",
            f"Vurderinga er ført over frå utgåve {result.old_edition} til {result.new_edition}.",
        )
    ]
    notes = []
    if result.kept_editorial:
        notes.append(
            tr(
                f"{len(result.kept_editorial)} med redaksjonelle endringer: {', '.join(result.kept_editorial)}",
                f"{len(result.kept_editorial)} with editorial changes: {', '.join(result.kept_editorial)}",
                f"{len(result.kept_editorial)} med redaksjonelle endringar: {', '.join(result.kept_editorial)}",
            )
        )
    if result.kept_relaxed:
        notes.append(
            tr(
                f"{len(result.kept_relaxed)} lempet og var oppfylt: {', '.join(result.kept_relaxed)}",
                f"{len(result.kept_relaxed)} relaxed and met before: {', '.join(result.kept_relaxed)}",
                f"{len(result.kept_relaxed)} lempa og var oppfylt: {', '.join(result.kept_relaxed)}",
            )
        )
    kept = len(result.kept) + len(result.kept_editorial) + len(result.kept_relaxed)
    detail = f" ({'; '.join(notes)})" if notes else ""
    lines.append(
        tr(f"  Beholdt: {kept} svar{detail}", f"  Kept: {kept} answers{detail}", f"  Ført vidare: {kept} svar{detail}")
    )
    if result.reset:
        lines.append(
            tr(
                f"  Nullstilt for ny vurdering ({len(result.reset)}); det gamle svaret står i justification:",
                f"  Reset for re-assessment ({len(result.reset)}); the old answer is in justification:",
                f"  Nullstilt for ny vurdering ({len(result.reset)}); det gamle svaret står i justification:",
            )
        )
        unanswered = tr("ubesvart", "unanswered", "usvart")
        lines += [
            f"    {r.id}: {class_label(r.change_class)}: {r.reason} "
            + tr(
                f"(var: {r.old_status or unanswered})",
                f"(was: {r.old_status or unanswered})",
                f"(var: {r.old_status or unanswered})",
            )
            for r in result.reset
        ]
    if result.renamed:
        lines.append(
            tr("  Omdøpt: ", "  Renamed: ", "  Omdøypt: ") + ", ".join(f"{old} → {new}" for old, new in result.renamed)
        )
    if result.dropped:
        lines.append(
            tr(
                f"  Fjernet ({len(result.dropped)}):",
                f"  Dropped ({len(result.dropped)}):",
                f"  Fjerna ({len(result.dropped)}):",
            )
        )
        lines += [f"    {d.id}: {d.reason}" for d in result.dropped]
    if result.added:
        lines.append(
            tr(
                f"  Nye krav, ubesvart ({len(result.added)}): ",
                f"  New, unanswered ({len(result.added)}): ",
                f"  Nye krav, usvarte ({len(result.added)}): ",
            )
            + ", ".join(result.added)
        )
    if written:
        lines.append(tr(f"Skrev {written}", f"Wrote {written}", f"Skreiv {written}"))
    return lines + result.notes


def register(assess_app: typer.Typer) -> None:
    @assess_app.command(
        "migrate",
        help=htr(
            "Før en egenvurdering over til en ny utgave: behold, nullstill, fjern og legg til svar etter den "
            "klassifiserte diffen.",
            "Carry an assessment to a new edition: keep, reset, drop and add answers by the classified diff.",
            "Før ei eigenvurdering over til ei ny utgåve: behald, nullstill, fjern og legg til svar etter den "
            "klassifiserte diffen.",
        ),
    )
    @guarded
    def migrate(
        assessment: AssessmentArgument,
        to: Annotated[
            str,
            typer.Option(
                "--to",
                metavar="EDITION",
                help=htr(
                    "Den nye utgaven: nummeret (arbeidsområdets, eller git-taggen edition-NUMMER), en mappe eller en "
                    "git-revisjon.",
                    "The new edition: its number (the current workspace's, or the git tag edition-NUMBER), a folder "
                    "or a git revision.",
                    "Den nye utgåva: nummeret (til arbeidsområdet, eller git-taggen edition-NUMMER), ei mappe "
                    "eller ein git-revisjon.",
                ),
            ),
        ],
        out: Annotated[
            Path | None,
            typer.Option(
                "-o",
                "--output",
                dir_okay=False,
                help=htr(
                    "Skriv den overførte egenvurderingen hit, i samme mappe (standard: stdout).",
                    "Write the migrated assessment here, in the same folder (default: stdout).",
                    "Skriv den overførte eigenvurderinga hit, i same mappe (standard: stdout).",
                ),
            ),
        ] = None,
        old: Annotated[
            str | None,
            typer.Option(
                "--from",
                metavar="OLD",
                help=htr(
                    "Egenvurderingens egen utgave som mappe eller git-revisjon (standard: taggen "
                    "edition-<dens utgave>).",
                    "The assessment's own edition as a folder or git revision (default: the tag "
                    "edition-<its edition>).",
                    "Utgåva eigenvurderinga sjølv byggjer på, som mappe eller git-revisjon (standard: taggen "
                    "edition-<utgåva hennar>).",
                ),
            ),
        ] = None,
        force: ForceOption = False,
        root: RootOption = None,
        json_out: JsonOption = False,
    ) -> None:

        from kokom_cli.assessments.migrate import migrate_file
        from kokom_cli.core.atomic import refuse_existing, write_text_atomic
        from kokom_cli.core.findings import KokomError
        from kokom_cli.core.i18n import tr

        if out is not None:
            refuse_existing(out, force=force)
        if out is not None and out.absolute().parent.resolve() != assessment.absolute().parent.resolve():
            raise KokomError.at(
                str(out),
                "usage",
                tr(
                    "skriv den nye vurderingen i samme mappe som den gamle (stiene til "
                    "dokumentasjon og anropslogger er regnet fra den mappen)",
                    "write the new assessment in the same folder as the old one (evidence and "
                    "call-log paths are relative to that folder)",
                    "skriv den nye vurderinga i same mappe som den gamle (stiane til "
                    "dokumentasjon og anropsloggar er rekna frå den mappa)",
                ),
            )
        if json_out and out is None:
            raise KokomError.at(
                "--json",
                "usage",
                tr(
                    "--json trenger -o FIL (vurderingen kan ikke også skrives til stdout)",
                    "--json needs -o FILE (the assessment cannot go to stdout as well)",
                    "--json treng -o FIL (vurderinga kan ikkje òg skrivast til stdout)",
                ),
            )
        from kokom_cli.workspace import open_workspace

        current = open_workspace(root, start=assessment.absolute().parent)
        result = migrate_file(assessment, to, old, current)
        if current.local and current.edition != result.new_edition:
            result.notes.append(
                tr(
                    f"Arbeidsområdet bygger fortsatt på utgave {current.edition}: sett `national:` i kokom.yaml "
                    f"til den nye utgaven (f.eks. rev: edition-{result.new_edition}) før `kokom assess check`.",
                    f"The workspace still builds on edition {current.edition}: point `national:` in kokom.yaml "
                    f"at the new edition (e.g. rev: edition-{result.new_edition}) before `kokom assess check`.",
                    f"Arbeidsområdet byggjer framleis på utgåve {current.edition}: set `national:` i kokom.yaml "
                    f"til den nye utgåva (t.d. rev: edition-{result.new_edition}) før `kokom assess check`.",
                )
            )
        if out is not None:
            write_text_atomic(out, result.text, force=force)
        if json_out:
            emit_json(result.as_json() | {"output": str(out)})
            return
        if out is None:
            write_stdout(result.text)
        print_lines(report_lines(result, str(out) if out else None), stderr=out is None)
