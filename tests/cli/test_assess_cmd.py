"""`kokom assess new|check|report` end to end, on the test workspace and on the examples."""

from __future__ import annotations

import json
import re
import shutil
from pathlib import Path

import pypdf
import pytest
from conftest import DATA, EXAMPLES

from kokom_cli.cli.main import app

WS = DATA / "assess" / "ws"


def check(runner, path: Path, *extra: str, root: Path | None = WS):
    args = ["assess", "check", str(path), "--as-of", "2026-11-01", *extra]
    return runner.invoke(app, args + (["--root", str(root)] if root else []))


def test_check_json_follows_the_contract(runner) -> None:
    result = check(runner, WS / "assessments" / "good.yaml", "--json")
    assert result.exit_code == 0, result.stderr
    data = json.loads(result.stdout)
    assert data["service"] == "lvs-test" and data["edition"] == "2026.1"
    assert set(data["summary"]) >= {"skal_total", "skal_met", "bor_total", "bor_met", "score"}
    assert data["summary"] == data["summary"] | {
        "skal_total": 2,
        "skal_met": 2,
        "bor_total": 1,
        "bor_met": 0,
        "score": 0.8,
    }
    outcomes = {r["id"]: r["outcome"] for r in data["results"]}
    assert outcomes == {
        "TST-SVAR-01": "met",
        "TST-BOR-01": "partial",
        "TST-DOK-01": "met",
        "TST-STOR-01": "not_applicable",
        "TST-LINJE-01": "not_applicable",
    }
    for r in data["results"]:
        assert {"id", "level", "outcome", "reasons"} <= set(r) and isinstance(r["reasons"], list)


def test_check_exit_1_when_a_skal_requirement_is_not_met(runner) -> None:
    result = check(runner, WS / "assessments" / "good-call-log.yaml", "--json")
    assert result.exit_code == 1
    [svar] = [r for r in json.loads(result.stdout)["results"] if r["id"] == "TST-SVAR-01"]
    assert svar["outcome"] == "contradicted" and "measured-contradicts" in svar["reasons"]
    assert re.search(r"77[.,]8\u00a0% av 9 anrop", svar["details"][0]["message"])


def test_check_table_is_grouped_by_chapter_in_plain_norwegian(runner) -> None:
    result = check(runner, WS / "assessments" / "good.yaml")
    assert result.exit_code == 0
    out = result.stdout
    assert out.index("Svartid") < out.index("TST-SVAR-01") < out.index("Dokumentasjon") < out.index("TST-DOK-01")
    assert "delvis oppfylt" in out and "ikke relevant" in out
    assert "I orden: alle skal-krav er oppfylt eller har gyldig unntak." in out


def test_check_in_english(runner) -> None:
    result = runner.invoke(
        app,
        [
            "--lang",
            "en",
            "assess",
            "check",
            str(WS / "assessments" / "good.yaml"),
            "--as-of",
            "2026-11-01",
            "--root",
            str(WS),
        ],
    )
    assert "partly met" in result.stdout and "In order" in result.stdout


def test_unreadable_input_is_one_line_and_exit_2(runner) -> None:
    result = check(runner, WS / "assessments" / "bad-unknown-id.yaml", "--json")
    assert result.exit_code == 2 and result.stdout == ""
    assert result.stderr.strip().endswith("error unknown-id: ukjent krav-id 'TST-SVAR-1'; mente du 'TST-SVAR-01'?")
    assert result.stderr.count("\n") == 1 and ":6:3:" in result.stderr
    missing = check(runner, WS / "assessments" / "finnes-ikke.yaml")
    assert missing.exit_code == 2 and "file-missing" in missing.stderr


def test_bad_as_of_is_a_usage_error(runner) -> None:
    result = runner.invoke(
        app, ["assess", "check", str(WS / "assessments" / "good.yaml"), "--as-of", "1.12.2026", "--root", str(WS)]
    )
    assert result.exit_code == 2 and result.stderr.startswith("--as-of:0:0: error usage:")


def test_as_of_moves_the_verdict(runner) -> None:
    """The evidence in good.yaml is dated 2026-01-15 (document, 24 months) and 2026-09-30 (record, 12 months)."""
    late = check(runner, WS / "assessments" / "good.yaml", "--json", "--as-of", "2027-10-01")
    [dok] = [r for r in json.loads(late.stdout)["results"] if r["id"] == "TST-DOK-01"]
    assert dok["reasons"] == ["evidence-stale"]


