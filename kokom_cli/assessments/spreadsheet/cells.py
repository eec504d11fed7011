"""Reading the form back, cell by cell: typed values, evidence lines, one answer row (`_read_answer`)."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from kokom_cli.assessments.spreadsheet.form import (
    _EVIDENCE_LINE,
    _FIXED,
    COLUMN,
    CellProblem,
    _status_reading,
    status_labels,
)
from kokom_cli.assessments.spreadsheet.limits import MAX_PROBLEMS
from kokom_cli.core.i18n import tr
from kokom_cli.requirements.models import EvidenceKind

if TYPE_CHECKING:
    pass


@dataclass
class ImportResult:
    """A workbook read back: the assessment as plain YAML data, where each value came from, and the problems."""

    display: str  # the workbook, as the user named it
    data: dict[str, Any]
    cells: dict[tuple, tuple[str, str]]  # YAML location -> (sheet, cell)
    order: list[str]  # requirement ids in the form's order
    problems: list[CellProblem]  # the first MAX_PROBLEMS
    more: int = 0  # problems found past those


class _Reader:
    def __init__(self, display: str):
        self.display = display
        self.problems: list[CellProblem] = []
        self.more = 0  # problems past MAX_PROBLEMS: counted, not kept
        self.cells: dict[tuple, tuple[str, str]] = {}
        self.statuses = _status_reading()

    def problem(self, sheet: str, cell: str, code: str, message: str) -> None:
        if len(self.problems) >= MAX_PROBLEMS:
            self.more += 1
            return
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
                    "cella har ein formel; formlar blir ikkje lesne: skriv verdien",
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
                    f"cella skal ha tekst, men har {_kind_of(value)}; skriv verdien som tekst (med ' framfor)",
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
                f"'{_shown(value)}' er ikkje ein dato; skriv ein dato (ÅÅÅÅ-MM-DD)",
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
            wanted = (
                tr("et helt tall", "a whole number", "eit heilt tal") if whole else tr("et tall", "a number", "eit tal")
            )
            self.problem(
                ws.title,
                coordinate,
                "xlsx-not-a-number",
                tr(
                    f"'{_shown(value)}' er ikke {wanted}",
                    f"'{_shown(value)}' is not {wanted}",
                    f"'{_shown(value)}' er ikkje {wanted}",
                ),
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
                    f"ukjend status '{_shown(value)}'; vel ein av: {allowed} (eller la cella stå tom)",
                ),
            )
        return code


class _Fail:
    pass


_FAIL = _Fail()


def _kind_of(value: Any) -> str:
    if isinstance(value, bool):
        return tr("en sann/usann-verdi", "a true/false value", "ein sann/usann-verdi")
    if isinstance(value, dt.date):
        return tr("en dato", "a date", "ein dato")
    return tr("et klokkeslett", "a time", "eit klokkeslett")


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
                        "første linja byrjar med mellomrom; ei dokumentasjonslinje byrjar med datoen",
                    ),
                )
                return None
            items[-1].append(line[2:] if line.startswith("  ") else line[1:])
        elif line:
            items.append([line])
    out: list[dict[str, Any]] = []
    for number, lines in enumerate(items, 1):
        found = _EVIDENCE_LINE.fullmatch("\n".join(lines))
        where = tr(
            f"linje {number} av dokumentasjonen", f"evidence line {number}", f"linje {number} av dokumentasjonen"
        )
        if found is None or not found["value"]:
            reader.problem(
                ws.title,
                coordinate,
                "xlsx-evidence",
                tr(
                    f"{where}: skriv dato, så «fil: sti» eller «tekst: beskrivelse», "
                    "f.eks. 2026-09-30 fil: vedlegg/rutine.pdf",
                    f"{where}: write the date, then 'file: path' or 'text: description', "
                    "e.g. 2026-09-30 file: attachments/procedure.pdf",
                    f"{where}: skriv dato, så «fil: sti» eller «tekst: skildring», "
                    "t.d. 2026-09-30 fil: vedlegg/rutine.pdf",
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
                    f"{where}: '{_shown(found['date'])}' er ikkje ein dato (ÅÅÅÅ-MM-DD)",
                ),
            )
            continue
        item: dict[str, Any] = {_FIXED.get(found["head"] or "text", "text"): found["value"], "date": day}
        kind = found["kind"]
        if kind is not None:
            if kind not in {k.value for k in EvidenceKind}:
                reader.problem(
                    ws.title,
                    coordinate,
                    "xlsx-evidence",
                    tr(
                        f"{where}: ukjent art '{_shown(kind)}'; bruk en av {', '.join(k.value for k in EvidenceKind)}",
                        f"{where}: unknown kind '{_shown(kind)}'; "
                        f"use one of {', '.join(k.value for k in EvidenceKind)}",
                        f"{where}: ukjend art '{_shown(kind)}'; bruk ein av {', '.join(k.value for k in EvidenceKind)}",
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
                        f"{what} er berre delvis fylt ut: fyll ut denne cella òg, eller tøm dei andre",
                    ),
                )
    return all(parts.get(k) is not None for k in required)


def _lines(text: str | None) -> list[str] | None:
    return None if text is None else [line for line in text.split("\n") if line]


def _read_answer(reader: _Reader, ws, row: int, state: dict) -> tuple[bool, dict | None]:
    """(anything filled in, the answer as YAML data) for one row of the answers sheet."""
    loc = ("answers", state["id"])
    col = COLUMN
    answer: dict[str, Any] = {}
    status = reader.status(ws, row, col["status"], (*loc, "status"))
    if status:
        answer["status"] = status
    empty = set(state.get("empty", []))
    justification = reader.text(ws, row, col["justification"], (*loc, "justification"))
    if justification is None and "justification" in empty:
        justification = ""
    if justification is not None:
        answer["justification"] = justification
    parts = {
        "evidence": _evidence(reader, ws, row, col["evidence"], (*loc, "evidence")) or None,
        "action": _read_action(reader, ws, row, loc),
        "verification": _read_verification(reader, ws, row, loc, empty),
        "call_logs": _read_call_logs(reader, ws, row, loc, empty),
        "measured": _read_measured(reader, ws, row, loc, state.get("precise", {})),
        "owner": reader.text(ws, row, col["owner"], (*loc, "owner")),
    }
    answer.update({key: value for key, value in parts.items() if value is not None})
    filled = bool(answer) or status is not None
    if not filled:
        return False, None if state["state"] == "null" else {}
    return True, answer


def _read_action(reader: _Reader, ws, row: int, loc: tuple) -> dict | None:
    col = COLUMN
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
        tr("tiltaket", "the action", "tiltaket"),
    ):
        return action
    return None


def _read_verification(reader: _Reader, ws, row: int, loc: tuple, empty: set[str]) -> dict | None:
    col = COLUMN
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
        tr("rådgiverens vurdering", "the advisor's verification", "vurderinga til rådgjevaren"),
    ):
        return {k: v for k, v in verification.items() if v is not None}
    return None


def _read_call_logs(reader: _Reader, ws, row: int, loc: tuple, empty: set[str]) -> list[str] | None:
    call_logs = _lines(reader.text(ws, row, COLUMN["call_logs"], (*loc, "call_logs")))
    if call_logs is None and "call_logs" in empty:
        call_logs = []
    for index in range(len(call_logs or [])):
        reader.cells[(*loc, "call_logs", index)] = reader.cells[(*loc, "call_logs")]
    return call_logs


def _read_measured(reader: _Reader, ws, row: int, loc: tuple, precise: dict) -> dict | None:
    col = COLUMN
    measured = {"calls": reader.number(ws, row, col["calls"], (*loc, "measured", "calls"), whole=True)}
    for key, name in (("share", "share"), ("max_wait", "max_wait_seconds"), ("median", "median_answer_seconds")):
        value = reader.number(ws, row, col[key], (*loc, "measured", name), percent=key == "share")
        if key in precise and value is not None and float(f"{float(precise[key]):.16g}") == value:
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
        tr("målingen", "the measurement", "målinga"),
    ):
        return {k: v for k, v in measured.items() if v is not None}
    return None
