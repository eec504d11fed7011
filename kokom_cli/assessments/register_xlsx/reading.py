"""Reading the staff register's form back (`import_register`): every problem at its cell, nothing written before.

The workbook's zip parts are checked against the spreadsheet limits before
openpyxl parses anything; the cells are read with the self-assessment form's
reader (formulas refused, dates and whole numbers typed); the result is then
checked as the YAML register it becomes (`competence.loading`), with each
finding placed back at the cell it came from: an unknown role or course with
a suggestion, a person listed twice or in two roles, a course date after the
check day (errors), a course completed before the start date (a warning).
"""

from __future__ import annotations

import bisect
import datetime as dt
import json
import re
from dataclasses import dataclass, field
from typing import Any

from kokom_cli.assessments.register_xlsx.form import (
    CATALOGUE,
    COURSE_COLUMNS,
    COURSES,
    DATA,
    FORMAT,
    HEAD,
    HELP,
    NO,
    PEOPLE,
    PEOPLE_COLUMNS,
    YES,
    Field,
)
from kokom_cli.assessments.spreadsheet.cells import _Reader
from kokom_cli.assessments.spreadsheet.form import CellProblem
from kokom_cli.assessments.spreadsheet.limits import open_workbook
from kokom_cli.competence.dump import register_yaml
from kokom_cli.competence.loading import LoadedCatalogue, check_register_document
from kokom_cli.competence.models import Register
from kokom_cli.core.findings import Finding, KokomError
from kokom_cli.core.i18n import tr
from kokom_cli.core.suggest import did_you_mean

_YES = {YES, "yes", "j", "y", "true", "sann"}
_NO = {NO, "no", "n", "false", "usann"}
_ROLES_SPLIT = re.compile(r"\s*(?:,|;|/|\n|\bog\b|\band\b)\s*")


@dataclass
class RegisterImport:
    """A read workbook: the register's YAML text (None when there are errors), the register and the problems."""

    text: str | None
    register: Register | None
    problems: list[CellProblem | Finding] = field(default_factory=list)
    more: int = 0


