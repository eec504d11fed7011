"""Self-assessment as a spreadsheet: an XLSX form to fill in, and reading it back into an assessment.

The workbook (`build_workbook`) has five sheets:

| sheet | holds |
|---|---|
| `Veiledning` | instructions (not read back) |
| `Vurdering` | the assessment's own fields: service, service file, edition, period, assessed by, date, call logs |
| `Svar` | one row per requirement that applies: id, chapter, title, level, text and expected evidence (locked), then the answer columns (unlocked) |
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

Reading back (`read_workbook`) reports every problem at its cell
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

import datetime as dt
import io
import json
import re
from dataclasses import dataclass, field
from enum import Enum
from typing import TYPE_CHECKING, Any

import yaml

from kokom_cli.assessments.evaluate import outcome_label
from kokom_cli.assessments.models import Answer, AnswerStatus, Assessment, Evidence, Service
from kokom_cli.core.findings import Finding, KokomError, Severity
from kokom_cli.core.i18n import language, set_language, tr
from kokom_cli.requirements.models import Chapter, EvidenceKind, Indicator, Requirement

if TYPE_CHECKING:
    from pathlib import Path

    from kokom_cli.assessments.loading import LoadedAssessment
    from kokom_cli.requirements.corpus import Corpus
    from kokom_cli.workspace import Workspace
    from kokom_cli.yaml.reader import YamlDocument

FORMAT = "kokom-xlsx 1"
HELP, FORM, ANSWERS, WAIVERS, DATA = "Veiledning", "Vurdering", "Svar", "Unntak", "kokom-data"
MAX_CELL = 32767
WAIVER_ROWS = 200
_UNSTORABLE = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\r\ufffe\uffff]")
_EVIDENCE_LINE = re.compile(
    r"(?P<date>\S+) (?:\((?P<kind>[^)]*)\) )?(?:(?P<head>fil|file|tekst|text): )?(?P<value>.*)", re.S
)


@dataclass(frozen=True)
class Column:
    key: str
    nb: str
    en: str
    width: int
    answer: bool = True  # unlocked for the service to fill in
    metric_only: bool = False  # unlocked only on rows of measured requirements

    @property
    def header(self) -> str:
        return tr(self.nb, self.en)


ANSWER_COLUMNS = [
    Column("id", "Krav-ID", "Requirement id", 16, answer=False),
    Column("chapter", "Kapittel", "Chapter", 18, answer=False),
    Column("title", "Tittel", "Title", 30, answer=False),
    Column("level", "Nivå", "Level", 6, answer=False),
    Column("text", "Kravtekst", "Requirement text", 50, answer=False),
    Column("expected", "Forventet dokumentasjon", "Expected evidence", 36, answer=False),
    Column("status", "Status", "Status", 16),
    Column("justification", "Begrunnelse", "Justification", 40),
    Column("evidence", "Dokumentasjon (dato, fil: eller tekst:)", "Evidence (date, file: or text:)", 44),
    Column("action", "Tiltak", "Action", 30),
    Column("responsible", "Ansvarlig", "Responsible", 20),
    Column("due", "Frist", "Due", 12),
    Column("call_logs", "Anropslogger (CSV)", "Call logs (CSV)", 24, metric_only=True),
    Column("calls", "Målt: anrop", "Measured: calls", 10, metric_only=True),
    Column("share", "Målt: andel innen grensen", "Measured: share within limit", 12, metric_only=True),
    Column("max_wait", "Målt: lengste ventetid (s)", "Measured: longest wait (s)", 12, metric_only=True),
    Column("median", "Målt: median svartid (s)", "Measured: median answer time (s)", 12, metric_only=True),
    Column("advisor_status", "Rådgiver: status", "Advisor: status", 16),
    Column("advisor_comment", "Rådgiver: kommentar", "Advisor: comment", 30),
    Column("advisor_by", "Rådgiver: navn", "Advisor: name", 20),
    Column("advisor_date", "Rådgiver: dato", "Advisor: date", 12),
]
COLUMN = {c.key: i + 1 for i, c in enumerate(ANSWER_COLUMNS)}
FORM_FIELDS = [  # Vurdering sheet, from row 2: key, labels, locked
    ("service", "Tjeneste (id)", "Service (id)", True),
    ("service_file", "Tjenestefil", "Service file", False),
    ("edition", "Utgave av kravene", "Edition of the requirements", True),
    ("period", "Periode", "Period", False),
    ("assessed_by", "Vurdert av", "Assessed by", False),
    ("date", "Dato", "Date", False),
    ("call_logs", "Anropslogger (CSV), én per linje", "Call logs (CSV), one per line", False),
    ("staff_register", "Personalregister (fil)", "Staff register (file)", False),  # competence (issue 16)
]
WAIVER_COLUMNS = [
    Column("requirement", "Krav-ID", "Requirement id", 16),
    Column("justification", "Begrunnelse", "Justification", 50),
    Column("approved_by", "Godkjent av", "Approved by", 24),
    Column("expires", "Gyldig til", "Expires", 12),
]
_FIXED = {"fil": "file", "file": "file", "tekst": "text", "text": "text"}


@dataclass(frozen=True)
class CellProblem:
    """A problem at one cell of a workbook. Rendered as `book.xlsx:Svar!G7: error code: message`."""

    path: str
    sheet: str
    cell: str
    code: str
    message: str
    severity: Severity = Severity.error

    def render(self) -> str:
        return f"{self.path}:{self.sheet}!{self.cell}: {self.severity.value} {self.code}: {self.message}"

    def as_json(self) -> dict:
        return {
            "path": self.path,
            "sheet": self.sheet,
            "cell": self.cell,
            "severity": self.severity.value,
            "code": self.code,
            "message": self.message,
        }


# --- labels -------------------------------------------------------------------------------------


def _in_language(lang: str, make):
    previous = language()
    set_language(lang)
    try:
        return make()
    finally:
        set_language(previous)


def status_labels() -> dict[str, str]:
    """Code -> label shown in the drop-down (the current language)."""
    return {s.value: outcome_label(s.value) for s in AnswerStatus}


def _status_reading() -> dict[str, str]:
    """Anything a status cell may hold (codes, bokmål and English labels, any case) -> code."""
    out = {s.value: s.value for s in AnswerStatus}
    for lang in ("nb", "en"):
        out.update({label.casefold(): code for code, label in _in_language(lang, status_labels).items()})
    return out


# --- writing ------------------------------------------------------------------------------------


def _unstorable(text: str) -> str | None:
    """Why a text cannot go into a cell as it is, or None."""
    if len(text) > MAX_CELL:
        return tr(
            f"teksten er på {len(text)} tegn; en regnearkcelle rommer {MAX_CELL}",
            f"the text has {len(text)} characters; a spreadsheet cell holds {MAX_CELL}",
        )
    found = _UNSTORABLE.search(text)
    if found:
        return tr(
            f"teksten har et kontrolltegn (0x{ord(found.group()):02x}) som en regnearkcelle ikke kan holde",
            f"the text holds a control character (0x{ord(found.group()):02x}) a spreadsheet cell cannot hold",
        )
    return None


def _float_exact(value: float) -> bool:
    """Whether a cell keeps `value` exactly (openpyxl writes numbers with "%.16g")."""
    return float("%.16g" % value) == value


def evidence_text(items: list[Evidence]) -> str:
    """Evidence items as the lines of an evidence cell (see the module docstring)."""
    lines = []
    for ev in items:
        kind = f" ({ev.kind.value})" if ev.kind else ""
        head, value = (tr("fil", "file"), ev.file) if ev.file is not None else (tr("tekst", "text"), ev.text)
        lines.append(f"{ev.date.isoformat()}{kind} {head}: " + (value or "").replace("\n", "\n  "))
    return "\n".join(lines)


def _expected_text(req: Requirement) -> str:
    lines = []
    for e in req.evidence:
        age = (
            tr(f" (høyst {e.max_age_months} måneder gammel)", f" (at most {e.max_age_months} months old)")
            if e.max_age_months
            else ""
        )
        lines.append(f"{e.kind.value}: {' '.join(e.description.split())}{age}")
    m = req.metric
    if m is not None:
        lines_txt = ", ".join(m.lines)
        if m.indicator is Indicator.max_wait:
            lines.append(
                tr(
                    f"Måling: ingen anrop på {lines_txt} venter over {m.threshold_seconds} s",
                    f"Measured: no call on {lines_txt} waits over {m.threshold_seconds} s",
                )
            )
        else:
            lines.append(
                tr(
                    f"Måling: minst {m.required_share * 100:g} % besvart innen {m.threshold_seconds} s på {lines_txt}",
                    f"Measured: at least {m.required_share * 100:g} % answered within {m.threshold_seconds} s "
                    f"on {lines_txt}",
                )
            )
    return "\n".join(lines)


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
    problems: list[tuple[tuple, str]] = []

    def walk(value: Any, loc: tuple) -> None:
        if isinstance(value, str):
            why = _unstorable(value)
            if why is None and "\n" in value and "call_logs" in loc:
                why = tr(
                    "et filnavn med linjeskift kan ikke stå i regnearket",
                    "a file name with a line break cannot go into the spreadsheet",
                )
            if why:
                problems.append((loc, why))
        elif isinstance(value, dict):
            for k, v in value.items():
                walk(v, (*loc, k))
        elif isinstance(value, list):
            for i, v in enumerate(value):
                walk(v, (*loc, i))

    walk(assessment.model_dump(mode="python", exclude_defaults=True), ())
    if problems:
        path = doc.display if doc else "(assessment)"
        raise KokomError(
            [
                doc.finding(loc, "xlsx-unstorable", why)
                if doc
                else Finding(path, 0, 0, Severity.error, "xlsx-unstorable", why)
                for loc, why in problems
            ]
        )


def _help_lines(service: Service, assessment: Assessment, count: int) -> list[str]:
    labels = status_labels()
    return [
        tr(f"Egenvurdering: {service.name}", f"Self-assessment: {service.name}"),
        "",
        tr(
            f"Tjeneste: {service.id} ({service.kind.value}). Utgave {assessment.edition} av de nasjonale kravene: "
            f"{count} krav gjelder denne tjenesten, ett per rad i arket «{ANSWERS}».",
            f"Service: {service.id} ({service.kind.value}). Edition {assessment.edition} of the national requirements: "
            f"{count} requirements apply to this service, one per row in the sheet '{ANSWERS}'.",
        ),
        "",
        tr("Slik fyller du ut:", "How to fill it in:"),
        tr(
            f"1. Arket «{FORM}»: periode, hvem som vurderer og dato.",
            f"1. Sheet '{FORM}': period, who assesses, and the date.",
        ),
        tr(
            f"2. Arket «{ANSWERS}»: velg status i nedtrekkslisten for hvert krav: "
            + ", ".join(labels.values())
            + ". Tom status betyr ikke besvart.",
            f"2. Sheet '{ANSWERS}': choose a status from the drop-down for each requirement: "
            + ", ".join(labels.values())
            + ". An empty status means unanswered.",
        ),
        tr(
            "3. Skriv en begrunnelse. Delvis oppfylt, ikke oppfylt og ikke relevant krever begrunnelse.",
            "3. Write a justification. Partly met, not met and not applicable need one.",
        ),
        tr(
            "4. Dokumentasjon: én linje per dokument, dato først, så «fil:» og stien (regnet fra mappen der "
            "vurderingsfilen lagres) eller «tekst:» og en beskrivelse. Art kan stå i parentes etter datoen:",
            "4. Evidence: one line per item, the date first, then 'file:' and the path (relative to the folder the "
            "assessment file is saved in) or 'text:' and a description. A kind may follow the date in brackets:",
        ),
        tr("     2026-09-30 fil: vedlegg/svartid-2026.csv", "     2026-09-30 file: attachments/answer-times-2026.csv"),
        tr(
            "     2026-10-07 (record) tekst: Svartidsrapporten gjennomgått i ledermøtet.",
            "     2026-10-07 (record) text: Answer-time report reviewed by the management meeting.",
        ),
        tr(
            "   Arter: " + ", ".join(k.value for k in EvidenceKind) + ". En tekst over flere linjer: "
            "start hver ny linje med to mellomrom.",
            "   Kinds: " + ", ".join(k.value for k in EvidenceKind) + ". A text over several lines: "
            "start each further line with two spaces.",
        ),
        tr(
            "5. Tiltak: fyll ut tiltak, ansvarlig og frist (en dato) sammen, eller ingen av dem. Et skal-krav "
            "som ikke er oppfylt, trenger et tiltak.",
            "5. Action: fill in action, responsible and due date (a date) together, or none of them. A skal "
            "requirement that is not met needs an action.",
        ),
        tr(
            "6. Målekrav (svartid): oppgi anropslogger (CSV-filer, én per linje) eller de målte tallene. "
            "Andelen skrives som prosent (90 %) eller som et tall mellom 0 og 1.",
            "6. Measured requirements (answer time): give call logs (CSV files, one per line) or the measured "
            "figures. The share is a percentage (90 %) or a number between 0 and 1.",
        ),
        tr(
            "7. Rådgiverkolonnene fylles ut av den nasjonale rådgiveren.",
            "7. The advisor columns are for the national advisor.",
        ),
        tr(
            f"8. Arket «{WAIVERS}»: godkjente unntak, ett per rad.",
            f"8. Sheet '{WAIVERS}': approved waivers, one per row.",
        ),
        "",
        tr(
            "Ikke endre krav-ID-ene, ikke slett eller flytt rader, og ikke skriv utenfor skjemaet: alt dette blir "
            "meldt som feil ved innlesing. Datoer skrives som datoer (ÅÅÅÅ-MM-DD). Formler leses ikke.",
            "Do not change the requirement ids, do not delete or move rows, and do not write outside the form: "
            "reading it back reports all of these. Dates are dates (YYYY-MM-DD). Formulas are not read.",
        ),
        "",
        tr("Les inn det utfylte skjemaet med:", "Read the filled-in form back with:"),
        tr(
            "     kokom assess import skjema.xlsx -o vurdering.yaml",
            "     kokom assess import form.xlsx -o assessment.yaml",
        ),
        tr(
            "og kontroller det med: kokom assess check vurdering.yaml",
            "and check it with: kokom assess check assessment.yaml",
        ),
    ]


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
    from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE
    from openpyxl.styles import Alignment, Font, PatternFill, Protection
    from openpyxl.utils import get_column_letter
    from openpyxl.worksheet.datavalidation import DataValidation

    _check_storable(assessment, doc)
    header_font = Font(bold=True, color="FFFFFF")
    header_fill = PatternFill("solid", fgColor="003A70")
    locked_fill = PatternFill("solid", fgColor="E8ECF1")
    wrap = Alignment(wrap_text=True, vertical="top")
    unlocked = Protection(locked=False)

    def put(ws, row: int, col: int, value: Any, *, locked: bool = True) -> None:
        cell = ws.cell(row, col)
        if isinstance(value, str):
            cell.value = value
            cell.data_type = "s"  # never a formula, whatever the text starts with
        else:
            cell.value = value
        if isinstance(value, dt.date):
            cell.number_format = "yyyy-mm-dd"
        cell.alignment = wrap
        if not locked:
            cell.protection = unlocked
        elif ws.title != HELP:
            cell.fill = locked_fill

    def headers(ws, columns: list[Column]) -> None:
        for col, column in enumerate(columns, 1):
            cell = ws.cell(1, col, column.header)
            cell.font, cell.fill, cell.alignment = header_font, header_fill, wrap
            ws.column_dimensions[get_column_letter(col)].width = column.width
        ws.freeze_panes = "A2"

    def protect(ws) -> None:
        ws.protection.sheet = True
        ws.protection.formatColumns = False
        ws.protection.formatRows = False

    def date_check(ws, ref: str) -> None:
        check = DataValidation(
            type="date",
            operator="greaterThan",
            formula1="DATE(1900,1,1)",
            allow_blank=True,
            showErrorMessage=True,
            error=tr("Skriv en dato (ÅÅÅÅ-MM-DD).", "Type a date (YYYY-MM-DD)."),
        )
        ws.add_data_validation(check)
        check.add(ref)

    book = Workbook()
    help_sheet = book.active
    help_sheet.title = HELP
    help_sheet.column_dimensions["A"].width = 120
    for number, line in enumerate(_help_lines(service, assessment, len(rows)), 1):
        help_sheet.cell(number, 1, ILLEGAL_CHARACTERS_RE.sub("", line)).alignment = Alignment(wrap_text=True)
    help_sheet["A1"].font = Font(bold=True, size=14)

    form = book.create_sheet(FORM)
    headers(form, [Column("field", "Felt", "Field", 34), Column("value", "Verdi", "Value", 60)])
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
    for row, (key, nb, en, locked) in enumerate(FORM_FIELDS, 2):
        put(form, row, 1, tr(nb, en))
        put(form, row, 2, values[key], locked=locked)
    date_check(form, f"B{2 + [f[0] for f in FORM_FIELDS].index('date')}")
    protect(form)

    sheet = book.create_sheet(ANSWERS)
    headers(sheet, ANSWER_COLUMNS)
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
            put(sheet, row, col, cells.get(column.key), locked=not open_)
        states.append(state)
    last = len(rows) + 1
    statuses = DataValidation(
        type="list",
        formula1='"' + ",".join(status_labels().values()) + '"',
        allow_blank=True,
        showErrorMessage=True,
        error=tr("Velg en status fra listen.", "Choose a status from the list."),
    )
    sheet.add_data_validation(statuses)
    for key in ("status", "advisor_status"):
        letter = get_column_letter(COLUMN[key])
        statuses.add(f"{letter}2:{letter}{max(last, 2)}")
    for key in ("due", "advisor_date"):
        letter = get_column_letter(COLUMN[key])
        date_check(sheet, f"{letter}2:{letter}{max(last, 2)}")
    for key in ("share", "max_wait", "median", "calls"):
        letter = get_column_letter(COLUMN[key])
        for row in range(2, last + 1):
            sheet[f"{letter}{row}"].number_format = "0.0%" if key == "share" else "General"
    sheet.freeze_panes = "B2"
    protect(sheet)

    waivers = book.create_sheet(WAIVERS)
    headers(waivers, WAIVER_COLUMNS)
    for row in range(2, WAIVER_ROWS + 2):
        for col in range(1, len(WAIVER_COLUMNS) + 1):
            waivers.cell(row, col).protection = unlocked
            waivers.cell(row, col).alignment = wrap
        waivers.cell(row, 4).number_format = "yyyy-mm-dd"
    for row, waiver in enumerate(assessment.waivers, 2):
        for col, key in enumerate(("requirement", "justification", "approved_by", "expires"), 1):
            put(waivers, row, col, getattr(waiver, key), locked=False)
    date_check(waivers, f"D2:D{max(WAIVER_ROWS, len(assessment.waivers)) + 1}")
    protect(waivers)

    data = book.create_sheet(DATA)
    head: dict[str, Any] = {"format": FORMAT, "service": assessment.service, "edition": assessment.edition}
    if assessment.assessed_by == "":
        head["empty"] = ["assessed_by"]
    put(data, 1, 1, FORMAT)
    put(data, 1, 2, json.dumps(head, ensure_ascii=False))
    for row, state in enumerate(states, 2):
        put(data, row, 1, state.id)
        put(data, row, 2, state.as_json())
    data.sheet_state = "veryHidden"
    protect(data)

    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


# --- reading ------------------------------------------------------------------------------------


@dataclass
class ImportResult:
    """A workbook read back: the assessment as plain YAML data, where each value came from, and the problems."""

    display: str  # the workbook, as the user named it
    data: dict[str, Any]
    cells: dict[tuple, tuple[str, str]]  # YAML location -> (sheet, cell)
    order: list[str]  # requirement ids in the form's order
    problems: list[CellProblem]


class _Reader:
    def __init__(self, display: str):
        self.display = display
        self.problems: list[CellProblem] = []
        self.cells: dict[tuple, tuple[str, str]] = {}
        self.statuses = _status_reading()

    def problem(self, sheet: str, cell: str, code: str, message: str) -> None:
        self.problems.append(CellProblem(self.display, sheet, cell, code, message))

    def value(self, ws, row: int, col: int):
        """The cell's value, or the _Fail sentinel after reporting a formula."""
        cell = ws.cell(row, col)
        if cell.data_type == "f":
            self.problem(
                ws.title,
                cell.coordinate,
                "xlsx-formula",
                tr(
                    "cellen har en formel; formler leses ikke: skriv verdien",
                    "the cell holds a formula; formulas are not read: type the value",
                ),
            )
            return _FAIL
        return cell.value

    def text(self, ws, row: int, col: int, loc: tuple | None = None) -> str | None:
        value = self.value(ws, row, col)
        coordinate = ws.cell(row, col).coordinate
        if loc is not None:
            self.cells[loc] = (ws.title, coordinate)
        if value is None or value is _FAIL:
            return None
        if isinstance(value, (bool, dt.date, dt.time, dt.timedelta)):
            self.problem(
                ws.title,
                coordinate,
                "xlsx-not-text",
                tr(
                    f"cellen skal ha tekst, men har {_kind_of(value)}; skriv den som tekst (med ' foran)",
                    f"the cell should hold text, but holds {_kind_of(value)}; type it as text (with ' in front)",
                ),
            )
            return None
        if isinstance(value, float) and value.is_integer():
            return str(int(value))
        return str(value)

    def date(self, ws, row: int, col: int, loc: tuple | None = None) -> dt.date | None:
        value = self.value(ws, row, col)
        coordinate = ws.cell(row, col).coordinate
        if loc is not None:
            self.cells[loc] = (ws.title, coordinate)
        if value is None or value is _FAIL:
            return None
        if isinstance(value, dt.datetime):
            if value.time() == dt.time(0):
                return value.date()
        elif isinstance(value, dt.date):
            return value
        elif isinstance(value, str):
            try:
                return dt.date.fromisoformat(value.strip())
            except ValueError:
                pass
        self.problem(
            ws.title,
            coordinate,
            "xlsx-not-a-date",
            tr(
                f"'{_shown(value)}' er ikke en dato; skriv en dato (ÅÅÅÅ-MM-DD)",
                f"'{_shown(value)}' is not a date; type a date (YYYY-MM-DD)",
            ),
        )
        return None

    def number(self, ws, row: int, col: int, loc: tuple, *, whole: bool = False, percent: bool = False):
        value = self.value(ws, row, col)
        coordinate = ws.cell(row, col).coordinate
        self.cells[loc] = (ws.title, coordinate)
        if value is None or value is _FAIL:
            return None
        number = None
        if isinstance(value, (int, float)) and not isinstance(value, bool):
            number = value
        elif isinstance(value, str):
            text = value.strip().replace("\u00a0", " ").replace(",", ".")
            scale = 1.0
            if percent and text.endswith("%"):
                text, scale = text[:-1].strip(), 0.01
            try:
                number = float(text) * scale
            except ValueError:
                number = None
        if number is not None and whole:
            if float(number).is_integer():
                return int(number)
            number = None
        if number is None:
            wanted = tr("et helt tall", "a whole number") if whole else tr("et tall", "a number")
            self.problem(
                ws.title,
                coordinate,
                "xlsx-not-a-number",
                tr(f"'{_shown(value)}' er ikke {wanted}", f"'{_shown(value)}' is not {wanted}"),
            )
        return number

    def status(self, ws, row: int, col: int, loc: tuple) -> str | None:
        value = self.text(ws, row, col, loc)
        if value is None or not value.strip():
            return None
        code = self.statuses.get(value.strip().casefold())
        if code is None:
            allowed = ", ".join(status_labels().values())
            self.problem(
                ws.title,
                ws.cell(row, col).coordinate,
                "xlsx-unknown-status",
                tr(
                    f"ukjent status '{_shown(value)}'; velg en av: {allowed} (eller la cellen stå tom)",
                    f"unknown status '{_shown(value)}'; choose one of: {allowed} (or leave the cell empty)",
                ),
            )
        return code


