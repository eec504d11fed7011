"""XLSX form import checked as the assessment file it becomes (assessments/spreadsheet/checking.py)."""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path

import openpyxl
from spreadsheet_helpers import (
    BUILTIN,
    CORPUS,
    _edited,
    _import,
    _row_of,
)

from kokom_cli.assessments.loading import load_assessment
from kokom_cli.assessments.models import (
    Action,
    AnswerStatus,
    Evidence,
    Waiver,
)
from kokom_cli.assessments.spreadsheet import (
    ANSWERS,
    COLUMN,
    WAIVERS,
)
from kokom_cli.cli.main import app
from kokom_cli.requirements.models import EvidenceKind


def test_loading_checks_come_back_at_their_cells(runner, tmp_path: Path) -> None:
    """Cell problems first; once they are fixed, the schema, then the loader's cross-checks, each at its cell."""
    bad_date = {"LVS-OPPG-02": ("evidence", "2026-02-30 tekst: Rutine")}
    share = {"LVS-SVAR-01": ("share", 1.5)}
    outside = {"LVS-OPPG-01": ("evidence", "2026-01-01 fil: ../../hemmelig.txt")}
    expected = [
        (bad_date, "xlsx-not-a-date", "linje 1 av dokumentasjonen: '2026-02-30'"),
        (share, "schema-value", "høyst 1.0"),
        (outside, "path-outside", "../../hemmelig.txt"),
    ]
    edits: dict = {}
    for number, (edit, code, words) in enumerate(expected):
        edits.update(edit)
        if number:
            edits.update({"LVS-OPPG-02": ("evidence", "2026-02-28 tekst: Rutine")})
        if number == 2:
            edits.update({"LVS-SVAR-01": ("share", 0.5)})

        def apply(book, number=number):
            sheet = book[ANSWERS]
            for req_id, (key, value) in edits.items():
                sheet.cell(_row_of(sheet, req_id), COLUMN[key]).value = value
            sheet.cell(_row_of(sheet, "LVS-SVAR-01"), COLUMN["calls"]).value = 100 if number else None

        result, out = _import(runner, _edited(tmp_path / str(number), apply))
        assert result.exit_code == 1 and not out.exists()
        sheet = openpyxl.load_workbook(tmp_path / str(number) / "skjema.xlsx")[ANSWERS]
        req_id, (key, _) = next(iter(edit.items()))
        cell = sheet.cell(_row_of(sheet, req_id), COLUMN[key]).coordinate
        problems = result.stderr.splitlines()[:-1]
        assert len(problems) == 1 and f"skjema.xlsx:Svar!{cell}: error {code}: " in problems[0], result.stderr
        assert words in problems[0]


def test_import_writes_the_assessment_and_reports_json(runner, tmp_path: Path) -> None:
    def edit(book):
        sheet = book[ANSWERS]
        row = _row_of(sheet, "LVS-OPPG-01")
        sheet.cell(row, COLUMN["status"]).value = "delvis oppfylt"
        sheet.cell(row, COLUMN["due"]).value = dt.datetime(2027, 1, 15)
        sheet.cell(row, COLUMN["action"]).value = "Ny rutine"
        sheet.cell(row, COLUMN["responsible"]).value = "Kari Nordmann"
        sheet.cell(
            row, COLUMN["evidence"]
        ).value = "2026-03-01 (document) tekst: Rutine\n  andre linje\n2026-04-01 Notat"
        book[WAIVERS]["A2"].value, book[WAIVERS]["B2"].value = "LVS-OPPG-02", "Avtale med nabo"
        book[WAIVERS]["C2"].value, book[WAIVERS]["D2"].value = "Statsforvalteren", "2027-06-30"

    result, out = _import(runner, _edited(tmp_path, edit), "--json")
    assert result.exit_code == 0, result.stderr
    assert json.loads(result.stdout) == {"written": str(out), "problems": [], "more": 0}
    answer = load_assessment(out, BUILTIN, CORPUS).assessment
    got = answer.answers["LVS-OPPG-01"]
    assert got.status is AnswerStatus.partial and got.action == Action(
        what="Ny rutine", responsible="Kari Nordmann", due=dt.date(2027, 1, 15)
    )
    assert got.evidence == [
        Evidence(text="Rutine\nandre linje", date=dt.date(2026, 3, 1), kind=EvidenceKind.document),
        Evidence(text="Notat", date=dt.date(2026, 4, 1)),
    ]
    assert answer.waivers == [
        Waiver(
            requirement="LVS-OPPG-02",
            justification="Avtale med nabo",
            approved_by="Statsforvalteren",
            expires=dt.date(2027, 6, 30),
        )
    ]
    before = out.read_bytes()
    again = runner.invoke(app, ["assess", "import", str(tmp_path / "skjema.xlsx"), "-o", str(out)])
    assert again.exit_code == 0 and "ingenting er endret" in again.stderr, again.output
    assert out.read_bytes() == before, "importing the same form into its own file changes nothing"
