"""End to end as two parties with two folders and no shared files: the centre and a local service.

The centre releases editions as git tags; the service builds its workspace on a
tag, adds its service and a mapped call log, assesses, and later migrates.
"""

from __future__ import annotations

import json
from pathlib import Path

from test_national import git, make_centre

from kokom_cli.cli.main import app

MAPPING = """\
call_log:
  call_id: Samtale
  line: Kø
  offered_at: Tilbudt
  answered_at: Besvart
  ended_at: null
  line_names: {"Legevakt": "116117"}
"""


def run(runner, cwd: Path, monkeypatch, *args: str):
    monkeypatch.chdir(cwd)
    return runner.invoke(app, list(args))


def test_centre_and_service_from_release_to_migration(runner, tmp_path: Path, monkeypatch) -> None:
    centre = make_centre(tmp_path / "sentralen")
    service = tmp_path / "fjordby"
    made = runner.invoke(app, ["init", str(service), "--edition", f"{centre}@edition-2026.1", "--prefix", "FJORD"])
    assert made.exit_code == 0, made.output
    with (service / "kokom.yaml").open("a", encoding="utf-8") as config:
        config.write(MAPPING)
    args = ["--id", "lvs-fjordby", "--name", "Fjordby LVS", "--kind", "legevaktsentral", "--line", "116117"]
    assert run(runner, service, monkeypatch, "service", "new", *args).exit_code == 0
    (service / "assessments" / "logg.csv").write_text(
        "Samtale,Kø,Tilbudt,Besvart\n"
        "1,Legevakt,2026-03-01T10:00:00+01:00,2026-03-01T10:00:20+01:00\n"
        "2,Legevakt,2026-03-01T11:00:00+01:00,2026-03-01T11:00:30+01:00\n",
        encoding="utf-8",
    )
    measured = run(runner, service, monkeypatch, "metrics", "assessments/logg.csv", "--json")
    assert measured.exit_code in (0, 1), measured.output
    assert json.loads(measured.stdout)["calls"] == 2
    new = run(
        runner, service, monkeypatch, "assess", "new", "services/lvs-fjordby.yaml", "-o", "assessments/a-2026.yaml"
    )
    assert new.exit_code == 0, new.output
    checked = run(runner, service, monkeypatch, "assess", "check", "assessments/a-2026.yaml", "--json")
    assert checked.exit_code in (0, 1), checked.output
    assert json.loads(checked.stdout)["edition"] == "2026.1"

    # The centre releases 2027.1.
    (centre / "kokom.yaml").write_text('edition: "2027.1"\n', encoding="utf-8")
    git(centre, "commit", "-qam", "edition 2027.1")
    git(centre, "tag", "edition-2027.1")

    elsewhere = tmp_path / "elsewhere"
    elsewhere.mkdir()
    migrated = run(
        runner,
        elsewhere,
        monkeypatch,
        "assess",
        "migrate",
        str(service / "assessments" / "a-2026.yaml"),
        "--to",
        "2027.1",
        "-o",
        str(service / "assessments" / "a-2027.yaml"),
    )
    assert migrated.exit_code == 0, migrated.output
    assert "edition-2027.1" in migrated.output  # tells the service to move kokom.yaml on
    stale = run(runner, service, monkeypatch, "assess", "check", "assessments/a-2027.yaml")
    assert stale.exit_code == 2 and "national:" in stale.stderr and "edition-2027.1" in stale.stderr
    text = (service / "kokom.yaml").read_text(encoding="utf-8")
    (service / "kokom.yaml").write_text(text.replace("edition-2026.1", "edition-2027.1"), encoding="utf-8")
    again = run(runner, service, monkeypatch, "assess", "check", "assessments/a-2027.yaml", "--json")
    assert again.exit_code in (0, 1), again.output
    assert json.loads(again.stdout)["edition"] == "2027.1"
    old = run(runner, service, monkeypatch, "assess", "check", "assessments/a-2026.yaml")
    assert old.exit_code == 2 and "kokom assess migrate" in old.stderr
    assert run(runner, service, monkeypatch, "validate").exit_code == 0


def test_a_kokom_yaml_naming_a_missing_edition_is_one_line_and_exit_2(runner, tmp_path: Path, monkeypatch) -> None:
    make_centre(tmp_path / "sentralen")
    service = tmp_path / "fjordby"
    service.mkdir()
    (service / "kokom.yaml").write_text("national: {git: ../sentralen, rev: edition-2099.1}\n", encoding="utf-8")
    for command in (["validate"], ["assess", "check", "x.yaml"], ["requirements", "list"]):
        result = run(runner, service, monkeypatch, *command)
        assert result.exit_code == 2, (command, result.output)
        lines = [line for line in result.stderr.splitlines() if line.strip()]
        assert len(lines) == 1 and "edition-2099.1" in lines[0], lines
