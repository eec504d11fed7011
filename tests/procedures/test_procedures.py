"""Loading procedure books: the built-in corpus, local books on top of it, and malformed files."""

from __future__ import annotations

import datetime as dt
import shutil
from pathlib import Path

import pytest
from conftest import DATA
from typer.testing import CliRunner

from kokom_cli.cli.main import app
from kokom_cli.procedures.books import load_books
from kokom_cli.procedures.models import DispatchCard, Procedure
from kokom_cli.procedures.validation import validate_workspace
from kokom_cli.requirements.corpus import load_corpus
from kokom_cli.workspace import builtin_dir, open_workspace

GOOD = DATA / "procedures" / "good"
NATIONAL_CARD = builtin_dir("procedures") / "amk" / "kort-91-brystsmerter.yaml"
runner = CliRunner()


def test_builtin_books_are_complete_and_valid():
    ws = open_workspace(None, start=Path("/"))
    library = load_books(ws)
    assert library.findings == []
    by_book: dict[str, list] = {}
    for item in library.entries():
        by_book.setdefault(item.book_id, []).append(item.entry)
    assert {b: sum(isinstance(e, Procedure) for e in es) for b, es in by_book.items()} == {
        "amk": 16,
        "legevaktsentral": 16,
    }
    cards = [e for e in by_book["amk"] if isinstance(e, DispatchCard)]
    assert len(cards) >= 4 and all(c.example and "ikke teksten i Norsk indeks" in c.note for c in cards)
    known = load_corpus(ws.requirements_dir).requirements
    assert all(e.fulfils and set(e.fulfils) <= set(known) for es in by_book.values() for e in es)
    assert [f for f in validate_workspace(ws, as_of=dt.date(2026, 11, 25)) if f.severity.value == "error"] == []


def _local_workspace(tmp_path: Path, adaptation: str = "Ferge varsles ved rød respons over fjorden.") -> Path:
    """A local AMK workspace whose book extends the built-in national `amk` book."""
    root = tmp_path / "fjordby"
    (root / "procedures" / "fjordby").mkdir(parents=True)
    (root / "kokom.yaml").write_text(f"requirements: {builtin_dir('requirements')}\n")
    shutil.copy(GOOD / "procedures" / "fjordby" / "book.yaml", root / "procedures" / "fjordby" / "book.yaml")
    (root / "procedures" / "fjordby" / "lokal.yaml").write_text(
        (GOOD / "procedures" / "fjordby" / "lok-fjordby-01.yaml")
        .read_text()
        .replace("fulfils: [AMK-TEST-01]", "fulfils: [AMK-TRIPPEL-01]")
    )
    card = NATIONAL_CARD.read_text() + (
        f"local_adaptations:\n  - {{date: 2026-05-01, responsible_doctor: Dr. Lise Berg, text: {adaptation}}}\n"
    )
    (root / "procedures" / "fjordby" / "kort-91.yaml").write_text(card)
    return root


def test_local_book_extends_the_builtin_national_book(tmp_path):
    root = _local_workspace(tmp_path)
    ws = open_workspace(root)
    library = load_books(ws)
    assert [(b.book.id, b.builtin) for b in library.books] == [("fjordby", False), ("amk", True)]
    card = library.get("KORT-91")
    assert card.book_id == "fjordby" and card.entry.local_adaptations[0].responsible_doctor == "Dr. Lise Berg"
    assert validate_workspace(ws, as_of=dt.date(2026, 6, 1)) == []
    result = runner.invoke(app, ["procedures", "show", "KORT-91", "--root", str(root)])
    assert result.exit_code == 0 and "Dr. Lise Berg" in result.stdout


def test_local_book_may_not_alter_the_builtin_national_card(tmp_path):
    root = _local_workspace(tmp_path)
    path = root / "procedures" / "fjordby" / "kort-91.yaml"
    path.write_text(path.read_text().replace("code: A.91.02", "code: A.91.09"))
    result = runner.invoke(app, ["validate", "--root", str(root)])
    assert result.exit_code == 1
    lines = [line for line in result.stdout.splitlines() if "local-alters-national" in line]
    assert len(lines) == 1 and "'criteria'" in lines[0] and "fjordby/kort-91.yaml:" in lines[0]


