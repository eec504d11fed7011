"""`kokom procedures list|show|due` end to end."""

from __future__ import annotations

import json

from conftest import DATA
from typer.testing import CliRunner

from kokom_cli.cli.main import app

GOOD = str(DATA / "procedures" / "good")
runner = CliRunner()


def _run(*args: str):
    return runner.invoke(app, [*args, "--root", GOOD])


def test_list_json_and_book_filter():
    data = json.loads(_run("procedures", "list", "--json").stdout)
    assert [(p["id"], p["book"]) for p in data["procedures"]] == [
        ("PROS-AMK-01", "amk"),
        ("KORT-91", "fjordby"),
        ("LOK-FJORDBY-01", "fjordby"),
    ]
    assert data["procedures"][0]["next_review"] == "2027-01-10"
    only = json.loads(_run("procedures", "list", "--book", "amk", "--json").stdout)
    assert [p["id"] for p in only["procedures"]] == ["PROS-AMK-01"]


def test_list_unknown_book_is_a_usage_error():
    result = _run("procedures", "list", "--book", "amc")
    assert result.exit_code == 2 and "'amk'?" in result.stderr and result.stdout == ""


def test_show_procedure_text_and_json():
    result = _run("procedures", "show", "PROS-AMK-01")
    assert result.exit_code == 0
    assert "5 Fremgangsmåte" in result.stdout and "1. medisinsk operatør: Sett opp konferansesamtale." in result.stdout
    data = json.loads(_run("procedures", "show", "KORT-91", "--json").stdout)
    assert data["kind"] == "dispatch_card" and data["criteria"]["red"][0]["code"] == "A.91.01"
    assert data["book"] == "fjordby" and data["local_adaptations"][0]["responsible_doctor"] == "Dr. Lise Berg"


def test_show_unknown_id_suggests_the_nearest():
    result = _run("procedures", "show", "PROS-AMK-1")
    assert result.exit_code == 2 and "'PROS-AMK-01'?" in result.stderr and "Traceback" not in result.stderr


def test_show_prints_markup_in_data_literally(tmp_path):
    import shutil

    root = tmp_path / "ws"
    shutil.copytree(GOOD, root)
    path = root / "procedures" / "amk" / "pros-amk-01.yaml"
    path.write_text(
        path.read_text().replace("purpose: Brann og politi varsles straks.", 'purpose: "[bold]fet[/bold] \\x1b[31m"')
    )
    result = runner.invoke(app, ["procedures", "show", "PROS-AMK-01", "--root", str(root)])
    assert "[bold]fet[/bold] \\x1b[31m" in result.stdout


def test_due_groups_by_owner_and_exits_1_when_overdue():
    soon = _run("procedures", "due", "--as-of", "2026-12-01", "--within", "60", "--json")
    assert soon.exit_code == 0
    data = json.loads(soon.stdout)
    assert data["owners"] == [
        {
            "owner": "Nasjonalt kompetansesenter",
            "procedures": [
                {
                    "id": "PROS-AMK-01",
                    "title": "Trippelvarsling",
                    "book": "amk",
                    "next_review": "2027-01-10",
                    "days_left": 40,
                    "status": "due",
                }
            ],
        }
    ]
    late = _run("procedures", "due", "--as-of", "2027-02-01", "--within", "0")
    assert late.exit_code == 1 and "PROS-AMK-01" in late.stdout and "forfalt for 22 dager siden" in late.stdout
    assert _run("procedures", "due", "--as-of", "2026-06-01", "--within", "10").exit_code == 0


def test_due_rejects_a_bad_date():
    result = _run("procedures", "due", "--as-of", "1.12.2026")
    assert result.exit_code == 2 and "ÅÅÅÅ-MM-DD" in result.stderr
