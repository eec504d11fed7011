"""`kokom requirements list|show` end to end."""

from __future__ import annotations

import json

from conftest import GOOD_REQUIREMENT, chapter_text

from kokom_cli.cli.main import app


def test_list_filters_by_kind_and_level(runner) -> None:
    everything = json.loads(runner.invoke(app, ["requirements", "list", "--json"]).stdout)["requirements"]
    amk_skal = json.loads(
        runner.invoke(app, ["requirements", "list", "--kind", "amk", "--level", "skal", "--json"]).stdout
    )["requirements"]
    assert len(everything) >= 40
    assert amk_skal and all("amk" in r["applies_to"] and r["level"] == "skal" for r in amk_skal)
    expected = [r["id"] for r in everything if "amk" in r["applies_to"] and r["level"] == "skal"]
    assert [r["id"] for r in amk_skal] == expected


def test_level_bor_accepts_ascii_spelling(runner) -> None:
    a = runner.invoke(app, ["requirements", "list", "--level", "bør", "--json"])
    b = runner.invoke(app, ["requirements", "list", "--level", "bor", "--json"])
    assert a.exit_code == 0 and a.stdout == b.stdout and json.loads(a.stdout)["requirements"]


def test_unknown_kind_is_a_usage_error(runner) -> None:
    result = runner.invoke(app, ["requirements", "list", "--kind", "amkk"])
    assert result.exit_code == 2 and "mente du 'amk'" in result.stderr


def test_show_json_and_text(runner) -> None:
    data = json.loads(runner.invoke(app, ["requirements", "show", "LVS-SVAR-01", "--json"]).stdout)
    assert data["metric"] == {
        "indicator": "answered_within",
        "lines": ["116117", "local"],
        "threshold_seconds": 120,
        "required_share": 0.8,
        "denominator": "offered",
        "exclude": {"test_calls": False},
    }
    text = runner.invoke(app, ["requirements", "show", "LVS-SVAR-01"]).stdout
    assert "LVS-SVAR-01" in text and "Minst 80\u00a0% av anropene på 116117, local besvart innen 2 minutter" in text
    assert "(andel av alle anrop, ubesvarte medregnet)" in text
    amk = runner.invoke(app, ["requirements", "show", "AMK-SVAR-01", "--json"]).stdout
    assert json.loads(amk)["metric"]["denominator"] == "answered"
    assert "Verifisering: Måling" in text


def test_show_unknown_id_suggests_and_exits_2(runner) -> None:
    result = runner.invoke(app, ["requirements", "show", "AMK-SVAR-1"])
    assert result.exit_code == 2
    assert "ukjent krav-id 'AMK-SVAR-1'" in result.stderr and "AMK-SVAR-01" in result.stderr
    assert "Traceback" not in result.output


def test_markup_and_control_characters_are_shown_literally(runner, make_workspace) -> None:
    hostile = GOOD_REQUIREMENT.replace(
        "Testkrav om svartid", '"[bold red]Fet[/] [link=https://x.example]lenke[/link] \\e[31mrød\\a"'
    )
    root = make_workspace({"01-test.yaml": chapter_text(hostile)})
    for args in (["requirements", "list"], ["requirements", "show", "TST-SVAR-01"]):
        result = runner.invoke(app, [*args, "--root", str(root)])
        assert result.exit_code == 0, result.output
        flat = "".join(result.stdout.split())  # tables may wrap the title across lines
        assert "[bold" in flat and "[/]" in flat and "[link=https://x.example]" in flat
        assert "\x1b" not in result.stdout and "\x07" not in result.stdout
        assert "\\x1b[31m" in flat.replace("│", "")
