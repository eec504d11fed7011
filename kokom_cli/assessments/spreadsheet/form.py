"""The XLSX form's layout and vocabulary: sheets, columns, form fields, status labels, evidence lines.

Shared by the export (`export.py`) and the import (`cells.py`, `reading.py`).
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from kokom_cli.assessments.models import AnswerStatus, Evidence
from kokom_cli.assessments.results import outcome_label
from kokom_cli.core.findings import Finding, KokomError, Severity
from kokom_cli.core.i18n import language, set_language, tr
from kokom_cli.requirements.models import Indicator, Requirement

if TYPE_CHECKING:
    from kokom_cli.yaml.document import YamlDocument


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
    nn: str
    width: int
    answer: bool = True  # unlocked for the service to fill in
    metric_only: bool = False  # unlocked only on rows of measured requirements

    @property
    def header(self) -> str:
        return tr(self.nb, self.en, self.nn)


ANSWER_COLUMNS = [
    Column("id", "Krav-ID", "Requirement id", "Krav-ID", 16, answer=False),
    Column("chapter", "Kapittel", "Chapter", "Kapittel", 18, answer=False),
    Column("title", "Tittel", "Title", "Tittel", 30, answer=False),
    Column("level", "Nivå", "Level", "Nivå", 6, answer=False),
    Column("text", "Kravtekst", "Requirement text", "Kravtekst", 50, answer=False),
    Column("expected", "Forventet dokumentasjon", "Expected evidence", "Venta dokumentasjon", 36, answer=False),
    Column("status", "Status", "Status", "Status", 16),
    Column("justification", "Begrunnelse", "Justification", "Grunngiving", 40),
    Column(
        "evidence",
        "Dokumentasjon (dato, fil: eller tekst:)",
        "Evidence (date, file: or text:)",
        "Dokumentasjon (dato, fil: eller tekst:)",
        44,
    ),
    Column("action", "Tiltak", "Action", "Tiltak", 30),
    Column("responsible", "Ansvarlig", "Responsible", "Ansvarleg", 20),
    Column("due", "Frist", "Due", "Frist", 12),
    Column("call_logs", "Anropslogger (CSV)", "Call logs (CSV)", "Anropsloggar (CSV)", 24, metric_only=True),
    Column("calls", "Målt: anrop", "Measured: calls", "Målt: anrop", 10, metric_only=True),
    Column(
        "share",
        "Målt: andel innen grensen",
        "Measured: share within limit",
        "Målt: del innanfor grensa",
        12,
        metric_only=True,
    ),
    Column(
        "max_wait",
        "Målt: lengste ventetid (s)",
        "Measured: longest wait (s)",
        "Målt: lengste ventetid (s)",
        12,
        metric_only=True,
    ),
    Column(
        "median",
        "Målt: median svartid (s)",
        "Measured: median answer time (s)",
        "Målt: median svartid (s)",
        12,
        metric_only=True,
    ),
    Column("advisor_status", "Rådgiver: status", "Advisor: status", "Rådgjevar: status", 16),
    Column("advisor_comment", "Rådgiver: kommentar", "Advisor: comment", "Rådgjevar: kommentar", 30),
    Column("advisor_by", "Rådgiver: navn", "Advisor: name", "Rådgjevar: namn", 20),
    Column("advisor_date", "Rådgiver: dato", "Advisor: date", "Rådgjevar: dato", 12),
    Column(
        "owner",
        "Svares av (standard: Vurdert av)",
        "Answered by (default: Assessed by)",
        "Svar gitt av (standard: Vurdert av)",
        22,
    ),
]
COLUMN = {c.key: i + 1 for i, c in enumerate(ANSWER_COLUMNS)}
FORM_FIELDS = [  # Vurdering sheet, from row 2: key, labels (nb, en, nn), locked
    ("service", "Tjeneste (id)", "Service (id)", "Teneste (id)", True),
    ("service_file", "Tjenestefil", "Service file", "Tenestefil", False),
    ("edition", "Utgave av kravene", "Edition of the requirements", "Utgåve av krava", True),
    ("period", "Periode", "Period", "Periode", False),
    ("assessed_by", "Vurdert av", "Assessed by", "Vurdert av", False),
    ("date", "Dato", "Date", "Dato", False),
    (
        "call_logs",
        "Anropslogger (CSV), én per linje",
        "Call logs (CSV), one per line",
        "Anropsloggar (CSV), éin per linje",
        False,
    ),
    ("staff_register", "Personalregister (fil)", "Staff register (file)", "Personalregister (fil)", False),
]
WAIVER_COLUMNS = [
    Column("requirement", "Krav-ID", "Requirement id", "Krav-ID", 16),
    Column("justification", "Begrunnelse", "Justification", "Grunngiving", 50),
    Column("approved_by", "Godkjent av", "Approved by", "Godkjend av", 24),
    Column("expires", "Gyldig til", "Expires", "Gyldig til", 12),
    Column("approved_on", "Godkjent dato", "Approved on", "Godkjend dato", 12),  # last: older forms have 4 columns
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
    """Anything a status cell may hold (codes, bokmål, nynorsk and English labels, any case) -> code."""
    out = {s.value: s.value for s in AnswerStatus}
    for lang in ("nb", "nn", "en"):
        out.update({label.casefold(): code for code, label in _in_language(lang, status_labels).items()})
    return out


# --- writing ------------------------------------------------------------------------------------


def refuse_unstorable(data: Any, doc: YamlDocument | None, what: str, why_else=None) -> None:
    """KokomError, positioned in the YAML file when there is one, for every text in `data` a cell cannot hold.

    `why_else(text, loc)` may name a further reason for a text at `loc` (None: none); `what` names the
    file in the error when there is no YAML file (a blank form).
    """
    problems: list[tuple[tuple, str]] = []

    def walk(value: Any, loc: tuple) -> None:
        if isinstance(value, str):
            why = _unstorable(value) or (why_else(value, loc) if why_else else None)
            if why:
                problems.append((loc, why))
        elif isinstance(value, dict):
            for k, v in value.items():
                walk(v, (*loc, k))
        elif isinstance(value, list):
            for i, v in enumerate(value):
                walk(v, (*loc, i))

    walk(data, ())
    if problems:
        raise KokomError(
            [
                doc.finding(loc, "xlsx-unstorable", why)
                if doc
                else Finding(what, 0, 0, Severity.error, "xlsx-unstorable", why)
                for loc, why in problems
            ]
        )


def _unstorable(text: str) -> str | None:
    """Why a text cannot go into a cell as it is, or None."""
    if len(text) > MAX_CELL:
        return tr(
            f"teksten er på {len(text)} tegn; en regnearkcelle rommer {MAX_CELL}",
            f"the text has {len(text)} characters; a spreadsheet cell holds {MAX_CELL}",
            f"teksten er på {len(text)} teikn; ei reknearkcelle rommar {MAX_CELL}",
        )
    found = _UNSTORABLE.search(text)
    if found:
        return tr(
            f"teksten har et kontrolltegn (0x{ord(found.group()):02x}) som en regnearkcelle ikke kan holde",
            f"the text holds a control character (0x{ord(found.group()):02x}) a spreadsheet cell cannot hold",
            f"teksten har eit kontrollteikn (0x{ord(found.group()):02x}) som ei reknearkcelle ikkje kan halde",
        )
    return None


def _float_exact(value: float) -> bool:
    """Whether a cell keeps `value` exactly (openpyxl writes numbers with "%.16g")."""
    return float(f"{value:.16g}") == value


def evidence_text(items: list[Evidence]) -> str:
    """Evidence items as the lines of an evidence cell (see the module docstring)."""
    lines = []
    for ev in items:
        kind = f" ({ev.kind.value})" if ev.kind else ""
        head, value = (
            (tr("fil", "file", "fil"), ev.file) if ev.file is not None else (tr("tekst", "text", "tekst"), ev.text)
        )
        lines.append(f"{ev.date.isoformat()}{kind} {head}: " + (value or "").replace("\n", "\n  "))
    return "\n".join(lines)


def _expected_text(req: Requirement) -> str:
    lines = [e.in_words() for e in req.evidence]
    m = req.metric
    if m is not None:
        lines_txt = ", ".join(m.lines)
        if m.indicator is Indicator.max_wait:
            lines.append(
                tr(
                    f"Måling: ingen anrop på {lines_txt} venter over {m.threshold_seconds} s",
                    f"Measured: no call on {lines_txt} waits over {m.threshold_seconds} s",
                    f"Måling: ingen anrop på {lines_txt} ventar over {m.threshold_seconds} s",
                )
            )
        else:
            lines.append(
                tr(
                    f"Måling: minst {m.required_share * 100:g} % besvart innen {m.threshold_seconds} s på {lines_txt}",
                    f"Measured: at least {m.required_share * 100:g} % answered within {m.threshold_seconds} s "
                    f"on {lines_txt}",
                    f"Måling: minst {m.required_share * 100:g} % svart innan {m.threshold_seconds} s på {lines_txt}",
                )
            )
    return "\n".join(lines)
