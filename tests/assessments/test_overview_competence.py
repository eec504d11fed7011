"""Competence coverage in the national overview: per service, per rule, counts of staff who meet it, in the
JSON (key `competence`), the HTML and the tables; never a person's name or id, nor the register's path."""

from __future__ import annotations

import csv
import io
import json
import shutil
from pathlib import Path

import pytest
from conftest import EXAMPLES

from kokom_cli.cli.main import app

AS_OF = "2026-12-01"
SERVICES = ["amk-nordvik", "lvs-fjordby", "lvs-storby"]


def _people(service: str) -> list[str]:
    text = (EXAMPLES / service / "assessments" / "personale" / f"{service}.yaml").read_text()
    return [
        line.split(": ", 1)[1]
        for line in text.splitlines()
        if line.startswith(("  - id: ", "    name: ", "    backup: "))
    ]


def _overview(runner, folder: Path, *args: str):
    return runner.invoke(app, ["overview", str(folder), "--as-of", AS_OF, *args])


def test_json_has_counts_per_service_and_rule(runner) -> None:
    result = _overview(runner, EXAMPLES, "--format", "json")
    data = json.loads(result.stdout)
    by_service = {c["service"]: c for c in data["competence"]}
    assert sorted(by_service) == SERVICES and all(c["register"] == "read" for c in by_service.values())
    rules = {(r["requirement"], r["id"]): r for r in by_service["lvs-storby"]["rules"]}
    komp = rules[("LVS-KOMP-01", "lvs-operator-kompetanse")]
    assert (komp["people"], komp["met"], komp["not_met"], komp["state"], komp["share"]) == (
        32,
        29,
        3,
        "partial",
        0.9062,
    )
    plivo = {r["requirement"]: r for r in by_service["amk-nordvik"]["rules"]}["AMK-PLIVO-02"]
    assert (plivo["met"], plivo["people"]) == (24, 31)
    assert "who" not in komp  # names only with `competence check --names`, never in the overview
    # the rules are those of requirements that apply to the service
    assert "AMK-PLIVO-02" not in {r["requirement"] for r in by_service["lvs-storby"]["rules"]}
    for key in ("services", "answer_times", "most_not_met", "changes", "chapters"):
        assert key in data  # existing keys are unchanged


@pytest.mark.parametrize("fmt", ["json", "csv", "html"])
def test_no_name_id_or_register_path_reaches_the_overview(runner, tmp_path: Path, fmt: str) -> None:
    out = tmp_path / f"oversikt.{fmt}"
    result = _overview(runner, EXAMPLES, "--format", fmt, "-o", str(out))
    assert result.exit_code in (0, 1), result.output
    # CSV is one file per section beside oversikt.csv; read them all
    files = sorted(tmp_path.glob("oversikt-*.csv")) if fmt == "csv" else [out]
    text = "".join(f.read_text(encoding="utf-8") for f in files)
    assert "Kompetanse" in text or "competence" in text
    for service in SERVICES:
        leaked = [who for who in _people(service) if who in text]
        assert not leaked, leaked
    assert "personale/" not in text


def test_tables_have_one_row_per_service_and_rule(runner, tmp_path: Path) -> None:
    result = _overview(runner, EXAMPLES, "--format", "csv", "--section", "competence", "--lang", "en")
    table = list(csv.DictReader(io.StringIO(result.stdout)))
    assert table and {r["Service"] for r in table} == set(SERVICES), "one row per service and rule"
    komp = next(r for r in table if r["Service"] == "lvs-storby" and r["Rule"] == "lvs-operator-kompetanse")
    assert (komp["Met"], komp["People"], komp["State"]) == ("29", "32", "partial")


def test_unreadable_register_is_listed_as_such(runner, tmp_path: Path) -> None:
    folder = tmp_path / "ex"
    shutil.copytree(EXAMPLES / "lvs-storby", folder / "lvs-storby")
    register = folder / "lvs-storby" / "assessments" / "personale" / "lvs-storby.yaml"
    register.write_text(register.read_text() + "people: [\n")
    data = json.loads(_overview(runner, folder, "--format", "json").stdout)
    (entry,) = data["competence"]
    assert entry["register"] == "unreadable" and entry["rules"] == [] and entry["people"] is None
    html = tmp_path / "o.html"
    _overview(runner, folder, "--format", "html", "-o", str(html))
    assert "registeret kan ikke leses (ikke målt)" in html.read_text(encoding="utf-8")
    csv_text = _overview(runner, folder, "--format", "csv", "--section", "kompetanse").stdout
    assert any("unreadable" in r for r in csv.reader(io.StringIO(csv_text)))


def test_service_without_a_register(runner, tmp_path: Path) -> None:
    folder = tmp_path / "ex"
    shutil.copytree(EXAMPLES / "lvs-storby", folder / "lvs-storby")
    assessment = folder / "lvs-storby" / "assessments" / "lvs-storby-2026.yaml"
    assessment.write_text(
        "\n".join(line for line in assessment.read_text().splitlines() if not line.startswith("staff_register:"))
    )
    data = json.loads(_overview(runner, folder, "--format", "json").stdout)
    assert data["competence"][0]["register"] == "none"
