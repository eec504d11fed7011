"""What every command shares: the --root and --json options, safe printing, and exit codes.

Exit codes (the contract): 0 nothing found, 1 problems found, 2 usage error or
unreadable input. Errors go to stderr as one line per problem, never a traceback.
"""

from __future__ import annotations

import contextlib
import functools
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

# Candidates: everything but printable ASCII, newline and tab; `_hidden` then decides per character.
_SUSPECT = re.compile(r"[^\x20-\x7e\n\t]")
# Characters a terminal interprets or does not show: controls (C0 but tab and newline, DEL, C1),
# format characters (bidi marks and overrides such as U+200F, U+061C, U+202E, isolates, zero-width
# ones, soft hyphen, BOM), line and paragraph separators (U+2028, U+2029), surrogates, private use.
_HIDDEN_CATEGORIES = frozenset({"Cc", "Cf", "Zl", "Zp", "Cs", "Co", "Cn"})


def _hidden(ch: str) -> bool:
    import unicodedata

    return unicodedata.category(ch) in _HIDDEN_CATEGORIES


def _escape(ch: str) -> str:
    code = ord(ch)
    if code <= 0xFF:
        return f"\\x{code:02x}"
    return f"\\u{code:04x}" if code <= 0xFFFF else f"\\U{code:08x}"


def clean(text: Any) -> str:
    """Text safe for a terminal: control, bidirectional and invisible characters shown as escapes
    (`\\x1b`, `\\u202e`, `\\u200f`, `\\u2028`...), never interpreted; tab and newline are kept."""
    text = str(text)
    if not _SUSPECT.search(text):
        return text
    return _SUSPECT.sub(lambda m: _escape(m.group()) if _hidden(m.group()) else m.group(), text)


def _json_hidden(text: str) -> str:
    """JSON text with the hidden characters written as JSON escapes: the same data, safe on a terminal."""
    return _SUSPECT.sub(lambda m: f"\\u{ord(m.group()):04x}" if _hidden(m.group()) and ord(m.group()) <= 0xFFFF
                        else m.group(), text)  # fmt: skip


def markup_safe(text: Any) -> str:
    """Text safe inside rich markup: brackets shown literally, control characters escaped."""
    from rich.markup import escape

    return escape(clean(text))


def console(stderr: bool = False):
    """A rich console whose every string (markup, table cells, titles) goes through `clean` first."""
    from rich.console import Console

    class CleanConsole(Console):
        def render_str(self, text, **kwargs):
            return super().render_str(clean(text), **kwargs)

    return CleanConsole(stderr=stderr, highlight=False, soft_wrap=True)


def write_stdout(text: str) -> None:
    """Write a document (CSV, YAML, a diff) to stdout; on a terminal its hidden characters are escaped,
    into a pipe or file it goes as it is."""
    sys.stdout.write(clean(text) if sys.stdout.isatty() else text)


def emit_json(data: Any) -> None:
    from kokom_cli.core.jsontext import pretty_json  # json.dumps(indent=2), in less time

    sys.stdout.write(_json_hidden(pretty_json(data)) + "\n")


def show_dry_run(changes) -> None:
    """What an edit would change, as a unified diff on stdout; on stderr, that nothing was written."""
    from kokom_cli.core.i18n import tr

    write_stdout("".join(c.unified_diff() for c in changes))
    print_lines(
        [
            tr(
                "(tørrkjøring: ingenting er skrevet)",
                "(dry run: nothing was written)",
                "(tørrkjøring: ingenting er skrive)",
            )
        ],
        stderr=True,
    )


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
    path = exc.filename if exc.filename is not None else tr("(fil)", "(file)", "(fil)")
    if exc.errno in (errno.ENOSPC, errno.EDQUOT):
        what = tr(
            "ikke nok plass på disken; ingenting er skrevet",
            "no space left on the disk; nothing was written",
            "ikkje nok plass på disken; ingenting er skrive",
        )
    else:
        what = exc.strerror or type(exc).__name__
    message = f"{what} ({name})" if name else what
    return Finding(os.fsdecode(path), 0, 0, Severity.error, "io-error", message).render()


def _xml_refused_line(exc: Exception) -> str:
    from kokom_cli.core.findings import Finding, Severity
    from kokom_cli.core.i18n import tr

    return Finding(
        tr("(inndata)", "(input)", "(inndata)"),
        0,
        0,
        Severity.error,
        "xml-refused",
        tr(
            f"filen har XML som ikke kan leses trygt (entitetsutvidelse eller ekstern entitet): {exc}",
            f"the file holds XML that cannot be read safely (entity expansion or external entity): {exc}",
            f"fila har XML som ikkje kan lesast trygt (entitetsutviding eller ekstern entitet): {exc}",
        ),
    ).render()


def _is_xml_refusal(exc: Exception) -> bool:
    from xml.etree.ElementTree import ParseError

    names = {klass.__name__ for klass in type(exc).__mro__}
    return isinstance(exc, ParseError) or "DefusedXmlException" in names or "ExpatError" in names


def guarded(fn):
    """Turn KokomError into one stderr line per problem and its exit code; no traceback ever reaches the user.

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
            raise fail(exc.findings, exc.exit_code) from None
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
                from kokom_cli.core.i18n import tr

                line = tr(
                    f"kokom: intern feil: {type(exc).__name__}: {exc} "
                    "(sett KOKOM_DEBUG=1 for detaljer, og meld gjerne fra om feilen)",
                    f"kokom: internal error: {type(exc).__name__}: {exc} "
                    "(set KOKOM_DEBUG=1 for details and please report it)",
                    f"kokom: intern feil: {type(exc).__name__}: {exc} "
                    "(set KOKOM_DEBUG=1 for detaljar, og meld gjerne frå om feilen)",
                )
            with contextlib.suppress(OSError):
                sys.stderr.write(clean(line) + "\n")
            raise typer.Exit(EXIT_USAGE) from None

    return wrapper


def workspace(root: Path | None) -> Workspace:
    from kokom_cli.workspace import open_workspace

    return open_workspace(root)


def print_problems(shown: list, more: int) -> None:
    """A form's problems, one line each, then how many more there were and that nothing was written."""
    print_lines([p.render() for p in shown], stderr=True)
    print_lines(nothing_written(len(shown), more), stderr=True)


def nothing_written(shown: int, more: int) -> list[str]:
    """The closing lines of a refused form: how many problems past those shown, how many in all, nothing written."""
    from kokom_cli.core.i18n import plural, tr

    rest = plural(more, ("problem", "problemer"), ("more problem", "more problems"), ("problem", "problem"))
    lines = [tr(f"… og {rest} til.", f"… and {rest}.", f"… og {rest} til.")] if more else []
    total = plural(shown + more, ("problem", "problemer"), ("problem", "problems"), ("problem", "problem"))
    lines.append(
        tr(f"{total}; ingenting er skrevet.", f"{total}; nothing was written.", f"{total}; ingenting er skrive.")
    )
    return lines
