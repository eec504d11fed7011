"""The form as it opens and prints in LibreOffice and Excel: row heights, wrapping and page setup per sheet.

Applied by `build_workbook` once every cell is written (`core.sheets` does the estimating). The instructions
sheet wraps its lines in one wide column; the form sheets keep their header row (and on `Svar` the requirement
id) on every printed page. `Svar` is too wide to read at one page across, so it prints four pages across, a
requirement's pages one after another.
"""

from __future__ import annotations

from typing import Any

from kokom_cli.assessments.spreadsheet.form import ANSWERS, FORM, HELP, WAIVERS
from kokom_cli.core.sheets import fit_rows, print_setup

HELP_WIDTH = 110  # the instructions' column: one A4 page across in landscape
ANSWER_PAGES_WIDE = 4


def lay_out(book: Any) -> None:
    """Row heights, wrapping and print setup on every visible sheet of the form."""
    from openpyxl.styles import Alignment

    help_sheet = book[HELP]
    help_sheet.column_dimensions["A"].width = HELP_WIDTH
    for (cell,) in help_sheet.iter_rows(max_col=1):
        cell.alignment = Alignment(wrap_text=True, vertical="top")
    fit_rows(help_sheet)
    print_setup(help_sheet, title_rows=None)
    help_sheet.print_options.gridLines = False
    for name, pages in ((FORM, 1), (ANSWERS, ANSWER_PAGES_WIDE), (WAIVERS, 1)):
        sheet = book[name]
        fit_rows(sheet)
        print_setup(sheet, pages_wide=pages, title_columns="A:A" if name == ANSWERS else None)
