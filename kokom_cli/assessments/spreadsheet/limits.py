"""Limits on a received workbook, checked on its zip parts before openpyxl parses anything.

An XLSX file is a zip of XML parts. A small file can hold gigabytes of XML
(whitespace compresses a thousandfold), millions of cells, or one cell of a
hundred megabytes, and openpyxl keeps all of it in memory. `check_workbook`
refuses such a file with one line, reading only the zip directory and then
streaming the worksheets and the shared strings through a pull parser that
keeps nothing: the parts' uncompressed sizes (a zip entry never yields more
than it declares), their compression ratio, the number of rows, columns and
cells, the length of every text, and any DOCTYPE (an Office file has none;
entity tricks need one).

A form kokom exports has one row per requirement that applies (about 60 today)
and about 20 columns; the limits leave room for a corpus a hundred times that.
"""

from __future__ import annotations

import io
import re
import zipfile
from pathlib import Path
from xml.etree.ElementTree import Element, ParseError, XMLPullParser

from kokom_cli.assessments.spreadsheet.form import MAX_CELL
from kokom_cli.core.findings import Finding, KokomError, Severity
from kokom_cli.core.i18n import tr

MAX_WORKBOOK_BYTES = 20 * 1024 * 1024  # the .xlsx file itself
MAX_PARTS = 200
MAX_PART_BYTES = 24 * 1024 * 1024  # one part, uncompressed
MAX_TOTAL_BYTES = 48 * 1024 * 1024  # every part, uncompressed
MAX_RATIO = 100  # uncompressed : compressed, for parts over RATIO_FROM bytes
RATIO_FROM = 1024 * 1024
MAX_ROWS = 10_000  # per sheet
MAX_COLUMNS = 64
MAX_CELLS = 200_000  # in the whole workbook
MAX_PROBLEMS = 50  # problems reported by an import; past that, one line says how many more

_CHUNK = 64 * 1024
_REF = re.compile(r"([A-Z]{1,3})([0-9]{1,7})$")
_DTD = re.compile(rb"<!(DOCTYPE|ENTITY)", re.I)


def _refuse(display: str, code: str, nb: str, en: str, nn: str) -> KokomError:
    return KokomError(Finding(display, 0, 0, Severity.error, code, tr(nb, en, nn)))


def _column_number(letters: str) -> int:
    number = 0
    for letter in letters:
        number = number * 26 + ord(letter) - 64
    return number


def check_workbook(raw: bytes, display: str) -> None:
    """Raise KokomError (one finding) when the workbook is beyond what a form can be. Silent for non-zips."""
    if len(raw) > MAX_WORKBOOK_BYTES:
        raise _refuse(
            display,
            "xlsx-too-large",
            f"regnearket er over {MAX_WORKBOOK_BYTES // 2**20} MiB; et skjema fra kokom er langt mindre",
            f"the workbook is over {MAX_WORKBOOK_BYTES // 2**20} MiB; a form from kokom is far smaller",
            f"reknearket er over {MAX_WORKBOOK_BYTES // 2**20} MiB; eit skjema frå kokom er langt mindre",
        )
    try:
        book = zipfile.ZipFile(io.BytesIO(raw))
    except zipfile.BadZipFile:
        return  # not a zip at all: openpyxl says so in its own words
    with book:
        parts = book.infolist()
        _check_sizes(parts, display)
        cells = 0
        for part in parts:
            if part.filename.endswith((".xml", ".rels", ".vml")):
                cells += _check_part(book, part, display)
                if cells > MAX_CELLS:
                    raise _refuse(
                        display,
                        "xlsx-too-large",
                        f"regnearket har over {MAX_CELLS:,} celler; et skjema fra kokom har langt færre",
                        f"the workbook has over {MAX_CELLS:,} cells; a form from kokom has far fewer",
                        f"reknearket har over {MAX_CELLS:,} celler; eit skjema frå kokom har langt færre",
                    )


def _check_sizes(parts: list[zipfile.ZipInfo], display: str) -> None:
    if len(parts) > MAX_PARTS:
        raise _refuse(
            display,
            "xlsx-too-large",
            f"regnearket har {len(parts):,} deler (grense {MAX_PARTS})",
            f"the workbook has {len(parts):,} parts (limit {MAX_PARTS})",
            f"reknearket har {len(parts):,} delar (grense {MAX_PARTS})",
        )
    total = 0
    for part in parts:
        total += part.file_size
        ratio = part.file_size / max(part.compress_size, 1)
        if part.file_size > MAX_PART_BYTES or total > MAX_TOTAL_BYTES:
            raise _refuse(
                display,
                "xlsx-too-large",
                f"regnearket pakkes ut til over {min(total, MAX_TOTAL_BYTES) // 2**20} MiB ({part.filename}); "
                "et skjema fra kokom er langt mindre",
                f"the workbook unpacks to over {min(total, MAX_TOTAL_BYTES) // 2**20} MiB ({part.filename}); "
                "a form from kokom is far smaller",
                f"reknearket blir pakka ut til over {min(total, MAX_TOTAL_BYTES) // 2**20} MiB ({part.filename}); "
                "eit skjema frå kokom er langt mindre",
            )
        if part.file_size > RATIO_FROM and ratio > MAX_RATIO:
            raise _refuse(
                display,
                "xlsx-too-large",
                f"delen {part.filename} er pakket {ratio:,.0f} ganger (grense {MAX_RATIO}); "
                "regnearket er en «zip-bombe» eller skadet",
                f"the part {part.filename} is compressed {ratio:,.0f} times (limit {MAX_RATIO}); "
                "the workbook is a zip bomb or damaged",
                f"delen {part.filename} er pakka {ratio:,.0f} gonger (grense {MAX_RATIO}); "
                "reknearket er ei «zip-bombe» eller skadd",
            )


