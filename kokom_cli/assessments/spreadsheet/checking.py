"""Checking an imported workbook as the assessment file it becomes, with findings placed back at cells."""

from __future__ import annotations

from typing import TYPE_CHECKING

from kokom_cli.assessments.spreadsheet.cells import ImportResult
from kokom_cli.assessments.spreadsheet.form import CellProblem
from kokom_cli.assessments.spreadsheet.yaml_dump import assessment_yaml
from kokom_cli.core.findings import Finding, KokomError

if TYPE_CHECKING:
    from pathlib import Path

    from kokom_cli.assessments.loading import LoadedAssessment
    from kokom_cli.requirements.corpus import Corpus
    from kokom_cli.workspace import Workspace
    from kokom_cli.yaml.reader import YamlDocument


def check_import(
    result: ImportResult, out_path: Path, display: str, workspace: Workspace, corpus: Corpus
) -> tuple[LoadedAssessment | None, list[CellProblem | Finding]]:
    """Check the imported data as the assessment file it becomes at `out_path`; problems placed at their cells.

    Returns the loaded assessment (None when there are problems) and the problems: CellProblem where a
    cell is to blame, Finding for other files (e.g. the service file).
    """
    from kokom_cli.assessments.loading import check_document
    from kokom_cli.yaml.reader import parse_yaml

    doc = parse_yaml(assessment_yaml(result.data, result.order).encode("utf-8"), out_path, display)
    try:
        return check_document(doc, workspace, corpus), []
    except KokomError as exc:
        return None, [_at_cell(f, doc, result) for f in exc.findings]


def _at_cell(finding: Finding, doc: YamlDocument, result: ImportResult) -> CellProblem | Finding:
    """The finding at the cell its YAML position came from (the nearest one before it)."""
    if finding.path != doc.display or finding.line == 0:
        return finding
    best, best_position = None, (0, 0)
    for loc, cell in result.cells.items():
        for key in (False, True):
            position = doc.position(loc, key=key)
            if best_position <= position <= (finding.line, finding.column):
                best, best_position = cell, position
    if best is None:
        return finding
    sheet, coordinate = best
    return CellProblem(result.display, sheet, coordinate, finding.code, finding.message)
