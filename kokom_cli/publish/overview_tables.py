"""The national overview's tables as a workbook (one sheet per section) and as CSV (one file per section).

The tables are `Overview.tables()`: section -> rows of column -> value, with the same keys as the JSON
document. Here they get the names people read: Norwegian sheet, file and column names (English under
`--lang en`), the matrix's chapter columns named by the chapter's title. The keys stay the contract of the
JSON output only; a name not listed below is shown as its key.

Every cell is neutralised (`core.cells`): text from received files never becomes a formula, in CSV or XLSX.
The workbook's sheets have readable widths, wrapped text with row heights to fit, a frozen header row, and
print on A4 in landscape, fit to the page width or, for a sheet too wide to read at one page (the matrix),
to as many pages across as it needs, the first column repeated (`core.sheets`).
"""

from __future__ import annotations

from typing import Any

from kokom_cli.core.i18n import tr

SECTIONS: dict[str, tuple[str, str, str, str]] = {  # key -> sheet (nb, en), file name (nb, en)
    "matrix": ("Skal-krav per kapittel", "Skal by chapter", "skal-krav-per-kapittel", "skal-by-chapter"),
    "most_not_met": ("Oftest ikke oppfylt", "Most often not met", "oftest-ikke-oppfylt", "most-often-not-met"),
    "overdue_actions": ("Tiltak over frist", "Overdue actions", "tiltak-over-frist", "overdue-actions"),
    "disputed": ("Rådgiveren er uenig", "Disputed by advisor", "raadgiveren-er-uenig", "disputed-by-advisor"),
    "answer_times": ("Svartider", "Answer times", "svartider", "answer-times"),
    "competence": ("Kompetanse", "Competence", "kompetanse", "competence"),
    "changes": ("Endringer", "Changes", "endringer", "changes"),
    "not_assessed": ("Ikke vurdert", "Not assessed", "ikke-vurdert", "not-assessed"),
    "problems": ("Problemer", "Problems", "problemer", "problems"),
}
COLUMNS: dict[str, tuple[str, str]] = {
    "service": ("Tjeneste", "Service"),
    "name": ("Navn", "Name"),
    "kind": ("Type", "Kind"),
    "period": ("Periode", "Period"),
    "previous_period": ("Forrige periode", "Previous period"),
    "skal_share": ("Skal-krav i orden (andel)", "Skal requirements in order (share)"),
    "skal_met": ("Skal-krav oppfylt", "Skal met"),
    "skal_waived": ("Skal-krav med gyldig unntak", "Skal validly waived"),
    "skal_unmeasured": ("Skal-krav ikke målt", "Skal not measured"),
    "skal_total": ("Skal-krav i alt", "Skal total"),
    "bor_met": ("Bør-krav oppfylt", "Bør met"),
    "bor_total": ("Bør-krav i alt", "Bør total"),
    "score": ("Poengsum", "Score"),
    "score_before": ("Poengsum før", "Score before"),
    "score_change": ("Endring i poengsum", "Score change"),
    "skal_met_before": ("Skal-krav oppfylt før", "Skal met before"),
    "skal_total_before": ("Skal-krav i alt før", "Skal total before"),
    "newly_met": ("Nå oppfylt", "Newly met"),
    "no_longer_met": ("Ikke lenger oppfylt", "No longer met"),
    "path": ("Fil", "File"),
    "requirement": ("Krav-ID", "Requirement"),
    "title": ("Tittel", "Title"),
    "level": ("Nivå", "Level"),
    "chapter": ("Kapittel", "Chapter"),
    "applies": ("Gjelder for (tjenester)", "Applies to (services)"),
    "not_met_total": ("Ikke oppfylt i alt", "Not met in total"),
    "partial": ("Delvis oppfylt", "Partly met"),
    "not_met": ("Ikke oppfylt", "Not met"),
    "contradicted": ("Motsagt av målingen", "Contradicted by measurement"),
    "unanswered": ("Ikke besvart", "Unanswered"),
    "unmeasured": ("Ikke målt", "Not measured"),
    "services": ("Tjenester", "Services"),
    "share_not_met": ("Andel ikke oppfylt", "Share not met"),
    "outcome": ("Resultat", "Outcome"),
    "what": ("Tiltak", "Action"),
    "responsible": ("Ansvarlig", "Responsible"),
    "due": ("Frist", "Due"),
    "days_overdue": ("Dager over fristen", "Days overdue"),
    "status": ("Tjenestens status", "Service's status"),
    "advisor_status": ("Rådgiverens status", "Advisor's status"),
    "advisor": ("Rådgiver", "Advisor"),
    "date": ("Dato", "Date"),
    "comment": ("Kommentar", "Comment"),
    "indicator": ("Indikator", "Indicator"),
    "lines": ("Linjer", "Lines"),
    "calls": ("Anrop", "Calls"),
    "share": ("Andel", "Share"),
    "max_wait_seconds": ("Lengste ventetid (s)", "Longest wait (s)"),
    "denominator": ("Nevner", "Denominator"),
    "definition": ("Definisjon", "Definition"),
    "claimed_share": ("Oppgitt andel", "Claimed share"),
    "threshold_seconds": ("Grense (s)", "Threshold (s)"),
    "required_share": ("Krevd andel", "Required share"),
    "met": ("Oppfylt", "Met"),
    "source": ("Kilde", "Source"),
    "figure": ("Måling", "Measurement"),
    "line": ("Linje", "Line"),
    "column": ("Kolonne", "Column"),
    "severity": ("Alvorlighet", "Severity"),
    "code": ("Kode", "Code"),
    "message": ("Melding", "Message"),
    "register": ("Personalregister", "Staff register"),
    "rule": ("Regel", "Rule"),
    "people": ("Personer", "People"),
    "state": ("Tilstand", "State"),
    "expiring": ("Går ut snart", "Expiring soon"),
    "unreadable": ("Kan ikke leses", "Unreadable"),
}
SHARES = {"skal_share", "share_not_met", "share", "claimed_share", "required_share"}
COUNTS = {"skal_met", "skal_waived", "skal_unmeasured", "skal_total", "bor_met", "bor_total"}  # not shares