# --- assess new ---------------------------------------------------------------------------------------


def test_new_form_has_exactly_the_applicable_requirements_and_loads(runner, tmp_path: Path) -> None:
    root = tmp_path / "ws"
    shutil.copytree(WS, root)
    out = root / "assessments" / "ny.yaml"
    result = runner.invoke(
        app, ["assess", "new", str(root / "services" / "lvs-test.yaml"), "-o", str(out), "--root", str(root)]
    )
    assert result.exit_code == 0, result.stderr
    text = out.read_text()
    ids = [line.strip()[:-1] for line in text.splitlines() if line.startswith("  TST-")]
    assert ids == ["TST-SVAR-01", "TST-BOR-01", "TST-DOK-01"]
    assert "# TST-SVAR-01 (skal): 80 % besvart innen 2 minutter" in text
    assert "#     - record: Logg fra siste år. (høyst 12 måneder gammel)" in text
    assert "#   Målekrav: minst 80 % besvart innen 120 s på 116117, local." in text
    assert "service_file" not in text, "the service is found beside the assessments folder"
    checked = check(runner, out, "--json", root=root)
    assert checked.exit_code == 1
    assert {r["outcome"] for r in json.loads(checked.stdout)["results"]} == {"unanswered", "not_applicable"}


def test_new_refuses_to_overwrite_and_prints_to_stdout(runner, tmp_path: Path) -> None:
    target = tmp_path / "x.yaml"
    target.write_text("mine")
    service = str(WS / "services" / "amk-test.yaml")
    refused = runner.invoke(app, ["assess", "new", service, "-o", str(target), "--root", str(WS)])
    assert refused.exit_code == 2 and "file-exists" in refused.stderr and target.read_text() == "mine"
    printed = runner.invoke(app, ["assess", "new", service, "--root", str(WS)])
    assert printed.exit_code == 0 and "  TST-VENT-01:" in printed.stdout and "TST-SVAR-01:" not in printed.stdout
    assert "service_file:" not in printed.stdout, "found in the workspace's services/ folder"


def test_new_names_a_service_file_it_would_not_find(runner, tmp_path: Path) -> None:
    service = tmp_path / "tjenester" / "amk.yaml"
    service.parent.mkdir()
    shutil.copy(WS / "services" / "amk-test.yaml", service)
    out = tmp_path / "vurderinger" / "amk-2026.yaml"
    result = runner.invoke(app, ["assess", "new", str(service), "-o", str(out), "--root", str(WS)])
    assert result.exit_code == 0, result.stderr
    assert 'service_file: "../tjenester/amk.yaml"' in out.read_text()
    assert check(runner, out).exit_code == 1, "the blank form loads, and every skal requirement is unanswered"


def test_new_from_previous_carries_answers(runner, tmp_path: Path) -> None:
    root = tmp_path / "ws"
    shutil.copytree(WS, root)
    out = root / "assessments" / "2027.yaml"
    result = runner.invoke(
        app,
        [
            "assess",
            "new",
            str(root / "services" / "lvs-test.yaml"),
            "-o",
            str(out),
            "--from",
            str(root / "assessments" / "good.yaml"),
            "--root",
            str(root),
        ],
    )
    assert result.exit_code == 0, result.stderr
    data = json.loads(check(runner, out, "--json", root=root).stdout)
    outcomes = {r["id"]: r["outcome"] for r in data["results"]}
    assert outcomes["TST-DOK-01"] == "met" and outcomes["TST-BOR-01"] == "partial"
    assert "vedlegg/rutine.txt" in out.read_text()


def test_new_from_another_edition_is_refused(runner, tmp_path: Path) -> None:
    result = runner.invoke(
        app,
        [
            "assess",
            "new",
            str(WS / "services" / "lvs-test.yaml"),
            "-o",
            str(tmp_path / "n.yaml"),
            "--from",
            str(WS / "assessments" / "bad-edition.yaml"),
            "--root",
            str(WS),
        ],
    )
    assert result.exit_code == 2 and "edition-mismatch" in result.stderr and not (tmp_path / "n.yaml").exists()


