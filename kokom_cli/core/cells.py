"""Cells for spreadsheets: text from received files never becomes a formula, in CSV or XLSX.

A service name such as `=cmd|' /C calc'!A0` or `@SUM(...)` is run as a formula by
spreadsheet programs when a CSV is opened. Every CSV writer passes its cells through
`neutralise_formula` (a leading apostrophe, as OWASP recommends: the text shows as
written); every XLSX writer marks text cells with `keep_as_text` (the cell is stored as
a string, so it is never a formula, and its text is unchanged).
"""

from __future__ import annotations

import re
from typing import Any

# what makes a spreadsheet program read a cell as a formula (also the full-width forms Excel accepts)
FORMULA_PREFIXES = ("=", "+", "-", "@", "\t", "\r", "\n", "\uff1d", "\uff0b", "\uff0d", "\uff20")
_NUMBER = re.compile(r"^[+-]?(\d+([.,]\d*)?|[.,]\d+)([eE][+-]?\d+)?%?$")


def is_formula_like(text: str) -> bool:
    """True when `text` would be read as a formula (a plain signed number such as -12.5, or a lone
    dash used for "none", is not)."""
    return len(text) > 1 and text.startswith(FORMULA_PREFIXES) and not _NUMBER.match(text)


def neutralise_formula(value: Any) -> Any:
    """`value` for a CSV cell: text that would start a formula gets a leading apostrophe; else unchanged."""
    if isinstance(value, str) and is_formula_like(value):
        return "'" + value
    return value


def keep_as_text(cell: Any) -> None:
    """Mark an openpyxl cell holding text as a string cell: never a formula, whatever the text starts with."""
    if isinstance(cell.value, str):
        cell.data_type = "s"
