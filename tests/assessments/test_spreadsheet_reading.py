"""XLSX form import (assessments/spreadsheet/cells.py, reading.py): every problem at its cell, unreadable input."""

from __future__ import annotations

from pathlib import Path

import openpyxl
from spreadsheet_helpers import (
    _edited,
    _fjordby,
    _import,
    _row_of,
)

from kokom_cli.assessments.spreadsheet import (
    ANSWERS,
    COLUMN,
    DATA,
    read_workbook,
)
from kokom_cli.cli.main import app


def test_import_reports_each_problem_at_its_cell_and_writes_nothing(runner, tmp_path: Path) -> None:
    def edit(book):
        sheet = book[ANSWERS]
        sheet.cell(_row_of(sheet, "LVS-OPPG-01"), COLUMN["status"]).value = "kanskje"
        sheet.cell(_row_of(sheet, "LVS-SVAR-01"), COLUMN["due"]).value = "neste vår"
        sheet.cell(_row_of(sheet, "LVS-OPPG-02"), COLUMN["id"]).value = "LVS-OPPG-22"
        sheet.delete_rows(_row_of(sheet, "LVS-OPPG-03"))
        last = sheet.max_row + 1
        sheet.cell(last, 1).value = "LVS-NY-01"
        sheet.cell(last, COLUMN["status"]).value = "oppfylt"
        sheet.cell(_row_of(sheet, "LVS-OPPG-04"), COLUMN["justification"]).value = "=1+1"
        sheet.cell(2, 30).value = "notat"
        sheet.cell(_row_of(sheet, "LVS-OPPG-05"), COLUMN["action"]).value = "Nytt tiltak uten frist"

    xlsx = _edited(tmp_path, edit)
    result, out = _import(runner, xlsx)
    assert result.exit_code == 1, result.stderr
    assert not out.exists()
    lines = result.stderr.splitlines()
    book = openpyxl.load_workbook(xlsx)
    sheet = book[ANSWERS]

    def line(req_id: str, key: str, code: str) -> str:
        cell = sheet.cell(_row_of(sheet, req_id), COLUMN[key]).coordinate
        return next((x for x in lines if f"skjema.xlsx:Svar!{cell}: error {code}:" in x), "")

    assert "kanskje" in line("LVS-OPPG-01", "status", "xlsx-unknown-status")
    assert "neste vår" in line("LVS-SVAR-01", "due", "xlsx-not-a-date")
    assert "LVS-OPPG-02" in line("LVS-OPPG-22", "id", "xlsx-id-altered")
    assert line("LVS-NY-01", "id", "xlsx-unknown-id")
    assert line("LVS-OPPG-04", "justification", "xlsx-formula")
    assert line("LVS-OPPG-05", "responsible", "xlsx-incomplete") and line("LVS-OPPG-05", "due", "xlsx-incomplete")
    assert any("skjema.xlsx:Svar!AD2: error xlsx-outside-form:" in x for x in lines)
    deleted = [x for x in lines if "xlsx-row-deleted" in x]
    assert len(deleted) == 1 and "LVS-OPPG-03" in deleted[0]
    assert lines[-1].startswith("9 problem")


def test_bad_input_exit_2(runner, tmp_path: Path) -> None:
    not_xlsx = tmp_path / "skjema.xlsx"
    not_xlsx.write_text("status,met\n", encoding="utf-8")
    result = runner.invoke(app, ["assess", "import", str(not_xlsx), "-o", str(tmp_path / "a.yaml")])
    assert result.exit_code == 2 and "xlsx-unreadable" in result.stderr and "Traceback" not in result.stderr
    result = runner.invoke(app, ["assess", "export", str(_fjordby(tmp_path)), "--format", "ods", "-o", "x.ods"])
    assert result.exit_code == 2 and "ods" in result.stderr


def test_an_unchanged_workbook_without_its_hidden_sheet_is_refused(tmp_path: Path) -> None:
    xlsx = _edited(tmp_path, lambda book: book.remove(book[DATA]))
    result = read_workbook(xlsx.read_bytes(), "skjema.xlsx")
    assert [(p.sheet, p.code) for p in result.problems] == [(DATA, "xlsx-not-a-form")]


def test_a_waiver_with_its_approval_date_and_a_form_from_before_that_column(runner, tmp_path: Path) -> None:
    """The fifth waiver column is the approval date; a form exported before it had four columns and still reads."""
    import datetime as dt

    import yaml

    def waiver(approved_on):
        def edit(book) -> None:
            sheet = book["Unntak"]
            for col, value in enumerate(
                ["LVS-KOMP-01", "Nye operatører i opplæring", "Statsforvalteren", dt.date(2027, 6, 30), approved_on], 1
            ):
                sheet.cell(2, col).value = value
            if approved_on is None:
                sheet.delete_cols(5)  # the form as it was before

        return edit

    for approved_on, expected in ((dt.date(2026, 9, 1), dt.date(2026, 9, 1)), (None, None)):
        xlsx = _edited(tmp_path / str(approved_on), waiver(approved_on))
        result, out = _import(runner, xlsx)
        assert result.exit_code == 0, result.output
        [written] = yaml.safe_load(out.read_text(encoding="utf-8"))["waivers"]
        assert written.get("approved_on") == expected and written["expires"] == dt.date(2027, 6, 30)
