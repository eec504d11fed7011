"""The register's counts a pack carries: what they decide, and every way a hostile file is refused."""

from __future__ import annotations

import datetime as dt
import json
import shutil
from pathlib import Path

import pytest
from conftest import EXAMPLES

from kokom_cli.competence.assessment import read_assessment_register
from kokom_cli.competence.counts import MAX_BYTES, counts_path, register_counts
from kokom_cli.requirements.corpus import load_corpus
from kokom_cli.workspace import builtin_dir

EXAMPLE = EXAMPLES / "lvs-storby" / "assessments"
REGISTER = "personale/lvs-storby.yaml"
AS_OF = dt.date(2026, 12, 1)


@pytest.fixture(scope="module")
def requirements() -> dict:
    return load_corpus(builtin_dir("requirements")).requirements


def _reading(folder: Path, requirements: dict, assessment: Path | None = None):
    return read_assessment_register(
        folder, REGISTER, "lvs-storby", None, requirements, as_of=AS_OF, assessment=assessment
    )


@pytest.fixture
def counted(tmp_path: Path, requirements: dict) -> tuple[Path, dict]:
    """A received folder: the assessment and its counts, no register."""
    register = _reading(EXAMPLE, requirements)
    assessment = tmp_path / "lvs-storby-2026.yaml"
    shutil.copy(EXAMPLE / "lvs-storby-2026.yaml", assessment)
    data = json.loads(register_counts(register, "lvs-storby", AS_OF))
    return assessment, data


def _write(assessment: Path, data) -> None:
    text = data if isinstance(data, (str, bytes)) else json.dumps(data)
    path = counts_path(assessment)
    path.write_bytes(text if isinstance(text, bytes) else text.encode("utf-8"))


def test_counts_decide_as_the_register_does(counted, requirements) -> None:
    assessment, data = counted
    _write(assessment, data)
    from_register = _reading(EXAMPLE, requirements)
    from_counts = _reading(assessment.parent, requirements, assessment)
    assert from_counts.verdicts.keys() == {k for k, v in from_register.verdicts.items()}
    for req_id, verdict in from_register.verdicts.items():
        got = from_counts.verdicts[req_id]
        assert (got.state, got.people, got.met) == (verdict.state, verdict.people, verdict.met)
        if verdict.people:
            assert "tall fra pakken, per 2026-12-01" in got.message
    coverage, original = from_counts.coverage(), from_register.coverage()
    assert coverage["counted_on"] == "2026-12-01" and coverage["people"] == original["people"]
    keys = ("id", "requirement", "level", "state", "people", "met", "not_met", "share", "expiring")
    assert [{k: r[k] for k in keys} for r in coverage["rules"]] == [{k: r[k] for k in keys} for r in original["rules"]]


def _set_first(data: dict, **changes) -> dict:
    first = next(iter(data["requirements"]))
    data["requirements"][first].update(changes)
    return data


@pytest.mark.parametrize(
    ("hostile", "shown"),
    [
        (lambda d: _set_first(d, met=10**6, people=1), "met > people"),
        (lambda d: _set_first(d, met=-1), "greater than or equal to 0"),
        (lambda d: _set_first(d, met=True), "valid integer"),  # strict: a boolean is not a count
        (lambda d: {**d, "service": "amk-nordvik"}, "gjelder tjenesten 'amk-nordvik'"),
        (lambda d: {**d, "format": "kokom-pack"}, "format"),
        (lambda d: {**d, "extra": "<script>"}, "Extra inputs"),
        (lambda d: {**d, "rules": [{**d["rules"][0], "state": "met"}]}, "Extra inputs"),  # states are worked out
        (lambda d: {**d, "rules": [{**d["rules"][0], "id": "x\u001b[31m"}]}, "pattern"),
        (lambda d: "not json {", "Expecting value"),
        (lambda d: b"\xff\xfe\x00binary", "utf-8"),
        (lambda d: " " * (MAX_BYTES + 1), "for stor"),
        (lambda d: [], "valid dictionary"),
    ],
)
def test_hostile_counts_leave_the_requirements_unmeasured(counted, requirements, hostile, shown) -> None:
    assessment, data = counted
    _write(assessment, hostile(data))
    reading = _reading(assessment.parent, requirements, assessment)
    assert reading.verdicts and all(v.state == "unreadable" for v in reading.verdicts.values())
    message = next(iter(reading.verdicts.values())).message
    assert shown in message and "\n" not in message
    assert reading.coverage()["register"] == "unreadable"


def test_a_planted_link_is_not_followed(counted, requirements, tmp_path) -> None:
    assessment, data = counted
    outside = tmp_path / "outside.json"
    outside.write_text(json.dumps(data), encoding="utf-8")
    counts_path(assessment).symlink_to(outside)
    reading = _reading(assessment.parent, requirements, assessment)
    assert all(v.state == "unreadable" for v in reading.verdicts.values())  # the register is missing: not measured
    assert "personalregisteret" in next(iter(reading.verdicts.values())).message


def test_the_register_wins_over_counts_beside_it(counted, requirements, tmp_path) -> None:
    """A service's own check reads its register; counts lying beside the assessment change nothing."""
    _, data = counted
    folder = tmp_path / "service"
    shutil.copytree(EXAMPLE, folder)
    _write(folder / "lvs-storby-2026.yaml", _set_first(data, met=0))
    with_counts = _reading(folder, requirements, folder / "lvs-storby-2026.yaml")
    assert with_counts.counted is None and with_counts.report is not None


def test_reading_the_counts_never_follows_a_link(counted, tmp_path) -> None:
    """Even when a link appears after the caller's check: the read itself refuses it."""
    from kokom_cli.competence.counts import read_counts

    _, data = counted
    outside = tmp_path / "outside.json"
    outside.write_text(json.dumps(data), encoding="utf-8")
    link = tmp_path / "planted.personaltal.json"
    link.symlink_to(outside)
    counts, why = read_counts(link, "lvs-storby")
    assert counts is None and "kan ikke leses" in why
