"""Shared by the XLSX form tests: the built-in corpus, small layouts, and the export-import round trip."""

from __future__ import annotations

import io
import shutil
from pathlib import Path

import openpyxl
from conftest import EXAMPLES

from kokom_cli.assessments.applicability import applicability
from kokom_cli.assessments.loading import load_assessment
from kokom_cli.assessments.spreadsheet import (
    build_workbook,
    check_import,
    read_workbook,
)
from kokom_cli.cli.main import app
from kokom_cli.config import Config
from kokom_cli.requirements.corpus import load_corpus
from kokom_cli.workspace import Workspace

BUILTIN = Workspace(root=None, config=Config())
CORPUS = load_corpus(BUILTIN.requirements_dir)


def _layout(folder: Path, kind: str = "legevaktsentral", service_id: str = "lvs-test") -> Path:
    """services/<id>.yaml and an empty assessments/ folder; returns the assessments folder."""
    (folder / "services").mkdir(parents=True, exist_ok=True)
    (folder / "assessments").mkdir(exist_ok=True)
    (folder / "services" / f"{service_id}.yaml").write_text(
        f"id: {service_id}\nname: Testtjenesten\nkind: {kind}\npopulation: 60000\nlines: ['116117', '113', local]\n",
        encoding="utf-8",
    )
    return folder / "assessments"


def _rows(service):
    return [(i.requirement, i.chapter) for i in CORPUS.located if applicability(i.requirement, service).applies]


def _round_trip(path: Path, out: Path | None = None):
    """Export the assessment at `path`, read the workbook back unchanged; (original, imported, result)."""
    loaded = load_assessment(path, BUILTIN, CORPUS)
    rows = [(req, ch) for req, ch, applies in loaded.items if applies.applies]
    raw = build_workbook(loaded.service, rows, loaded.assessment, doc=loaded.doc)
    result = read_workbook(raw, "skjema.xlsx")
    assert result.problems == []
    back, problems = check_import(result, (out or path).absolute(), "back.yaml", BUILTIN, CORPUS)
    assert problems == []
    return loaded.assessment, back.assessment, result


def _workbook(raw: bytes):
    return openpyxl.load_workbook(io.BytesIO(raw))


def _fjordby(tmp_path: Path) -> Path:
    shutil.copytree(EXAMPLES / "lvs-fjordby", tmp_path / "lvs-fjordby")
    return tmp_path / "lvs-fjordby" / "assessments" / "lvs-fjordby-2026.yaml"


def _edited(tmp_path: Path, edit) -> Path:
    """Export fjordby, apply `edit(book)` as a user would in a spreadsheet, save it; the workbook's path."""
    path = _fjordby(tmp_path)
    loaded = load_assessment(path, BUILTIN, CORPUS)
    rows = [(req, ch) for req, ch, applies in loaded.items if applies.applies]
    book = _workbook(build_workbook(loaded.service, rows, loaded.assessment))
    edit(book)
    xlsx = tmp_path / "skjema.xlsx"
    book.save(xlsx)
    return xlsx


def _row_of(sheet, req_id: str) -> int:
    return next(r for r in range(2, sheet.max_row + 1) if sheet.cell(r, 1).value == req_id)


def _import(runner, xlsx: Path, *extra: str):
    out = xlsx.parent / "lvs-fjordby" / "assessments" / "ny.yaml"
    result = runner.invoke(app, ["assess", "import", str(xlsx), "-o", str(out), *extra])
    return result, out
