"""`kokom overview FOLDER` (the national roll-up) and `kokom assess validate FOLDER` (loading only)."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

from kokom_cli.cli.options import (
    AsOfOption,
    JsonOption,
    LangOption,
    RootOption,
    TemplatesOption,
    ThroughLinkOption,
    as_of_date,
)
from kokom_cli.cli.output import EXIT_FOUND, EXIT_OK, emit_json, guarded, print_lines, workspace, write_stdout
from kokom_cli.core.i18n import htr

_SERVICES = (("tjeneste", "tjenester"), ("service", "services"), ("teneste", "tenester"))

FORMATS = ("html", "pdf", "csv", "xlsx", "json")
FolderArgument = Annotated[
    Path,
    typer.Argument(
        metavar="FOLDER",
        help=htr(
            "Mappe med tjenester og egenvurderinger, lest rekursivt, med pakker (.zip fra `kokom assess pack`) "
            "i den; eller én pakke.",
            "Folder with services and assessments, read recursively, with the packs (.zip from `kokom assess pack`) "
            "in it; or one pack.",
            "Mappe med tenester og eigenvurderingar, lesen rekursivt, med pakkar (.zip frå `kokom assess pack`) "
            "i mappa; eller éin pakke.",
        ),
    ),
]
KindOption = Annotated[
    str | None,
    typer.Option(
        "--kind",
        help=htr(
            "Bare tjenester av denne typen, f.eks. legevaktsentral.",
            "Only services of this kind, e.g. legevaktsentral.",
            "Berre tenester av denne typen, t.d. legevaktsentral.",
        ),
    ),
]


def _kind(value: str | None):
    from kokom_cli.core.selection import require_choice
    from kokom_cli.requirements.models import ServiceKind

    if value is None:
        return None
    require_choice(value, [k.value for k in ServiceKind], "--kind")
    return ServiceKind(value)


def _load(received, root: Path | None, kind: str | None):
    """`received` is what `unpack.opened_folder` yields: the folder, the packs unpacked from it, the packs refused."""
    from kokom_cli.assessments.folder import load_folder
    from kokom_cli.requirements.corpus import workspace_corpus

    folder, packs, refused = received
    ws = workspace(root)
    chosen = _kind(kind)
    found = load_folder(folder, ws, workspace_corpus(ws), kind=chosen, packs=packs)
    found.failed.update(refused)
    return ws, chosen, found


def _report(findings, count_failed: int) -> None:
    from kokom_cli.core.i18n import plural, tr

    print_lines([f.render() for f in findings], stderr=True)
    if count_failed:
        files = plural(count_failed, ("fil", "filer"), ("file", "files"), ("fil", "filer"))
        print_lines(
            [
                tr(
                    f"{files} kunne ikke leses og er utelatt.",
                    f"{files} could not be read and {'was' if count_failed == 1 else 'were'} left out.",
                    f"{files} kunne ikkje lesast og er ikkje med.",
                )
            ],
            stderr=True,
        )


def _csv_targets(out: Path | None, section: str | None) -> tuple[str | None, Path | None, bool]:
    """(section key or None for all, where to write (None: stdout), whether that is a folder)."""
    from kokom_cli.core.i18n import tr
    from kokom_cli.core.selection import require_choice, usage_error
    from kokom_cli.publish.overview_tables import SECTIONS, section_key, section_names

    key = None
    if section is not None:
        key = section_key(section) or section_key(require_choice(section, section_names(), "--section"))
    folder = out is not None and (out.is_dir() or out.suffix.casefold() != ".csv")
    if key is None and out is None:
        raise usage_error(
            "--format",
            tr(
                "csv skriver en fil per del: oppgi en mappe (-o MAPPE) eller et filnavn (-o oversikt.csv), "
                "eller én del til stdout med --section (" + ", ".join(label[2] for label in SECTIONS.values()) + ")",
                "csv writes one file per section: give a folder (-o FOLDER) or a file name (-o overview.csv), "
                "or one section to stdout with --section (" + ", ".join(SECTIONS) + ")",
                "csv skriv ei fil per del: oppgi ei mappe (-o MAPPE) eller eit filnamn (-o oversikt.csv), "
                "eller éin del til stdout med --section (" + ", ".join(label[2] for label in SECTIONS.values()) + ")",
            ),
        )
    return key, out, folder


def _write_csv(result, targets: tuple[str | None, Path | None, bool] | None, force: bool) -> str:
    """The CSV files `_csv_targets` chose: one section to stdout or a file, or every section as files.

    Returns what was written, for the "Skrev ..." line."""
    from kokom_cli.core.atomic import refuse_symlink, write_text_atomic
    from kokom_cli.core.i18n import tr
    from kokom_cli.publish.overview_tables import file_name, section_csv

    assert targets is not None
    key, out, folder = targets
    tables, titles = result.tables(), dict(result.chapters)
    chosen = [key] if key else list(tables)
    if out is None:
        write_stdout(section_csv(chosen[0], tables[chosen[0]], titles))
        return "-"
    if key and not folder:
        paths = {key: out}  # -o FILE.csv --section NAME
    elif folder:
        paths = {name: out / file_name(name) for name in chosen}
    else:
        paths = {name: out.with_name(f"{out.stem}-{file_name(name)}") for name in chosen}
    for path in [out, *paths.values()] if folder else paths.values():
        refuse_symlink(path, force=force)  # every target before the first write: never half a set of files
    if folder:
        out.mkdir(parents=True, exist_ok=True)
    for name, path in paths.items():
        write_text_atomic(path, section_csv(name, tables[name], titles), force=force)
    if len(chosen) == 1:
        return str(path)
    where = str(out) if folder else str(out.with_name(f"{out.stem}-*.csv"))
    return tr(
        f"{len(chosen)} CSV-filer ({where})", f"{len(chosen)} CSV files ({where})", f"{len(chosen)} CSV-filer ({where})"
    )


@guarded
def overview(
    folder: FolderArgument,
    out: Annotated[
        Path | None,
        typer.Option(
            "-o",
            "--output",
            help=htr(
                "Filen som skrives. Standard: oversikt.html/.pdf/.xlsx; json går til stdout. csv: en fil per del, "
                "i mappen -o MAPPE (MAPPE/svartider.csv, ...) eller ved siden av -o FIL.csv (FIL-svartider.csv, "
                "...); med --section én fil (-o FIL.csv) eller stdout.",
                "File to write. Default: oversikt.html/.pdf/.xlsx; json goes to stdout. csv: one file per section, "
                "in the folder -o FOLDER (FOLDER/answer-times.csv, ...) or beside -o FILE.csv (FILE-answer-times.csv, "
                "...); with --section one file (-o FILE.csv) or stdout.",
                "Fila som blir skriven. Standard: oversikt.html/.pdf/.xlsx; json går til stdout. csv: ei fil per del, "
                "i mappa -o MAPPE (MAPPE/svartider.csv, ...) eller ved sida av -o FIL.csv (FIL-svartider.csv, "
                "...); med --section éi fil (-o FIL.csv) eller stdout.",
            ),
        ),
    ] = None,
    section: Annotated[
        str | None,
        typer.Option(
            "--section",
            help=htr(
                "Bare denne delen som CSV, f.eks. svartider eller answer_times (med --format csv).",
                "Only this section as CSV, e.g. svartider or answer_times (with --format csv).",
                "Berre denne delen som CSV, t.d. svartider eller answer_times (med --format csv).",
            ),
        ),
    ] = None,
    fmt: Annotated[
        str,
        typer.Option(
            "--format",
            "-f",
            help=htr(
                "html, pdf, csv, xlsx eller json.", "html, pdf, csv, xlsx or json.", "html, pdf, csv, xlsx eller json."
            ),
        ),
    ] = "html",
    kind: KindOption = None,
    as_of: AsOfOption = None,
    lang: LangOption = None,
    templates: TemplatesOption = None,
    force: ThroughLinkOption = False,
    root: RootOption = None,
    json_out: JsonOption = False,
) -> None:

    from kokom_cli.assessments.overview import build_overview
    from kokom_cli.assessments.unpack import opened_folder
    from kokom_cli.cli.publishing import publish
    from kokom_cli.core.atomic import write_bytes_atomic, write_text_atomic
    from kokom_cli.core.i18n import plural, tr
    from kokom_cli.core.selection import require_choice, usage_error
    from kokom_cli.publish.overview import heatmap, legend, legend_states
    from kokom_cli.publish.overview_tables import tables_xlsx

    if json_out:
        fmt = "json"
    require_choice(fmt, FORMATS, "--format")
    if lang is not None:
        from kokom_cli.core.i18n import LANGUAGES, set_language

        set_language(require_choice(lang, LANGUAGES, "--lang"))  # sheet, file and column names too
    targets = _csv_targets(out, section) if fmt == "csv" else None
    written = ""
    if out is not None and fmt != "csv" and out.is_dir():
        raise usage_error("--output", tr(f"{out} er en mappe", f"{out} is a folder", f"{out} er ei mappe"))
    day = as_of_date(as_of)
    with opened_folder(folder) as received:  # a pack, or packs in the folder: unpacked, checked
        ws, chosen, found = _load(received, root, kind)
        result = build_overview(found, as_of=day, edition=ws.edition, kind=chosen, mapping=ws.config.call_log)
        if fmt in ("html", "pdf"):

            def context(_ws):
                return {
                    "title": tr("Nasjonal oversikt", "National overview", "Nasjonal oversikt"),
                    "edition": result.edition,
                    "date": day,
                    "kind": chosen.value if chosen else None,
                    "rows": result.rows,
                    "heatmap": heatmap(result),
                    "legend": legend(),
                    "legend_states": legend_states(),
                    "assessments_read": len(found.assessments),
                    "pdf": fmt == "pdf",  # the PDF leaves out what only narrow screens show
                    **{
                        name: getattr(result, name)
                        for name in (
                            "not_assessed",
                            "most_not_met",
                            "overdue",
                            "disputed",
                            "answer_times",
                            "competence",
                            "changes",
                            "failed",
                            "notes",
                            "skipped",
                        )
                    },
                }

            publish(
                "overview.html.j2",
                context,
                fmt=fmt,
                out=out or Path(f"oversikt.{fmt}"),
                lang=lang,
                templates=templates,
                variant=None,
                root=root,
                force=force,
            )
        elif fmt == "xlsx":
            target = out or Path("oversikt.xlsx")
            write_bytes_atomic(target, tables_xlsx(result.tables(), dict(result.chapters)), force=force)
        elif fmt == "csv":
            written = _write_csv(result, targets, force)
        else:
            import json

            text = json.dumps(result.as_json(), ensure_ascii=False, indent=2, default=str) + "\n"
            if out is None:
                write_stdout(text)
            else:
                write_text_atomic(out, text, force=force)
        _report(result.problems, len(result.failed))
        if out is not None or fmt in ("html", "pdf", "xlsx"):
            print_lines(
                [
                    tr(
                        f"Skrev {written or out or 'oversikt.' + fmt}: {plural(len(result.rows), *_SERVICES)}",
                        f"Wrote {written or out or 'oversikt.' + fmt}: {plural(len(result.rows), *_SERVICES)}",
                        f"Skreiv {written or out or 'oversikt.' + fmt}: {plural(len(result.rows), *_SERVICES)}",
                    )
                ],
                stderr=True,
            )
        raise typer.Exit(EXIT_FOUND if result.has_errors else EXIT_OK)


@guarded
def validate(
    folder: FolderArgument,
    kind: KindOption = None,
    root: RootOption = None,
    json_out: JsonOption = False,
) -> None:
    from kokom_cli.assessments.overview import check_call_logs
    from kokom_cli.assessments.unpack import opened_folder
    from kokom_cli.core.findings import Severity
    from kokom_cli.core.i18n import plural, tr

    with opened_folder(folder) as received:  # a pack, or packs in the folder: unpacked, checked
        ws, _, found = _load(received, root, kind)
        found.warnings.extend(check_call_logs(found, ws.config.call_log))  # each log read once; unreadable: an error
        errors = any(f.severity is Severity.error for f in found.findings)
        if json_out:
            emit_json(
                {
                    "services": len(found.services),
                    "assessments": len(found.assessments),
                    "failed_files": sorted(found.failed),
                    "skipped": found.skipped,
                    "findings": [f.as_json() for f in found.findings],
                }
            )
        else:
            _report(found.findings, len(found.failed))
            assessments = plural(
                len(found.assessments),
                ("vurdering", "vurderinger"),
                ("assessment", "assessments"),
                ("vurdering", "vurderingar"),
            )
            services = plural(len(found.services), *_SERVICES)
            print_lines(
                [
                    tr(
                        f"{assessments} og {services} lest og kontrollert.",
                        f"{assessments} and {services} read and checked.",
                        f"{assessments} og {services} lesne og kontrollerte.",
                    )
                ],
                stderr=True,
            )
        raise typer.Exit(EXIT_FOUND if errors else EXIT_OK)


def register(app: typer.Typer, assess_app: typer.Typer) -> None:
    """`kokom overview` on the main app, `kokom assess validate` on the assess sub-app."""
    app.command(
        "overview",
        help=htr(
            "Nasjonal oversikt: oppfylte skal-krav per tjeneste og kapittel, mangler, tiltak over frist, svartider."
            "\n\nUtgangskode 1 når en fil ikke kunne leses (oversikten viser de andre).",
            "National roll-up: skal requirements met by service and chapter, gaps, overdue actions, answer times."
            "\n\nExit 1 when a file could not be read (the overview shows the others).",
            "Nasjonal oversikt: oppfylte skal-krav per teneste og kapittel, manglar, tiltak over frist, svartider."
            "\n\nUtgangskode 1 når ei fil ikkje kunne lesast (oversikta viser dei andre).",
        ),
    )(overview)
    assess_app.command(
        "validate",
        help=htr(
            "Les og kontroller alle tjenester og egenvurderinger under FOLDER, slik `assess check` gjør; ingenting "
            "blir vurdert.\n\nUtgangskode 1 når en fil har feil.",
            "Load and check every service and assessment under FOLDER, as `assess check` would; nothing is "
            "evaluated.\n\nExit 1 when a file has errors.",
            "Les og kontroller alle tenester og eigenvurderingar under FOLDER, slik `assess check` gjer; ingenting "
            "blir vurdert.\n\nUtgangskode 1 når ei fil har feil.",
        ),
    )(validate)