class _Fail:
    pass


_FAIL = _Fail()


def _kind_of(value: Any) -> str:
    if isinstance(value, bool):
        return tr("en sann/usann-verdi", "a true/false value")
    if isinstance(value, dt.date):
        return tr("en dato", "a date")
    return tr("et klokkeslett", "a time")


def _shown(value: Any) -> str:
    text = str(value)
    return text if len(text) <= 60 else text[:57] + "..."


def _evidence(reader: _Reader, ws, row: int, col: int, loc: tuple) -> list[dict] | None:
    text = reader.text(ws, row, col, loc)
    if not text:
        return None
    coordinate = ws.cell(row, col).coordinate
    items: list[list[str]] = []
    for line in text.split("\n"):
        if line.startswith((" ", "\t")):
            if not items:
                reader.problem(
                    ws.title,
                    coordinate,
                    "xlsx-evidence",
                    tr(
                        "første linje begynner med mellomrom; en dokumentasjonslinje begynner med datoen",
                        "the first line starts with a space; an evidence line starts with its date",
                    ),
                )
                return None
            items[-1].append(line[2:] if line.startswith("  ") else line[1:])
        elif line:
            items.append([line])
    out = []
    for number, lines in enumerate(items, 1):
        found = _EVIDENCE_LINE.fullmatch("\n".join(lines))
        where = tr(f"linje {number} av dokumentasjonen", f"evidence line {number}")
        if found is None or not found["value"]:
            reader.problem(
                ws.title,
                coordinate,
                "xlsx-evidence",
                tr(
                    f"{where}: skriv dato, så «fil: sti» eller «tekst: beskrivelse», f.eks. 2026-09-30 fil: vedlegg/rutine.pdf",
                    f"{where}: write the date, then 'file: path' or 'text: description', "
                    "e.g. 2026-09-30 file: attachments/procedure.pdf",
                ),
            )
            continue
        try:
            day = dt.date.fromisoformat(found["date"])
        except ValueError:
            reader.problem(
                ws.title,
                coordinate,
                "xlsx-not-a-date",
                tr(
                    f"{where}: '{_shown(found['date'])}' er ikke en dato (ÅÅÅÅ-MM-DD)",
                    f"{where}: '{_shown(found['date'])}' is not a date (YYYY-MM-DD)",
                ),
            )
            continue
        item: dict[str, Any] = {_FIXED.get(found["head"] or "text"): found["value"], "date": day}
        kind = found["kind"]
        if kind is not None:
            if kind not in {k.value for k in EvidenceKind}:
                reader.problem(
                    ws.title,
                    coordinate,
                    "xlsx-evidence",
                    tr(
                        f"{where}: ukjent art '{_shown(kind)}'; bruk en av {', '.join(k.value for k in EvidenceKind)}",
                        f"{where}: unknown kind '{_shown(kind)}'; use one of {', '.join(k.value for k in EvidenceKind)}",
                    ),
                )
                continue
            item["kind"] = kind
        reader.cells[(*loc, len(out))] = (ws.title, coordinate)
        out.append(item)
    return out