def test_new_from_another_service_is_refused(runner, tmp_path: Path) -> None:
    result = runner.invoke(
        app,
        [
            "assess",
            "new",
            str(WS / "services" / "amk-test.yaml"),
            "-o",
            str(tmp_path / "n.yaml"),
            "--from",
            str(WS / "assessments" / "good.yaml"),
            "--root",
            str(WS),
        ],
    )
    assert result.exit_code == 2 and "service-mismatch" in result.stderr


# --- assess report --------------------------------------------------------------------------------------


def example_report(runner, service: str, out: Path) -> Path:
    path = EXAMPLES / service / "assessments" / f"{service}-2026.yaml"
    result = runner.invoke(
        app, ["assess", "report", str(path), "--format", out.suffix[1:], "-o", str(out), "--as-of", "2026-12-01"]
    )
    assert result.exit_code == 0, result.stderr
    return path


def test_report_html_has_summary_gaps_actions_and_disputes(runner, tmp_path: Path) -> None:
    out = tmp_path / "r.html"
    example_report(runner, "amk-nordvik", out)
    html = out.read_text()
    for heading in (
        "Sammendrag",
        "Mangler og merknader",
        "Tiltaksplan",
        "Svar rådgiveren er uenig i",
        "Unntak",
        "Resultater per kapittel",
    ):
        assert f">{heading}</h2>" in html
    plan = html[html.index('id="tiltak"') : html.index('id="omstridt"')]
    assert plan.index("15. januar 2027") < plan.index("1. februar 2027") < plan.index("30. april 2027"), (
        "the action plan is sorted by due date"
    )
    assert "Per Hansen" in plan and "Liv Moe" in plan
    disputed = html[html.index('id="omstridt"') : html.index('id="unntak"')]
    assert "ALL-KVAL-02" in disputed and "Referatet gjelder klinikken" in disputed
    assert "Motsagt av målingen" in html and "Ikke i orden" in html


def test_report_pdf_embeds_the_assessment(runner, tmp_path: Path) -> None:
    out = tmp_path / "r.pdf"
    path = example_report(runner, "lvs-storby", out)
    reader = pypdf.PdfReader(out)
    assert reader.attachments["lvs-storby-2026.yaml"] == [path.read_bytes()]
    assert "Storby legevaktsentral" in reader.pages[0].extract_text()


def test_report_of_unreadable_assessment_writes_nothing(runner, tmp_path: Path) -> None:
    out = tmp_path / "r.html"
    result = runner.invoke(
        app, ["assess", "report", str(WS / "assessments" / "bad-kind.yaml"), "-o", str(out), "--root", str(WS)]
    )
    assert result.exit_code == 2 and "not-applicable-answer" in result.stderr and not out.exists()


# --- the examples ---------------------------------------------------------------------------------------


@pytest.fixture(scope="module")
def example_results() -> dict[str, dict]:
    from typer.testing import CliRunner

    out = {}
    for service in ("lvs-fjordby", "lvs-storby", "amk-nordvik"):
        path = EXAMPLES / service / "assessments" / f"{service}-2026.yaml"
        result = CliRunner().invoke(app, ["assess", "check", str(path), "--json", "--as-of", "2026-12-01"])
        assert result.exit_code in (0, 1), result.stderr
        out[service] = {"exit": result.exit_code, **json.loads(result.stdout)}
    return out


def test_examples_exit_codes(example_results) -> None:
    assert {k: v["exit"] for k, v in example_results.items()} == {"lvs-fjordby": 1, "lvs-storby": 0, "amk-nordvik": 1}


def test_examples_exercise_every_outcome_and_reason(example_results) -> None:
    results = [r for data in example_results.values() for r in data["results"]]
    assert {r["outcome"] for r in results} == {
        "met",
        "partial",
        "not_met",
        "not_applicable",
        "unanswered",
        "contradicted",
    }
    reasons = {code for r in results for code in r["reasons"]}
    assert reasons >= {
        "justification-missing",
        "evidence-missing",
        "evidence-stale",
        "waived",
        "waiver-expired",
        "action-missing",
        "action-overdue",
        "measured",
        "measured-contradicts",
        "disputed",
        "declared-not-applicable",
    }


def test_fjordby_answer_time_is_decided_by_its_call_log(example_results) -> None:
    [svar] = [r for r in example_results["lvs-fjordby"]["results"] if r["id"] == "LVS-SVAR-01"]
    assert svar["outcome"] == "not_met" and svar["measured"]["source"] == "call_logs"
    assert 0.70 < svar["measured"]["share"] < 0.72 and svar["measured"]["calls"] > 3000
