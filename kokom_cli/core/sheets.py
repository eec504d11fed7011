"""Worksheets as people open and print them: row heights for wrapped text, column widths, page setup.

openpyxl lays out no text, and LibreOffice keeps the row heights an XLSX file gives (or the default height of
one line) instead of measuring wrapped text when it opens one: a cell with three lines of text then shows one,
and the lines run into the next row. So the writer estimates each row's height itself (`fit_rows`): each text
is word-wrapped at the width of its column, counted in characters, and the row gets the height of its tallest
cell. The estimate errs on the tall side: LibreOffice on a machine without Calibri draws the text in a wider
font (DejaVu Sans on Debian), and a little space under a text costs less than a line cut off.

`print_setup` makes a sheet print on A4 in landscape, scaled to a number of pages across (one, or more for a
sheet too wide to read at one page), with the header row (and the first column, if asked) on every page, the
print area set to the used cells, grid lines, and the sheet name and page number in the footer.

The functions take openpyxl worksheets; openpyxl is imported only when one is called.
"""

from __future__ import annotations

import math
from typing import Any

LINE_POINTS = 15.0  # the height of one line of 11 pt text, leading included
PADDING_POINTS = 4.0  # space above and below the text in a row
MAX_ROW_POINTS = 409.0  # the tallest row a spreadsheet allows
CHARS_PER_UNIT = 1.0  # characters per unit of column width ("0"): DejaVu Sans fits about 1.15, Calibri 1.3
DEFAULT_WIDTH = 8.43  # the width of a column without one of its own
BASE_POINTS = 11.0
PAGE_WIDTH = 150.0  # units of column width on an A4 page in landscape at a readable scale (about 90 %)


def wrapped_lines(text: str, width: float, *, points: float = BASE_POINTS, bold: bool = False) -> int:
    """How many lines `text` takes in a wrapping cell `width` units wide (greedy word wrap, as spreadsheets do)."""
    scale = points / BASE_POINTS * (1.1 if bold else 1.0)
    capacity = max(int(width * CHARS_PER_UNIT / scale), 1)
    total = 0
    for paragraph in text.split("\n"):
        lines, used = 1, 0
        for word in paragraph.split(" "):
            need = len(word) if used == 0 else used + 1 + len(word)
            if need <= capacity:
                used = need
                continue
            if used:
                lines += 1
            if len(word) > capacity:  # a long word (a path, a URL) is broken wherever the line ends
                lines += math.ceil(len(word) / capacity) - 1
                used = len(word) % capacity or capacity
            else:
                used = len(word)
        total += lines
    return total


def column_width(ws: Any, letter: str) -> float:
    dimension = ws.column_dimensions.get(letter)
    return float(dimension.width) if dimension is not None and dimension.customWidth else DEFAULT_WIDTH


def fit_rows(ws: Any, *, first: int = 1) -> None:
    """Set the height of every row from `first` on to fit its tallest cell's text (see the module docstring)."""
    widths: dict[str, float] = {}
    for row in ws.iter_rows(min_row=first):
        height = LINE_POINTS
        for cell in row:
            if cell.value is None or cell.value == "":
                continue
            points = float(cell.font.sz or BASE_POINTS) if cell.font else BASE_POINTS
            bold = bool(cell.font and cell.font.b)
            text = cell.value if isinstance(cell.value, str) else str(cell.value)
            if cell.alignment is not None and cell.alignment.wrap_text:
                letter = cell.column_letter
                width = widths.setdefault(letter, column_width(ws, letter))
                lines = wrapped_lines(text, width, points=points, bold=bold)
            else:
                lines = text.count("\n") + 1
            height = max(height, lines * LINE_POINTS * max(points / BASE_POINTS, 1.0))
        ws.row_dimensions[row[0].row].height = min(round(height + PADDING_POINTS, 1), MAX_ROW_POINTS)


def fit_columns(ws: Any, *, least: float = 8, most: float = 40, header_most: float = 12) -> None:
    """Column widths from the cells' texts: the longest line of a value, at most `most` (longer text wraps);
    a header counts up to `header_most` characters (a longer header wraps over two or three lines)."""
    from openpyxl.utils import get_column_letter

    for index, column in enumerate(ws.iter_cols(), 1):
        need = least
        for cell in column:
            if cell.value is None:
                continue
            text = cell.value if isinstance(cell.value, str) else _shown(cell.value)
            longest = max((len(line) for line in text.split("\n")), default=0)
            need = max(need, min(longest, header_most) if cell.row == 1 else longest + 1)
        ws.column_dimensions[get_column_letter(index)].width = min(need + 1, most)


def _shown(value: Any) -> str:
    if isinstance(value, float):
        return f"{value:.4g}"
    return str(value)


def pages_across(ws: Any, *, page_width: float = PAGE_WIDTH) -> int:
    """How many landscape pages across a sheet needs to print near full size (its columns' widths summed)."""
    from openpyxl.utils import get_column_letter

    total = sum(column_width(ws, get_column_letter(i)) for i in range(1, ws.max_column + 1))
    return max(1, math.ceil(total / page_width))


def print_setup(
    ws: Any, *, pages_wide: int = 1, title_rows: str | None = "1:1", title_columns: str | None = None
) -> None:
    """A4 landscape, scaled to `pages_wide` pages across, headers repeated on every page, print area = used cells."""
    from openpyxl.worksheet.page import PageMargins
    from openpyxl.worksheet.properties import PageSetupProperties

    setup = ws.page_setup
    setup.orientation = "landscape"
    setup.paperSize = ws.PAPERSIZE_A4
    setup.fitToWidth = pages_wide
    setup.fitToHeight = 0  # as many pages down as the rows need
    setup.pageOrder = "overThenDown"  # a row's pages (when wider than one page) come one after another
    ws.sheet_properties.pageSetUpPr = PageSetupProperties(fitToPage=True)
    ws.page_margins = PageMargins(left=0.4, right=0.4, top=0.5, bottom=0.6, header=0.2, footer=0.3)
    ws.print_options.gridLines = True
    if title_rows:
        ws.print_title_rows = title_rows
    if title_columns:
        ws.print_title_cols = title_columns
    ws.print_area = ws.dimensions
    ws.oddFooter.left.text = "&A"
    ws.oddFooter.right.text = "&P / &N"
