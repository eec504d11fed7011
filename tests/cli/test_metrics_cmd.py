"""`kokom metrics` end to end: the JSON contract, exit codes, options, mapping from kokom.yaml, errors."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest
from conftest import DATA, ROOT

from kokom_cli.cli.main import app

LOGS = DATA / "calllog"
CORPUS = ROOT / "requirements" / "01-svartid.yaml"
CONTRACT = {
    "calls",
    "answered",
    "abandoned",
    "threshold_seconds",
    "within_threshold_share",
    "median_answer_seconds",
    "max_wait_seconds",
}


def metrics(runner, *args: str):
    return runner.invoke(app, ["metrics", *map(str, args)])


def write_log(tmp_path: Path, rows: list[str], name: str = "log.csv") -> Path:
    path = tmp_path / name
    path.write_text("call_id,line,offered_at,answered_at,ended_at\n" + "\n".join(rows) + "\n", encoding="utf-8")
    return path


def test_json_follows_the_contract(runner) -> None:
    result = metrics(runner, LOGS / "amk-edge.csv", "--kind", "amk", "--json")
    assert result.exit_code == 1, result.stderr  # AMK-SVAR-01 and -02 are not met
    data = json.loads(result.stdout)
    assert set(data) >= CONTRACT
    assert {k: data[k] for k in ("calls", "answered", "abandoned", "threshold_seconds", "max_wait_seconds")} == {
        "calls": 9,
        "answered": 7,
        "abandoned": 2,
        "threshold_seconds": 10,
        "max_wait_seconds": 25.0,
    }
    # AMK-SVAR-01 counts answered calls only (Helsedirektoratet's 113 indicator): 5 of the 7 answered within 10 s
    assert data["denominator"] == "answered" and data["definition"] == {"denominator": "answered", "exclude": {}}
    assert data["within_threshold_share"] == pytest.approx(5 / 7) and data["median_answer_seconds"] == 8.0
    assert data["kind"] == "amk" and data["lines"] == ["113"] and data["other_lines"] == {"local": 1}
    assert list(data["by_month"]) == ["2026-01", "2026-02", "2026-03", "2026-10"]
    assert set(data["by_month"]["2026-01"]) >= CONTRACT and set(data["by_line"]["113"]) >= CONTRACT
    verdicts = {r["id"]: (r["met"], r["indicator"]) for r in data["requirements"]}
    assert verdicts == {"AMK-SVAR-01": (False, "answered_within"), "AMK-SVAR-02": (False, "max_wait")}
    assert data["bad_rows"] == {"total": 0, "counts": {}, "examples": []}


def test_exit_0_when_the_log_proves_every_requirement(runner, tmp_path: Path) -> None:
    log = write_log(
        tmp_path,
        [
            f"C{i},113,2026-05-01T10:0{i}:00+02:00,2026-05-01T10:0{i}:04+02:00,2026-05-01T10:0{i}:50+02:00"
            for i in range(5)
        ],
    )
    result = metrics(runner, log)  # the kind comes from the line: 113 is AMK
    assert result.exit_code == 0, result.stdout + result.stderr
    assert "✓ AMK-SVAR-01" in result.stdout and "✓ AMK-SVAR-02" in result.stdout
    assert "Per måned" in result.stdout and "2026-05" in result.stdout


def test_the_table_names_each_verdict(runner) -> None:
    result = runner.invoke(app, ["--lang", "en", "metrics", str(LOGS / "amk-edge.csv"), "--kind", "amk"])
    assert result.exit_code == 1
    assert (
        "✗ AMK-SVAR-01 Measured 71.4\u00a0% of 7 answered calls on line 113 answered within 10 s "
        "(share of answered calls; required: 90.0\u00a0%): not met." in result.stdout
    )
    assert "1 unanswered calls without ended_at" in result.stdout
    assert "Not measured, other lines: local (1)." in result.stdout


def test_threshold_changes_the_share_not_the_verdict(runner) -> None:
    data = json.loads(metrics(runner, LOGS / "amk-edge.csv", "--kind", "amk", "--threshold", "25", "--json").stdout)
    assert data["threshold_seconds"] == 25 and data["within_threshold_share"] == pytest.approx(7 / 7)
    first = next(r for r in data["requirements"] if r["id"] == "AMK-SVAR-01")
    assert first["threshold_seconds"] == 10 and first["measured_share"] == pytest.approx(5 / 7)
    assert first["denominator"] == "answered" and first["definition_text"] == "andel av besvarte anrop"


def test_legevaktsentral_from_its_lines(runner, tmp_path: Path) -> None:
    log = write_log(
        tmp_path,
        [
            "L1,116117,2026-05-01T10:00:00+02:00,2026-05-01T10:02:00+02:00,",
            "L2,local,2026-05-01T11:00:00+02:00,2026-05-01T11:02:00.5+02:00,",
            "L3,116117,2026-05-01T12:00:00+02:00,,2026-05-01T12:11:00+02:00",
        ],
    )
    data = json.loads(metrics(runner, log, "--json").stdout)
    assert (data["kind"], data["threshold_seconds"], data["calls"]) == ("legevaktsentral", 120, 3)
    assert data["within_threshold_share"] == pytest.approx(1 / 3)  # 120 s exactly is within, 120.5 s is not
    assert data["within_10_minutes_share"] == pytest.approx(2 / 3)
    assert sorted(data["by_line"]) == ["116117", "local"]
    assert [r["id"] for r in data["requirements"]] == ["LVS-SVAR-01"]


def test_period_options(runner) -> None:
    data = json.loads(
        metrics(
            runner, LOGS / "amk-edge.csv", "--kind", "amk", "--from", "2026-02-01", "--to", "2026-03-31", "--json"
        ).stdout
    )
    assert (data["calls"], data["outside_period"], data["period"]) == (2, 7, {"from": "2026-02-01", "to": "2026-03-31"})


@pytest.mark.parametrize(
    "args",
    [["--from", "1. mai"], ["--from", "2026-05-02", "--to", "2026-05-01"], ["--kind", "amb"], ["--threshold", "0"]],
)
def test_bad_options_exit_2(runner, args: list[str]) -> None:
    result = metrics(runner, LOGS / "amk-edge.csv", *args)
    assert result.exit_code == 2 and result.stdout == ""
    assert "Traceback" not in result.stderr


def test_a_log_of_two_kinds_needs_kind(runner) -> None:
    result = metrics(runner, LOGS / "amk-edge.csv")
    assert result.exit_code == 2
    assert result.stderr.strip() == (
        "--kind:0:0: error usage: loggen har linjer for flere tjenestetyper "
        "(113, local); velg med --kind amk eller legevaktsentral"
    )


def test_bad_rows_are_reported_on_stderr(runner) -> None:
    result = metrics(runner, LOGS / "bad-rows.csv", "--json")
    assert json.loads(result.stdout)["bad_rows"]["total"] == 7  # stdout stays one JSON document
    assert "bad-rows.csv:4:0: warning calllog-timestamp: ugyldig tidspunkt: offered_at=yesterday" in result.stderr
    assert "bad-rows.csv:7:0: warning calllog-duplicate: samme anrops-id to ganger: call_id=B01" in result.stderr
    assert "Ugyldige rader holdt utenfor tallene: 7" in result.stderr


def test_strict_makes_a_bad_row_fail(runner, tmp_path: Path) -> None:
    log = write_log(
        tmp_path,
        [
            "C1,113,2026-05-01T10:00:00+02:00,2026-05-01T10:00:04+02:00,",
            "C2,113,2026-05-01T10:05:00+02:00,2026-05-01T10:04:00+02:00,",
        ],
    )
    relaxed = metrics(runner, log)
    assert relaxed.exit_code == 0  # C1 alone proves both requirements; C2 is left out
    assert "log.csv:3:0: warning calllog-order" in relaxed.stderr
    strict = metrics(runner, log, "--strict")
    assert strict.exit_code == 1 and "log.csv:3:0: error calllog-order" in strict.stderr


@pytest.mark.parametrize(
    ("name", "message"),
    [
        ("empty.csv", "error calllog-empty: filen er tom"),
        ("not-csv.xlsx", "error calllog-not-csv: ikke en CSV-fil"),
        ("wrong-columns.csv", "error calllog-column: mangler kolonne"),
    ],
)
def test_unreadable_logs_are_one_line_and_exit_2(runner, name: str, message: str) -> None:
    result = metrics(runner, LOGS / name, "--json")
    assert result.exit_code == 2 and result.stdout == ""
    [line] = result.stderr.strip().splitlines()
    assert message in line and f"{name}:" in line


def test_header_only_cannot_prove_anything(runner) -> None:
    result = metrics(runner, LOGS / "header-only.csv", "--kind", "amk")
    assert result.exit_code == 1
    assert "? AMK-SVAR-01 Anropsloggen har ingen anrop på linje 113; kravet kan ikke avgjøres." in result.stdout


def test_mapping_from_kokom_yaml(runner, tmp_path: Path) -> None:
    root = tmp_path / "ws"
    (root / "requirements").mkdir(parents=True)
    shutil.copy(CORPUS, root / "requirements")
    (root / "kokom.yaml").write_text(
        'edition: "2026.1"\ncall_log:\n  call_id: Samtale\n  line: Kø\n  offered_at: Ringte\n  answered_at: Svarte\n'
        '  ended_at: Avsluttet\n  timestamp_format: "%d.%m.%Y %H:%M:%S"\n  line_names: {Nødnr: "113"}\n',
        encoding="utf-8",
    )
    result = metrics(runner, LOGS / "export-mapped.csv", "--root", root, "--json")
    assert result.exit_code == 1  # 25 % within 10 s
    data = json.loads(result.stdout)
    assert (data["calls"], data["median_answer_seconds"], data["max_wait_seconds"]) == (4, 15.0, 20.0)
    assert {r["id"]: r["met"] for r in data["requirements"]} == {"AMK-SVAR-01": False, "AMK-SVAR-02": True}
    assert (
        "export-mapped.csv:5:0: warning calllog-timestamp: ugyldig tidspunkt: Ringte=29.03.2026 02:30:00"
        in result.stderr
    )


def test_several_files_at_once(runner, tmp_path: Path) -> None:
    jan = write_log(tmp_path, ["J1,113,2026-01-05T10:00:00+01:00,2026-01-05T10:00:03+01:00,"], "jan.csv")
    feb = write_log(tmp_path, ["F1,113,2026-02-05T10:00:00+01:00,2026-02-05T10:00:12+01:00,"], "feb.csv")
    data = json.loads(metrics(runner, jan, feb, "--json").stdout)
    assert (data["calls"], list(data["by_month"]), data["within_threshold_share"]) == (2, ["2026-01", "2026-02"], 0.5)
