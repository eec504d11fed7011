"""Checks before the read: a call-log file that is not a call log at all gets one clear line and exit 2.

`inspect_file` reads only the first 64 KiB: readable, UTF-8, a header with the
columns the mapping needs, lines that end in LF or CRLF, and whether the export
writes UTC offsets (seen in its first rows; then every value must have one).
`check_line_lengths` makes one pass at C speed for a line DuckDB could not hold.
Every problem is a `KokomError` naming the file (and the line, when known).
"""

from __future__ import annotations

import codecs
import csv
import gzip
import io
import re
from dataclasses import dataclass
from pathlib import Path
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from kokom_cli.config import CallLogMapping
from kokom_cli.core.findings import Finding, KokomError, Severity, display_path
from kokom_cli.core.i18n import tr
from kokom_cli.core.suggest import did_you_mean

MAX_LINE_BYTES = 1 << 20  # a call-log row is a few hundred bytes; DuckDB silently drops lines it cannot hold
_SNIFF_BYTES = 64 * 1024
_DELIMITERS = (",", ";", "\t", "|")
_OFFSET = re.compile(r"(?:[Zz]|[+-]\d\d(?::?\d\d)?)$")


@dataclass(frozen=True)
class LogFile:
    """A call-log file that has passed the checks that need no full read."""

    path: Path
    display: str
    compressed: bool
    delimiter: str
    header: list[str]
    ended_column: str | None  # None: the file says nothing about when unanswered calls ended
    with_offsets: bool  # its timestamps carry UTC offsets (judged from the first rows)
    test_column: str | None = None  # the column that flags test calls (call_log.test_call)


def problem(path: str, code: str, message: str, line: int = 0) -> KokomError:
    return KokomError(Finding(path, line, 0, Severity.error, code, message))


def open_text(path: Path, compressed: bool) -> io.TextIOBase:
    raw = gzip.open(path, "rb") if compressed else open(path, "rb")  # noqa: SIM115 (closed with the wrapper)
    return io.TextIOWrapper(raw, encoding="utf-8-sig", newline="")


def _check_lines(shown: str, head: bytes, text: str) -> None:
    """A header longer than what is sniffed, or lines that end in a bare CR: one clear line each."""
    if "\n" not in text and len(head) >= _SNIFF_BYTES:
        raise problem(
            shown,
            "calllog-not-csv",
            tr(
                f"overskriftslinjen er lengre enn {_SNIFF_BYTES // 1024} KiB; en anropslogg begynner med en kort "
                "overskrift (call_id,line,offered_at,answered_at)",
                f"the header line is longer than {_SNIFF_BYTES // 1024} KiB; a call log starts with a short header "
                "(call_id,line,offered_at,answered_at)",
                f"overskriftslinja er lengre enn {_SNIFF_BYTES // 1024} KiB; ein anropslogg byrjar med ei kort "
                "overskrift (call_id,line,offered_at,answered_at)",
            ),
            line=1,
        )
    if re.search(r"\r(?!\n)", text.rstrip("\r")):
        raise problem(
            shown,
            "calllog-not-csv",
            tr(
                "linjene slutter med bare CR (vognretur, gammelt Mac-format); lagre filen med vanlige linjeskift "
                "(LF eller CRLF)",
                "the lines end in a bare carriage return (CR, old Mac format); save the file with ordinary line "
                "breaks (LF or CRLF)",
                "linjene sluttar med berre CR (vognretur, gammalt Mac-format); lagre fila med vanlege linjeskift "
                "(LF eller CRLF)",
            ),
            line=1,
        )