def _together(reader: _Reader, ws, row: int, parts: dict[str, Any], required: tuple[str, ...], what: str) -> bool:
    """True when the parts are all empty; report the missing ones when only some are filled in."""
    filled = {k for k, v in parts.items() if v is not None}
    if not filled:
        return False
    for key in required:
        if parts.get(key) is None:
            coordinate = ws.cell(row, COLUMN[key]).coordinate
            if (ws.title, coordinate) not in {(p.sheet, p.cell) for p in reader.problems}:
                reader.problem(
                    ws.title,
                    coordinate,
                    "xlsx-incomplete",
                    tr(
                        f"{what} er bare delvis fylt ut: fyll ut denne cellen også, eller tøm de andre",
                        f"{what} is only partly filled in: fill in this cell as well, or empty the others",
                    ),
                )
    return all(parts.get(k) is not None for k in required)


def _lines(text: str | None) -> list[str] | None:
    return None if text is None else [line for line in text.split("\n") if line]


def _read_answer(reader: _Reader, ws, row: int, state: dict) -> tuple[bool, dict | None]:
    """(anything filled in, the answer as YAML data) for one row of the answers sheet."""
    req_id = state["id"]
    loc = ("answers", req_id)
    col = COLUMN
    answer: dict[str, Any] = {}
    status = reader.status(ws, row, col["status"], (*loc, "status"))
    if status:
        answer["status"] = status
    empty = set(state.get("empty", []))
    precise = state.get("precise", {})
    justification = reader.text(ws, row, col["justification"], (*loc, "justification"))
    if justification is None and "justification" in empty:
        justification = ""
    if justification is not None:
        answer["justification"] = justification
    evidence = _evidence(reader, ws, row, col["evidence"], (*loc, "evidence"))
    if evidence:
        answer["evidence"] = evidence
    action = {
        "what": reader.text(ws, row, col["action"], (*loc, "action", "what")),
        "responsible": reader.text(ws, row, col["responsible"], (*loc, "action", "responsible")),
        "due": reader.date(ws, row, col["due"], (*loc, "action", "due")),
    }
    reader.cells[(*loc, "action")] = (ws.title, ws.cell(row, col["action"]).coordinate)
    if _together(
        reader,
        ws,
        row,
        {"action": action["what"], "responsible": action["responsible"], "due": action["due"]},
        ("action", "responsible", "due"),
        tr("tiltaket", "the action"),
    ):
        answer["action"] = action
    verification = {
        "status": reader.status(ws, row, col["advisor_status"], (*loc, "verification", "status")),
        "comment": reader.text(ws, row, col["advisor_comment"], (*loc, "verification", "comment")),
        "by": reader.text(ws, row, col["advisor_by"], (*loc, "verification", "by")),
        "date": reader.date(ws, row, col["advisor_date"], (*loc, "verification", "date")),
    }
    reader.cells[(*loc, "verification")] = (ws.title, ws.cell(row, col["advisor_status"]).coordinate)
    if verification["comment"] is None and "advisor_comment" in empty:
        verification["comment"] = ""
    parts = {
        "advisor_status": verification["status"],
        "advisor_comment": verification["comment"],
        "advisor_by": verification["by"],
        "advisor_date": verification["date"],
    }
    if _together(
        reader,
        ws,
        row,
        parts,
        ("advisor_status", "advisor_by", "advisor_date"),
        tr("rådgiverens vurdering", "the advisor's verification"),
    ):
        answer["verification"] = {k: v for k, v in verification.items() if v is not None}
    call_logs = _lines(reader.text(ws, row, col["call_logs"], (*loc, "call_logs")))
    if call_logs is None and "call_logs" in empty:
        call_logs = []
    if call_logs is not None:
        answer["call_logs"] = call_logs
        for index in range(len(call_logs)):
            reader.cells[(*loc, "call_logs", index)] = reader.cells[(*loc, "call_logs")]
    measured = {"calls": reader.number(ws, row, col["calls"], (*loc, "measured", "calls"), whole=True)}
    for key, name in (("share", "share"), ("max_wait", "max_wait_seconds"), ("median", "median_answer_seconds")):
        value = reader.number(ws, row, col[key], (*loc, "measured", name), percent=key == "share")
        if key in precise and value is not None and float("%.16g" % float(precise[key])) == value:
            value = float(precise[key])
        measured[name] = value
    reader.cells[(*loc, "measured")] = (ws.title, ws.cell(row, col["calls"]).coordinate)
    if _together(
        reader,
        ws,
        row,
        {
            "calls": measured["calls"],
            "share": measured["share"],
            "max_wait": measured["max_wait_seconds"],
            "median": measured["median_answer_seconds"],
        },
        ("calls",),
        tr("målingen", "the measurement"),
    ):
        answer["measured"] = {k: v for k, v in measured.items() if v is not None}
    filled = bool(answer) or status is not None
    if not filled:
        return False, None if state["state"] == "null" else {}
    return True, answer


