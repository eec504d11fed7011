"""Reading a filled-in workbook: its sheets checked against the form as exported (`read_workbook`)."""

from __future__ import annotations

import json
from typing import TYPE_CHECKING, Any

from kokom_cli.assessments.spreadsheet.cells import ImportResult, _lines, _read_answer, _Reader
from kokom_cli.assessments.spreadsheet.form import (
    ANSWER_COLUMNS,
    ANSWERS,
    DATA,
    FORM,
    FORM_FIELDS,
    FORMAT,
    HELP,
    WAIVER_COLUMNS,
    WAIVERS,
    Column,
)
from kokom_cli.assessments.spreadsheet.limits import open_workbook
from kokom_cli.core.i18n import tr

if TYPE_CHECKING:
    pass


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
                    "cella er utanfor skjemaet og blir ikkje lesen; flytt innhaldet inn i skjemaet eller slett det",
                ),
            )


def _check_headers(reader: _Reader, ws, columns: list[Column], added_later: tuple[str, ...] = ()) -> bool:
    """The headings are the form's; a form exported before the trailing `added_later` columns existed ends early."""
    for col, column in enumerate(columns, 1):
        value = ws.cell(1, col).value
        if value is None and column.key in added_later:
            return True
        if value not in (column.nb, column.en, column.nn):
            reader.problem(
                ws.title,
                ws.cell(1, col).coordinate,
                "xlsx-columns-changed",
                tr(
                    f"kolonneoverskriften skal være «{column.header}»; kolonner er satt inn, flyttet eller slettet: "
                    "eksporter skjemaet på nytt",
                    f"the column heading should be '{column.header}'; columns were inserted, moved or deleted: "
                    "export the form again",
                    f"kolonneoverskrifta skal vere «{column.header}»; kolonnar er sette inn, flytta eller sletta: "
                    "eksporter skjemaet på nytt",
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
                f"the sheet '{DATA}' is missing; this is not a form made by `kokom assess export`, "
                "or the sheet was deleted",
                f"arket «{DATA}» manglar; dette er ikkje eit skjema frå `kokom assess export`, eller arket er sletta",
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
                f"det gøymde arket «{DATA}» er endra og kan ikkje lesast; eksporter skjemaet på nytt",
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
                    f"{req_id} står òg på rad {found[req_id]}; kvart krav har éi rad",
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
                    f"krav-ID-en er endra frå {lost} til '{req_id}'; set han tilbake",
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
                    f"{req_id} er ikkje eitt av krava i dette skjemaet{did_you_mean(req_id, expected)}; "
                    "rader kan ikkje leggjast til",
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
                    "rada har innhald, men ingen krav-ID; skjemaet har berre radene det blei eksportert med",
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
                    f"rada for {req_id} (rad {row} då skjemaet blei eksportert) er sletta; set henne inn igjen "
                    "eller eksporter skjemaet på nytt",
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
    for row, (_key, nb, en, nn, _) in enumerate(FORM_FIELDS, 2):
        if ws.cell(row, 1).value not in (nb, en, nn):
            label = tr(nb, en, nn)
            reader.problem(
                ws.title,
                f"A{row}",
                "xlsx-rows-changed",
                tr(
                    f"her skal det stå «{label}»; rader er satt inn, flyttet eller slettet: eksporter skjemaet på nytt",
                    f"this should read '{label}'; rows were inserted, moved or deleted: export the form again",
                    f"her skal det stå «{label}»; rader er sette inn, flytta eller sletta: eksporter skjemaet på nytt",
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
                ws.title,
                f"B{row_of[key]}",
                "xlsx-missing",
                tr("cellen må fylles ut", "the cell must be filled in", "cella må fyllast ut"),
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
                f"skjemaet blei eksportert for {head.get('service')}, utgåve {head.get('edition')}; teneste og utgåve "
                "kan ikkje endrast i reknearket",
            ),
        )
    _outside(reader, ws, 2, len(FORM_FIELDS) + 1)
    return data


def _read_waivers(reader: _Reader, ws) -> list[dict]:
    out: list[dict] = []
    for row in range(2, ws.max_row + 1):
        values = {
            "requirement": reader.text(ws, row, 1),
            "justification": reader.text(ws, row, 2),
            "approved_by": reader.text(ws, row, 3),
            "expires": reader.date(ws, row, 4),
            "approved_on": reader.date(ws, row, 5),  # optional
        }
        if all(v is None for v in values.values()):
            continue
        index = len(out)
        for col, key in enumerate(values, 1):
            coordinate = ws.cell(row, col).coordinate
            reader.cells[("waivers", index, key)] = (ws.title, coordinate)
            if (
                values[key] is None
                and key != "approved_on"
                and (ws.title, coordinate) not in {(p.sheet, p.cell) for p in reader.problems}
            ):
                reader.problem(
                    ws.title,
                    coordinate,
                    "xlsx-incomplete",
                    tr(
                        "unntaket trenger krav-ID, begrunnelse, hvem som godkjente og gyldig til: fyll ut cellen",
                        "a waiver needs requirement id, justification, who approved it and expiry: fill in the cell",
                        "unntaket treng krav-ID, grunngiving, kven som godkjende og gyldig til: fyll ut cella",
                    ),
                )
        reader.cells[("waivers", index)] = reader.cells[("waivers", index, "requirement")]
        out.append({k: v for k, v in values.items() if v is not None})
    _outside(reader, ws, len(WAIVER_COLUMNS))
    return out


def read_workbook(raw: bytes, display: str) -> ImportResult:
    """Read a filled-in form. KokomError when it is not a workbook at all; problems at their cells otherwise."""
    book = open_workbook(raw, display)
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
                f"arket «{name}» manglar; eksporter skjemaet på nytt",
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
                    f"arket «{name}» høyrer ikkje til skjemaet og blir ikkje lese; flytt innhaldet eller slett arket",
                ),
            )
    if found is None or missing:
        return ImportResult(display, {}, reader.cells, [], reader.problems, reader.more)
    head, states = found
    data = _read_form(reader, book[FORM], head)
    answers_sheet = book[ANSWERS]
    if _check_headers(reader, answers_sheet, ANSWER_COLUMNS):
        data["answers"] = _read_answers(reader, answers_sheet, states)
        _outside(reader, answers_sheet, len(ANSWER_COLUMNS))
    if _check_headers(reader, book[WAIVERS], WAIVER_COLUMNS, added_later=("approved_on",)):
        waivers = _read_waivers(reader, book[WAIVERS])
        if waivers:
            data["waivers"] = waivers
    return ImportResult(display, data, reader.cells, [s["id"] for s in states], reader.problems, reader.more)