class _Form:
    """The cells of one workbook read into plain register data, with the YAML location of every cell."""

    def __init__(self, reader: _Reader, book):
        self.reader, self.book = reader, book
        self.cells = reader.cells

    def problem(self, ws, row: int, col: int, code: str, nb: str, en: str, nn: str) -> None:
        self.reader.problem(ws.title, ws.cell(row, col).coordinate, code, tr(nb, en, nn))

    def sheets(self) -> dict | None:
        head = None
        if DATA in self.book.sheetnames:
            ws = self.book[DATA]
            try:
                head = json.loads(ws["B1"].value) if ws["A1"].value == FORMAT else None
            except (TypeError, ValueError):
                head = None
        if not isinstance(head, dict) or not isinstance(head.get("service"), str):
            self.reader.problem(
                DATA,
                "A1",
                "xlsx-not-a-form",
                tr(
                    f"arket «{DATA}» mangler eller er endret; dette er ikke et skjema fra `kokom competence export`",
                    f"the sheet '{DATA}' is missing or changed; this is not a form made by `kokom competence export`",
                    f"arket «{DATA}» manglar eller er endra; dette er ikkje eit skjema frå `kokom competence export`",
                ),
            )
            head = None
        for name in (HEAD, PEOPLE, COURSES):
            if name not in self.book.sheetnames:
                self.reader.problem(
                    name,
                    "A1",
                    "xlsx-sheet-missing",
                    tr(f"arket «{name}» mangler", f"the sheet '{name}' is missing", f"arket «{name}» manglar"),
                )
                head = None
        for name in self.book.sheetnames:
            if name not in (HELP, HEAD, PEOPLE, COURSES, CATALOGUE, DATA):
                self.reader.problem(
                    name,
                    "A1",
                    "xlsx-unknown-sheet",
                    tr(
                        f"arket «{name}» hører ikke til skjemaet og blir ikke lest; flytt innholdet eller slett arket",
                        f"the sheet '{name}' is not part of the form and is not read; move its content or delete it",
                        f"arket «{name}» høyrer ikkje til skjemaet og blir ikkje lese; flytt innhaldet eller slett "
                        "arket",
                    ),
                )
        return head

    def headers(self, ws, columns: list[Field]) -> bool:
        for col, column in enumerate(columns, 1):
            if ws.cell(1, col).value not in (column.nb, column.en, column.nn):
                heading = tr(column.nb, column.en, column.nn)
                self.problem(
                    ws,
                    1,
                    col,
                    "xlsx-columns-changed",
                    f"kolonneoverskriften skal være «{heading}»; kolonner er satt inn, flyttet eller slettet",
                    f"the column heading should be '{heading}'; columns were inserted, moved or deleted",
                    f"kolonneoverskrifta skal vere «{heading}»; kolonnar er sette inn, flytta eller sletta",
                )
                return False
        for row in ws.iter_rows(min_row=1, min_col=len(columns) + 1):
            for cell in row:
                if cell.value is not None:
                    self.problem(
                        ws,
                        cell.row,
                        cell.column,
                        "xlsx-outside-form",
                        "cellen er utenfor skjemaet og blir ikke lest; flytt innholdet inn i skjemaet eller slett det",
                        "the cell is outside the form and is not read; move its content into the form or delete it",
                        "cella er utanfor skjemaet og blir ikkje lesen; flytt innhaldet inn i skjemaet eller slett det",
                    )
        return True

    def head(self, expected: str) -> dict[str, Any]:
        ws = self.book[HEAD]
        service = self.reader.text(ws, 2, 2, ("service",))
        if service != expected:
            self.problem(
                ws,
                2,
                2,
                "register-service-mismatch",
                f"skjemaet ble eksportert for '{expected}'; tjenesten kan ikke endres i regnearket",
                f"the form was exported for '{expected}'; the service cannot be changed in the spreadsheet",
                f"skjemaet blei eksportert for '{expected}'; tenesta kan ikkje endrast i reknearket",
            )
        data: dict[str, Any] = {"service": expected}
        updated = self.reader.date(ws, 3, 2, ("updated",))
        if updated is not None:
            data["updated"] = updated
        return data

    def value(self, ws, row: int, col: int, column: Field, loc: tuple) -> Any:
        reader = self.reader
        if column.kind == "date":
            return reader.date(ws, row, col, loc)
        if column.kind == "whole":
            return reader.number(ws, row, col, loc, whole=True)
        if column.kind == "yesno" and isinstance(ws.cell(row, col).value, bool):
            raw = ws.cell(row, col).value
            reader.cells[loc] = (ws.title, ws.cell(row, col).coordinate)
            return raw
        text = reader.text(ws, row, col, loc)
        if text is None:
            return None
        if column.kind == "lines":
            return [part.strip() for part in re.split(r"[\n,;]", text) if part.strip()] or None
        if column.kind == "yesno":
            word = text.strip().casefold()
            if word in _YES or word in _NO:
                return word in _YES
            self.problem(
                ws,
                row,
                col,
                "xlsx-not-yes-no",
                f"skriv ja eller nei, ikke '{text}'",
                f"type ja or nei, not '{text}'",
                f"skriv ja eller nei, ikkje '{text}'",
            )
            return None
        return text

    def people(self) -> list[dict[str, Any]]:
        ws = self.book[PEOPLE]
        out: list[dict[str, Any]] = []
        for row in range(2, ws.max_row + 1):
            if all(ws.cell(row, col).value is None for col in range(1, len(PEOPLE_COLUMNS) + 1)):
                continue
            index = len(out)
            person: dict[str, Any] = {}
            for col, column in enumerate(PEOPLE_COLUMNS, 1):
                value = self.value(ws, row, col, column, ("people", index, column.key))
                if value is not None:
                    person[column.key] = value
                elif column.key in ("id", "role", "start") and ws.cell(row, col).value is None:
                    self.problem(
                        ws,
                        row,
                        col,
                        "xlsx-missing",
                        "cellen må fylles ut",
                        "the cell must be filled in",
                        "cella må fyllast ut",
                    )
            role = person.get("role")
            roles = [r for r in _ROLES_SPLIT.split(role) if r] if isinstance(role, str) else []
            if len(roles) > 1:
                self.problem(
                    ws,
                    row,
                    3,
                    "person-two-roles",
                    f"{person.get('id')} står i to roller ({roles[0]} og {roles[1]}); en person har én rolle i "
                    "registeret: den hen har på vaktlisten",
                    f"{person.get('id')} is in two roles ({roles[0]} and {roles[1]}); a person has one role in the "
                    "register: the one on the duty roster",
                    f"{person.get('id')} står i to roller ({roles[0]} og {roles[1]}); ein person har éi rolle i "
                    "registeret: den hen har på vaktlista",
                )
            self.cells[("people", index)] = (ws.title, f"A{row}")
            person["courses"] = []
            out.append(person)
        return out

    def courses(self, people: list[dict[str, Any]]) -> None:
        ws = self.book[COURSES]
        exact: dict[str, int] = {}
        loose: dict[str, int] = {}
        for index, person in enumerate(people):
            if isinstance(person.get("id"), str):
                exact.setdefault(person["id"], index)
                loose.setdefault(person["id"].strip().casefold(), index)
        for row in range(2, ws.max_row + 1):
            if all(ws.cell(row, col).value is None for col in (1, 2, 3)):
                continue
            who = self.reader.text(ws, row, 1)
            owner = exact.get(who) if who is not None else None
            if owner is None and who is not None:
                owner = loose.get(who.strip().casefold())
            if owner is None:
                hint = did_you_mean(who or "", list(exact))
                self.problem(
                    ws,
                    row,
                    1,
                    "xlsx-missing" if who is None else "course-person-unknown",
                    "skriv id-en til personen som tok kurset" if who is None else f"{who} står ikke i «Personer»{hint}",
                    "type the id of the person who took the course"
                    if who is None
                    else f"{who} is not in 'Personer'{hint}",
                    "skriv id-en til personen som tok kurset"
                    if who is None
                    else f"{who} står ikkje i «Personer»{hint}",
                )
                continue
            done = people[owner]["courses"]
            at = ("people", owner, "courses", len(done))
            course = self.reader.text(ws, row, 2, (*at, "course"))
            day = self.reader.date(ws, row, 3, (*at, "date"))
            self.cells[at] = (ws.title, f"A{row}")
            for col, value in ((2, course), (3, day)):
                if value is None and ws.cell(row, col).value is None:
                    self.problem(
                        ws,
                        row,
                        col,
                        "xlsx-incomplete",
                        "kurset trenger kurs og dato",
                        "a course needs course and date",
                        "kurset treng kurs og dato",
                    )
            done.append({k: v for k, v in (("course", course), ("date", day)) if v is not None})


