"""Hostile workbooks (assessments/spreadsheet/limits.py): refused from their zip parts, in bounded time and memory.

Each case takes a real form exported for Fjordby, spoils it the way an attacker
would, and runs `kokom assess import` in a child process: one clear line (or
a bounded list), the right exit code, no YAML written, nothing outside tmp_path
touched, under 10 s and 300 MB.
"""

from __future__ import annotations

import io
import random
import zipfile
from pathlib import Path

import openpyxl
from hostile import bounded, snapshot
from spreadsheet_helpers import BUILTIN, CORPUS, _fjordby

from kokom_cli.assessments.loading import load_assessment
from kokom_cli.assessments.spreadsheet import ANSWERS, MAX_PROBLEMS, build_workbook

SVAR_PART = "xl/worksheets/sheet3.xml"  # Veiledning, Vurdering, Svar, Unntak, kokom-data


def _form(tmp_path: Path) -> bytes:
    loaded = load_assessment(_fjordby(tmp_path), BUILTIN, CORPUS)
    rows = [(req, ch) for req, ch, applies in loaded.items if applies.applies]
    return build_workbook(loaded.service, rows, loaded.assessment, doc=loaded.doc)


def _rezip(raw: bytes, name: str, write) -> bytes:
    """The workbook with part `name` replaced by what `write(stream)` writes (streamed, never held whole)."""
    out = io.BytesIO()
    with zipfile.ZipFile(io.BytesIO(raw)) as old, zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as new:
        for info in old.infolist():
            if info.filename != name:
                new.writestr(info, old.read(info))
        with new.open(name, "w", force_zip64=True) as stream:
            write(stream)
    return out.getvalue()


def _import(tmp_path: Path, raw: bytes):
    xlsx = tmp_path / "skjema.xlsx"
    xlsx.write_bytes(raw)
    before = snapshot(tmp_path)
    out = tmp_path / "lvs-fjordby" / "assessments" / "fra-skjema.yaml"
    run = bounded(["assess", "import", str(xlsx), "-o", str(out)], tmp_path)
    assert "Traceback" not in run.stderr and "kokom: intern" not in run.stderr, run.stderr[-2000:]
    assert not out.exists(), "nothing written"
    assert snapshot(tmp_path) == before
    assert run.seconds < 10 and run.max_rss_mb < 300, (run.seconds, run.max_rss_mb)
    return run


def test_gigabytes_of_whitespace_are_refused_from_the_zip_directory(tmp_path: Path) -> None:
    def write(stream) -> None:
        stream.write(b'<?xml version="1.0"?><worksheet xmlns="http://schemas.openxmlformats.org/')
        block = b" " * 2**20
        for _ in range(200):  # 200 MB of whitespace, about 200 KB compressed
            stream.write(block)
        stream.write(b'spreadsheetml/2006/main"><sheetData/></worksheet>')

    raw = _rezip(_form(tmp_path), SVAR_PART, write)
    assert len(raw) < 2 * 2**20
    run = _import(tmp_path, raw)
    assert run.returncode == 2 and run.stderr.count("\n") == 1 and "error xlsx-too-large:" in run.stderr


def test_a_highly_compressed_part_under_the_size_limit_is_refused(tmp_path: Path) -> None:
    def write(stream) -> None:
        stream.write(b'<worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main">')
        stream.write(b" " * (8 * 2**20))
        stream.write(b"<sheetData/></worksheet>")

    run = _import(tmp_path, _rezip(_form(tmp_path), SVAR_PART, write))
    assert run.returncode == 2 and "xlsx-too-large" in run.stderr and "zip" in run.stderr


def test_hundreds_of_thousands_of_cells_are_refused_before_parsing(tmp_path: Path) -> None:
    def write(stream) -> None:
        stream.write(b'<worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"><sheetData>')
        letters = [chr(65 + i) if i < 26 else "A" + chr(65 + i - 26) for i in range(50)]  # A..Z, AA..AX
        for row in range(1, 5001):  # 250,000 cells: under the row and column limits, over the cell limit
            cells = "".join(f'<c r="{c}{row}" t="inlineStr"><is><t>x</t></is></c>' for c in letters)
            stream.write(f'<row r="{row}">{cells}</row>'.encode())
        stream.write(b"</sheetData></worksheet>")

    run = _import(tmp_path, _rezip(_form(tmp_path), SVAR_PART, write))
    assert run.returncode == 2 and run.stderr.count("\n") == 1 and "celler" in run.stderr, run.stderr


