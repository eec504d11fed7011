"""`kokom assess migrate`: answers kept, reset, renamed, dropped and added by the classified diff."""

from __future__ import annotations

import copy
import json
from pathlib import Path

import pytest
import yaml
from conftest import git

from kokom_cli.cli.main import app
from kokom_cli.yaml.reader import load_yaml


def requirement(req_id: str, level: str = "skal", kinds=("legevaktsentral",), **extra) -> dict:
    return {
        "id": req_id,
        "title": f"Krav {req_id}",
        "text": f"Teksten til {req_id}.",
        "level": level,
        "applies_to": list(kinds),
        "source": [{"title": "Forskriften"}],
        "verification": "document",
        "since": "2026.1",
        **extra,
    }


METRIC = {"indicator": "answered_within", "lines": ["116117"], "threshold_seconds": 120, "required_share": 0.8}
OLD = [
    requirement("TST-SVAR-01", verification="metric", metric=METRIC),
    requirement("TST-DOK-01"),
    requirement("TST-DOK-02", "bør"),
    requirement("TST-OLD-01"),
    requirement("TST-REN-01"),
    requirement("TST-BRED-01", kinds=("amk",)),
    requirement("TST-NAR-01", "bør"),
    requirement("TST-VER-01"),
]


def new_edition() -> list[dict]:
    reqs = copy.deepcopy(OLD)
    by_id = {r["id"]: r for r in reqs}
    by_id["TST-SVAR-01"]["metric"]["threshold_seconds"] = 90
    by_id["TST-DOK-01"]["text"] = "Ny ordlyd for TST-DOK-01."
    reqs.remove(by_id["TST-OLD-01"])
    by_id["TST-REN-01"]["status"] = "retired"
    reqs.append(requirement("TST-REN-02", replaces=["TST-REN-01"]))
    by_id["TST-BRED-01"]["applies_to"] = ["amk", "legevaktsentral"]
    by_id["TST-NAR-01"]["applies_to"] = ["amk"]
    by_id["TST-VER-01"]["text"] = "Gjelder nå hele døgnet."
    by_id["TST-VER-01"]["change_note"] = {"class": "tightening", "text": "Gjelder nå hele døgnet."}
    reqs.append(requirement("TST-NEW-01", since="2027.1"))
    return reqs


ASSESSMENT = """\
# Egenvurdering for testsentralen
service: lvs-test
edition: "2026.1"
period: "2026"
date: 2026-10-01
waivers:
  - {requirement: TST-OLD-01, justification: Ombygging., approved_by: Rådgiver, expires: 2027-06-01}
answers:
  TST-SVAR-01:
    status: not_met
    justification: 71 % innen 2 minutter.
    measured: {calls: 100, share: 0.71}
  # dokumentasjon
  TST-DOK-01:
    status: met  # rutinen er vedtatt
    justification: Rutinen er vedtatt.
  TST-DOK-02:
    status: partial
    justification: Delvis.
  TST-OLD-01:
    status: met
    justification: Ja.
  TST-REN-01:
    status: met
    justification: Omdøpes.
  TST-NAR-01:
    status: met
    justification: Smalere.
  TST-VER-01:
    status: met
    justification: Dagtid.
    verification: {status: met, by: Rådgiver, date: 2026-11-01}
"""


def write_workspace(root: Path, requirements: list[dict], edition: str) -> Path:
    (root / "requirements").mkdir(parents=True, exist_ok=True)
    (root / "kokom.yaml").write_text(f'edition: "{edition}"\n')
    chapter = {"chapter": "test", "title": "Test", "order": 1, "requirements": requirements}
    (root / "requirements/01-test.yaml").write_text(yaml.safe_dump(chapter, allow_unicode=True, sort_keys=False))
    return root


@pytest.fixture
def ws(tmp_path: Path) -> Path:
    root = write_workspace(tmp_path / "ws", new_edition(), "2027.1")
    write_workspace(tmp_path / "old", OLD, "2026.1")
    (root / "services").mkdir()
    (root / "services/lvs-test.yaml").write_text("id: lvs-test\nname: Testsentralen\nkind: legevaktsentral\n")
    (root / "assessments").mkdir()
    (root / "assessments/lvs-test-2026.yaml").write_text(ASSESSMENT)
    return root