def section_names() -> list[str]:
    """Every name `--section` takes: the keys, and the file names in both languages."""
    return list(dict.fromkeys(name for key, labels in SECTIONS.items() for name in (key, labels[2], labels[3])))


def section_key(name: str) -> str | None:
    """The section a `--section` value names (a key or a file name in either language), or None."""
    for key, labels in SECTIONS.items():
        if name.casefold() in (key, labels[2], labels[3]):
            return key
    return None


def sheet_name(section: str) -> str:
    labels = SECTIONS.get(section)
    return (tr(labels[0], labels[1]) if labels else section)[:31]


def file_name(section: str) -> str:
    labels = SECTIONS.get(section)
    return (tr(labels[2], labels[3]) if labels else section) + ".csv"


def _columns(section: str, rows: list[dict], titles: dict[str, str]) -> list[tuple[str, str]]:
    """(key, header) of a section's columns, in the rows' order; the matrix's chapters by their titles."""
    keys = list(dict.fromkeys(k for row in rows for k in row))
    out = []
    for key in keys:
        if section == "matrix" and key in titles:
            out.append((key, titles[key]))
        elif key in COLUMNS:
            out.append((key, tr(*COLUMNS[key])))
        else:
            out.append((key, key))
    return out


def _value(value: Any) -> Any:
    if isinstance(value, list):
        return ", ".join(str(v) for v in value)
    return value


def section_csv(section: str, rows: list[dict], titles: dict[str, str] | None = None) -> str:
    """One section as CSV: a header row of names, then the rows, every cell neutralised."""
    import csv
    import io

    from kokom_cli.core.cells import neutralise_formula

    columns = _columns(section, rows, titles or {})
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow([neutralise_formula(header) for _, header in columns])
    for row in rows:
        writer.writerow([neutralise_formula(_value(row.get(key))) for key, _ in columns])
    return out.getvalue()


def tables_csv(tables: dict[str, list[dict]], titles: dict[str, str] | None = None) -> dict[str, str]:
    """File name -> CSV text, one file per section (an empty section is a file with its header row only)."""
    return {file_name(section): section_csv(section, rows, titles) for section, rows in tables.items()}


def tables_xlsx(tables: dict[str, list[dict]], titles: dict[str, str] | None = None) -> bytes:
    """One sheet per section, named for people; the matrix's shares coloured like the heatmap."""
    import io

    from openpyxl import Workbook
    from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE
    from openpyxl.styles import Alignment, Font, PatternFill

    from kokom_cli.core.cells import keep_as_text
    from kokom_cli.core.sheets import fit_columns, fit_rows, pages_across, print_setup
    from kokom_cli.publish.overview import ink_for, viridis

    book = Workbook()
    book.remove(book.active)
    wrap = Alignment(wrap_text=True, vertical="top")
    for section, rows in tables.items():
        sheet = book.create_sheet(sheet_name(section))
        columns = _columns(section, rows, titles or {}) or [("-", "-")]
        sheet.append([ILLEGAL_CHARACTERS_RE.sub("", header) for _, header in columns])
        for cell in sheet[1]:
            keep_as_text(cell)
            cell.font, cell.alignment = Font(bold=True), wrap
        for row in rows:
            values = [_value(row.get(key)) for key, _ in columns]
            sheet.append([ILLEGAL_CHARACTERS_RE.sub("", v) if isinstance(v, str) else v for v in values])
            for cell, (key, _) in zip(sheet[sheet.max_row], columns, strict=True):
                keep_as_text(cell)  # user text never becomes a formula
                cell.alignment = wrap
                if section == "matrix" and key not in COUNTS and isinstance(cell.value, (int, float)):
                    fill = viridis(cell.value)  # a chapter's share, the share over all chapters, the score
                    cell.fill = PatternFill("solid", fgColor=fill[1:])
                    cell.font = Font(color=ink_for(fill)[1:])
                    cell.number_format = "0%"
                elif key in SHARES and isinstance(cell.value, float):
                    cell.number_format = "0.0%"
        sheet.freeze_panes = "B2" if section == "matrix" else "A2"
        fit_columns(sheet)
        fit_rows(sheet)
        wide = pages_across(sheet)  # the matrix and the lists with many columns print over pages across
        print_setup(sheet, pages_wide=wide, title_columns="A:A" if wide > 1 else None)
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()
