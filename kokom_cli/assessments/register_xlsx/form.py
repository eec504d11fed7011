"""The staff register's XLSX form: layout, and writing a register into it (`build_register_workbook`).

| sheet | holds |
|---|---|
| `Veiledning` | instructions (not read back) |
| `Register` | the service (locked) and when the register was last brought up to date |
| `Personer` | one row per person: id, name, role, start, education, authorisation, the doctors' figures, backup |
| `Kurs` | one row per completed course: the person's id, the course, the day it was completed |
| `Katalog` | the roles, courses and educations the catalogue knows, for the drop-downs (not read back) |
| `kokom-data` | hidden, protected: the form's version and the service it was exported for |

Yes/no cells hold `ja` or `nei` (`yes`, `no` and true/false cells are read as
well; empty means not stated). Educations are one per line. Every text cell is
stored as text, so nothing a register holds becomes a formula.
"""

from __future__ import annotations

import datetime as dt
import io
import json
from dataclasses import dataclass
from typing import Any

from kokom_cli.assessments.spreadsheet.form import refuse_unstorable
from kokom_cli.competence.loading import LoadedCatalogue
from kokom_cli.competence.models import Register
from kokom_cli.core.cells import keep_as_text
from kokom_cli.core.i18n import tr
from kokom_cli.yaml.document import YamlDocument

FORMAT = "kokom-personale-xlsx 1"
HELP, HEAD, PEOPLE, COURSES, CATALOGUE, DATA = "Veiledning", "Register", "Personer", "Kurs", "Katalog", "kokom-data"
YES, NO = "ja", "nei"


@dataclass(frozen=True)
class Field:
    key: str
    nb: str
    en: str
    nn: str
    kind: str  # text | date | lines | yesno | whole
    width: int = 14


PEOPLE_COLUMNS = [
    Field(
        "id",
        "Id (pseudonym eller ansattnr.)",
        "Id (pseudonym or staff number)",
        "Id (pseudonym eller tilsettnr.)",
        "text",
        16,
    ),
    Field("name", "Navn", "Name", "Namn", "text", 22),
    Field("role", "Rolle", "Role", "Rolle", "text", 18),
    Field("start", "Startdato", "Start date", "Startdato", "date", 12),
    Field("education", "Utdanning (én per linje)", "Education (one per line)", "Utdanning (éi per linje)", "lines", 18),
    Field("authorisation", "Autorisasjon", "Authorisation", "Autorisasjon", "text", 14),
    Field(
        "clinical_practice",
        "Klinisk praksis (ja/nei)",
        "Clinical practice (yes/no)",
        "Klinisk praksis (ja/nei)",
        "yesno",
        12,
    ),
    Field(
        "specialist_general_practice",
        "Spesialist i allmennmedisin",
        "Specialist in general practice",
        "Spesialist i allmennmedisin",
        "yesno",
    ),
    Field("approved_gp", "Godkjent allmennlege", "Approved GP", "Godkjend allmennlege", "yesno"),
    Field(
        "clinical_months", "Måneder klinisk tjeneste", "Months of clinical service", "Månader klinisk teneste", "whole"
    ),
    Field("legevakt_shifts", "Legevakter", "Legevakt shifts", "Legevakter", "whole"),
    Field("gp_months", "Måneder som allmennlege", "Months as GP", "Månader som allmennlege", "whole"),
    Field("backup", "Bakvakt (id)", "Backup doctor (id)", "Bakvakt (id)", "text", 16),
]
COURSE_COLUMNS = [
    Field("person", "Person (id)", "Person (id)", "Person (id)", "text", 16),
    Field("course", "Kurs", "Course", "Kurs", "text", 22),
    Field("date", "Dato fullført", "Date completed", "Dato fullført", "date", 14),
]
HEAD_FIELDS = [
    ("service", "Tjeneste (id)", "Service (id)", "Teneste (id)"),
    ("updated", "Sist oppdatert", "Last updated", "Sist oppdatert"),
]


def _check_storable(register: Register, doc: YamlDocument | None) -> None:
    """KokomError, positioned in the YAML file when there is one, for every text a cell cannot hold."""
    refuse_unstorable(register.model_dump(mode="python", exclude_defaults=True), doc, "(register)")


def _cell_value(field: Field, value: Any) -> Any:
    if field.kind == "lines":
        return "\n".join(value) or None
    if field.kind == "yesno":
        return None if value is None else (YES if value else NO)
    return value


