"""Competence: the staff register against the catalogue (core and `kokom competence check`), bad input, and
the register's verdict in `kokom assess check`."""

from __future__ import annotations

import datetime as dt
import json
import shutil
from pathlib import Path

import pytest
from conftest import EXAMPLES

from kokom_cli.cli.main import app
from kokom_cli.competence.check import check_register
from kokom_cli.competence.loading import CATALOGUE_FILE, read_catalogue, read_register
from kokom_cli.core.findings import KokomError
from kokom_cli.workspace import builtin_dir

AS_OF = "2026-12-01"
HEAD = "service: lvs-test\npeople:\n"


def catalogue():
    return read_catalogue(builtin_dir("competence") / CATALOGUE_FILE)


def write(tmp_path: Path, body: str, name: str = "personale.yaml") -> Path:
    path = tmp_path / name
    path.write_text(HEAD + body, encoding="utf-8")
    return path


PLIVO = "      - {course: plivo, date: 2020-02-01}\n"


def operator(pid: str, *, start="2020-01-01", courses="", extra="") -> str:
    courses = courses or PLIVO
    return (
        f"  - id: {pid}\n    role: lvs-operator\n    start: {start}\n    education: [bachelor-helse]\n"
        f"    clinical_practice: true\n{extra}    courses:\n{courses}"
    )


FULL = (
    "      - {course: operatoropplaering, date: 2020-02-01}\n"
    "      - {course: nodnett-elaering, date: 2020-01-02}\n"
    "      - {course: nodnett-lvs, date: 2020-01-03}\n"
)


def check(path: Path, within: int = 0):
    cat = catalogue()
    register, _ = read_register(path, cat, as_of=dt.date(2026, 12, 1))
    levels = {"LVS-KOMP-01": "skal", "ALL-NODNETT-01": "skal", "ALL-OPPL-02": "bør", "LV-LEGE-03": "skal"}
    report = check_register(register, cat, levels, as_of=dt.date(2026, 12, 1), within=within)
    return {r.rule.id: r for r in report.rules}, report


def reasons(rule) -> dict[str, list[str]]:
    return {p.person.id: [code for code, _ in p.reasons] for p in rule.people}


def test_course_education_practice_and_expiry(tmp_path: Path) -> None:
    body = (
        operator("A", courses=FULL + "      - {course: samtrening, date: 2026-01-10}\n")
        + operator(
            "B", courses="      - {course: samtrening, date: 2025-11-01}\n", extra="    clinical_practice: false\n"
        )
    ).replace("    clinical_practice: true\n    clinical_practice: false\n", "    clinical_practice: false\n")
    rules, report = check(write(tmp_path, body), within=60)
    komp = rules["lvs-operator-kompetanse"]
    assert (komp.met, komp.not_met, komp.state) == (1, 1, "partial")
    assert reasons(komp)["B"] == ["course-missing", "clinical-practice-missing"]
    samtrening = rules["samtrening-arlig"]
    assert reasons(samtrening) == {"A": [], "B": ["course-expired"]}
    assert [p.person.id for p in samtrening.expiring] == ["A"]  # runs out 2027-01-10, within 60 days
    assert samtrening.expiring[0].expires == dt.date(2027, 1, 10)
    assert not report.passed


def test_no_refresher_interval_unless_the_catalogue_has_one() -> None:
    cat = catalogue()
    assert {c.id for c in cat.catalogue.courses if c.valid_months} == {"samtrening"}


DOCTOR = "  - id: {id}\n    role: {role}\n    start: 2021-01-01\n{extra}    courses: []\n"


