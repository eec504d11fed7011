"""Self-assessment as a spreadsheet: an XLSX form to fill in, and reading it back into an assessment.

The workbook (`build_workbook`) has five sheets:

| sheet | holds |
|---|---|
| `Veiledning` | instructions (not read back) |
| `Vurdering` | the assessment's own fields: service, service file, edition, period, assessed by, date, call logs |
| `Svar` | one row per requirement that applies: id, chapter, title, level, text, expected evidence (locked); answers |
| `Unntak` | waivers, one per row |
| `kokom-data` | hidden, protected: the rows as exported, so deleted or altered rows are found |

Answer columns: status (drop-down of the allowed values, shown as Norwegian
labels; the codes `met`, `partial`, `not_met`, `not_applicable` and the
English labels are read as well), justification, evidence, action, responsible,
due date (a date cell), then the columns for measured requirements (call logs,
measured figures; unlocked only on their rows) and the advisor's verification.

Evidence is one line per item: the date, the kind in brackets if any, then
`fil: <path>` or `tekst: <text>` (`file:`/`text:` also read); a line without
either is a text. Lines that go on an item's text start with two spaces:

    2026-09-30 fil: vedlegg/svartid-2026.csv
    2026-10-07 (record) tekst: Svartidsrapporten for september gjennomgått.

Modules, one job each: `form` (layout and vocabulary), `export` (`build_workbook`),
`limits` (the zip parts checked before parsing), `cells` and `reading`
(`read_workbook`), `checking` (`check_import`, `import_text`) and `yaml_dump`
(`assessment_yaml`, `assessment_data`).

Reading back (`read_workbook`) first checks the workbook's parts against
`limits` (sizes, compression ratio, rows, columns, cells, cell length), then reports every problem at its cell
(`Svar!G7`): an unknown status, a date that is not a date, a row whose id was
altered, a deleted row, an added or repeated id, an incomplete action or
verification, a formula, anything written outside the form. The result is then
checked as the YAML file it would become (`assessments.check_document`), with
findings placed back at their cells (`check_import`).

The round trip is exact: exporting an assessment and reading the workbook back
unchanged gives an equal model, and `assessment_yaml` writes it the same way
both times. What a cell cannot show exactly is kept in `kokom-data`: whether a
requirement had no entry, an empty one (`ID:`) or a blank answer; texts that
were the empty string; figures with more digits than a cell keeps. Text a cell
cannot hold at all (control characters, carriage returns, more than 32,767
characters, line breaks in file names) stops the export with its position in
the YAML file.
"""

from __future__ import annotations

from kokom_cli.assessments.spreadsheet.cells import ImportResult
from kokom_cli.assessments.spreadsheet.checking import check_import, import_text
from kokom_cli.assessments.spreadsheet.export import build_workbook
from kokom_cli.assessments.spreadsheet.form import (
    ANSWER_COLUMNS,
    ANSWERS,
    COLUMN,
    DATA,
    FORM,
    FORM_FIELDS,
    FORMAT,
    HELP,
    MAX_CELL,
    WAIVER_COLUMNS,
    WAIVERS,
    CellProblem,
    Column,
    evidence_text,
    status_labels,
)
from kokom_cli.assessments.spreadsheet.limits import MAX_PROBLEMS, MAX_WORKBOOK_BYTES, check_workbook
from kokom_cli.assessments.spreadsheet.reading import read_workbook
from kokom_cli.assessments.spreadsheet.yaml_dump import assessment_data, assessment_yaml

__all__ = [
    "ANSWERS",
    "ANSWER_COLUMNS",
    "COLUMN",
    "DATA",
    "FORM",
    "FORMAT",
    "FORM_FIELDS",
    "HELP",
    "MAX_CELL",
    "MAX_PROBLEMS",
    "MAX_WORKBOOK_BYTES",
    "WAIVERS",
    "WAIVER_COLUMNS",
    "CellProblem",
    "Column",
    "ImportResult",
    "assessment_data",
    "assessment_yaml",
    "build_workbook",
    "check_import",
    "check_workbook",
    "evidence_text",
    "import_text",
    "read_workbook",
    "status_labels",
]