def build_register_workbook(register: Register, cat: LoadedCatalogue, *, doc: YamlDocument | None = None) -> bytes:
    """The XLSX form holding `register` (a blank form: a register without people)."""
    from openpyxl import Workbook
    from openpyxl.styles import Alignment, Font, PatternFill, Protection
    from openpyxl.utils import get_column_letter

    _check_storable(register, doc)
    book = Workbook()
    bold, head_fill = Font(bold=True, color="FFFFFF"), PatternFill("solid", fgColor="003A70")
    wrap = Alignment(wrap_text=True, vertical="top")

    def put(ws, row: int, col: int, value: Any) -> None:
        cell = ws.cell(row, col)
        cell.value = value
        keep_as_text(cell)  # never a formula, whatever the text starts with
        if isinstance(value, dt.date):
            cell.number_format = "yyyy-mm-dd"
        cell.alignment = wrap

    def headers(ws, columns: list[Field]) -> None:
        for col, field in enumerate(columns, 1):
            cell = ws.cell(1, col, tr(field.nb, field.en, field.nn))
            cell.font, cell.fill, cell.alignment = bold, head_fill, wrap
            ws.column_dimensions[get_column_letter(col)].width = field.width
        ws.freeze_panes = "A2"

    help_ws = book.active
    help_ws.title = HELP
    for row, line in enumerate(_help_lines(register), 1):
        put(help_ws, row, 1, line)
    help_ws.column_dimensions["A"].width = 110

    head = book.create_sheet(HEAD)
    for row, (key, nb, en, nn) in enumerate(HEAD_FIELDS, 2):
        put(head, row, 1, tr(nb, en, nn))
        put(head, row, 2, getattr(register, key))
    put(head, 1, 1, tr("Personalregister", "Staff register", "Personalregister"))
    head["B3"].protection = Protection(locked=False)
    head.column_dimensions["A"].width, head.column_dimensions["B"].width = 20, 24
    head.protection.sheet = True

    people = book.create_sheet(PEOPLE)
    headers(people, PEOPLE_COLUMNS)
    for row, person in enumerate(register.people, 2):
        for col, field in enumerate(PEOPLE_COLUMNS, 1):
            put(people, row, col, _cell_value(field, getattr(person, field.key)))
    courses = book.create_sheet(COURSES)
    headers(courses, COURSE_COLUMNS)
    row = 2
    for person in register.people:
        for done in person.courses:
            put(courses, row, 1, person.id)
            put(courses, row, 2, done.course)
            put(courses, row, 3, done.date)
            row += 1

    _catalogue_sheet(book, cat, put)
    _lists(people, courses, cat)

    data = book.create_sheet(DATA)
    put(data, 1, 1, FORMAT)
    put(data, 1, 2, json.dumps({"service": register.service}))
    data.sheet_state = "hidden"
    data.protection.sheet = True
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def _catalogue_sheet(book, cat: LoadedCatalogue, put) -> None:
    from openpyxl.styles import Font
    from openpyxl.utils import get_column_letter

    catalogue = book.create_sheet(CATALOGUE)
    blocks = [
        (1, tr("Rolle", "Role", "Rolle"), [(r.id, r.name) for r in cat.catalogue.roles]),
        (4, tr("Kurs", "Course", "Kurs"), [(c.id, c.name) for c in cat.catalogue.courses]),
        (7, tr("Utdanning", "Education", "Utdanning"), [(e.id, e.name) for e in cat.catalogue.educations]),
    ]
    for col, title, items in blocks:
        put(catalogue, 1, col, title)
        catalogue.cell(1, col).font = Font(bold=True)
        catalogue.column_dimensions[get_column_letter(col)].width = 22
        catalogue.column_dimensions[get_column_letter(col + 1)].width = 50
        for index, (ident, name) in enumerate(items, 2):
            put(catalogue, index, col, ident)
            put(catalogue, index, col + 1, name)
    catalogue.protection.sheet = True


def _lists(people, courses, cat: LoadedCatalogue) -> None:
    """Drop-downs: roles and courses from the `Katalog` sheet, ja/nei in the yes/no columns."""
    from openpyxl.worksheet.datavalidation import DataValidation

    lists = [
        (people, "C", f"'{CATALOGUE}'!$A$2:$A${len(cat.catalogue.roles) + 1}"),
        (courses, "B", f"'{CATALOGUE}'!$D$2:$D${len(cat.catalogue.courses) + 1}"),
        *[(people, letter, f'"{YES},{NO}"') for letter in "GHI"],
    ]
    for ws, letter, formula in lists:
        check = DataValidation(type="list", formula1=formula, allow_blank=True)
        ws.add_data_validation(check)
        check.add(f"{letter}2:{letter}5000")


def _help_lines(register: Register) -> list[str]:
    return [
        tr(
            f"Personalregister for {register.service}",
            f"Staff register of {register.service}",
            f"Personalregister for {register.service}",
        ),
        "",
        tr(
            "Personopplysninger: skjemaet blir i tjenesten og sendes ikke til KoKom.",
            "Personal data: the form stays in the service and is not sent to KoKom.",
            "Personopplysningar: skjemaet blir i tenesta og blir ikkje sendt til KoKom.",
        ),
        tr(
            "«Personer»: én rad per person, med den ene rollen hen har på vaktlisten. "
            "«Kurs»: én rad per fullført kurs.",
            "'Personer': one row per person, with the one role on the duty roster. "
            "'Kurs': one row per course completed.",
            "«Personer»: éi rad per person, med den eine rolla hen har på vaktlista. «Kurs»: éi rad per fullført kurs.",
        ),
        tr(
            "Roller og kurs velges fra listene (se «Katalog»). Datoer som ÅÅÅÅ-MM-DD. "
            "Ja/nei-celler: ja, nei eller tomt.",
            "Roles and courses come from the lists (see 'Katalog'). Dates as YYYY-MM-DD. "
            "Yes/no cells: ja, nei or empty.",
            "Roller og kurs blir valde frå listene (sjå «Katalog»). Datoar som ÅÅÅÅ-MM-DD. "
            "Ja/nei-celler: ja, nei eller tomt.",
        ),
        tr(
            "Les tilbake med `kokom competence import FIL.xlsx -o REGISTER.yaml`: hvert problem vises ved sin celle, "
            "og ingenting skrives før alt er rett.",
            "Read it back with `kokom competence import FILE.xlsx -o REGISTER.yaml`: each problem at its cell, and "
            "nothing is written until everything is right.",
            "Les tilbake med `kokom competence import FIL.xlsx -o REGISTER.yaml`: kvart problem blir vist ved cella "
            "si, og ingenting blir skrive før alt er rett.",
        ),
    ]