BAD_FILES = [
    ("yaml-syntax", "id: PROS-X-01\ntitle: [uavsluttet\n", 3),
    ("yaml-tab", "id: PROS-X-01\n\ttitle: tab\n", 2),
    ("yaml-empty", "# bare kommentar\n", 1),
    ("yaml-duplicate-key", "id: PROS-X-01\nid: PROS-X-02\n", 2),
    ("schema-type", "- en liste\n- ikke en mapping\n", 1),
    ("entry-kind", "kind: dispatch-card\nid: KORT-01\n", 1),
]


def _workspace_with(tmp_path: Path, name: str, text: str) -> Path:
    root = tmp_path / "ws"
    shutil.copytree(GOOD, root)
    (root / "procedures" / "amk" / name).write_text(text)
    return root


@pytest.mark.parametrize(("code", "text", "line"), BAD_FILES, ids=[c[0] for c in BAD_FILES])
def test_malformed_procedure_file_is_one_positioned_line(tmp_path, code, text, line):
    root = _workspace_with(tmp_path, "bad.yaml", text)
    result = runner.invoke(app, ["validate", "--root", str(root)])
    assert result.exit_code == 1
    lines = [x for x in result.stdout.splitlines() if "bad.yaml" in x]
    assert len(lines) == 1 and f"bad.yaml:{line}:" in lines[0] and f"error {code}:" in lines[0]
    listed = runner.invoke(app, ["procedures", "list", "--root", str(root)])
    assert listed.exit_code == 2 and "Traceback" not in listed.stderr
    assert [x for x in listed.stderr.splitlines() if "bad.yaml" in x] == lines


def _procedure_text(**changes: str) -> str:
    text = (GOOD / "procedures" / "amk" / "pros-amk-01.yaml").read_text().replace("PROS-AMK-01", "PROS-AMK-02")
    for old, new in changes.items():
        old = old.replace("__", ": ")
        assert old in text
        text = text.replace(old, new)
    return text


SCHEMA_CASES = [
    ("quote-value", {'version__"1.0"': "version: 1.0"}, 4),
    ("date-invalid", {"valid_from__2026-02-01": "valid_from: 1. februar 2026"}, 8),
    ("schema-unknown-field", {"purpose:": "owner: Ola\npurpose:"}, 11),
    ("schema-missing", {"deviations__Meld avvik i kvalitetssystemet.\n": ""}, 1),
    ("schema-value", {"review_interval_months__12": "review_interval_months: 0"}, 9),
]


@pytest.mark.parametrize(("code", "changes", "line"), SCHEMA_CASES, ids=[c[0] for c in SCHEMA_CASES])
def test_invalid_procedure_fields_point_at_the_field(tmp_path, code, changes, line):
    root = _workspace_with(tmp_path, "pros-amk-02.yaml", _procedure_text(**changes))
    findings = [
        f
        for f in validate_workspace(open_workspace(root), as_of=dt.date(2026, 6, 1))
        if f.path.endswith("pros-amk-02.yaml")
    ]
    assert [(f.code, f.line) for f in findings] == [(code, line)]


def test_bad_card_code_and_book_file(tmp_path):
    root = tmp_path / "ws"
    shutil.copytree(GOOD, root)
    card = root / "procedures" / "fjordby" / "kort-91.yaml"
    card.write_text(card.read_text().replace("code: A.91.01", "code: R.91.1"))
    (root / "procedures" / "amk" / "book.yaml").write_text(
        (root / "procedures" / "amk" / "book.yaml").read_text().replace('edition: "2026.1"', "edition: 2026.1")
    )
    (root / "procedures" / "tom").mkdir()
    findings = validate_workspace(open_workspace(root), as_of=dt.date(2026, 6, 1))
    codes = {(Path(f.path).name, f.code, f.line) for f in findings}
    assert ("book.yaml", "quote-value", 5) in codes
    assert ("kort-91.yaml", "schema-value", 17) in codes  # R.91.1 is no criterion code
    assert ("tom", "book-missing", 0) in codes
    result = runner.invoke(app, ["procedures", "list", "--root", str(root)])
    assert result.exit_code == 2 and "book.yaml:5:" in result.stderr
