"""The staff register as an XLSX form, for services that keep such lists in spreadsheets.

`kokom competence export` writes a register (or a blank form for a service)
with `build_register_workbook`; `kokom competence import` reads it back with
`import_register`, every problem at its cell, and writes nothing until every
cell is right. The round trip is exact: exporting a register and importing the
workbook unchanged gives an equal register.

It sits at the assessments layer, not in `competence/`, because it reuses the
self-assessment form's reader and the workbook limits in `assessments/spreadsheet/`.
"""

from __future__ import annotations

from kokom_cli.assessments.register_xlsx.form import (
    COURSE_COLUMNS,
    COURSES,
    HEAD,
    PEOPLE,
    PEOPLE_COLUMNS,
    build_register_workbook,
)
from kokom_cli.assessments.register_xlsx.reading import RegisterImport, import_register

__all__ = [
    "COURSES",
    "COURSE_COLUMNS",
    "HEAD",
    "PEOPLE",
    "PEOPLE_COLUMNS",
    "RegisterImport",
    "build_register_workbook",
    "import_register",
]
