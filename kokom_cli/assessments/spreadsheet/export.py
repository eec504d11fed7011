"""Writing an assessment (or a blank form) as an XLSX workbook: `build_workbook`."""

from __future__ import annotations

import datetime as dt
import io
import json
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from kokom_cli.assessments.models import Answer, Assessment, Service
from kokom_cli.assessments.spreadsheet.form import (
    ANSWER_COLUMNS,
    ANSWERS,
    COLUMN,
    DATA,
    FORM,
    FORM_FIELDS,
    FORMAT,
    HELP,
    WAIVER_COLUMNS,
    WAIVER_ROWS,
    WAIVERS,
    Column,
    _expected_text,
    _float_exact,
    evidence_text,
    refuse_unstorable,
    status_labels,
)
from kokom_cli.assessments.spreadsheet.guide import help_lines
from kokom_cli.core.cells import keep_as_text
from kokom_cli.core.i18n import tr
from kokom_cli.requirements.models import Chapter, Requirement

if TYPE_CHECKING:
    from kokom_cli.yaml.document import YamlDocument


@dataclass
class _RowState:
    """What the hidden sheet keeps about one exported row."""

    id: str
    state: str  # "absent" (no entry), "null" (`ID:` with nothing), "answer"
    empty: list[str] = field(default_factory=list)  # text fields that were ""
    precise: dict[str, str] = field(default_factory=dict)  # column key -> repr of a float a cell rounds

    def as_json(self) -> str:
        data: dict[str, Any] = {"id": self.id, "state": self.state}
        if self.empty:
            data["empty"] = self.empty
        if self.precise:
            data["precise"] = self.precise
        return json.dumps(data, ensure_ascii=False)


def _answer_cells(answer: Answer | None, state: _RowState) -> dict[str, Any]:
    """Column key -> cell value for one answer; records in `state` what a cell would lose."""
    if answer is None:
        return {}
    cells: dict[str, Any] = {
        "status": status_labels()[answer.status.value] if answer.status else None,
        "justification": answer.justification,
        "evidence": evidence_text(answer.evidence),
        "owner": answer.owner,
    }
    if answer.action:
        cells.update(action=answer.action.what, responsible=answer.action.responsible, due=answer.action.due)
    if answer.call_logs is not None:
        cells["call_logs"] = "\n".join(answer.call_logs)
        if not answer.call_logs:
            state.empty.append("call_logs")
    if answer.measured:
        m = answer.measured
        cells.update(calls=m.calls, share=m.share, max_wait=m.max_wait_seconds, median=m.median_answer_seconds)
    v = answer.verification
    if v:
        cells.update(
            advisor_status=status_labels()[v.status.value],
            advisor_comment=v.comment,
            advisor_by=v.by,
            advisor_date=v.date,
        )
    for key in ("justification", "advisor_comment"):
        if cells.get(key) == "":
            state.empty.append(key)
    for key in ("share", "max_wait", "median"):
        value = cells.get(key)
        if isinstance(value, float) and not _float_exact(value):
            state.precise[key] = repr(value)
    return cells


def _check_storable(assessment: Assessment, doc: YamlDocument | None) -> None:
    """KokomError, positioned in the YAML file, for every text a cell cannot hold."""

    def file_name_with_line_break(text: str, loc: tuple) -> str | None:
        if "\n" in text and "call_logs" in loc:
            return tr(
                "et filnavn med linjeskift kan ikke stå i regnearket",
                "a file name with a line break cannot go into the spreadsheet",
                "eit filnamn med linjeskift kan ikkje stå i reknearket",
            )
        return None

    data = assessment.model_dump(mode="python", exclude_defaults=True)
    refuse_unstorable(data, doc, doc.display if doc else "(assessment)", file_name_with_line_break)


