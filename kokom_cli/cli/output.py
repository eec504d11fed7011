"""What every command shares: the --root and --json options, safe printing, and exit codes.

Exit codes (the contract): 0 nothing found, 1 problems found, 2 usage error or
unreadable input. Errors go to stderr as one line per problem, never a traceback.
"""

from __future__ import annotations

import functools
import json
import os
import re
import sys
from pathlib import Path
from typing import TYPE_CHECKING, Any

import typer

if TYPE_CHECKING:
    from kokom_cli.core.findings import Finding
    from kokom_cli.workspace import Workspace

EXIT_OK, EXIT_FOUND, EXIT_USAGE = 0, 1, 2

_CONTROL = re.compile(r"[\x00-\x08\x0b-\x1f\x7f-\x9f\u202a-\u202e\u2066-\u2069]")


def clean(text: Any) -> str:
    """Text safe for a terminal: control characters shown as escapes, never interpreted."""
    return _CONTROL.sub(lambda m: f"\\x{ord(m.group()):02x}", str(text))


def markup_safe(text: Any) -> str:
    """Text safe inside rich markup: brackets shown literally, control characters escaped."""
    from rich.markup import escape

    return escape(clean(text))


def console(stderr: bool = False):
    from rich.console import Console

    return Console(stderr=stderr, highlight=False, soft_wrap=True)


def emit_json(data: Any) -> None:
    sys.stdout.write(json.dumps(data, ensure_ascii=False, indent=2, default=str) + "\n")


def print_lines(lines: list[str], *, stderr: bool = False) -> None:
    stream = sys.stderr if stderr else sys.stdout
    for line in lines:
        stream.write(clean(line) + "\n")


def fail(findings: list[Finding] | Finding, code: int = EXIT_USAGE) -> typer.Exit:
    """Print findings to stderr and return the Exit to raise."""
    items = findings if isinstance(findings, list) else [findings]
    print_lines([f.render() for f in items], stderr=True)
    return typer.Exit(code)


def guarded(fn):
    """Turn KokomError into one stderr line per problem and its exit code; no traceback ever reaches the user."""

    @functools.wraps(fn)
    def wrapper(*args, **kwargs):
        from kokom_cli.core.findings import KokomError

        try:
            return fn(*args, **kwargs)
        except KokomError as exc:
            raise fail(exc.findings, exc.exit_code) from None
        except (typer.Exit, typer.Abort, KeyboardInterrupt):
            raise
        except Exception as exc:
            if os.environ.get("KOKOM_DEBUG"):
                raise
            sys.stderr.write(
                clean(
                    f"kokom: internal error: {type(exc).__name__}: {exc} "
                    "(set KOKOM_DEBUG=1 for details and please report it)"
                )
                + "\n"
            )
            raise typer.Exit(EXIT_USAGE) from None

    return wrapper


def workspace(root: Path | None) -> Workspace:
    from kokom_cli.workspace import open_workspace

    return open_workspace(root)
