"""XLSX form export (assessments/spreadsheet/export.py): layout, locking, blank forms, text a cell cannot hold."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import openpyxl
import pytest
from spreadsheet_helpers import (
    BUILTIN,
    CORPUS,
    _fjordby,
    _layout,
    _rows,
    _workbook,
)

from kokom_cli.assessments.loading import load_assessment
from kokom_cli.assessments.services import load_service
from kokom_cli.assessments.spreadsheet import (
    ANSWERS,
    COLUMN,
    DATA,
    FORM,
    WAIVERS,
    build_workbook,
)
from kokom_cli.cli.main import app
from kokom_cli.core.findings import KokomError


def test_workbook_layout_locks_the_requirement_and_offers_the_answers(tmp_path: Path) -> None:
    path = _fjordby(tmp_path)
    loaded = load_assessment(path, BUILTIN, CORPUS)
    rows = [(req, ch) for req, ch, applies in loaded.items if applies.applies]
    book = _workbook(build_workbook(loaded.service, rows, loaded.assessment))
    assert book.sheetnames == ["Veiledning", FORM, ANSWERS, WAIVERS, DATA]
    assert book[DATA].sheet_state == "veryHidden" and book[DATA].protection.sheet
    assert "Slik fyller du ut" in "\n".join(str(c.value) for c in book["Veiledning"]["A"])
    sheet = book[ANSWERS]
    assert sheet.protection.sheet
    assert [sheet.cell(r, 1).value for r in range(2, len(rows) + 2)] == [req.id for req, _ in rows]
    row = next(r for r in range(2, len(rows) + 2) if sheet.cell(r, 1).value == "LVS-SVAR-01")
    for key in ("id", "chapter", "title", "level", "text", "expected"):
        assert sheet.cell(row, COLUMN[key]).protection.locked, key
    for key in ("status", "justification", "evidence", "action", "responsible", "due", "calls", "share"):
        assert not sheet.cell(row, COLUMN[key]).protection.locked, key
    other = next(r for r in range(2, len(rows) + 2) if sheet.cell(r, 1).value == "LVS-OPPG-01")
    assert sheet.cell(other, COLUMN["share"]).protection.locked, "measured columns are open only on metric rows"
    assert sheet.cell(row, COLUMN["status"]).value == "ikke oppfylt"
    due = sheet.cell(row, COLUMN["due"])
    assert due.value == dt.datetime(2027, 3, 1) and due.is_date
    assert sheet.cell(row, COLUMN["evidence"]).value == "2026-09-30 fil: vedlegg/svartid-2026.csv"
    lists = [dv for dv in sheet.data_validations.dataValidation if dv.type == "list"]
    assert lists and lists[0].formula1 == '"oppfylt,delvis oppfylt,ikke oppfylt,ikke relevant"'
    assert f"G2:G{len(rows) + 1}" in str(lists[0].sqref)


def test_blank_form_from_a_service(runner, tmp_path: Path) -> None:
    folder = _layout(tmp_path)
    xlsx = folder / "skjema.xlsx"
    result = runner.invoke(app, ["assess", "export", str(tmp_path / "services" / "lvs-test.yaml"), "-o", str(xlsx)])
    assert result.exit_code == 0, result.stderr
    service, _ = load_service(tmp_path / "services" / "lvs-test.yaml")
    sheet = openpyxl.load_workbook(xlsx)[ANSWERS]
    assert [sheet.cell(r, 1).value for r in range(2, sheet.max_row + 1)] == [r.id for r, _ in _rows(service)]
    result = runner.invoke(app, ["assess", "import", str(xlsx), "-o", str(folder / "lvs-test-2026.yaml")])
    assert result.exit_code == 0, result.stderr
    loaded = load_assessment(folder / "lvs-test-2026.yaml", BUILTIN, CORPUS)
    assert loaded.assessment.answers == {} and loaded.assessment.service_file is None


def test_text_a_cell_cannot_hold_is_refused_at_its_yaml_position(tmp_path: Path) -> None:
    folder = _layout(tmp_path)
    path = folder / "a.yaml"
    path.write_text(
        'service: lvs-test\nedition: "2027.1"\nperiod: "2026"\ndate: 2026-01-01\nanswers:\n'
        '  LVS-OPPG-01:\n    justification: "linje\\r\\nto"\n',
        encoding="utf-8",
    )
    loaded = load_assessment(path, BUILTIN, CORPUS)
    with pytest.raises(KokomError) as caught:
        build_workbook(loaded.service, _rows(loaded.service), loaded.assessment, doc=loaded.doc)
    finding = caught.value.findings[0]
    assert (finding.code, finding.line) == ("xlsx-unstorable", 7) and "0x0d" in finding.message
