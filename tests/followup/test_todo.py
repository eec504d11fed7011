"""`kokom assess todo`: who still owes an answer, a justification or evidence, by `owner:` or assessed_by."""

from __future__ import annotations

import json
from pathlib import Path

from conftest import EXAMPLES

from kokom_cli.cli.main import app

FJORDBY = EXAMPLES / "lvs-fjordby" / "assessments" / "lvs-fjordby-2026.yaml"


def _todo(runner, *args: str):
    return runner.invoke(app, ["assess", "todo", str(FJORDBY), "--as-of", "2026-12-01", *args])


def test_every_item_has_an_owner_and_says_what_is_missing(runner) -> None:
    result = _todo(runner, "--json")
    assert result.exit_code == 1, result.output
    items = json.loads(result.stdout)["items"]
    by_id = {i["id"]: i for i in items}
    assert by_id["ALL-KVAL-05"]["missing"] == ["answer"]  # unanswered in the example
    assert by_id["LVS-OPPG-04"]["owner"] == "Ola Berg, IKT-ansvarlig"  # owner: on the answer
    assert by_id["ALL-KVAL-05"]["owner"] == "Kari Nordmann, leder legevaktsentralen"  # assessed_by
    assert all(
        i["missing"] and set(i["missing"]) <= {"answer", "justification-missing", "evidence-missing", "evidence-stale"}
        for i in items
    )


def test_owner_filters_by_the_name_before_the_comma(runner) -> None:
    result = _todo(runner, "--owner", "OLA BERG", "--json")
    assert result.exit_code == 1
    assert {i["id"] for i in json.loads(result.stdout)["items"]} == {"LVS-OPPG-04", "ALL-TOLK-02"}


def test_an_owner_who_owns_nothing_gets_a_suggestion_and_exit_2(runner) -> None:
    result = _todo(runner, "--owner", "Ola Bergh")
    assert result.exit_code == 2
    assert result.stderr.startswith("--owner:0:0: error usage:") and "Ola Berg" in result.stderr


def test_a_complete_assessment_owes_nothing(runner, tmp_path: Path) -> None:
    storby = EXAMPLES / "lvs-storby" / "assessments" / "lvs-storby-2026.yaml"
    result = runner.invoke(app, ["assess", "todo", str(storby), "--as-of", "2026-12-01", "--json"])
    items = json.loads(result.stdout)["items"]
    # Storby answers everything; what it owes is evidence only
    assert all("answer" not in i["missing"] for i in items)
    assert result.exit_code == (1 if items else 0)
