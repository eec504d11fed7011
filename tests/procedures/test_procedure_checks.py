"""Validation rules for procedure books: one good and one bad case per rule, plus local guardrails."""

from __future__ import annotations

import datetime as dt
import shutil
from pathlib import Path

import pytest
from conftest import DATA

from kokom_cli.procedures.validation import validate_workspace
from kokom_cli.workspace import open_workspace

GOOD = DATA / "procedures" / "good"
AS_OF = dt.date(2026, 6, 1)
PROS = "procedures/amk/pros-amk-01.yaml"
CARD = "procedures/amk/kort-91.yaml"
LOCAL_CARD = "procedures/fjordby/kort-91.yaml"
LOCAL_BOOK = "procedures/fjordby/book.yaml"


def _findings(root: Path, as_of: dt.date = AS_OF):
    return validate_workspace(open_workspace(root), as_of=as_of)


def _edit(tmp_path: Path, path: str, old: str, new: str) -> Path:
    root = tmp_path / "ws"
    shutil.copytree(GOOD, root)
    target = root / path
    text = target.read_text()
    assert old in text, f"fixture changed: {old!r} not in {path}"
    target.write_text(text.replace(old, new, 1))
    return root


def test_the_good_fixture_has_no_findings():
    assert _findings(GOOD) == []


# (code, severity, file, old text, new text, expected line)
CASES = [
    ("unknown-requirement", "error", PROS, "fulfils: [AMK-TEST-01]", "fulfils: [AMK-TEST-1]", 10),
    ("fulfils-retired", "warning", PROS, "fulfils: [AMK-TEST-01]", "fulfils: [AMK-TEST-04]", 10),
    ("fulfils-empty", "warning", PROS, "fulfils: [AMK-TEST-01]", "fulfils: []", 1),
    ("duplicate-procedure-id", "error", CARD, "id: KORT-91", "id: PROS-AMK-01", 2),
    ("duplicate-card-number", "error", LOCAL_CARD, "id: KORT-91", "id: KORT-99", 3),
    ("duplicate-criterion", "error", CARD, "{code: V.91.01", "{code: H.91.01", 21),
    ("criterion-card-mismatch", "error", CARD, "{code: A.91.01", "{code: A.07.01", 17),
    ("criterion-urgency-mismatch", "error", CARD, "{code: V.91.01", "{code: A.91.02", 21),
    ("unknown-card", "warning", CARD, "Noe er galt.}", "Noe er galt., see_card: 42}", 19),
    (
        "unknown-role",
        "error",
        PROS,
        "role: medisinsk_operator}\n  - {text: Bruk",
        "role: operatør}\n  - {text: Bruk",
        18,
    ),
    ("unknown-role", "error", CARD, "amk: [Send", "amk_sentral: [Send", 24),
    (
        "step-no-role",
        "error",
        PROS,
        "{text: Sett opp konferansesamtale., role: medisinsk_operator}",
        "{text: Sett opp konferansesamtale.}",
        18,
    ),
    ("unknown-chapter", "error", PROS, "chapter: varsling", "chapter: varslig", 3),
    ("approved-after-valid", "error", PROS, "approved_on: 2026-01-10", "approved_on: 2026-03-10", 7),
    ("duplicate-book-id", "error", LOCAL_BOOK, "id: fjordby", "id: amk", 1),
    ("extends-unknown", "error", LOCAL_BOOK, "extends: amk", "extends: amc", 6),
    ("local-alters-national", "error", LOCAL_CARD, "background: Et eksempel.", "background: Et lokalt eksempel.", 14),
]


@pytest.mark.parametrize(
    ("code", "severity", "path", "old", "new", "line"), CASES, ids=[f"{c[0]}-{i}" for i, c in enumerate(CASES)]
)
def test_each_rule_reports_its_bad_case_with_position(tmp_path, code, severity, path, old, new, line):
    root = _edit(tmp_path, path, old, new)
    found = [f for f in _findings(root) if f.code == code]
    assert len(found) >= 1, _findings(root)
    assert found[0].severity.value == severity
    assert found[0].path.endswith(path) and found[0].line == line


def test_unknown_ids_and_roles_suggest_the_nearest(tmp_path):
    root = _edit(tmp_path, PROS, "fulfils: [AMK-TEST-01]\n", "fulfils: [AMK-TEST-1]\n")
    (root / PROS).write_text(
        (root / PROS).read_text().replace("role: medisinsk_operator}", "role: medisinsk_operatør}")
    )
    messages = {f.code: f.message for f in _findings(root)}
    assert "'AMK-TEST-01'?" in messages["unknown-requirement"]
    assert "'medisinsk_operator'?" in messages["unknown-role"]


def test_review_is_overdue_only_after_the_interval():
    # approved 2026-01-10, every 12 months: due 2027-01-10
    assert not [f for f in _findings(GOOD, as_of=dt.date(2027, 1, 10)) if f.code == "review-overdue"]
    late = [f for f in _findings(GOOD, as_of=dt.date(2027, 1, 11)) if f.code == "review-overdue"]
    assert [(f.severity.value, Path(f.path).name) for f in late] == [("warning", "pros-amk-01.yaml")]
    assert "2027-01-10" in late[0].message


def test_local_book_may_add_procedures_and_card_adaptations():
    codes = {f.code for f in _findings(GOOD)}
    assert "local-alters-national" not in codes and "duplicate-procedure-id" not in codes


@pytest.mark.parametrize(
    ("old", "new", "field"),
    [
        ("{text: Sett opp konferansesamtale.,", "{text: Sett opp en konferansesamtale.,", "steps"),
        (
            "definitions:\n  - {term: Trippelvarsling, definition: Varsling av brann og politi.}\n",
            "",
            "definitions",
        ),  # removal
        ('version: "1.0"', 'version: "1.1"', "version"),
    ],
)
def test_local_copy_that_alters_a_national_procedure_names_the_field(tmp_path, old, new, field):
    root = tmp_path / "ws"
    shutil.copytree(GOOD, root)
    national = (root / PROS).read_text()
    (root / "procedures/fjordby/pros-amk-01.yaml").write_text(national.replace(old, new, 1))
    found = [f for f in _findings(root) if f.code == "local-alters-national"]
    assert len(found) == 1 and f"'{field}'" in found[0].message
    assert found[0].path.endswith("fjordby/pros-amk-01.yaml")


def test_an_unchanged_local_copy_passes(tmp_path):
    root = tmp_path / "ws"
    shutil.copytree(GOOD, root)
    shutil.copy(root / PROS, root / "procedures/fjordby/pros-amk-01.yaml")
    assert _findings(root) == []


def test_local_card_may_not_drop_national_adaptations(tmp_path):
    root = _edit(
        tmp_path,
        CARD,
        "related: []",
        "related: []\nlocal_adaptations:\n"
        "  - {date: 2026-01-05, responsible_doctor: Dr. A, text: Nasjonal tilpasning.}",
    )
    found = [f for f in _findings(root) if f.code == "local-alters-national"]
    assert len(found) == 1 and "'local_adaptations'" in found[0].message
