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

SECTIONS: dict[str, tuple[str, str, str, str, str, str]] = {
    # key -> sheet (nb, en), file name (nb, en), sheet (nn), file name (nn)
    "matrix": (
        "Skal-krav per kapittel",
        "Skal by chapter",
        "skal-krav-per-kapittel",
        "skal-by-chapter",
        "Skal-krav per kapittel",
        "skal-krav-per-kapittel",
    ),
    "most_not_met": (
        "Oftest ikke oppfylt",
        "Most often not met",
        "oftest-ikke-oppfylt",
        "most-often-not-met",
        "Oftast ikkje oppfylt",
        "oftast-ikkje-oppfylt",
    ),
    "overdue_actions": (
        "Tiltak over frist",
        "Overdue actions",
        "tiltak-over-frist",
        "overdue-actions",
        "Tiltak over frist",
        "tiltak-over-frist",
    ),
    "disputed": (
        "Rådgiveren er uenig",
        "Disputed by advisor",
        "raadgiveren-er-uenig",
        "disputed-by-advisor",
        "Rådgjevaren er usamd",
        "raadgjevaren-er-usamd",
    ),
    "answer_times": ("Svartider", "Answer times", "svartider", "answer-times", "Svartider", "svartider"),
    "competence": ("Kompetanse", "Competence", "kompetanse", "competence", "Kompetanse", "kompetanse"),
    "changes": ("Endringer", "Changes", "endringer", "changes", "Endringar", "endringar"),
    "not_assessed": ("Ikke vurdert", "Not assessed", "ikke-vurdert", "not-assessed", "Ikkje vurdert", "ikkje-vurdert"),
    "problems": ("Problemer", "Problems", "problemer", "problems", "Problem", "problem"),
}
COLUMNS: dict[str, tuple[str, str, str]] = {  # key -> (nb, en, nn)
    "service": ("Tjeneste", "Service", "Teneste"),
    "name": ("Navn", "Name", "Namn"),
    "kind": ("Type", "Kind", "Type"),
    "period": ("Periode", "Period", "Periode"),
    "previous_period": ("Forrige periode", "Previous period", "Førre periode"),
    "skal_share": ("Skal-krav i orden (andel)", "Skal requirements in order (share)", "Skal-krav i orden (del)"),
    "skal_met": ("Skal-krav oppfylt", "Skal met", "Skal-krav oppfylte"),
    "skal_waived": ("Skal-krav med gyldig unntak", "Skal validly waived", "Skal-krav med gyldig unntak"),
    "skal_unmeasured": ("Skal-krav ikke målt", "Skal not measured", "Skal-krav ikkje målte"),
    "skal_total": ("Skal-krav i alt", "Skal total", "Skal-krav i alt"),
    "bor_met": ("Bør-krav oppfylt", "Bør met", "Bør-krav oppfylte"),
    "bor_total": ("Bør-krav i alt", "Bør total", "Bør-krav i alt"),
    "score": ("Poengsum", "Score", "Poengsum"),
    "score_before": ("Poengsum før", "Score before", "Poengsum før"),
    "score_change": ("Endring i poengsum", "Score change", "Endring i poengsum"),
    "skal_met_before": ("Skal-krav oppfylt før", "Skal met before", "Skal-krav oppfylte før"),
    "skal_total_before": ("Skal-krav i alt før", "Skal total before", "Skal-krav i alt før"),
    "newly_met": ("Nå oppfylt", "Newly met", "No oppfylt"),
    "no_longer_met": ("Ikke lenger oppfylt", "No longer met", "Ikkje lenger oppfylt"),
    "path": ("Fil", "File", "Fil"),
    "requirement": ("Krav-ID", "Requirement", "Krav-ID"),
    "title": ("Tittel", "Title", "Tittel"),
    "level": ("Nivå", "Level", "Nivå"),
    "chapter": ("Kapittel", "Chapter", "Kapittel"),
    "applies": ("Gjelder for (tjenester)", "Applies to (services)", "Gjeld for (tenester)"),
    "not_met_total": ("Ikke oppfylt i alt", "Not met in total", "Ikkje oppfylt i alt"),
    "partial": ("Delvis oppfylt", "Partly met", "Delvis oppfylt"),
    "not_met": ("Ikke oppfylt", "Not met", "Ikkje oppfylt"),
    "contradicted": ("Motsagt av målingen", "Contradicted by measurement", "Motsagt av målinga"),
    "unanswered": ("Ikke besvart", "Unanswered", "Ikkje svart på"),
    "unmeasured": ("Ikke målt", "Not measured", "Ikkje målt"),
    "services": ("Tjenester", "Services", "Tenester"),
    "share_not_met": ("Andel ikke oppfylt", "Share not met", "Del ikkje oppfylt"),
    "outcome": ("Resultat", "Outcome", "Resultat"),
    "what": ("Tiltak", "Action", "Tiltak"),
    "responsible": ("Ansvarlig", "Responsible", "Ansvarleg"),
    "due": ("Frist", "Due", "Frist"),
    "days_overdue": ("Dager over fristen", "Days overdue", "Dagar over fristen"),
    "status": ("Tjenestens status", "Service's status", "Statusen til tenesta"),
    "advisor_status": ("Rådgiverens status", "Advisor's status", "Statusen til rådgjevaren"),
    "advisor": ("Rådgiver", "Advisor", "Rådgjevar"),
    "date": ("Dato", "Date", "Dato"),
    "comment": ("Kommentar", "Comment", "Kommentar"),
    "indicator": ("Indikator", "Indicator", "Indikator"),
    "lines": ("Linjer", "Lines", "Linjer"),
    "calls": ("Anrop", "Calls", "Anrop"),
    "share": ("Andel", "Share", "Del"),
    "max_wait_seconds": ("Lengste ventetid (s)", "Longest wait (s)", "Lengste ventetid (s)"),
    "denominator": ("Nevner", "Denominator", "Nemnar"),
    "definition": ("Definisjon", "Definition", "Definisjon"),
    "claimed_share": ("Oppgitt andel", "Claimed share", "Oppgitt del"),
    "threshold_seconds": ("Grense (s)", "Threshold (s)", "Grense (s)"),
    "required_share": ("Krevd andel", "Required share", "Kravd del"),
    "met": ("Oppfylt", "Met", "Oppfylt"),
    "source": ("Kilde", "Source", "Kjelde"),
    "figure": ("Måling", "Measurement", "Måling"),
    "line": ("Linje", "Line", "Linje"),
    "column": ("Kolonne", "Column", "Kolonne"),
    "severity": ("Alvorlighet", "Severity", "Alvor"),
    "code": ("Kode", "Code", "Kode"),
    "message": ("Melding", "Message", "Melding"),
    "register": ("Personalregister", "Staff register", "Personalregister"),
    "rule": ("Regel", "Rule", "Regel"),
    "people": ("Personer", "People", "Personar"),
    "state": ("Tilstand", "State", "Tilstand"),
    "expiring": ("Går ut snart", "Expiring soon", "Går snart ut"),
    "unreadable": ("Kan ikke leses", "Unreadable", "Kan ikkje lesast"),
}
SHARES = {"skal_share", "share_not_met", "share", "claimed_share", "required_share"}
COUNTS = {"skal_met", "skal_waived", "skal_unmeasured", "skal_total", "bor_met", "bor_total"}  # not shares


def section_names() -> list[str]:
    """Every name `--section` takes: the keys, and the file names in every language."""
    return list(
        dict.fromkeys(name for key, labels in SECTIONS.items() for name in (key, labels[2], labels[3], labels[5]))
    )


def section_key(name: str) -> str | None:
    """The section a `--section` value names (a key or a file name in any language), or None."""
    for key, labels in SECTIONS.items():
        if name.casefold() in (key, labels[2], labels[3], labels[5]):
            return key
    return None


def sheet_name(section: str) -> str:
    labels = SECTIONS.get(section)
    return (tr(labels[0], labels[1], labels[4]) if labels else section)[:31]


def file_name(section: str) -> str:
    labels = SECTIONS.get(section)
    return (tr(labels[2], labels[3], labels[5]) if labels else section) + ".csv"


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
