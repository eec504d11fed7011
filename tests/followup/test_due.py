"""`kokom due`: actions, waivers, evidence going stale and procedure reviews in one list, and as iCalendar."""

from __future__ import annotations

import datetime as dt
import json
import shutil
from pathlib import Path

import pytest
from conftest import DATA
from icalendar import Calendar

from kokom_cli.assessments.loading import load_assessment
from kokom_cli.cli.main import app
from kokom_cli.core.findings import KokomError
from kokom_cli.followup.due import assessment_items, select
from kokom_cli.requirements.corpus import load_corpus
from kokom_cli.workspace import open_workspace

AS_OF = dt.date(2026, 12, 1)

ASSESSMENT = """\
service: lvs-test
edition: "2026.1"
period: "2026"
assessed_by: Test Testesen, leder
date: 2026-10-01
answers:
  TST-SVAR-01:
    status: not_met
    justification: For treg svartid.
    action: {what: Flere operatører på kveld, responsible: "Kari Nordmann", due: 2026-11-15}
  TST-DOK-01:
    status: met
    justification: Rutine og logg finnes.
    evidence:
      - {file: vedlegg/rutine.txt, date: 2025-01-15, kind: document}
      - {file: vedlegg/logg.txt, date: 2026-09-30, kind: record}
  TST-BOR-01:
    status: partial
    justification: Delvis.
    action: {what: Fast rutine for månedlig gjennomgang, responsible: Ola Hansen, due: 2027-06-01}
waivers:
  - {requirement: TST-BOR-01, justification: Venter på ny telefoni., approved_by: Rådgiver, expires: 2026-12-20}
"""


@pytest.fixture
def ws(tmp_path: Path) -> Path:
    root = tmp_path / "ws"
    shutil.copytree(DATA / "assess" / "ws", root)
    (root / "assessments" / "due.yaml").write_text(ASSESSMENT, encoding="utf-8")
    return root


def _items(ws: Path):
    workspace = open_workspace(ws)
    loaded = load_assessment(ws / "assessments" / "due.yaml", workspace, load_corpus(workspace.requirements_dir))
    return assessment_items(loaded)


def test_every_dated_thing_in_an_assessment_becomes_an_item(ws: Path) -> None:
    items = {(i.kind, i.ref, i.date, i.responsible) for i in _items(ws)}
    assert ("action", "TST-SVAR-01", dt.date(2026, 11, 15), "Kari Nordmann") in items
    assert ("action", "TST-BOR-01", dt.date(2027, 6, 1), "Ola Hansen") in items
    assert ("waiver", "TST-BOR-01", dt.date(2026, 12, 20), "Test Testesen, leder") in items
    # the routine (2025-01-15, may be 24 months old) is stale from 2027-01-15; the log (12 months) from 2027-09-30
    assert ("evidence", "TST-DOK-01", dt.date(2027, 1, 15), "Test Testesen, leder") in items
    assert ("evidence", "TST-DOK-01", dt.date(2027, 9, 30), "Test Testesen, leder") in items
    assert len(items) == 5


def test_select_keeps_what_is_due_soonest_first_and_filters_by_person(ws: Path) -> None:
    chosen = select(_items(ws), AS_OF, within=30)
    assert [(i.kind, i.ref) for i in chosen] == [("action", "TST-SVAR-01"), ("waiver", "TST-BOR-01")]
    assert [i.status(AS_OF) for i in chosen] == ["overdue", "due"]
    # "Test Testesen" matches "Test Testesen, leder": the name before the comma
    mine = select(_items(ws), AS_OF, within=365, owner="test testesen")
    assert {i.kind for i in mine} == {"waiver", "evidence"}


def test_an_owner_nobody_has_is_a_usage_error_with_a_suggestion(ws: Path) -> None:
    with pytest.raises(KokomError) as caught:
        select(_items(ws), AS_OF, within=30, owner="Kari Nordman")
    assert caught.value.findings[0].code == "usage" and "Kari Nordmann" in caught.value.findings[0].message


def test_uids_are_stable_when_the_wording_changes(ws: Path) -> None:
    before = {(i.kind, i.ref, i.detail): i.uid for i in _items(ws)}
    path = ws / "assessments" / "due.yaml"
    path.write_text(path.read_text().replace("Flere operatører på kveld", "To operatører til"), encoding="utf-8")
    after = {(i.kind, i.ref, i.detail): i.uid for i in _items(ws)}
    assert before == after and len(set(after.values())) == len(after)