def _outside(reader: _Reader, ws, max_col: int, max_row: int | None = None) -> None:
    """Report every filled-in cell right of `max_col` (or below `max_row`): nothing there is read."""
    for row in ws.iter_rows(min_row=1):
        for cell in row:
            if cell.value is None or (cell.column <= max_col and (max_row is None or cell.row <= max_row)):
                continue
            reader.problem(
                ws.title,
                cell.coordinate,
                "xlsx-outside-form",
                tr(
                    "cellen er utenfor skjemaet og blir ikke lest; flytt innholdet inn i skjemaet eller slett det",
                    "the cell is outside the form and is not read; move its content into the form or delete it",
                ),
            )


def _check_headers(reader: _Reader, ws, columns: list[Column]) -> bool:
    for col, column in enumerate(columns, 1):
        value = ws.cell(1, col).value
        if value not in (column.nb, column.en):
            reader.problem(
                ws.title,
                ws.cell(1, col).coordinate,
                "xlsx-columns-changed",
                tr(
                    f"kolonneoverskriften skal være «{column.nb}»; kolonner er satt inn, flyttet eller slettet: "
                    "eksporter skjemaet på nytt",
                    f"the column heading should be '{column.en}'; columns were inserted, moved or deleted: "
                    "export the form again",
                ),
            )
            return False
    return True