def inspect_file(path: Path, mapping: CallLogMapping) -> LogFile:
    """Check that `path` is a readable CSV with the columns the mapping needs; KokomError (exit 2) if not."""
    shown = display_path(path)
    if not path.is_file():
        raise problem(shown, "calllog-missing", tr("filen finnes ikke", "the file does not exist", "fila finst ikkje"))
    with open(path, "rb") as fh:
        compressed = fh.read(2) == b"\x1f\x8b"
    try:
        with gzip.open(path, "rb") if compressed else open(path, "rb") as fh:
            head = fh.read(_SNIFF_BYTES)
    except (OSError, EOFError) as exc:
        raise problem(
            shown,
            "calllog-unreadable",
            tr(f"kan ikke leses: {exc}", f"cannot be read: {exc}", f"kan ikkje lesast: {exc}"),
        ) from None
    if not head.strip():
        raise problem(
            shown,
            "calllog-empty",
            tr(
                "filen er tom; en anropslogg begynner med en overskriftslinje (call_id,line,offered_at,answered_at)",
                "the file is empty; a call log starts with a header line (call_id,line,offered_at,answered_at)",
                "fila er tom; ein anropslogg byrjar med ei overskriftslinje (call_id,line,offered_at,answered_at)",
            ),
        )
    try:
        text = codecs.getincrementaldecoder("utf-8-sig")().decode(head, final=False)
    except UnicodeDecodeError:
        text = None
    if text is None or "\x00" in text:
        raise problem(
            shown,
            "calllog-not-csv",
            tr(
                "ikke en CSV-fil (binært innhold eller ikke UTF-8); eksporter anropsloggen som CSV i UTF-8",
                "not a CSV file (binary content or not UTF-8); export the call log as CSV in UTF-8",
                "ikkje ei CSV-fil (binært innhald eller ikkje UTF-8); eksporter anropsloggen som CSV i UTF-8",
            ),
        )
    _check_lines(shown, head, text)
    lines = text.split("\n")
    first_line = lines[0].rstrip("\r")
    delimiter = max(_DELIMITERS, key=lambda d: (first_line.count(d), d == ","))
    header = [h.strip() for h in next(csv.reader([first_line], delimiter=delimiter), [])]
    if len(header) < 2:
        raise problem(
            shown,
            "calllog-not-csv",
            tr(
                "ikke en CSV-anropslogg: første linje er ingen overskrift med kolonnenavn skilt med komma",
                "not a CSV call log: the first line is not a header of comma-separated column names",
                "ikkje ein CSV-anropslogg: første linja er inga overskrift med kolonnenamn skilde med komma",
            ),
            line=1,
        )
    twice = sorted({h for h in header if h and header.count(h) > 1})
    if twice:
        raise problem(
            shown,
            "calllog-not-csv",
            tr(
                f"kolonnen {', '.join(twice)} står to ganger i overskriften",
                f"column {', '.join(twice)} appears twice in the header",
                f"kolonnen {', '.join(twice)} står to gonger i overskrifta",
            ),
            line=1,
        )
    needed = [mapping.call_id, mapping.line, mapping.offered_at, mapping.answered_at]
    ended = mapping.ended_at
    if ended and "ended_at" in mapping.model_fields_set:
        needed.append(ended)  # named explicitly in kokom.yaml: it must be there
    if mapping.test_call:
        needed.append(mapping.test_call)
    missing = [c for c in needed if c not in header]
    if missing:
        hints = "".join(did_you_mean(c, header) for c in missing[:1])
        raise problem(
            shown,
            "calllog-column",
            tr(
                f"mangler kolonne {', '.join(missing)}{hints} (fant: {', '.join(header)}); "
                "andre kolonnenavn kan kobles med call_log i kokom.yaml",
                f"missing column {', '.join(missing)}{hints} (found: {', '.join(header)}); "
                "other column names can be mapped with call_log in kokom.yaml",
                f"manglar kolonne {', '.join(missing)}{hints} (fann: {', '.join(header)}); "
                "andre kolonnenamn kan koplast med call_log i kokom.yaml",
            ),
            line=1,
        )
    return LogFile(
        path,
        shown,
        compressed,
        delimiter,
        header,
        ended if ended in header else None,
        _writes_offsets(lines[1:200], delimiter, header.index(mapping.offered_at), mapping),
        mapping.test_call,
    )


def _writes_offsets(lines: list[str], delimiter: str, column: int, mapping: CallLogMapping) -> bool:
    """Whether the export writes UTC offsets (seen in the first rows' offered_at); then every value must have one."""
    if mapping.timestamp_format:
        return False
    rows = csv.reader(lines, delimiter=delimiter)
    return any(len(r) > column and _OFFSET.search(r[column].strip()) for r in rows)


def check_timezone(mapping: CallLogMapping) -> None:
    try:
        ZoneInfo(mapping.timezone)
    except (ZoneInfoNotFoundError, ValueError):
        raise problem(
            "kokom.yaml",
            "calllog-timezone",
            tr(
                f"ukjent tidssone '{mapping.timezone}' i call_log.timezone (for eksempel Europe/Oslo)",
                f"unknown time zone '{mapping.timezone}' in call_log.timezone (for example Europe/Oslo)",
                f"ukjend tidssone '{mapping.timezone}' i call_log.timezone (til dømes Europe/Oslo)",
            ),
        ) from None


def check_line_lengths(log: LogFile) -> None:
    """KokomError naming the first line longer than MAX_LINE_BYTES (one pass at C speed, chunk by chunk)."""
    line, current = 1, 0
    with gzip.open(log.path, "rb") if log.compressed else open(log.path, "rb") as fh:
        while chunk := fh.read(MAX_LINE_BYTES):
            first, last = chunk.find(b"\n"), chunk.rfind(b"\n")
            if first < 0:
                current += len(chunk)
            else:
                current += first
                if current <= MAX_LINE_BYTES:
                    current = len(chunk) - last - 1
                    line += chunk.count(b"\n")
                    continue
            if current > MAX_LINE_BYTES:
                raise problem(
                    log.display,
                    "calllog-line-too-long",
                    tr(
                        f"linjen er lengre enn {MAX_LINE_BYTES // (1 << 20)} MiB (en rad i en anropslogg er noen "
                        "hundre tegn); kontroller eksporten: et felt uten avsluttende anførselstegn, eller en fil som "
                        "ikke er en anropslogg",
                        f"the line is longer than {MAX_LINE_BYTES // (1 << 20)} MiB (a call-log row is a few hundred "
                        "characters); check the export: a field without its closing quote, or a file that is not a "
                        "call log",
                        f"linja er lengre enn {MAX_LINE_BYTES // (1 << 20)} MiB (ei rad i ein anropslogg er nokre "
                        "hundre teikn); kontroller eksporten: eit felt utan avsluttande hermeteikn, eller ei fil som "
                        "ikkje er ein anropslogg",
                    ),
                    line=line,
                )