def test_doctor_alone_experience_and_backup(tmp_path: Path) -> None:
    people = [
        ("SPES", "bakvakt", "    specialist_general_practice: true\n"),
        ("OK", "lege-i-vakt", "    clinical_months: 30\n    legevakt_shifts: 40\n"),
        ("GP", "lege-i-vakt", "    clinical_months: 31\n    gp_months: 12\n"),
        ("NEW", "lege-i-vakt", "    clinical_months: 12\n    backup: SPES\n"),
        ("ALONE", "lege-i-vakt", "    clinical_months: 29\n    legevakt_shifts: 39\n    gp_months: 11\n"),
        ("GHOST", "lege-i-vakt", "    clinical_months: 2\n    backup: NOBODY\n"),
        ("WEAK", "lege-i-vakt", "    clinical_months: 2\n    backup: ALONE\n"),
    ]
    body = "".join(DOCTOR.format(id=i, role=r, extra=e) for i, r, e in people)
    rules, _ = check(write(tmp_path, body))
    assert reasons(rules["lege-alene-kompetanse"]) == {
        "SPES": [],
        "OK": [],
        "GP": [],
        "ALONE": ["clinical-months-short"],
    }
    assert reasons(rules["lege-alene-erfaring"])["ALONE"] == ["shifts-short"]
    assert reasons(rules["bakvakt-ordnet"]) == {
        "NEW": [],
        "ALONE": ["backup-missing"],
        "GHOST": ["backup-unknown"],
        "WEAK": ["backup-unqualified"],
    }


def test_rule_not_in_force_before_its_date(tmp_path: Path) -> None:
    cat = catalogue()
    body = operator("A", start="2017-01-01", courses="      - {course: plivo, date: 2017-02-01}\n")
    register, _ = read_register(write(tmp_path, body), cat, as_of=dt.date(2018, 1, 1))
    report = check_register(register, cat, {}, as_of=dt.date(2018, 1, 1))
    assert {r.rule.id: r.state for r in report.rules}["lvs-operator-kompetanse"] == "not_in_force"


# ── bad input: each one positioned line ──

BAD = {
    "two-roles-list": (
        "  - id: A\n    role: [lvs-operator, legevakt-personell]\n    start: 2020-01-01\n",
        "personale.yaml:4:11: error person-two-roles:",
    ),
    "two-roles-twice": (
        operator("A") + "  - id: A\n    role: legevakt-personell\n    start: 2020-01-01\n",
        "personale.yaml:11:11: error person-two-roles:",
    ),
    "duplicate": (
        operator("A") + operator("a"),
        "personale.yaml:10:9: error person-duplicate: a står allerede i registeret (linje 3)",
    ),
    "future": (
        operator("A", courses="      - {course: plivo, date: 2027-01-05}\n"),
        "personale.yaml:9:31: error course-date-future:",
    ),
    "unknown-role": (
        "  - id: A\n    role: lvs-operatør\n    start: 2020-01-01\n",
        "personale.yaml:4:11: error unknown-role: ukjent rolle 'lvs-operatør'; mente du 'lvs-operator'?",
    ),
    "unknown-course": (
        operator("A", courses="      - {course: nodnet-lvs, date: 2020-01-05}\n"),
        "personale.yaml:9:18: error unknown-course: ukjent kurs 'nodnet-lvs'; mente du 'nodnett-lvs'?",
    ),
}


@pytest.mark.parametrize("case", sorted(BAD))
def test_bad_register_is_one_positioned_line_and_exit_2(runner, tmp_path: Path, monkeypatch, case: str) -> None:
    body, expected = BAD[case]
    write(tmp_path, body)
    monkeypatch.chdir(tmp_path)
    result = runner.invoke(app, ["competence", "check", "personale.yaml", "--as-of", AS_OF])
    assert result.exit_code == 2, result.output
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1 and lines[0].startswith(expected), lines


def test_course_before_start_is_a_warning(runner, tmp_path: Path, monkeypatch) -> None:
    write(tmp_path, operator("A", start="2021-01-01", courses="      - {course: plivo, date: 2019-05-01}\n"))
    monkeypatch.chdir(tmp_path)
    result = runner.invoke(app, ["competence", "check", "personale.yaml", "--as-of", AS_OF])
    assert result.exit_code == 1  # runs: the operator lacks the skal courses
    assert result.stderr.startswith("personale.yaml:9:31: warning course-before-start:")


def test_register_for_another_service(runner, tmp_path: Path) -> None:
    folder = tmp_path / "lvs-fjordby"
    shutil.copytree(EXAMPLES / "lvs-fjordby", folder)
    register = folder / "assessments" / "personale" / "lvs-fjordby.yaml"
    register.write_text(register.read_text().replace("service: lvs-fjordby", "service: lvs-storby"))
    result = runner.invoke(app, ["competence", "check", str(folder / "services" / "lvs-fjordby.yaml")])
    assert result.exit_code == 2
    assert "lvs-fjordby.yaml:4:10: error register-service-mismatch:" in result.stderr
    assert sum(" error " in line for line in result.stderr.splitlines()) == 1