def _placer(doc, display: str, cells: dict[tuple, tuple[str, str]]):
    """A function placing a finding at the cell its YAML position came from (the nearest one at or before it)."""
    marks = sorted((doc.position(loc), index, cell) for index, (loc, cell) in enumerate(cells.items()))
    positions = [(position, index) for position, index, _ in marks]

    def at_cell(finding: Finding) -> CellProblem | Finding:
        if finding.path != doc.display or finding.line == 0:
            return finding
        found = bisect.bisect_right(positions, ((finding.line, finding.column), len(marks)))
        if found == 0:
            return finding
        sheet, coordinate = marks[found - 1][2]
        return CellProblem(display, sheet, coordinate, finding.code, finding.message, finding.severity)

    return at_cell


def import_register(
    raw: bytes, display: str, cat: LoadedCatalogue, *, as_of: dt.date, written_as: str = "REGISTER.yaml"
) -> RegisterImport:
    """Read a filled-in form. KokomError when it is not a workbook at all; problems at their cells otherwise."""
    from pathlib import Path

    import yaml

    from kokom_cli.yaml.reader import parse_yaml

    book = open_workbook(raw, display)
    reader = _Reader(display)
    form = _Form(reader, book)
    head = form.sheets()
    if head is None:
        return RegisterImport(None, None, list(reader.problems), reader.more)
    data = form.head(head["service"])
    if form.headers(book[PEOPLE], PEOPLE_COLUMNS) and form.headers(book[COURSES], COURSE_COLUMNS):
        data["people"] = form.people()
        form.courses(data["people"])
    if reader.problems:
        return RegisterImport(None, None, list(reader.problems), reader.more)
    text = yaml.safe_dump(data, allow_unicode=True, sort_keys=False, width=100)
    doc = parse_yaml(text.encode("utf-8"), Path(written_as), written_as)
    at_cell = _placer(doc, display, reader.cells)
    try:
        register, warnings = check_register_document(doc, cat, as_of=as_of)
    except KokomError as exc:
        return RegisterImport(None, None, _in_sheet_order([at_cell(f) for f in exc.findings]))
    out = register_yaml(register, source=display)
    return RegisterImport(out, register, _in_sheet_order([at_cell(f) for f in warnings]))


def _in_sheet_order(problems: list[CellProblem | Finding]) -> list[CellProblem | Finding]:
    """Problems by sheet (in the form's order), then row, then column; findings without a cell first."""
    sheets = [HEAD, PEOPLE, COURSES]

    def key(p: CellProblem | Finding) -> tuple:
        if not isinstance(p, CellProblem):
            return (-1, 0, 0, "")
        match = re.match(r"([A-Z]+)([0-9]+)$", p.cell)
        row, col = (int(match.group(2)), match.group(1)) if match else (0, "")
        return (sheets.index(p.sheet) if p.sheet in sheets else len(sheets), row, len(col), col)

    return sorted(problems, key=key)


def register_for_export(path, workspace, *, as_of: dt.date) -> tuple[Register, LoadedCatalogue, Any, list[Finding]]:
    """The register `kokom competence export` writes: a register file, or a service file's register (a blank
    one when the service has none yet). Returns the register, the catalogue, its YAML document and warnings."""
    from kokom_cli.competence.assessment import is_service_file, register_of_service
    from kokom_cli.competence.loading import CATALOGUE_FILE, catalogue_dir, read_catalogue
    from kokom_cli.core.findings import display_path
    from kokom_cli.yaml.reader import load_yaml
    from kokom_cli.yaml.schema_check import check_model

    cat = read_catalogue(catalogue_dir(workspace) / CATALOGUE_FILE)
    doc = load_yaml(path, display_path(path))
    if is_service_file(doc.data):
        found, service = register_of_service(doc, workspace)
        if found is None:
            blank, problems = check_model(doc, Register, {"service": service})
            if blank is None:
                raise KokomError(problems)
            return blank, cat, None, []
        doc = load_yaml(found, display_path(found))
    register, warnings = check_register_document(doc, cat, as_of=as_of)
    return register, cat, doc, warnings