def migrate(runner, ws: Path, *args: str):
    return runner.invoke(
        app,
        [
            "assess",
            "migrate",
            str(ws / "assessments/lvs-test-2026.yaml"),
            "--to",
            "2027.1",
            "--from",
            str(ws.parent / "old"),
            "--root",
            str(ws),
            *args,
        ],
    )


def test_migrate_keeps_resets_renames_drops_and_adds(runner, ws: Path) -> None:
    out = ws / "assessments/lvs-test-2027.yaml"
    result = migrate(runner, ws, "-o", str(out))
    assert result.exit_code == 0, result.output
    data = load_yaml(out).data
    answers = data["answers"]
    assert data["edition"] == "2027.1"
    # a renamed answer keeps its place; new ones go after the answer before them in the edition's order
    assert list(answers) == [
        "TST-SVAR-01",
        "TST-DOK-01",
        "TST-DOK-02",
        "TST-BRED-01",
        "TST-REN-02",
        "TST-NEW-01",
        "TST-VER-01",
    ]
    # kept: unchanged and editorial
    assert answers["TST-DOK-01"] == {"status": "met", "justification": "Rutinen er vedtatt."}
    assert answers["TST-DOK-02"] == {"status": "partial", "justification": "Delvis."}
    assert answers["TST-REN-02"] == {"status": "met", "justification": "Omdøpes."}
    # reset: tightened threshold, and a text change the editor classed as tightening
    assert answers["TST-SVAR-01"]["status"] is None and answers["TST-SVAR-01"]["measured"] == {
        "calls": 100,
        "share": 0.71,
    }
    assert answers["TST-SVAR-01"]["justification"] == "Tidligere svar (utgave 2026.1): not_met. 71 % innen 2 minutter."
    assert answers["TST-VER-01"] == {"status": None, "justification": "Tidligere svar (utgave 2026.1): met. Dagtid."}
    # added, unanswered
    assert answers["TST-NEW-01"] == {"status": None, "justification": None, "evidence": []}
    assert answers["TST-BRED-01"]["status"] is None
    # the waiver of the removed requirement went with it
    assert "waivers" not in data
    text = out.read_text()
    assert text.startswith("# Egenvurdering for testsentralen\n")
    assert "  # dokumentasjon\n  TST-DOK-01:\n    status: met  # rutinen er vedtatt\n" in text
    assert "  # Vurder på nytt (utgave 2027.1): skjerping: terskel i sekunder: 120 → 90\n  TST-SVAR-01:" in text
    report = result.stdout
    assert "Beholdt: 3 svar (2 med redaksjonelle endringer: TST-DOK-01, TST-REN-02)" in report
    assert "TST-SVAR-01: skjerping: terskel i sekunder: 120 → 90 (var: not_met)" in report
    assert "TST-VER-01: skjerping: Gjelder nå hele døgnet. (var: met)" in report
    assert "Omdøpt: TST-REN-01 → TST-REN-02" in report
    assert "TST-OLD-01: kravet er fjernet" in report and "TST-NAR-01: gjelder amk, ikke legevaktsentral" in report
    assert "Nye krav, ubesvart (2): TST-BRED-01, TST-NEW-01" in report
    check = runner.invoke(app, ["assess", "check", str(out), "--root", str(ws), "--json"])
    assert check.exit_code == 1, check.output  # unanswered skal requirements: problems found, but readable
    outcomes = {r["id"]: r["outcome"] for r in json.loads(check.stdout)["results"]}
    assert outcomes["TST-VER-01"] == "unanswered" and outcomes["TST-DOK-01"] == "met"


def test_json_report_and_stdout_mode(runner, ws: Path) -> None:
    out = ws / "assessments/ny.yaml"
    result = migrate(runner, ws, "-o", str(out), "--json")
    assert result.exit_code == 0, result.output
    data = json.loads(result.stdout)
    assert data["from"] == "2026.1" and data["to"] == "2027.1" and data["output"] == str(out)
    assert [r["id"] for r in data["reset"]] == ["TST-SVAR-01", "TST-VER-01"]
    assert data["renamed"] == [{"old": "TST-REN-01", "new": "TST-REN-02"}]
    assert {d["id"] for d in data["dropped"]} == {"TST-OLD-01", "TST-NAR-01"}
    assert data["added"] == ["TST-BRED-01", "TST-NEW-01"]
    plain = migrate(runner, ws)
    assert plain.exit_code == 0 and plain.stdout == out.read_text()
    assert "ført over fra utgave 2026.1 til 2027.1" in plain.stderr


