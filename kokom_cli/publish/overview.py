"""The national overview's heatmap: its geometry for `overview.html.j2`, the viridis scale and the legend.

The roll-up itself (loading a folder, evaluating, the matrix) is `assessments.overview`; this module only draws
it, and `overview_tables` writes its tables as CSV and XLSX. Heatmap cells have a state: `share` (coloured by
viridis from the share of skal requirements in order), `waived` (the same colour with a hatch pattern: some are
in order through a valid waiver, counted as in order, never 0 %), `unmeasured` (grey, "ikke målt": a referenced
call log could not be read) and `empty` (no skal requirement applies).
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from kokom_cli.core.i18n import plural, tr
from kokom_cli.core.numbers import percent

if TYPE_CHECKING:
    from kokom_cli.assessments.overview import Overview

# viridis (matplotlib), 10 stops from 0 to 1: perceptually uniform, colour-blind safe, lightness rises steadily
VIRIDIS = ("#440154", "#482878", "#3e4a89", "#31688e", "#26828e", "#1f9e89", "#35b779", "#6dcd59", "#b4de2c", "#fde725")
UNMEASURED_FILL = "#d9d9d9"


def viridis(share: float) -> str:
    """The viridis colour of a share from 0 to 1, interpolated between the 10 stops."""
    position = min(max(share, 0.0), 1.0) * (len(VIRIDIS) - 1)
    low = min(int(position), len(VIRIDIS) - 2)
    t = position - low
    a, b = (tuple(int(c[i : i + 2], 16) for i in (1, 3, 5)) for c in (VIRIDIS[low], VIRIDIS[low + 1]))
    return "#" + "".join(f"{round(x + (y - x) * t):02x}" for x, y in zip(a, b, strict=False))


def ink_for(fill: str) -> str:
    """Black or white text, whichever reads better on `fill` (by relative luminance, WCAG)."""

    def channel(c: int) -> float:
        v = c / 255
        return v / 12.92 if v <= 0.03928 else ((v + 0.055) / 1.055) ** 2.4

    r, g, b = (channel(int(fill[i : i + 2], 16)) for i in (1, 3, 5))
    luminance = 0.2126 * r + 0.7152 * g + 0.0722 * b
    return "#000000" if (luminance + 0.05) / 0.05 >= 1.05 / (luminance + 0.05) else "#ffffff"


def _wrap(text: str, width: int) -> list[str]:
    """At most three lines of at most `width` characters; longer words are hyphenated."""
    words = []
    for word in text.split():
        while len(word) > width:
            words.append(word[: width - 1] + "-")
            word = word[width - 1 :]
        words.append(word)
    lines: list[str] = []
    for word in words:
        if lines and len(lines[-1]) + 1 + len(word) <= width:
            lines[-1] += " " + word
        else:
            lines.append(word)
    if len(lines) > 3:
        lines = [*lines[:2], " ".join(lines[2:])[: width - 1] + "…"]
    return lines or [""]


def _short(text: str, width: int) -> str:
    return text if len(text) <= width else text[: width - 1] + "…"


LABEL_WIDTH, CELL_WIDTH, CELL_HEIGHT, HEAD_LINE = 240, 92, 28, 14


def heatmap(overview: Overview, *, rows_per_figure: int = 40) -> list[dict]:
    """The matrix as SVG geometry, split into figures of at most `rows_per_figure` services (for page breaks).

    Each figure: width, height, columns (x, lines of the heading), rows (y, label, full name, cells with
    x, fill, ink, text and a description). The template draws it; no markup is built here.
    """
    columns = [(slug, title) for slug, title in overview.chapters] + [
        ("_total", tr("Alle kapitler", "All chapters", "Alle kapittel"))
    ]
    head_lines = max((len(_wrap(title, 16)) for _, title in columns), default=1)
    head = head_lines * HEAD_LINE + 10
    heads = [
        {
            "x": LABEL_WIDTH + i * CELL_WIDTH + (8 if slug == "_total" else 0) + CELL_WIDTH / 2,
            "lines": _wrap(title, 16),
            "total": slug == "_total",
        }
        for i, (slug, title) in enumerate(columns)
    ]
    width = LABEL_WIDTH + len(columns) * CELL_WIDTH + 8
    figures = []
    for start in range(0, len(overview.rows), rows_per_figure):
        chunk = overview.rows[start : start + rows_per_figure]
        drawn = []
        for index, row in enumerate(chunk):
            y = head + index * CELL_HEIGHT
            cells = []
            for i, (slug, title) in enumerate(columns):
                cell = row.total if slug == "_total" else row.cells.get(slug)
                x = LABEL_WIDTH + i * CELL_WIDTH + (8 if slug == "_total" else 0)
                if cell is None:
                    cells.append(
                        {
                            "x": x,
                            "fill": "#ffffff",
                            "ink": "#4a4a4a",
                            "text": "–",
                            "empty": True,
                            "state": "empty",
                            "description": tr(
                                f"{row.service.name}, {title}: ingen skal-krav gjelder",
                                f"{row.service.name}, {title}: no skal requirement applies",
                                f"{row.service.name}, {title}: ingen skal-krav gjeld",
                            ),
                        }
                    )
                    continue
                cells.append(_cell(x, cell, row.service.name, title))
            drawn.append(
                {
                    "y": y,
                    "label": _short(row.service.name, 30),
                    "name": row.service.name,
                    "period": row.evaluation.assessment.period,
                    "cells": cells,
                }
            )
        figures.append(
            {
                "width": width,
                "height": head + len(chunk) * CELL_HEIGHT + 2,
                "head": head,
                "columns": heads,
                "rows": drawn,
                "cell_width": CELL_WIDTH,
                "cell_height": CELL_HEIGHT,
                "first": start + 1,
                "last": start + len(chunk),
            }
        )
    return figures


def _cell(x: float, cell, name: str, title: str) -> dict:
    """One coloured cell: its fill, text, state and a description for screen readers."""
    if cell.unmeasured:
        logs = plural(
            cell.unmeasured, ("anropslogg", "anropslogger"), ("call log", "call logs"), ("anropslogg", "anropsloggar")
        )
        return {
            "x": x,
            "fill": UNMEASURED_FILL,
            "ink": "#000000",
            "text": tr("ikke målt", "not measured", "ikkje målt"),
            "empty": False,
            "state": "unmeasured",
            "description": tr(
                f"{name}, {title}: ikke målt; {logs} kunne ikke leses",
                f"{name}, {title}: not measured; {logs} could not be read",
                f"{name}, {title}: ikkje målt; {logs} kunne ikkje lesast",
            ),
        }
    fill = viridis(cell.share)
    text = percent(cell.share, 0)
    waived = (
        tr(
            f", {cell.waived} med gyldig unntak",
            f", {cell.waived} validly waived",
            f", {cell.waived} med gyldig unntak",
        )
        if cell.waived
        else ""
    )
    return {
        "x": x,
        "fill": fill,
        "ink": ink_for(fill),
        "text": text,
        "empty": False,
        "state": "waived" if cell.waived else "share",
        "description": tr(
            f"{name}, {title}: {cell.in_order} av {cell.total} skal-krav i orden{waived} ({text})",
            f"{name}, {title}: {cell.in_order} of {cell.total} skal requirements in order{waived} ({text})",
            f"{name}, {title}: {cell.in_order} av {cell.total} skal-krav i orden{waived} ({text})",
        ),
    }


def legend() -> list[dict]:
    """The colour scale, 0 to 100 % in steps of 10, for the legend under the heatmap."""
    return [
        {
            "share": step / 10,
            "fill": viridis(step / 10),
            "ink": ink_for(viridis(step / 10)),
            "text": percent(step / 10, 0),
        }
        for step in range(11)
    ]


def legend_states() -> list[dict]:
    """The states beside the colour scale: waived (hatched) and not measured (grey)."""
    return [
        {
            "state": "waived",
            "fill": viridis(1.0),
            "text": tr("med gyldig unntak (skravert)", "validly waived (hatched)", "med gyldig unntak (skravert)"),
        },
        {"state": "unmeasured", "fill": UNMEASURED_FILL, "text": tr("ikke målt", "not measured", "ikkje målt")},
    ]