def test_cli_groups_by_service_exits_1_when_overdue_and_writes_a_calendar(runner, ws: Path, tmp_path: Path) -> None:
    ics = tmp_path / "frister.ics"
    result = runner.invoke(
        app,
        [
            "due",
            str(ws / "assessments" / "due.yaml"),
            "--root",
            str(ws),
            "--as-of",
            AS_OF.isoformat(),
            "--within",
            "60",
            "--ics",
            str(ics),
            "--json",
        ],
    )
    assert result.exit_code == 1, result.output
    data = json.loads(result.stdout)
    [group] = data["groups"]
    assert group["service"] == "lvs-test" and group["name"] == "Testby legevaktsentral"
    assert [(i["kind"], i["ref"], i["days_left"], i["status"]) for i in group["items"]] == [
        ("action", "TST-SVAR-01", -16, "overdue"),
        ("waiver", "TST-BOR-01", 19, "due"),
        ("evidence", "TST-DOK-01", 45, "due"),
    ]
    calendar = Calendar.from_ical(ics.read_bytes())
    events = calendar.walk("VEVENT")
    assert [e.decoded("dtstart") for e in events] == [
        dt.date(2026, 11, 15),
        dt.date(2026, 12, 20),
        dt.date(2027, 1, 15),
    ]
    assert all(e.decoded("dtend") - e.decoded("dtstart") == dt.timedelta(days=1) for e in events)  # all-day
    assert "Kari Nordmann" in str(events[0]["description"]) and "attendee" not in events[0]
    assert len({str(e["uid"]) for e in events}) == 3


def test_a_re_export_keeps_the_uids(runner, ws: Path, tmp_path: Path) -> None:
    ics = tmp_path / "frister.ics"
    args = ["due", str(ws), "--root", str(ws), "--as-of", AS_OF.isoformat(), "--within", "400", "--ics", str(ics)]
    assert runner.invoke(app, args).exit_code == 1
    first = [str(e["uid"]) for e in Calendar.from_ical(ics.read_bytes()).walk("VEVENT")]
    assert runner.invoke(app, args).exit_code == 2  # the file exists: --force to replace it
    assert runner.invoke(app, [*args, "--force"]).exit_code == 1
    assert [str(e["uid"]) for e in Calendar.from_ical(ics.read_bytes()).walk("VEVENT")] == first


def test_an_ics_path_that_is_a_symlink_is_refused_and_nothing_is_written(runner, ws: Path, tmp_path: Path) -> None:
    target = tmp_path / "elsewhere.txt"
    target.write_text("untouched")
    link = ws / "frister.ics"
    link.symlink_to(target)
    result = runner.invoke(
        app, ["due", str(ws), "--root", str(ws), "--as-of", AS_OF.isoformat(), "--ics", str(link), "--force"]
    )
    assert result.exit_code == 2 and "output-symlink" in result.stderr
    assert target.read_text() == "untouched"


def test_an_action_due_before_the_assessment_is_one_positioned_line(runner, ws: Path) -> None:
    path = ws / "assessments" / "due.yaml"
    path.write_text(path.read_text().replace("due: 2027-06-01", "due: 2026-06-01"), encoding="utf-8")
    result = runner.invoke(app, ["due", str(path), "--root", str(ws), "--as-of", AS_OF.isoformat()])
    assert result.exit_code == 1
    [line] = [x for x in result.stderr.splitlines() if "action-due-before-assessment" in x]
    assert line.startswith(f"{path}:") or "due.yaml:" in line
    assert ":0:0:" not in line


def test_one_broken_file_is_listed_and_the_rest_still_counts(runner, ws: Path) -> None:
    (ws / "assessments" / "broken.yaml").write_text("service: lvs-test\nanswers: [\n", encoding="utf-8")
    result = runner.invoke(app, ["due", str(ws), "--root", str(ws), "--as-of", AS_OF.isoformat(), "--json"])
    assert result.exit_code == 1
    data = json.loads(result.stdout)
    assert any(p["path"].endswith("broken.yaml") for p in data["problems"])
    assert any(i["ref"] == "TST-SVAR-01" for g in data["groups"] for i in g["items"])


def test_procedure_reviews_of_the_built_in_books(runner) -> None:
    result = runner.invoke(app, ["due", "--as-of", "2030-01-01", "--within", "0", "--json"])
    data = json.loads(result.stdout)
    [group] = data["groups"]
    assert group["service"] is None and all(i["kind"] == "review" for i in group["items"])
    assert result.exit_code == 1 and all(i["status"] == "overdue" for i in group["items"])