def _read_data_sheet(reader: _Reader, book) -> tuple[dict, list[dict]] | None:
    if DATA not in book.sheetnames:
        reader.problem(
            DATA,
            "A1",
            "xlsx-not-a-form",
            tr(
                f"arket «{DATA}» mangler; dette er ikke et skjema fra `kokom assess export`, eller arket er slettet",
                f"the sheet '{DATA}' is missing; this is not a form made by `kokom assess export`, or the sheet was deleted",
            ),
        )
        return None
    ws = book[DATA]
    try:
        if ws["A1"].value != FORMAT:
            raise ValueError(ws["A1"].value)
        head = json.loads(ws["B1"].value)
        states = [json.loads(ws.cell(row, 2).value) for row in range(2, ws.max_row + 1) if ws.cell(row, 1).value]
        if not isinstance(head, dict) or not all(isinstance(s, dict) and "id" in s and "state" in s for s in states):
            raise ValueError("shape")
    except (ValueError, TypeError, KeyError):
        reader.problem(
            DATA,
            "A1",
            "xlsx-not-a-form",
            tr(
                f"det skjulte arket «{DATA}» er endret og kan ikke leses; eksporter skjemaet på nytt",
                f"the hidden sheet '{DATA}' was changed and cannot be read; export the form again",
            ),
        )
        return None
    return head, states


