"""`assess import` into an existing assessment merges (a round-trip edit), and `assess export --owner`."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import yaml
from conftest import EXAMPLES
from openpyxl import load_workbook

from kokom_cli.assessments.spreadsheet.form import COLUMN
from kokom_cli.cli.main import app


def _fjordby(tmp_path: Path) -> Path:
    shutil.copytree(EXAMPLES / "lvs-fjordby", tmp_path / "lvs-fjordby")
    return tmp_path / "lvs-fjordby" / "assessments" / "lvs-fjordby-2026.yaml"


def _rows(path: Path) -> dict[str, int]:
    sheet = load_workbook(path)["Svar"]
    return {sheet.cell(row, 1).value: row for row in range(2, sheet.max_row + 1)}


def test_a_person_gets_only_their_rows_and_the_import_touches_nothing_else(runner, tmp_path: Path) -> None:
    target = _fjordby(tmp_path)
    before = target.read_text(encoding="utf-8")
    form = tmp_path / "ola.xlsx"
    exported = runner.invoke(app, ["assess", "export", str(target), "-o", str(form), "--owner", "OLA BERG"])
    assert exported.exit_code == 0, exported.output
    rows = _rows(form)
    assert set(rows) == {"LVS-OPPG-04", "ALL-TOLK-02"}, "Ola Berg owns these two answers in the example"

    book = load_workbook(form)
    sheet = book["Svar"]
    sheet.cell(rows["LVS-OPPG-04"], COLUMN["status"]).value = "Delvis oppfylt"
    sheet.cell(rows["LVS-OPPG-04"], COLUMN["justification"]).value = "Listen er fra 2024; ny kommer i januar."
    book.save(form)

    merged = runner.invoke(app, ["assess", "import", str(form), "-o", str(target)])
    assert merged.exit_code == 0 and "Flettet" in merged.stderr, merged.output
    after = target.read_text(encoding="utf-8")
    changed = [(a, b) for a, b in zip(before.splitlines(), after.splitlines(), strict=True) if a != b]
    assert changed == [
        ("    status: met", "    status: partial"),
        (
            "    justification: Kontaktliste over vakthavende tjenester i de tre kommunene ligger på alle plasser.",
            "    justification: Listen er fra 2024; ny kommer i januar.",
        ),
    ], "exactly the two cells that changed; every comment and every other answer as it was"
    data = yaml.safe_load(after)
    assert data["answers"]["LVS-OPPG-04"]["status"] == "partial"
    assert len(data["answers"]) == len(yaml.safe_load(before)["answers"])


def test_an_owner_who_owns_nothing_writes_no_form(runner, tmp_path: Path) -> None:
    target = _fjordby(tmp_path)
    result = runner.invoke(
        app, ["assess", "export", str(target), "-o", str(tmp_path / "x.xlsx"), "--owner", "Ola Bergh"]
    )
    assert result.exit_code == 2 and "Ola Berg" in result.stderr and not (tmp_path / "x.xlsx").exists()


def test_a_whole_form_merged_back_unchanged_changes_no_byte(runner, tmp_path: Path) -> None:
    target = _fjordby(tmp_path)
    before = target.read_bytes()
    form = tmp_path / "alt.xlsx"
    assert runner.invoke(app, ["assess", "export", str(target), "-o", str(form)]).exit_code == 0
    again = runner.invoke(app, ["assess", "import", str(form), "-o", str(target)])
    assert again.exit_code == 0 and "ingenting er endret" in again.stderr, again.output
    assert target.read_bytes() == before


def test_force_still_replaces_the_whole_file(runner, tmp_path: Path) -> None:
    target = _fjordby(tmp_path)
    form = tmp_path / "alt.xlsx"
    assert runner.invoke(app, ["assess", "export", str(target), "-o", str(form)]).exit_code == 0
    replaced = runner.invoke(app, ["assess", "import", str(form), "-o", str(target), "--force"])
    assert replaced.exit_code == 0, replaced.output
    assert "# ──" not in target.read_text(encoding="utf-8"), "a replaced file is kokom's own layout, comments gone"


def test_an_advisor_verifies_many_answers_from_the_form(runner, tmp_path: Path) -> None:
    """The advisor fills the Rådgiver columns; the import writes only the verifications."""
    target = _fjordby(tmp_path)
    before = yaml.safe_load(target.read_text(encoding="utf-8"))
    form = tmp_path / "radgiver.xlsx"
    assert runner.invoke(app, ["assess", "export", str(target), "-o", str(form)]).exit_code == 0
    rows = _rows(form)
    book = load_workbook(form)
    sheet = book["Svar"]
    for req_id, status in (("LVS-OPPG-01", "Oppfylt"), ("LVS-OPPG-04", "Ikke oppfylt")):
        sheet.cell(rows[req_id], COLUMN["advisor_status"]).value = status
        sheet.cell(rows[req_id], COLUMN["advisor_by"]).value = "Nina Rådgiver"
        sheet.cell(rows[req_id], COLUMN["advisor_date"]).value = "2026-12-02"
    book.save(form)
    result = runner.invoke(app, ["assess", "import", str(form), "-o", str(target)])
    assert result.exit_code == 0, result.output
    after = yaml.safe_load(target.read_text(encoding="utf-8"))
    assert after["answers"]["LVS-OPPG-04"]["verification"]["status"] == "not_met"
    assert after["answers"]["LVS-OPPG-01"]["verification"]["by"] == "Nina Rådgiver"
    for req_id in ("LVS-OPPG-01", "LVS-OPPG-04"):
        after["answers"][req_id].pop("verification")
    assert after == before, "nothing but the two verifications changed"
    check = runner.invoke(app, ["assess", "check", str(target), "--as-of", "2026-12-03", "--json"])
    results = {r["id"]: r for r in json.loads(check.stdout)["results"]}
    assert results["LVS-OPPG-04"]["verified"] == "not_met" and results["LVS-OPPG-04"]["outcome"] == "not_met"
