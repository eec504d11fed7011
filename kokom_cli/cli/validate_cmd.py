"""`kokom validate` and `kokom schema`."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

from kokom_cli.cli.options import JsonOption, RootOption
from kokom_cli.cli.output import EXIT_FOUND, EXIT_OK, emit_json, guarded, print_lines
from kokom_cli.core.i18n import htr


def register(app: typer.Typer) -> None:
    app.command(
        "validate",
        help=htr(
            "Kontroller alle krav- og prosedyrefiler; skriv hvert funn som sti:linje:kolonne.",
            "Check every requirement and procedure file; print each finding as path:line:col.",
        ),
    )(validate)
    app.command(
        "schema",
        help=htr(
            "Skriv et JSON-skjema for hver filtype, til redigeringsprogrammer (yaml-language-server).",
            "Write a JSON Schema for every kind of file, for editors (yaml-language-server).",
        ),
    )(schema)


@guarded
def validate(
    root: RootOption = None,
    json_out: JsonOption = False,
    strict: Annotated[
        bool, typer.Option("--strict", help=htr("Behandle advarsler som feil.", "Treat warnings as errors."))
    ] = False,
    no_cache: Annotated[
        bool,
        typer.Option(
            "--no-cache",
            envvar="KOKOM_NO_CACHE",
            help=htr(
                "Valider alle filer selv om ingenting er endret siden forrige kjøring.",
                "Validate every file even if nothing changed since the last run.",
            ),
        ),
    ] = False,
) -> None:
    from kokom_cli.core.findings import Severity, has_errors
    from kokom_cli.core.i18n import language, tr
    from kokom_cli.requirements.validation_cache import ValidationCache
    from kokom_cli.workspace import resolve_root

    scope = resolve_root(root)
    cache = None if no_cache else ValidationCache.for_run(scope, strict=strict, language=language())
    findings = cache.lookup() if cache else None
    if findings is None:
        findings = _validate(scope, strict, cache)
    if json_out:
        emit_json({"findings": [f.as_json() for f in findings]})
    else:
        print_lines([f.render() for f in findings])
        errors = sum(f.severity is Severity.error for f in findings)
        warnings = len(findings) - errors
        print_lines(
            [tr(f"{errors} feil, {warnings} advarsler.", f"{errors} errors, {warnings} warnings.")], stderr=True
        )
    raise typer.Exit(EXIT_FOUND if has_errors(findings) else EXIT_OK)


def _validate(scope: Path | None, strict: bool, cache) -> list:
    from kokom_cli.core.findings import KokomError
    from kokom_cli.procedures.validation import validate_workspace
    from kokom_cli.workspace import builtin_dir, open_workspace

    try:
        ws = open_workspace(scope)
    except KokomError as exc:
        return exc.findings  # a broken kokom.yaml is a finding of validate, not a usage error
    folders = [ws.requirements_dir, ws.procedures_dir, builtin_dir("procedures"), builtin_dir("competence")]
    folders += [ws.root] if ws.root else []
    started = cache.start(folders) if cache else None
    findings = validate_workspace(ws, strict=strict)
    if cache:
        cache.store(started, findings)
    return findings


@guarded
def schema(
    out: Annotated[
        Path,
        typer.Option(
            "-o", "--output", help=htr("Mappen JSON-skjemaene skrives til.", "Folder to write the JSON Schemas to.")
        ),
    ] = Path("schema"),
    root: RootOption = None,
) -> None:
    from kokom_cli.core.i18n import tr
    from kokom_cli.publish.schemas import write_schemas

    written = write_schemas(out)
    print_lines([tr(f"Skrev {p}", f"Wrote {p}") for p in written])
