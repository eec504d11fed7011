"""`kokom validate` and `kokom schema`."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

from kokom_cli.cli.options import JsonOption, RootOption
from kokom_cli.cli.output import EXIT_FOUND, EXIT_OK, emit_json, guarded, print_lines
from kokom_cli.core.i18n import htr, plural

_ERRORS = (("feil", "feil"), ("error", "errors"), ("feil", "feil"))
_WARNINGS = (("advarsel", "advarsler"), ("warning", "warnings"), ("åtvaring", "åtvaringar"))


def register(app: typer.Typer) -> None:
    app.command(
        "validate",
        help=htr(
            "Kontroller alle krav- og prosedyrefiler; skriv hvert funn som sti:linje:kolonne.",
            "Check every requirement and procedure file; print each finding as path:line:col.",
            "Kontroller alle krav- og prosedyrefiler; skriv kvart funn som sti:linje:kolonne.",
        ),
    )(validate)
    app.command(
        "schema",
        help=htr(
            "Skriv et JSON-skjema for hver filtype, til redigeringsprogrammer (yaml-language-server).",
            "Write a JSON Schema for every kind of file, for editors (yaml-language-server).",
            "Skriv eit JSON-skjema for kvar filtype, til redigeringsprogram (yaml-language-server).",
        ),
    )(schema)


@guarded
def validate(
    root: RootOption = None,
    json_out: JsonOption = False,
    strict: Annotated[
        bool,
        typer.Option(
            "--strict",
            help=htr("Behandle advarsler som feil.", "Treat warnings as errors.", "Handsam åtvaringar som feil."),
        ),
    ] = False,
    no_cache: Annotated[
        bool,
        typer.Option(
            "--no-cache",
            envvar="KOKOM_NO_CACHE",
            help=htr(
                "Valider alle filer selv om ingenting er endret siden forrige kjøring.",
                "Validate every file even if nothing changed since the last run.",
                "Valider alle filer sjølv om ingenting er endra sidan førre køyring.",
            ),
        ),
    ] = False,
) -> None:
    from kokom_cli.core.findings import Severity, has_errors
    from kokom_cli.core.i18n import language, tr
    from kokom_cli.requirements.validation_cache import ValidationCache
    from kokom_cli.workspace import resolve_root

    scope = resolve_root(root)
    folders = None if no_cache else _input_folders(scope)
    cache = None if folders is None else ValidationCache.for_run(scope, strict=strict, language=language())
    findings = cache.lookup(folders) if cache is not None and folders is not None else None
    edition = cache.note if cache is not None and findings is not None else None
    if findings is None:
        findings, edition = _validate(scope, strict, cache)
    if json_out:
        emit_json({"findings": [f.as_json() for f in findings], **({"edition": edition} if edition else {})})
    else:
        print_lines([f.render() for f in findings])
        errors = sum(f.severity is Severity.error for f in findings)
        warnings = len(findings) - errors
        against = (
            tr(f" Kontrollert mot {edition}.", f" Checked against {edition}.", f" Kontrollert mot {edition}.")
            if edition
            else ""
        )
        print_lines(
            [f"{plural(errors, *_ERRORS)}, {plural(warnings, *_WARNINGS)}.{against}"],
            stderr=True,
        )
    raise typer.Exit(EXIT_FOUND if has_errors(findings) else EXIT_OK)


def _folders_of(ws) -> list[Path]:
    """Every folder a validation of `ws` reads: the cache fingerprints exactly these."""
    from kokom_cli.workspace import builtin_dir

    folders = [ws.requirements_dir, ws.procedures_dir, builtin_dir("procedures"), builtin_dir("competence")]
    folders += [ws.root] if ws.root else []
    if ws.national is not None:
        folders += [ws.national.requirements_dir, ws.national.procedures_dir]
    return folders


def _input_folders(scope: Path | None) -> list[Path] | None:
    """The folders of the workspace as its kokom.yaml names them now; None when it cannot be read."""
    from kokom_cli.core.findings import KokomError
    from kokom_cli.workspace import open_workspace

    try:
        return _folders_of(open_workspace(scope))
    except KokomError:
        return None


def _validate(scope: Path | None, strict: bool, cache) -> tuple[list, str | None]:
    """The findings, and for a local workspace the national edition they were checked against."""
    from kokom_cli.core.findings import KokomError
    from kokom_cli.core.i18n import tr
    from kokom_cli.national import describe
    from kokom_cli.procedures.validation import validate_workspace
    from kokom_cli.workspace import open_workspace

    try:
        ws = open_workspace(scope)
    except KokomError as exc:
        if any(f.code == "edition-unknown" for f in exc.findings):
            raise  # the edition to check against cannot be found: a usage error (exit 2)
        return exc.findings, None  # a broken kokom.yaml is a finding of validate, not a usage error
    edition = None
    if ws.national is not None:
        edition = tr(
            f"nasjonal utgave {ws.edition} ({describe(ws.config)})",
            f"national edition {ws.edition} ({describe(ws.config)})",
            f"nasjonal utgåve {ws.edition} ({describe(ws.config)})",
        )
    started = cache.start(_folders_of(ws)) if cache else None
    findings = validate_workspace(ws, strict=strict)
    if cache:
        cache.store(started, findings, note=edition)
    return findings, edition


@guarded
def schema(
    out: Annotated[
        Path,
        typer.Option(
            "-o",
            "--output",
            help=htr(
                "Mappen JSON-skjemaene skrives til.",
                "Folder to write the JSON Schemas to.",
                "Mappa JSON-skjemaa blir skrivne til.",
            ),
        ),
    ] = Path("schema"),
    root: RootOption = None,
) -> None:
    from kokom_cli.core.i18n import tr
    from kokom_cli.publish.schemas import write_schemas

    written = write_schemas(out)
    print_lines([tr(f"Skrev {p}", f"Wrote {p}", f"Skreiv {p}") for p in written])