@pytest.mark.parametrize(
    "args, words",
    [
        (["-o", "ASSESSMENT"], "finnes allerede"),
        (["-o", "ELSEWHERE"], "samme mappe"),
        (["--json"], "-o"),
    ],
)
def test_bad_output_options_are_refused(runner, ws: Path, args, words) -> None:
    args = [
        a.replace("ASSESSMENT", str(ws / "assessments/lvs-test-2026.yaml")).replace("ELSEWHERE", str(ws / "ny.yaml"))
        for a in args
    ]
    result = migrate(runner, ws, *args)
    assert result.exit_code == 2 and words in result.stderr and len(result.stderr.splitlines()) == 1
    assert sorted(p.name for p in (ws / "assessments").iterdir()) == ["lvs-test-2026.yaml"]


def test_unknown_editions_are_one_clear_line(runner, ws: Path, tmp_path: Path) -> None:
    path = str(ws / "assessments/lvs-test-2026.yaml")
    no_tag = runner.invoke(app, ["assess", "migrate", path, "--to", "2027.1", "--root", str(ws)])
    assert no_tag.exit_code == 2 and "edition-2026.1" in no_tag.stderr and "--from" in no_tag.stderr
    assert len(no_tag.stderr.splitlines()) == 1
    same = runner.invoke(
        app,
        ["assess", "migrate", path, "--to", str(tmp_path / "old"), "--from", str(tmp_path / "old"), "--root", str(ws)],
    )
    assert same.exit_code == 2 and "allerede for utgave 2026.1" in same.stderr


def test_the_old_edition_comes_from_its_release_tag(runner, ws: Path) -> None:
    write_workspace(ws, OLD, "2026.1")
    git(ws, "init", "-q")
    git(ws, "add", ".")
    git(ws, "commit", "-q", "-m", "2026.1")
    git(ws, "tag", "edition-2026.1")
    write_workspace(ws, new_edition(), "2027.1")
    out = ws / "assessments/lvs-test-2027.yaml"
    result = runner.invoke(
        app,
        [
            "assess",
            "migrate",
            str(ws / "assessments/lvs-test-2026.yaml"),
            "--to",
            "2027.1",
            "-o",
            str(out),
            "--root",
            str(ws),
            "--json",
        ],
    )
    assert result.exit_code == 0, result.output
    assert json.loads(result.stdout)["added"] == ["TST-BRED-01", "TST-NEW-01"]
    assert load_yaml(out).data["edition"] == "2027.1"


def test_a_relaxed_requirement_keeps_a_met_answer_and_resets_the_others(runner, tmp_path: Path) -> None:
    evidence = [{"kind": "document", "description": "Rutinen.", "max_age_months": 12}]
    old = [requirement("TST-LEMP-01", evidence=evidence), requirement("TST-LEMP-02", evidence=evidence)]
    new = copy.deepcopy(old)
    for req in new:
        req["evidence"][0]["max_age_months"] = 24
    write_workspace(tmp_path / "old", old, "2026.1")
    root = write_workspace(tmp_path / "ws", new, "2027.1")
    (root / "services").mkdir()
    (root / "services/lvs-test.yaml").write_text("id: lvs-test\nname: Testsentralen\nkind: legevaktsentral\n")
    (root / "assessments").mkdir()
    (root / "assessments/a.yaml").write_text(
        'service: lvs-test\nedition: "2026.1"\nperiod: "2026"\ndate: 2026-10-01\nanswers:\n'
        "  TST-LEMP-01: {status: met, justification: Ja.}\n  TST-LEMP-02: {status: not_met, justification: Nei.}\n"
    )
    result = runner.invoke(
        app,
        [
            "assess",
            "migrate",
            str(root / "assessments/a.yaml"),
            "--to",
            "2027.1",
            "--from",
            str(tmp_path / "old"),
            "-o",
            str(root / "assessments/b.yaml"),
            "--root",
            str(root),
            "--json",
        ],
    )
    assert result.exit_code == 0, result.output
    data = json.loads(result.stdout)
    assert data["kept_relaxed"] == ["TST-LEMP-01"] and [r["id"] for r in data["reset"]] == ["TST-LEMP-02"]
    answers = load_yaml(root / "assessments/b.yaml").data["answers"]
    assert answers["TST-LEMP-01"] == {"status": "met", "justification": "Ja."}
    assert answers["TST-LEMP-02"]["status"] is None