def _read_answers(reader: _Reader, ws, states: list[dict]) -> dict[str, Any]:
    """The answers, with every row checked against the rows as exported."""
    from kokom_cli.core.suggest import did_you_mean

    expected = [s["id"] for s in states]
    by_id = {s["id"]: s for s in states}
    last = max(ws.max_row, len(states) + 1)
    ids = {row: str(ws.cell(row, 1).value).strip() for row in range(2, last + 1) if ws.cell(row, 1).value is not None}
    present = set(ids.values())
    filled_rows = {
        cell.row
        for row in ws.iter_rows(min_row=2, max_col=len(ANSWER_COLUMNS))
        for cell in row
        if cell.value is not None
    }
    found: dict[str, int] = {}
    accounted: set[str] = set()  # expected ids whose absence is already explained at their old row
    for row in range(2, last + 1):
        req_id = ids.get(row, "")
        was = expected[row - 2] if row - 2 < len(expected) else None
        lost = was if was is not None and was not in present else None
        if req_id in found:
            reader.problem(
                ws.title,
                f"A{row}",
                "xlsx-duplicate-id",
                tr(
                    f"{req_id} står også på rad {found[req_id]}; hvert krav har én rad",
                    f"{req_id} is also on row {found[req_id]}; each requirement has one row",
                ),
            )
        elif req_id in by_id:
            found[req_id] = row
        elif lost is not None and (req_id or row in filled_rows):
            accounted.add(lost)
            reader.problem(
                ws.title,
                f"A{row}",
                "xlsx-id-altered",
                tr(
                    f"krav-ID-en er endret fra {lost} til '{req_id}'; sett den tilbake",
                    f"the requirement id was changed from {lost} to '{req_id}'; change it back",
                ),
            )
        elif req_id:
            reader.problem(
                ws.title,
                f"A{row}",
                "xlsx-unknown-id",
                tr(
                    f"{req_id} er ikke et av kravene i dette skjemaet{did_you_mean(req_id, expected)}; "
                    "rader kan ikke legges til",
                    f"{req_id} is not one of the requirements in this form{did_you_mean(req_id, expected)}; "
                    "rows cannot be added",
                ),
            )
        elif row in filled_rows:
            reader.problem(
                ws.title,
                f"A{row}",
                "xlsx-row-without-id",
                tr(
                    "raden har innhold, men ingen krav-ID; skjemaet har bare radene det ble eksportert med",
                    "the row has content but no requirement id; the form holds only the rows it was exported with",
                ),
            )
    for index, req_id in enumerate(expected):
        if req_id not in found and req_id not in accounted:
            row = index + 2
            reader.problem(
                ws.title,
                f"A{row}",
                "xlsx-row-deleted",
                tr(
                    f"raden for {req_id} (rad {row} da skjemaet ble eksportert) er slettet; sett den inn igjen "
                    "eller eksporter skjemaet på nytt",
                    f"the row for {req_id} (row {row} when the form was exported) was deleted; put it back or "
                    "export the form again",
                ),
            )
    answers: dict[str, Any] = {}
    for req_id in expected:
        if req_id not in found:
            continue
        reader.cells[("answers", req_id)] = (ws.title, f"A{found[req_id]}")
        filled, answer = _read_answer(reader, ws, found[req_id], by_id[req_id])
        if filled or by_id[req_id]["state"] != "absent":
            answers[req_id] = answer
    return answers