class _Sheets:
    """The form's styles, and the few ways a cell is written (openpyxl imported only when a form is built)."""

    def __init__(self) -> None:
        from openpyxl.styles import Alignment, Font, PatternFill, Protection

        self.header_font = Font(bold=True, color="FFFFFF")
        self.header_fill = PatternFill("solid", fgColor="003A70")
        self.locked_fill = PatternFill("solid", fgColor="E8ECF1")
        self.wrap = Alignment(wrap_text=True, vertical="top")
        self.unlocked = Protection(locked=False)

    def put(self, ws, row: int, col: int, value: Any, *, locked: bool = True) -> None:
        cell = ws.cell(row, col)
        cell.value = value
        keep_as_text(cell)  # never a formula, whatever the text starts with
        if isinstance(value, dt.date):
            cell.number_format = "yyyy-mm-dd"
        cell.alignment = self.wrap
        if not locked:
            cell.protection = self.unlocked
        elif ws.title != HELP:
            cell.fill = self.locked_fill

    def headers(self, ws, columns: list[Column]) -> None:
        from openpyxl.utils import get_column_letter

        for col, column in enumerate(columns, 1):
            cell = ws.cell(1, col, column.header)
            cell.font, cell.fill, cell.alignment = self.header_font, self.header_fill, self.wrap
            ws.column_dimensions[get_column_letter(col)].width = column.width
        ws.freeze_panes = "A2"

    @staticmethod
    def protect(ws) -> None:
        ws.protection.sheet = True
        ws.protection.formatColumns = False
        ws.protection.formatRows = False

    @staticmethod
    def date_check(ws, ref: str) -> None:
        from openpyxl.worksheet.datavalidation import DataValidation

        check = DataValidation(
            type="date",
            operator="greaterThan",
            formula1="DATE(1900,1,1)",
            allow_blank=True,
            showErrorMessage=True,
            error=tr("Skriv en dato (ÅÅÅÅ-MM-DD).", "Type a date (YYYY-MM-DD).", "Skriv ein dato (ÅÅÅÅ-MM-DD)."),
        )
        ws.add_data_validation(check)
        check.add(ref)


def build_workbook(
    service: Service,
    rows: list[tuple[Requirement, Chapter | None]],
    assessment: Assessment,
    *,
    doc: YamlDocument | None = None,
) -> bytes:
    """The XLSX form: `rows` are the requirements that apply to `service`, in order; `assessment` fills it in.

    For a blank form pass an assessment without answers. `doc` is the assessment's YAML, to place the
    KokomError raised for text a cell cannot hold.
    """
    from openpyxl import Workbook

    from kokom_cli.assessments.spreadsheet.layout import lay_out

    _check_storable(assessment, doc)
    sheets = _Sheets()
    book = Workbook()
    _help_sheet(book, service, assessment, len(rows))
    _form_sheet(book, sheets, assessment)
    states = _answers_sheet(book, sheets, rows, assessment)
    _waivers_sheet(book, sheets, assessment)
    _data_sheet(book, sheets, assessment, states)
    lay_out(book)
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def _help_sheet(book, service: Service, assessment: Assessment, count: int) -> None:
    from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE
    from openpyxl.styles import Alignment, Font

    help_sheet = book.active
    help_sheet.title = HELP
    for number, line in enumerate(help_lines(service, assessment, count), 1):
        help_sheet.cell(number, 1, ILLEGAL_CHARACTERS_RE.sub("", line)).alignment = Alignment(wrap_text=True)
    help_sheet["A1"].font = Font(bold=True, size=14)


def _form_sheet(book, sheets: _Sheets, assessment: Assessment) -> None:
    form = book.create_sheet(FORM)
    sheets.headers(form, [Column("field", "Felt", "Field", "Felt", 34), Column("value", "Verdi", "Value", "Verdi", 60)])
    values = {
        "service": assessment.service,
        "service_file": assessment.service_file,
        "edition": assessment.edition,
        "period": assessment.period,
        "assessed_by": assessment.assessed_by,
        "date": assessment.date,
        "call_logs": "\n".join(assessment.call_logs),
        "staff_register": assessment.staff_register,
    }
    for row, (key, nb, en, nn, locked) in enumerate(FORM_FIELDS, 2):
        sheets.put(form, row, 1, tr(nb, en, nn))
        sheets.put(form, row, 2, values[key], locked=locked)
    sheets.date_check(form, f"B{2 + [f[0] for f in FORM_FIELDS].index('date')}")
    sheets.protect(form)