# ── the command on the examples ──


@pytest.mark.parametrize("service", ["lvs-fjordby", "lvs-storby", "amk-nordvik"])
def test_examples_json_counts_only_without_names(runner, service: str) -> None:
    target = EXAMPLES / service / "services" / f"{service}.yaml"
    result = runner.invoke(app, ["competence", "check", str(target), "--as-of", AS_OF, "--json"])
    assert result.exit_code == 1  # each example has a skal rule someone does not meet
    data = json.loads(result.stdout)
    register = (EXAMPLES / service / "assessments" / "personale" / f"{service}.yaml").read_text()
    pids = [line.split(": ", 1)[1] for line in register.splitlines() if line.startswith("  - id: ")]
    names = [line.split(": ", 1)[1] for line in register.splitlines() if line.startswith("    name: ")]
    assert not any(text in result.stdout for text in pids + names)
    assert data["people"] == len(pids) and data["names"] is False
    named = runner.invoke(app, ["competence", "check", str(target), "--as-of", AS_OF, "--json", "--names"])
    assert names[0] in named.stdout and pids[0] in named.stdout


def test_fjordby_text_shows_who_and_why(runner) -> None:
    target = EXAMPLES / "lvs-fjordby" / "assessments" / "personale" / "lvs-fjordby.yaml"
    result = runner.invoke(app, ["competence", "check", str(target), "--as-of", AS_OF, "--within", "200"])
    out = result.stdout
    assert "FJ-14 (lege-i-vakt): fyller ikke kravene for å ha vakt alene, og har ingen bakvakt" in out
    assert "FJ-05 (lvs-operator): mangler utdanning" in out
    assert "gikk ut 2026-05-06" in out and "går ut 2027-05-12" in out
    assert "Kari" not in out  # names only with --names


# ── assess check ──


def assess(runner, path: Path):
    result = runner.invoke(app, ["assess", "check", str(path), "--as-of", AS_OF, "--json"])
    return result, {r["id"]: r for r in json.loads(result.stdout)["results"]} if result.stdout else {}


def test_assess_check_examples_decided_by_the_register(runner) -> None:
    _, fjordby = assess(runner, EXAMPLES / "lvs-fjordby" / "assessments" / "lvs-fjordby-2026.yaml")
    assert fjordby["LVS-KOMP-01"]["outcome"] == "contradicted"
    assert "measured-contradicts" in fjordby["LVS-KOMP-01"]["reasons"]
    assert fjordby["ALL-NODNETT-01"]["outcome"] == "met"
    result, storby = assess(runner, EXAMPLES / "lvs-storby" / "assessments" / "lvs-storby-2026.yaml")
    assert result.exit_code == 0  # partial, but waived
    assert storby["LVS-KOMP-01"]["outcome"] == "partial"
    assert "29 av 32 (90,6\u00a0%)" in storby["LVS-KOMP-01"]["details"][0]["message"]
    _, nordvik = assess(runner, EXAMPLES / "amk-nordvik" / "assessments" / "amk-nordvik-2026.yaml")
    assert nordvik["AMK-PLIVO-02"]["outcome"] == "partial"  # answered not_met; 24 of 31 have it


def _storby(tmp_path: Path) -> Path:
    shutil.copytree(EXAMPLES / "lvs-storby", tmp_path / "lvs-storby")
    return tmp_path / "lvs-storby" / "assessments"


def test_unreadable_register_is_not_measured_never_met(runner, tmp_path: Path) -> None:
    folder = _storby(tmp_path)
    (folder / "personale" / "lvs-storby.yaml").write_text("service: lvs-storby\npeople: [\n")
    result, results = assess(runner, folder / "lvs-storby-2026.yaml")
    assert result.exit_code == 1
    for req_id in ("LVS-KOMP-01", "ALL-NODNETT-01", "ALL-OPPL-02"):
        assert results[req_id]["outcome"] == "unanswered"
        assert results[req_id]["reasons"][0] == "register-unreadable"


