"""`kokom validate` and `kokom schema`."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

from kokom_cli.cli.output import EXIT_FOUND, EXIT_OK, JsonOption, RootOption, emit_json, guarded, print_lines


def register(app: typer.Typer) -> None:
    app.command("validate")(validate)
    app.command("schema")(schema)


@guarded
def validate(
    root: RootOption = None,
    json_out: JsonOption = False,
    strict: Annotated[bool, typer.Option("--strict", help="Treat warnings as errors.")] = False,
) -> None:
    """Check every requirement and procedure file; print each finding as path:line:col."""
    from kokom_cli.findings import KokomError, Severity, has_errors
    from kokom_cli.i18n import tr
    from kokom_cli.validation import validate_workspace
    from kokom_cli.workspace import open_workspace

    try:
        ws = open_workspace(root)
    except KokomError as exc:
        if any(f.code == "workspace-missing" for f in exc.findings):
            raise
        findings = exc.findings  # a broken kokom.yaml is a finding of validate, not a usage error
    else:
        findings = validate_workspace(ws, strict=strict)
    if json_out:
        emit_json({"findings": [f.as_json() for f in findings]})
    else:
        print_lines([f.render() for f in findings])
        errors = sum(f.severity is Severity.error for f in findings)
        warnings = len(findings) - errors
        print_lines([tr(f"{errors} feil, {warnings} advarsler.", f"{errors} errors, {warnings} warnings.")],
                    stderr=True)
    raise typer.Exit(EXIT_FOUND if has_errors(findings) else EXIT_OK)


@guarded
def schema(
    out: Annotated[Path, typer.Option("-o", "--output", help="Folder to write the JSON Schemas to.")] = Path("schema"),
    root: RootOption = None,
) -> None:
    """Write a JSON Schema for every kind of file, for editors (yaml-language-server)."""
    from kokom_cli.i18n import tr
    from kokom_cli.schemas import write_schemas

    written = write_schemas(out)
    print_lines([tr(f"Skrev {p}", f"Wrote {p}") for p in written])