def test_a_row_far_down_is_refused(tmp_path: Path) -> None:
    """One cell at row 1,000,000: openpyxl's max_row would make the reader walk a million rows."""

    def write(stream) -> None:
        stream.write(b'<worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"><sheetData>')
        stream.write(b'<row r="1000000"><c r="A1000000" t="inlineStr"><is><t>x</t></is></c></row>')
        stream.write(b"</sheetData></worksheet>")

    run = _import(tmp_path, _rezip(_form(tmp_path), "xl/worksheets/sheet4.xml", write))
    assert run.returncode == 2 and "rader" in run.stderr and run.stderr.count("\n") == 1, run.stderr


def test_a_cell_longer_than_excel_allows_is_refused(tmp_path: Path) -> None:
    """A writer other than Excel (openpyxl itself truncates) can store a cell of any length."""

    def write(stream) -> None:
        stream.write(b'<worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"><sheetData>')
        stream.write(b'<row r="2"><c r="H2" t="inlineStr"><is><t>' + b"a" * 40_000 + b"</t></is></c></row>")
        stream.write(b"</sheetData></worksheet>")

    run = _import(tmp_path, _rezip(_form(tmp_path), SVAR_PART, write))
    assert run.returncode == 2 and "error xlsx-cell-too-long:" in run.stderr and run.stderr.count("\n") == 1


def test_a_doctype_is_refused_as_one_line(tmp_path: Path) -> None:
    def write(stream) -> None:
        stream.write(
            b'<?xml version="1.0"?><!DOCTYPE lol [<!ENTITY a "aaaaaaaaaa"><!ENTITY b "&a;&a;&a;&a;&a;">]>'
            b'<worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"><sheetData/></worksheet>'
        )

    run = _import(tmp_path, _rezip(_form(tmp_path), SVAR_PART, write))
    assert run.returncode == 2 and "error xlsx-unreadable:" in run.stderr and run.stderr.count("\n") == 1


def test_reported_problems_are_bounded(tmp_path: Path) -> None:
    book = openpyxl.load_workbook(io.BytesIO(_form(tmp_path)))
    for row in range(1, 3001):
        book[ANSWERS].cell(row, 40).value = "utenfor"
    buffer = io.BytesIO()
    book.save(buffer)
    run = _import(tmp_path, buffer.getvalue())
    lines = run.stderr.splitlines()
    assert run.returncode == 1
    assert len(lines) == MAX_PROBLEMS + 2 and all("xlsx-outside-form" in line for line in lines[:MAX_PROBLEMS])
    assert lines[-2] == "… og 2\u00a0950 problemer til." and lines[-1].startswith("3\u00a0000 problemer;")


def test_an_import_never_writes_a_file_kokom_would_refuse(tmp_path: Path) -> None:
    """Cells within Excel's limit, but together more than the 8 MiB kokom reads: refused, nothing written."""
    book = openpyxl.load_workbook(io.BytesIO(_form(tmp_path)))
    sheet = book[ANSWERS]
    pick = random.Random(12).choice
    emoji = [chr(0x1F600 + i) for i in range(64)]  # 4 bytes each in UTF-8; random, so it does not compress away
    words = " ".join("".join(pick(emoji) for _ in range(7)) for _ in range(3990))  # under 32,000 characters
    for row in range(2, sheet.max_row + 1):
        sheet.cell(row, 8).value = words  # justification
        sheet.cell(row, 9).value = "2026-09-30 tekst: " + words  # evidence
    buffer = io.BytesIO()
    book.save(buffer)
    run = _import(tmp_path, buffer.getvalue())
    assert run.returncode == 1 and "error xlsx-too-large:" in run.stderr and "8,388,608" in run.stderr, run.stderr