def _check_part(book: zipfile.ZipFile, part: zipfile.ZipInfo, display: str) -> int:
    """Stream one XML part: refuse a DOCTYPE, and in sheets and shared strings count cells and measure texts."""
    counted = part.filename.startswith("xl/worksheets/") or part.filename == "xl/sharedStrings.xml"
    parser: XMLPullParser | None = XMLPullParser(events=("end",)) if counted else None
    shape = _Shape(part.filename, display)
    tail = b""
    try:
        with book.open(part) as stream:
            while chunk := stream.read(_CHUNK):
                if _DTD.search(tail + chunk):
                    raise _refuse(
                        display,
                        "xlsx-unreadable",
                        f"delen {part.filename} har en DOCTYPE eller ENTITY; det har aldri et regneark fra Excel",
                        f"the part {part.filename} has a DOCTYPE or ENTITY; a workbook from Excel never has one",
                        f"delen {part.filename} har ein DOCTYPE eller ENTITY; det har aldri eit rekneark frå Excel",
                    )
                tail = chunk[-16:]
                if parser is not None:
                    parser.feed(chunk)
                    for event in parser.read_events():
                        element = event[-1]  # ("end", element): the only events asked for
                        if isinstance(element, Element):
                            shape.see(element)
    except (ParseError, zipfile.BadZipFile, EOFError, ValueError) as exc:
        raise _refuse(
            display,
            "xlsx-unreadable",
            f"delen {part.filename} kan ikke leses ({type(exc).__name__}); lagre regnearket på nytt som .xlsx",
            f"the part {part.filename} cannot be read ({type(exc).__name__}); save the workbook again as .xlsx",
            f"delen {part.filename} kan ikkje lesast ({type(exc).__name__}); lagre reknearket på nytt som .xlsx",
        ) from None
    return shape.cells


class _Shape:
    """Rows, columns, cells and text lengths of one part, seen element by element (each then dropped)."""

    def __init__(self, name: str, display: str):
        self.name, self.display = name, display
        self.cells = 0
        self.rows = 0

    def see(self, element) -> None:
        tag = element.tag.rsplit("}", 1)[-1]
        if tag in ("t", "v", "f") and element.text is not None and len(element.text) > MAX_CELL:
            raise _refuse(
                self.display,
                "xlsx-cell-too-long",
                f"en celle i {self.name} har over {MAX_CELL:,} tegn (grensen i Excel)",
                f"a cell in {self.name} holds over {MAX_CELL:,} characters (Excel's limit)",
                f"ei celle i {self.name} har over {MAX_CELL:,} teikn (grensa i Excel)",
            )
        if tag == "c":
            self.cells += 1
            self._position(element.get("r"))
            element.clear()
        elif tag == "row":
            self.rows += 1
            self._check(self.rows, int(element.get("r") or 0), 0)
            element.clear()
        elif tag == "si":
            self.cells += 1
            element.clear()
        elif tag == "dimension":
            for ref in (element.get("ref") or "").split(":"):
                self._position(ref)

    def _position(self, ref: str | None) -> None:
        match = _REF.match(ref or "")
        if match:
            self._check(0, int(match.group(2)), _column_number(match.group(1)))

    def _check(self, rows: int, row: int, column: int) -> None:
        if max(rows, row) > MAX_ROWS or column > MAX_COLUMNS:
            raise _refuse(
                self.display,
                "xlsx-too-large",
                f"arket {self.name} går over {MAX_ROWS:,} rader eller {MAX_COLUMNS} kolonner; "
                "et skjema fra kokom er langt mindre",
                f"the sheet {self.name} goes beyond {MAX_ROWS:,} rows or {MAX_COLUMNS} columns; "
                "a form from kokom is far smaller",
                f"arket {self.name} går over {MAX_ROWS:,} rader eller {MAX_COLUMNS} kolonnar; "
                "eit skjema frå kokom er langt mindre",
            )


def read_received(path: Path, display: str) -> bytes:
    """A received workbook's bytes: one byte past the size limit at most, which is enough to refuse it."""
    try:
        with path.open("rb") as stream:
            return stream.read(MAX_WORKBOOK_BYTES + 1)
    except OSError as exc:
        raise KokomError.unreadable(display, exc) from None


def open_workbook(raw: bytes, display: str):
    """A received workbook, checked against the limits first, then parsed; KokomError (`xlsx-unreadable`)
    when it is not a workbook openpyxl can read."""
    import io
    from xml.etree.ElementTree import ParseError
    from zipfile import BadZipFile

    from openpyxl import load_workbook
    from openpyxl.utils.exceptions import InvalidFileException

    check_workbook(raw, display)
    try:
        return load_workbook(io.BytesIO(raw), data_only=False)
    except (BadZipFile, InvalidFileException, ParseError, KeyError, OSError, ValueError, TypeError) as exc:
        raise KokomError.at(
            display,
            "xlsx-unreadable",
            tr(
                f"filen kan ikke leses som et XLSX-regneark ({type(exc).__name__}); "
                "lagre den som Excel-arbeidsbok (.xlsx)",
                f"the file cannot be read as an XLSX workbook ({type(exc).__name__}); "
                "save it as an Excel workbook (.xlsx)",
                f"fila kan ikkje lesast som eit XLSX-rekneark ({type(exc).__name__}); "
                "lagre ho som Excel-arbeidsbok (.xlsx)",
            ),
        ) from None