def _answers_sheet(
    book, sheets: _Sheets, rows: list[tuple[Requirement, Chapter | None]], assessment: Assessment
) -> list[_RowState]:
    sheet = book.create_sheet(ANSWERS)
    sheets.headers(sheet, ANSWER_COLUMNS)
    states: list[_RowState] = []
    for row, (req, chapter) in enumerate(rows, 2):
        present = req.id in assessment.answers
        answer = assessment.answers.get(req.id)
        state = _RowState(req.id, "answer" if answer is not None else "null" if present else "absent")
        cells = _answer_cells(answer, state)
        cells.update(
            id=req.id,
            chapter=chapter.title if chapter else "",
            title=req.title,
            level=req.level.value,
            text=req.text.strip(),
            expected=_expected_text(req),
        )
        for col, column in enumerate(ANSWER_COLUMNS, 1):
            open_ = column.answer and (not column.metric_only or req.metric is not None)
            sheets.put(sheet, row, col, cells.get(column.key), locked=not open_)
        states.append(state)
    _answer_checks(sheet, sheets, len(rows) + 1)
    sheet.freeze_panes = "B2"
    sheets.protect(sheet)
    return states


def _answer_checks(sheet, sheets: _Sheets, last: int) -> None:
    """Drop-downs for the statuses, date checks, and number formats on the answer rows 2..`last`."""
    from openpyxl.utils import get_column_letter
    from openpyxl.worksheet.datavalidation import DataValidation

    statuses = DataValidation(
        type="list",
        formula1='"' + ",".join(status_labels().values()) + '"',
        allow_blank=True,
        showErrorMessage=True,
        error=tr("Velg en status fra listen.", "Choose a status from the list.", "Vel ein status frå lista."),
    )
    sheet.add_data_validation(statuses)
    for key in ("status", "advisor_status"):
        letter = get_column_letter(COLUMN[key])
        statuses.add(f"{letter}2:{letter}{max(last, 2)}")
    for key in ("due", "advisor_date"):
        letter = get_column_letter(COLUMN[key])
        sheets.date_check(sheet, f"{letter}2:{letter}{max(last, 2)}")
    for key in ("share", "max_wait", "median", "calls"):
        letter = get_column_letter(COLUMN[key])
        for row in range(2, last + 1):
            sheet[f"{letter}{row}"].number_format = "0.0%" if key == "share" else "General"


def _waivers_sheet(book, sheets: _Sheets, assessment: Assessment) -> None:
    waivers = book.create_sheet(WAIVERS)
    sheets.headers(waivers, WAIVER_COLUMNS)
    for row in range(2, WAIVER_ROWS + 2):
        for col in range(1, len(WAIVER_COLUMNS) + 1):
            waivers.cell(row, col).protection = sheets.unlocked
            waivers.cell(row, col).alignment = sheets.wrap
        waivers.cell(row, 4).number_format = waivers.cell(row, 5).number_format = "yyyy-mm-dd"
    for row, waiver in enumerate(assessment.waivers, 2):
        for col, column in enumerate(WAIVER_COLUMNS, 1):
            sheets.put(waivers, row, col, getattr(waiver, column.key), locked=False)
    last = max(WAIVER_ROWS, len(assessment.waivers)) + 1
    sheets.date_check(waivers, f"D2:D{last}")
    sheets.date_check(waivers, f"E2:E{last}")
    sheets.protect(waivers)


def _data_sheet(book, sheets: _Sheets, assessment: Assessment, states: list[_RowState]) -> None:
    data = book.create_sheet(DATA)
    head: dict[str, Any] = {"format": FORMAT, "service": assessment.service, "edition": assessment.edition}
    if assessment.assessed_by == "":
        head["empty"] = ["assessed_by"]
    sheets.put(data, 1, 1, FORMAT)
    sheets.put(data, 1, 2, json.dumps(head, ensure_ascii=False))
    for row, state in enumerate(states, 2):
        sheets.put(data, row, 1, state.id)
        sheets.put(data, row, 2, state.as_json())
    data.sheet_state = "veryHidden"
    sheets.protect(data)
