"""Checking an imported workbook as the assessment file it becomes, with findings placed back at cells."""

from __future__ import annotations

import bisect
from typing import TYPE_CHECKING

from kokom_cli.assessments.spreadsheet.cells import ImportResult
from kokom_cli.assessments.spreadsheet.form import CellProblem
from kokom_cli.assessments.spreadsheet.yaml_dump import assessment_data, assessment_yaml
from kokom_cli.core.findings import Finding, KokomError, Severity
from kokom_cli.core.i18n import tr
from kokom_cli.yaml.reader import MAX_FILE_BYTES

if TYPE_CHECKING:
    from pathlib import Path

    from kokom_cli.assessments.loading import LoadedAssessment
    from kokom_cli.requirements.corpus import Corpus
    from kokom_cli.workspace import Workspace
    from kokom_cli.yaml.document import YamlDocument


def check_import(
    result: ImportResult, out_path: Path, display: str, workspace: Workspace, corpus: Corpus
) -> tuple[LoadedAssessment | None, list[CellProblem | Finding]]:
    """Check the imported data as the assessment file it becomes at `out_path`; problems placed at their cells.

    Returns the loaded assessment (None when there are problems) and the problems: CellProblem where a
    cell is to blame, Finding for other files (e.g. the service file).
    """
    from kokom_cli.assessments.loading import check_document
    from kokom_cli.yaml.reader import parse_yaml

    raw = assessment_yaml(result.data, result.order).encode("utf-8")
    if len(raw) > MAX_FILE_BYTES:
        return None, [_too_large(display, len(raw))]
    doc = parse_yaml(raw, out_path, display)
    try:
        return check_document(doc, workspace, corpus), []
    except KokomError as exc:
        at_cell = _placer(doc, result)
        return None, [at_cell(f) for f in exc.findings]


def import_text(loaded: LoadedAssessment, result: ImportResult, display: str) -> str:
    """The YAML text an import writes; KokomError when kokom would refuse to read it back (over 8 MiB)."""
    text = assessment_yaml(assessment_data(loaded.assessment), result.order)
    size = len(text.encode("utf-8"))
    if size > MAX_FILE_BYTES:
        raise KokomError(_too_large(display, size))
    return text


def _too_large(display: str, size: int) -> Finding:
    return Finding(
        display,
        0,
        0,
        Severity.error,
        "xlsx-too-large",
        tr(
            f"vurderingen ville bli {size:,} byte, men kokom leser bare filer opp til {MAX_FILE_BYTES:,} byte; "
            "ingenting er skrevet: kort ned tekstene i regnearket",
            f"the assessment would be {size:,} bytes, but kokom reads files of at most {MAX_FILE_BYTES:,} bytes; "
            "nothing was written: shorten the texts in the workbook",
            f"vurderinga ville bli {size:,} byte, men kokom les berre filer opp til {MAX_FILE_BYTES:,} byte; "
            "ingenting er skrive: kort ned tekstane i reknearket",
        ),
    )


def _placer(doc: YamlDocument, result: ImportResult):
    """A function placing a finding at the cell its YAML position came from (the nearest one at or before it).

    Every cell's position is looked up once and sorted, so placing many findings stays fast.
    """
    marks = sorted(
        (doc.position(loc, key=key), index, cell)
        for index, (loc, cell) in enumerate(result.cells.items())
        for key in (False, True)
    )
    positions = [(position, index) for position, index, _ in marks]

    def at_cell(finding: Finding) -> CellProblem | Finding:
        if finding.path != doc.display or finding.line == 0:
            return finding
        found = bisect.bisect_right(positions, ((finding.line, finding.column), len(marks)))
        if found == 0 or marks[found - 1][0] < (1, 1):
            return finding
        sheet, coordinate = marks[found - 1][2]
        return CellProblem(result.display, sheet, coordinate, finding.code, finding.message)

    return at_cell
