"""What every command shares: the --root and --json options, safe printing, and exit codes.

Exit codes (the contract): 0 nothing found, 1 problems found, 2 usage error or
unreadable input. Errors go to stderr as one line per problem, never a traceback.
"""

from __future__ import annotations

import contextlib
import functools
import json
import os
import re
import sys
from pathlib import Path
from typing import TYPE_CHECKING, Annotated, Any

import typer

from kokom_cli.core.i18n import htr

if TYPE_CHECKING:
    from kokom_cli.core.findings import Finding
    from kokom_cli.workspace import Workspace

EXIT_OK, EXIT_FOUND, EXIT_USAGE = 0, 1, 2

RootOption = Annotated[
    Path | None,
    typer.Option(
        "--root",
        file_okay=False,
        help=htr(
            "Mappen til arbeidsområdet (med kokom.yaml). Standard: funnet over gjeldende mappe, "
            "ellers de innebygde nasjonale kravene.",
            "Workspace folder (holds kokom.yaml). Default: found above the current folder, "
            "else the built-in national corpus.",
        ),
    ),
]
JsonOption = Annotated[
    bool, typer.Option("--json", help=htr("Skriv ett JSON-dokument til stdout.", "Print one JSON document on stdout."))
]

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


def _stdout_gone() -> None:
    """The reader of stdout went away (`kokom diff | head`): stop quietly, and keep Python from
    complaining again when it flushes stdout at exit."""
    try:
        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, sys.stdout.fileno())
        os.close(devnull)
    except (OSError, ValueError, AttributeError):
        pass  # not a real file (a test runner's capture): nothing to redirect


def _os_error_line(exc: OSError) -> str:
    """One line for a failed read or write: the file, what happened (ENOSPC, EACCES, ...) and its code."""
    import errno

    from kokom_cli.core.findings import Finding, Severity
    from kokom_cli.core.i18n import tr

    name = errno.errorcode.get(exc.errno or 0, "")
    path = exc.filename if exc.filename is not None else tr("(fil)", "(file)")
    if exc.errno in (errno.ENOSPC, errno.EDQUOT):
        what = tr("ikke nok plass på disken; ingenting er skrevet", "no space left on the disk; nothing was written")
    else:
        what = exc.strerror or type(exc).__name__
    message = f"{what} ({name})" if name else what
    return Finding(os.fsdecode(path), 0, 0, Severity.error, "io-error", message).render()


def _xml_refused_line(exc: Exception) -> str:
    from kokom_cli.core.findings import Finding, Severity
    from kokom_cli.core.i18n import tr

    return Finding(
        tr("(inndata)", "(input)"),
        0,
        0,
        Severity.error,
        "xml-refused",
        tr(
            f"filen har XML som ikke kan leses trygt (entitetsutvidelse eller ekstern entitet): {exc}",
            f"the file holds XML that cannot be read safely (entity expansion or external entity): {exc}",
        ),
    ).render()


def _is_xml_refusal(exc: Exception) -> bool:
    from xml.etree.ElementTree import ParseError

    names = {klass.__name__ for klass in type(exc).__mro__}
    return isinstance(exc, ParseError) or "DefusedXmlException" in names or "ExpatError" in names


def guarded(fn):
    """Turn KokomError into one stderr line per problem and exit 2; no traceback ever reaches the user.

    A closed stdout (`| head`) ends the command quietly; a failed read or write (a full disk, a
    missing permission) and XML the parser refused are one line each, exit 2.
    """

    @functools.wraps(fn)
    def wrapper(*args, **kwargs):
        from kokom_cli.core.findings import KokomError

        try:
            try:
                return fn(*args, **kwargs)
            finally:
                sys.stdout.flush()  # a closed pipe shows here, inside the guard, not at interpreter exit
        except KokomError as exc:
            raise fail(exc.findings, EXIT_USAGE) from None
        except (typer.Exit, typer.Abort, KeyboardInterrupt):
            raise
        except BrokenPipeError:
            _stdout_gone()
            raise typer.Exit(EXIT_OK) from None
        except Exception as exc:
            if os.environ.get("KOKOM_DEBUG"):
                raise
            if isinstance(exc, OSError):
                line = _os_error_line(exc)
            elif _is_xml_refusal(exc):
                line = _xml_refused_line(exc)
            else:
                line = (
                    f"kokom: internal error: {type(exc).__name__}: {exc} "
                    "(set KOKOM_DEBUG=1 for details and please report it)"
                )
            with contextlib.suppress(OSError):
                sys.stderr.write(clean(line) + "\n")
            raise typer.Exit(EXIT_USAGE) from None

    return wrapper


def workspace(root: Path | None) -> Workspace:
    from kokom_cli.workspace import open_workspace

    return open_workspace(root)
