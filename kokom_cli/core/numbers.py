"""Figures in words, the Norwegian way, in one place: terminal, HTML, PDF, XLSX and messages all use these.

Bokmål (and nynorsk): a decimal comma and a non-breaking space between thousands and before the unit,
"71,2 %", "3 862 anrop", "12,5 s" (Språkrådet). English: "71.2 %", "3,862", "12.5 s" (the space before %
kept, so a figure reads the same in both). The space is U+00A0, so a figure never breaks across lines.
"""

from __future__ import annotations

from fractions import Fraction

from kokom_cli.core.i18n import language

NBSP = "\u00a0"


def _norwegian() -> bool:
    return language() != "en"


def number(value: float | Fraction | int, decimals: int = 0) -> str:
    """`value` rounded to `decimals` places, with thousands grouped: 3 862 / 12,5 (nb), 3,862 / 12.5 (en)."""
    text = f"{float(value):,.{decimals}f}"
    if _norwegian():
        text = text.replace(",", NBSP).replace(".", ",")
    return text


def count(value: int) -> str:
    """A whole number of things: 3 862 (nb), 3,862 (en)."""
    return number(value, 0)


def percent(share: float | Fraction | None, decimals: int = 1) -> str:
    """A share from 0 to 1 as a percentage: 71,2 % (nb), 71.2 % (en); – when there is none."""
    if share is None:
        return "–"
    return f"{number(Fraction(share) * 100 if isinstance(share, Fraction) else share * 100, decimals)}{NBSP}%"


def seconds(value: float | Fraction | None, decimals: int = 1) -> str:
    """A duration in seconds: 12,5 s (nb), 12.5 s (en); – when there is none."""
    return "–" if value is None else f"{number(value, decimals)}{NBSP}s"