def test_register_nobody_meets_is_not_met(runner, tmp_path: Path) -> None:
    folder = _storby(tmp_path)
    register = folder / "personale" / "lvs-storby.yaml"
    register.write_text(register.read_text().replace("course: samtrening", "course: plivo"))
    assessment = folder / "lvs-storby-2026.yaml"
    assessment.write_text(
        assessment.read_text().replace("  ALL-OPPL-02:\n    status: met", "  ALL-OPPL-02:\n    status: partial")
    )
    _, results = assess(runner, assessment)
    assert results["ALL-OPPL-02"]["outcome"] == "not_met"


def test_register_outside_the_folder_is_refused(runner, tmp_path: Path) -> None:
    folder = _storby(tmp_path)
    assessment = folder / "lvs-storby-2026.yaml"
    assessment.write_text(assessment.read_text().replace("staff_register: personale/", "staff_register: ../"))
    result = runner.invoke(app, ["assess", "check", str(assessment), "--as-of", AS_OF])
    assert result.exit_code == 2 and "error path-outside:" in result.stderr


# ── the catalogue in kokom validate ──


def test_validate_checks_a_workspace_catalogue(runner, make_workspace) -> None:
    root = make_workspace()
    (root / "competence").mkdir()
    text = (builtin_dir("competence") / CATALOGUE_FILE).read_text().replace("courses: [plivo]", "courses: [plivoo]")
    (root / "competence" / CATALOGUE_FILE).write_text(text)
    result = runner.invoke(app, ["validate", "--root", str(root), "--no-cache"])
    assert result.exit_code == 1
    assert "unknown-course: ukjent kurs 'plivoo'; mente du 'plivo'?" in result.stdout
    assert "unknown-id: ukjent krav-id 'LVS-KOMP-01'" in result.stdout  # the test corpus has none of them


def test_builtin_catalogue_is_clean() -> None:
    assert catalogue().findings == []


def test_read_register_raises_with_every_problem(tmp_path: Path) -> None:
    body = operator("A", courses="      - {course: plivo, date: 2027-01-05}\n") + operator("A")
    with pytest.raises(KokomError) as exc:
        read_register(write(tmp_path, body), catalogue(), as_of=dt.date(2026, 12, 1))
    assert [f.code for f in exc.value.findings] == ["course-date-future", "person-duplicate"]


# ── the recipes in examples/README.md for the outcomes the examples do not show ──


def test_readme_recipe_not_met(runner, tmp_path: Path) -> None:
    folder = tmp_path / "nordvik"
    shutil.copytree(EXAMPLES / "amk-nordvik", folder)
    register = folder / "assessments" / "personale" / "amk-nordvik.yaml"
    register.write_text("".join(line for line in register.read_text().splitlines(True) if "course: plivo" not in line))
    result = runner.invoke(
        app, ["assess", "check", str(folder / "assessments" / "amk-nordvik-2026.yaml"), "--as-of", AS_OF, "--json"]
    )
    plivo = next(r for r in json.loads(result.stdout)["results"] if r["id"] == "AMK-PLIVO-02")
    assert plivo["outcome"] == "not_met" and "measured" in plivo["reasons"]


def test_readme_recipe_unreadable(runner, tmp_path: Path) -> None:
    folder = tmp_path / "storby"
    shutil.copytree(EXAMPLES / "lvs-storby", folder)
    register = folder / "assessments" / "personale" / "lvs-storby.yaml"
    register.write_text(register.read_text() + "people: [\n")
    path = str(folder / "assessments" / "lvs-storby-2026.yaml")
    result = runner.invoke(app, ["assess", "check", path, "--as-of", AS_OF, "--json"])
    assert result.exit_code == 1
    komp = next(r for r in json.loads(result.stdout)["results"] if r["id"] == "LVS-KOMP-01")
    assert komp["outcome"] == "unanswered" and "register-unreadable" in komp["reasons"]
    clean = runner.invoke(
        app, ["assess", "check", str(EXAMPLES / "lvs-storby/assessments/lvs-storby-2026.yaml"), "--as-of", AS_OF]
    )
    assert clean.exit_code == 0  # the README's first command depends on it
