"""Text from received files never becomes a spreadsheet formula: one shared helper for CSV and XLSX."""

from __future__ import annotations

import csv
import io
import shutil
from pathlib import Path

import openpyxl
import pytest
from conftest import EXAMPLES

from kokom_cli.cli.main import app
from kokom_cli.core.cells import is_formula_like, neutralise_formula

HOSTILE_NAME = "=cmd|' /C calc'!A0"


@pytest.mark.parametrize(
    "text",
    [HOSTILE_NAME, "+1+2", "-2+3+cmd|' /C calc'!A0", "@SUM(A1)", "\t=1", "\r=1", "\uff1dcmd", '=HYPERLINK("x")'],
)
def test_formula_like_text_gets_an_apostrophe(text):
    assert is_formula_like(text) and neutralise_formula(text) == "'" + text


@pytest.mark.parametrize("value", ["Fjordby", "-", "-12.5", "+47", "3,5", "12%", "", 5, -3.5, None])
def test_plain_text_and_numbers_are_unchanged(value):
    assert neutralise_formula(value) == value


def _received(tmp_path: Path) -> Path:
    folder = tmp_path / "mottatt"
    shutil.copytree(EXAMPLES, folder, ignore=shutil.ignore_patterns("*.py"))
    service = folder / "lvs-fjordby" / "services" / "lvs-fjordby.yaml"
    text = service.read_text(encoding="utf-8")
    service.write_text(text.replace("name: Fjordby interkommunale legevaktsentral", "name: \"=cmd|' /C calc'!A0\""))
    return folder


def test_overview_csv_neutralises_a_formula_in_a_service_name(runner, tmp_path):
    folder = _received(tmp_path)
    out = tmp_path / "csv"
    result = runner.invoke(app, ["overview", str(folder), "--as-of", "2026-12-01", "--format", "csv", "-o", str(out)])
    assert result.exit_code in (0, 1), result.stderr
    rows = [row for f in sorted(out.iterdir()) for row in csv.DictReader(io.StringIO(f.read_text(encoding="utf-8")))]
    names = {row["Navn"] for row in rows if row.get("Navn")}
    assert "'" + HOSTILE_NAME in names
    for row in rows:
        for value in row.values():
            assert not (value or "").startswith(("=", "@", "+")), value


def test_overview_xlsx_keeps_the_name_as_text(runner, tmp_path):
    folder = _received(tmp_path)
    out = tmp_path / "o.xlsx"
    result = runner.invoke(app, ["overview", str(folder), "--as-of", "2026-12-01", "--format", "xlsx", "-o", str(out)])
    assert result.exit_code in (0, 1), result.stderr
    book = openpyxl.load_workbook(out)
    cells = [c for sheet in book for row in sheet.iter_rows() for c in row if c.value == HOSTILE_NAME]
    assert cells and all(c.data_type == "s" for c in cells)