def _read_form(reader: _Reader, ws, head: dict) -> dict[str, Any]:
    keys = [f[0] for f in FORM_FIELDS]
    for row, (key, nb, en, _) in enumerate(FORM_FIELDS, 2):
        if ws.cell(row, 1).value not in (nb, en):
            reader.problem(
                ws.title,
                f"A{row}",
                "xlsx-rows-changed",
                tr(
                    f"her skal det stå «{nb}»; rader er satt inn, flyttet eller slettet: eksporter skjemaet på nytt",
                    f"this should read '{en}'; rows were inserted, moved or deleted: export the form again",
                ),
            )
            return {}
    row_of = {key: keys.index(key) + 2 for key in keys}
    data: dict[str, Any] = {}
    for key in ("service", "service_file", "edition", "period", "assessed_by", "staff_register"):
        value = reader.text(ws, row_of[key], 2, (key,))
        if value is None and key in head.get("empty", []):
            value = ""
        if value is not None:
            data[key] = value
    day = reader.date(ws, row_of["date"], 2, ("date",))
    if day is not None:
        data["date"] = day
    logs = _lines(reader.text(ws, row_of["call_logs"], 2, ("call_logs",)))
    if logs:
        data["call_logs"] = logs
        for index in range(len(logs)):
            reader.cells[("call_logs", index)] = reader.cells[("call_logs",)]
    for key in ("service", "edition", "period", "date"):
        if key not in data and (ws.title, f"B{row_of[key]}") not in {(p.sheet, p.cell) for p in reader.problems}:
            reader.problem(
                ws.title, f"B{row_of[key]}", "xlsx-missing", tr("cellen må fylles ut", "the cell must be filled in")
            )
    if data.get("service") not in (None, head.get("service")) or data.get("edition") not in (None, head.get("edition")):
        reader.problem(
            ws.title,
            f"B{row_of['service']}",
            "xlsx-form-changed",
            tr(
                f"skjemaet ble eksportert for {head.get('service')}, utgave {head.get('edition')}; tjeneste og utgave "
                "kan ikke endres i regnearket",
                f"the form was exported for {head.get('service')}, edition {head.get('edition')}; service and edition "
                "cannot be changed in the spreadsheet",
            ),
        )
    _outside(reader, ws, 2, len(FORM_FIELDS) + 1)
    return data


def _read_waivers(reader: _Reader, ws) -> list[dict]:
    out = []
    for row in range(2, ws.max_row + 1):
        values = {
            "requirement": reader.text(ws, row, 1),
            "justification": reader.text(ws, row, 2),
            "approved_by": reader.text(ws, row, 3),
            "expires": reader.date(ws, row, 4),
        }
        if all(v is None for v in values.values()):
            continue
        index = len(out)
        for col, key in enumerate(values, 1):
            coordinate = ws.cell(row, col).coordinate
            reader.cells[("waivers", index, key)] = (ws.title, coordinate)
            if values[key] is None and (ws.title, coordinate) not in {(p.sheet, p.cell) for p in reader.problems}:
                reader.problem(
                    ws.title,
                    coordinate,
                    "xlsx-incomplete",
                    tr(
                        "unntaket trenger krav-ID, begrunnelse, hvem som godkjente og gyldig til: fyll ut cellen",
                        "a waiver needs requirement id, justification, who approved it and expiry: fill in the cell",
                    ),
                )
        reader.cells[("waivers", index)] = reader.cells[("waivers", index, "requirement")]
        out.append({k: v for k, v in values.items() if v is not None})
    _outside(reader, ws, len(WAIVER_COLUMNS))
    return out


def read_workbook(raw: bytes, display: str) -> ImportResult:
    """Read a filled-in form. KokomError when it is not a workbook at all; problems at their cells otherwise."""
    from zipfile import BadZipFile

    from openpyxl import load_workbook
    from openpyxl.utils.exceptions import InvalidFileException

    try:
        book = load_workbook(io.BytesIO(raw), data_only=False)
    except (BadZipFile, InvalidFileException, KeyError, OSError, ValueError, TypeError) as exc:
        raise KokomError(
            Finding(
                display,
                0,
                0,
                Severity.error,
                "xlsx-unreadable",
                tr(
                    f"filen kan ikke leses som et XLSX-regneark ({type(exc).__name__}); lagre den som Excel-arbeidsbok (.xlsx)",
                    f"the file cannot be read as an XLSX workbook ({type(exc).__name__}); save it as an Excel workbook (.xlsx)",
                ),
            )
        )
    reader = _Reader(display)
    found = _read_data_sheet(reader, book)
    missing = [name for name in (FORM, ANSWERS, WAIVERS) if name not in book.sheetnames]
    for name in missing:
        reader.problem(
            name,
            "A1",
            "xlsx-sheet-missing",
            tr(
                f"arket «{name}» mangler; eksporter skjemaet på nytt",
                f"the sheet '{name}' is missing; export the form again",
            ),
        )
    for name in book.sheetnames:
        if name not in (HELP, FORM, ANSWERS, WAIVERS, DATA):
            reader.problem(
                name,
                "A1",
                "xlsx-unknown-sheet",
                tr(
                    f"arket «{name}» hører ikke til skjemaet og blir ikke lest; flytt innholdet eller slett arket",
                    f"the sheet '{name}' is not part of the form and is not read; move its content or delete the sheet",
                ),
            )
    if found is None or missing:
        return ImportResult(display, {}, reader.cells, [], reader.problems)
    head, states = found
    data = _read_form(reader, book[FORM], head)
    answers_sheet = book[ANSWERS]
    if _check_headers(reader, answers_sheet, ANSWER_COLUMNS):
        data["answers"] = _read_answers(reader, answers_sheet, states)
        _outside(reader, answers_sheet, len(ANSWER_COLUMNS))
    if _check_headers(reader, book[WAIVERS], WAIVER_COLUMNS):
        waivers = _read_waivers(reader, book[WAIVERS])
        if waivers:
            data["waivers"] = waivers
    return ImportResult(display, data, reader.cells, [s["id"] for s in states], reader.problems)


# --- checking and writing the result ------------------------------------------------------------


class _Dumper(yaml.SafeDumper):
    pass


_Dumper.add_multi_representer(Enum, lambda dumper, value: dumper.represent_str(value.value))
_Dumper.add_representer(
    str,
    lambda dumper, value: dumper.represent_scalar(
        "tag:yaml.org,2002:str", value, style="|" if "\n" in value and not value.endswith(" ") else None
    ),
)


def assessment_yaml(data: dict[str, Any], order: list[str] | None = None) -> str:
    """An assessment's YAML text from its plain data (or `assessment_data`): answers in `order`, last."""
    data = dict(data)
    answers = data.pop("answers", {})
    if order is not None:
        rank = {req_id: index for index, req_id in enumerate(order)}
        answers = dict(sorted(answers.items(), key=lambda item: rank.get(item[0], len(rank))))
    data["answers"] = answers
    return yaml.dump(data, Dumper=_Dumper, allow_unicode=True, sort_keys=False, width=100)


def assessment_data(assessment: Assessment) -> dict[str, Any]:
    """The plain data `assessment_yaml` writes for a model: what is not a default, answers as they are."""
    data = assessment.model_dump(mode="python", exclude_defaults=True, exclude={"answers"})
    data["answers"] = {
        req_id: None if answer is None else answer.model_dump(mode="python", exclude_defaults=True)
        for req_id, answer in assessment.answers.items()
    }
    return data


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
