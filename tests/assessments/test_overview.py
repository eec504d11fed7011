"""The national overview: loading a folder, the matrix and lists, every output format, broken files among good ones."""

from __future__ import annotations

import csv
import datetime as dt
import io
import itertools
import json
import re
from pathlib import Path

import openpyxl
import pytest
from conftest import EXAMPLES

from kokom_cli.assessments.overview import build_overview, load_folder
from kokom_cli.cli.main import app
from kokom_cli.config import Config
from kokom_cli.publish.overview import heatmap, ink_for, viridis
from kokom_cli.requirements.corpus import load_corpus
from kokom_cli.workspace import Workspace

AS_OF = "2026-11-01"
BUILTIN = Workspace(root=None, config=Config())


def _service(root: Path, sid: str, name: str, kind: str = "legevaktsentral") -> None:
    (root / "services").mkdir(parents=True, exist_ok=True)
    (root / "services" / f"{sid}.yaml").write_text(
        f"id: {sid}\nname: {json.dumps(name, ensure_ascii=False)}\nkind: {kind}\npopulation: 30000\n"
        "lines: ['116117', local]\n",
        encoding="utf-8",
    )


def _assessment(root: Path, sid: str, period: str, answers: str, date: str = "2026-10-01") -> Path:
    (root / "assessments").mkdir(parents=True, exist_ok=True)
    path = root / "assessments" / f"{sid}-{period}.yaml"
    path.write_text(
        f'service: {sid}\nedition: "2027.1"\nperiod: "{period}"\ndate: {date}\nanswers:\n{answers}', encoding="utf-8"
    )
    return path


MET = "    status: met\n    justification: I orden.\n"


@pytest.fixture
def national(tmp_path: Path) -> Path:
    """Two legevaktsentraler with two periods each, an AMK, a service without assessment, a broken file, stray YAML."""
    root = tmp_path / "land"
    a, b = root / "region-a", root / "region-b"
    _service(a, "lvs-alfa", "Alfa legevaktsentral")
    _assessment(
        a,
        "lvs-alfa",
        "2025",
        "  LVS-OPPG-01:\n    status: not_met\n    justification: Mangler.\n"
        "    action: {what: Ny rutine, responsible: Leder, due: 2026-01-01}\n",
        date="2025-10-01",
    )
    _assessment(
        a,
        "lvs-alfa",
        "2026",
        "  LVS-OPPG-01:\n" + MET + "  LVS-OPPG-02:\n    status: not_met\n    justification: Mangler.\n"
        "    action: {what: Avtale med AMK, responsible: Kari Nordmann, due: 2026-06-01}\n"
        "  LVS-OPPG-03:\n" + MET + "    verification: {status: not_met, by: Rådgiver Hansen, date: "
        "2026-10-20, comment: Ingen avtale funnet}\n"
        "  LVS-SVAR-01:\n    status: met\n    justification: Målt.\n"
        "    measured: {calls: 1200, share: 0.71}\n",
    )
    _service(b, "lvs-beta", "Beta <script>alert(1)</script> legevaktsentral")
    _assessment(b, "lvs-beta", "2026", "  LVS-OPPG-01:\n" + MET + "  LVS-OPPG-02:\n" + MET)
    _service(b, "lvs-gamma", "Gamma legevaktsentral")
    _service(b, "amk-delta", "AMK Delta", kind="amk")
    _assessment(
        b,
        "amk-delta",
        "2026",
        "  AMK-SVAR-02:\n    status: met\n    justification: Målt.\n"
        "    measured: {calls: 5000, max_wait_seconds: 14}\n",
    )
    broken = b / "assessments" / "lvs-gamma-2026.yaml"
    broken.write_text(
        'service: lvs-gamma\nedition: "2027.1"\nperiod: "2026"\ndate: 2026-10-01\nanswers:\n'
        "  LVS-OPPG-01:\n    status: kanskje\n",
        encoding="utf-8",
    )
    (root / "notater.yaml").write_text("tema: møte\n", encoding="utf-8")
    return root


def _overview(runner, folder: Path, *args: str):
    return runner.invoke(app, ["overview", str(folder), "--as-of", AS_OF, *args])


def test_broken_file_is_listed_and_the_rest_is_shown(runner, national: Path) -> None:
    result = _overview(runner, national, "--format", "json")
    assert result.exit_code == 1
    data = json.loads(result.stdout)
    assert [s["service"] for s in data["services"]] == ["amk-delta", "lvs-alfa", "lvs-beta"]
    assert [f["path"] for f in data["failed_files"]] == [
        str(national / "region-b" / "assessments" / "lvs-gamma-2026.yaml")
    ]
    finding = data["failed_files"][0]["findings"][0]
    assert (finding["line"], finding["code"]) == (7, "schema-value")
    assert re.search(r"lvs-gamma-2026\.yaml:7:\d+: error schema-value:", result.stderr)
    assert "1 fil kunne ikke leses og er utelatt." in result.stderr
    assert [s["service"] for s in data["not_assessed"]] == ["lvs-gamma"]
    assert data["skipped"] == [str(national / "notater.yaml")]


def test_matrix_lists_and_changes(runner, national: Path) -> None:
    data = json.loads(_overview(runner, national, "--json").stdout)
    alfa = next(s for s in data["services"] if s["service"] == "lvs-alfa")
    assert alfa["period"] == "2026" and alfa["previous_period"] == "2025"
    oppg = alfa["chapters"]["legevaktsentral"]
    # LVS-OPPG-03 is answered met, but the advisor judged it not met: the advisor's verdict counts
    assert (oppg["met"], oppg["total"]) == (1, 5), "LVS-OPPG-01 met of the chapter's five skal requirements"
    assert alfa["chapters"]["svartid"] == {
        "met": 0,
        "waived": 0,
        "unmeasured": 0,
        "total": 1,
        "share": 0.0,
        "state": "share",
    }, "the measurement decides: 71 % < 80 %"
    assert (
        alfa["skal"]["met"] == alfa["summary"]["skal_met"] == 1
    )  # LVS-OPPG-01 (LVS-OPPG-03: the advisor says not met)
    delta = next(s for s in data["services"] if s["service"] == "amk-delta")
    assert delta["chapters"]["legevaktsentral"] is None, "no skal requirement of the chapter applies to an AMK"
    assert [(o["service"], o["requirement"], o["days_overdue"]) for o in data["overdue_actions"]] == [
        ("lvs-alfa", "LVS-OPPG-02", 153)
    ]
    assert [(d["service"], d["requirement"], d["status"], d["advisor_status"]) for d in data["disputed"]] == [
        ("lvs-alfa", "LVS-OPPG-03", "met", "not_met")
    ]
    times = {(t["service"], t["requirement"]): t for t in data["answer_times"]}
    assert times[("lvs-alfa", "LVS-SVAR-01")]["met"] is False and times[("lvs-alfa", "LVS-SVAR-01")]["share"] == 0.71
    assert times[("amk-delta", "AMK-SVAR-02")]["met"] is True
    change = data["changes"][0]
    assert (change["service"], change["previous_period"], change["period"]) == ("lvs-alfa", "2025", "2026")
    assert "LVS-OPPG-01" in change["newly_met"] and change["skal_met_before"] == 0
    top = data["most_not_met"][0]
    assert top["not_met_total"] >= data["most_not_met"][-1]["not_met_total"]
    oppg02 = next(e for e in data["most_not_met"] if e["requirement"] == "LVS-OPPG-02")
    assert (oppg02["applies"], oppg02["not_met"], oppg02["services"]) == (2, 1, ["lvs-alfa"])


def test_kind_filter(runner, national: Path) -> None:
    data = json.loads(_overview(runner, national, "--json", "--kind", "amk").stdout)
    assert [s["service"] for s in data["services"]] == ["amk-delta"] and data["kind"] == "amk"
    result = _overview(runner, national, "--json", "--kind", "legevaktsentrale")
    assert result.exit_code == 2 and "legevaktsentral" in result.stderr


def test_html_heatmap_is_inline_svg_with_numbers_and_escaped_names(runner, national: Path, tmp_path: Path) -> None:
    out = tmp_path / "o.html"
    result = _overview(runner, national, "-o", str(out))
    assert result.exit_code == 1 and out.is_file()
    html = out.read_text(encoding="utf-8")
    svg = html[html.index("<svg") : html.index("</svg>")]
    assert 'role="img"' in svg and "Skal-krav oppfylt per kapittel" in svg
    assert (
        "<title>Alfa legevaktsentral, Legevaktsentralens oppgaver: 1 av 5 skal-krav i orden (20\u00a0%)</title>" in svg
    )
    assert f'fill="{viridis(0.2)}"' in svg and ">20\u00a0%</text>" in svg
    assert "<script>" not in html and "Beta &lt;script&gt;alert(1)&lt;/script&gt;" in html
    assert "lvs-gamma-2026.yaml" in html and "schema-value" in html, "the broken file is listed in the page"
    for heading in (
        "Krav som oftest ikke er oppfylt",
        "Tiltak med passert frist",
        "Svar rådgiveren er uenig i",
        "Svartider",
        "Endring siden forrige periode",
        "Tjenester uten vurdering",
    ):
        assert heading in html


def test_csv_and_xlsx_carry_the_same_data(runner, national: Path, tmp_path: Path) -> None:
    result = _overview(runner, national, "--format", "csv", "--section", "matrix")
    matrix = list(csv.DictReader(io.StringIO(result.stdout)))
    assert [r["Tjeneste"] for r in matrix] == ["amk-delta", "lvs-alfa", "lvs-beta"]
    alfa = next(r for r in matrix if r["Tjeneste"] == "lvs-alfa")
    assert alfa["Legevaktsentralens oppgaver"] == "0.2", "chapters are named by their titles"
    assert "Skal-krav i orden (andel)" in alfa and "skal_share" not in alfa
    out = tmp_path / "o.xlsx"
    assert _overview(runner, national, "--format", "xlsx", "-o", str(out)).exit_code == 1
    book = openpyxl.load_workbook(out)
    assert book.sheetnames == [
        "Skal-krav per kapittel",
        "Oftest ikke oppfylt",
        "Tiltak over frist",
        "Rådgiveren er uenig",
        "Svartider",
        "Kompetanse",
        "Endringer",
        "Ikke vurdert",
        "Problemer",
    ]
    sheet = book["Skal-krav per kapittel"]
    header = [c.value for c in sheet[1]]
    alfa_row = next(r for r in sheet.iter_rows(min_row=2) if r[0].value == "lvs-alfa")
    cell = alfa_row[header.index("Legevaktsentralens oppgaver")]
    assert cell.value == 0.2 and cell.fill.fgColor.rgb.lower().endswith(viridis(0.2)[1:])
    for name in book.sheetnames:
        ws = book[name]
        assert ws.freeze_panes in ("A2", "B2") and ws.print_title_rows == "$1:$1"
        assert ws.page_setup.orientation == "landscape" and ws.sheet_properties.pageSetUpPr.fitToPage
        assert all(ws.column_dimensions[c].width >= 8 for c in "ABC")


def test_overview_csv_is_one_file_per_section(runner, national: Path, tmp_path: Path) -> None:
    no_place = _overview(runner, national, "--format", "csv")
    assert no_place.exit_code == 2 and "--section" in no_place.stderr and not no_place.stdout
    folder = tmp_path / "csv"
    assert _overview(runner, national, "--format", "csv", "-o", str(folder)).exit_code == 1
    assert sorted(p.name for p in folder.iterdir()) == [
        "endringer.csv",
        "ikke-vurdert.csv",
        "kompetanse.csv",
        "oftest-ikke-oppfylt.csv",
        "problemer.csv",
        "raadgiveren-er-uenig.csv",
        "skal-krav-per-kapittel.csv",
        "svartider.csv",
        "tiltak-over-frist.csv",
    ]
    times = list(csv.DictReader(io.StringIO((folder / "svartider.csv").read_text(encoding="utf-8"))))
    assert {r["Tjeneste"] for r in times} == {"lvs-alfa", "amk-delta"} and "Lengste ventetid (s)" in times[0]
    assert len(times[0]) < 20, "a section's own columns, not a union of all sections"
    beside = tmp_path / "land.csv"
    result = _overview(runner, national, "--format", "csv", "-o", str(beside), "--lang", "en")
    assert result.exit_code == 1 and "9 CSV files" in result.stderr
    assert (tmp_path / "land-answer-times.csv").read_text(encoding="utf-8").startswith("Service,Name,Requirement,")
    one = tmp_path / "one.csv"
    assert _overview(runner, national, "--format", "csv", "--section", "svartider", "-o", str(one)).exit_code == 1
    assert one.read_text(encoding="utf-8") == (folder / "svartider.csv").read_text(encoding="utf-8")
    typo = _overview(runner, national, "--format", "csv", "--section", "svartid")
    assert typo.exit_code == 2 and "svartider" in typo.stderr
    english = _overview(runner, national, "--format", "xlsx", "-o", str(tmp_path / "en.xlsx"), "--lang", "en")
    assert english.exit_code == 1
    assert openpyxl.load_workbook(tmp_path / "en.xlsx").sheetnames[:2] == ["Skal by chapter", "Most often not met"]


def test_overview_cells_never_become_formulas(runner, national: Path, tmp_path: Path) -> None:
    _service(national / "region-c", "lvs-eps", '=HYPERLINK("http://x","klikk")')
    _assessment(national / "region-c", "lvs-eps", "2026", "  LVS-OPPG-01:\n" + MET)
    text = _overview(runner, national, "--format", "csv", "--section", "matrix").stdout
    assert "'=HYPERLINK" in text
    out = tmp_path / "o.xlsx"
    _overview(runner, national, "--format", "xlsx", "-o", str(out))
    sheet = openpyxl.load_workbook(out)["Skal-krav per kapittel"]
    cell = next(r[1] for r in sheet.iter_rows(min_row=2) if r[0].value == "lvs-eps")
    assert cell.value.startswith("=HYPERLINK") and cell.data_type == "s"


def test_pdf(runner, national: Path, tmp_path: Path) -> None:
    from pypdf import PdfReader

    out = tmp_path / "o.pdf"
    result = _overview(runner, national, "--format", "pdf", "-o", str(out), "--kind", "amk")
    assert result.exit_code == 1, result.stderr
    reader = PdfReader(out)
    text = "\n".join(page.extract_text() for page in reader.pages)
    assert "Skal-krav oppfylt per kapittel" in text and "AMK Delta" in text
    title = reader.metadata.title
    assert title == "Nasjonal oversikt: Egenvurderinger på tvers av tjenester", title


def test_examples_folder(runner, tmp_path: Path) -> None:
    result = _overview(runner, EXAMPLES, "--json")
    assert result.exit_code == 0, result.stderr
    data = json.loads(result.stdout)
    assert {s["service"] for s in data["services"]} == {"amk-nordvik", "lvs-fjordby", "lvs-storby"}
    assert data["failed_files"] == [] and data["answer_times"], "the examples' call logs are measured"
    for service in data["services"]:
        cells = [c for c in service["chapters"].values() if c]
        assert sum(c["met"] for c in cells) == service["summary"]["skal_met"]
        check = runner.invoke(app, ["assess", "check", service["path"], "--json", "--as-of", AS_OF])
        assert json.loads(check.stdout)["summary"]["skal_met"] == service["summary"]["skal_met"]


def test_assess_validate_loads_only(runner, national: Path) -> None:
    result = runner.invoke(app, ["assess", "validate", str(national), "--json"])
    assert result.exit_code == 1
    data = json.loads(result.stdout)
    assert (data["assessments"], data["services"]) == (4, 4)
    assert [Path(p).name for p in data["failed_files"]] == ["lvs-gamma-2026.yaml"]
    (national / "region-b" / "assessments" / "lvs-gamma-2026.yaml").unlink()
    result = runner.invoke(app, ["assess", "validate", str(national)])
    assert result.exit_code == 0 and "4 vurderinger og 4 tjenester lest og kontrollert." in result.stderr


def test_two_assessments_for_one_period_warn_and_the_latest_counts(runner, national: Path) -> None:
    copy = national / "region-b" / "assessments" / "lvs-beta-2026-ny.yaml"
    copy.write_text(
        (national / "region-b" / "assessments" / "lvs-beta-2026.yaml")
        .read_text(encoding="utf-8")
        .replace("date: 2026-10-01", "date: 2026-10-15")
        .replace("status: met", "status: partial"),
        encoding="utf-8",
    )
    data = json.loads(_overview(runner, national, "--json").stdout)
    assert [w["code"] for w in data["notes"]] == ["period-twice"]
    beta = next(s for s in data["services"] if s["service"] == "lvs-beta")
    assert beta["path"].endswith("lvs-beta-2026-ny.yaml") and beta["previous_period"] is None


def test_core_directly(national: Path) -> None:
    corpus = load_corpus(BUILTIN.requirements_dir)
    found = load_folder(national, BUILTIN, corpus)
    overview = build_overview(found, as_of=dt.date(2026, 11, 1), edition="2027.1")
    figures = heatmap(overview, rows_per_figure=2)
    assert [(f["first"], f["last"]) for f in figures] == [(1, 2), (3, 3)], "long matrices are split for page breaks"
    assert len(figures[0]["rows"][0]["cells"]) == len(overview.chapters) + 1, "one cell per chapter, and the total"


def test_palette_is_viridis_and_text_stays_readable() -> None:
    assert (viridis(0), viridis(1)) == ("#440154", "#fde725")
    middle, reference = viridis(0.5), "#21918c"  # matplotlib's viridis(0.5)
    assert all(abs(int(middle[i : i + 2], 16) - int(reference[i : i + 2], 16)) <= 3 for i in (1, 3, 5)), middle

    def luminance(colour: str) -> float:
        def channel(c: int) -> float:
            c = c / 255
            return c / 12.92 if c <= 0.03928 else ((c + 0.055) / 1.055) ** 2.4

        r, g, b = (channel(int(colour[i : i + 2], 16)) for i in (1, 3, 5))
        return 0.2126 * r + 0.7152 * g + 0.0722 * b

    steps = [viridis(s / 20) for s in range(21)]
    assert all(luminance(a) < luminance(b) for a, b in itertools.pairwise(steps)), (
        "lighter as the share rises (greyscale)"
    )
    for fill in steps:
        lighter, darker = sorted((luminance(fill), luminance(ink_for(fill))), reverse=True)
        assert (lighter + 0.05) / (darker + 0.05) >= 4.5, fill


def _unreadable_log(national: Path) -> Path:
    """Beta references a call log that is not a call log: LVS-SVAR-01 (answered met) cannot be measured."""
    folder = national / "region-b" / "assessments"
    (folder / "logg.csv").write_text("hvem,når\n1,2\n", encoding="utf-8")
    path = folder / "lvs-beta-2026.yaml"
    path.write_text(
        path.read_text(encoding="utf-8").replace("answers:", "call_logs: [logg.csv]\nanswers:")
        + "  LVS-SVAR-01:\n"
        + MET,
        encoding="utf-8",
    )
    return path


def test_a_call_log_that_cannot_be_read_is_an_error_and_never_met(runner, national: Path, tmp_path: Path) -> None:
    path = _unreadable_log(national)
    result = _overview(runner, national, "--json")
    assert result.exit_code == 1
    data = json.loads(result.stdout)
    beta = next(s for s in data["services"] if s["service"] == "lvs-beta")
    assert beta["chapters"]["svartid"]["state"] == "unmeasured" and beta["chapters"]["svartid"]["met"] == 0
    errors = [n for n in data["notes"] if n["severity"] == "error"]
    assert [(n["path"], n["code"]) for n in errors] == [(str(path), "calllog-unmeasured")]
    assert "LVS-SVAR-01" in errors[0]["message"] and "logg.csv" in errors[0]["message"]
    assert "logg.csv" in result.stderr
    # HTML: the cell says "ikke målt"; XLSX: the problem is listed and the matrix has no share for it
    html_out = tmp_path / "o.html"
    assert _overview(runner, national, "-o", str(html_out)).exit_code == 1
    html = html_out.read_text(encoding="utf-8")
    assert ">ikke målt</text>" in html and 'class="cell-unmeasured"' in html
    xlsx_out = tmp_path / "o.xlsx"
    assert _overview(runner, national, "--format", "xlsx", "-o", str(xlsx_out)).exit_code == 1
    book = openpyxl.load_workbook(xlsx_out)
    problems = [[c.value for c in row] for row in book["Problemer"].iter_rows(min_row=2)]
    assert any("calllog-unmeasured" in row for row in problems)
    header = [c.value for c in book["Skal-krav per kapittel"][1]]
    matrix = book["Skal-krav per kapittel"].iter_rows(min_row=2, values_only=True)
    beta_row = next(row for row in matrix if row[0] == "lvs-beta")
    assert beta_row[header.index("Svartid og tilgjengelighet")] == "ikke målt"
    # assess check exits 1 and says why; assess validate lists it as an error
    check = runner.invoke(app, ["assess", "check", str(path), "--as-of", AS_OF, "--json"])
    assert check.exit_code == 1
    svar = next(r for r in json.loads(check.stdout)["results"] if r["id"] == "LVS-SVAR-01")
    assert svar["outcome"] == "unmeasured" and svar["reasons"][0] == "unmeasured"
    validate = runner.invoke(app, ["assess", "validate", str(national), "--json"])
    assert validate.exit_code == 1
    assert "calllog-unmeasured" in [f["code"] for f in json.loads(validate.stdout)["findings"]]


def test_a_waived_requirement_is_in_order_in_the_overview(runner, national: Path, tmp_path: Path) -> None:
    path = national / "region-b" / "assessments" / "lvs-beta-2026.yaml"
    path.write_text(
        path.read_text(encoding="utf-8")
        + "  LVS-SVAR-01:\n    status: not_met\n    justification: For få operatører.\n"
        + "waivers:\n  - {requirement: LVS-SVAR-01, justification: Ny sentral, approved_by: Helsedirektoratet, "
        + "expires: 2027-06-30}\n",
        encoding="utf-8",
    )
    data = json.loads(_overview(runner, national, "--json").stdout)
    beta = next(s for s in data["services"] if s["service"] == "lvs-beta")
    assert beta["chapters"]["svartid"] == {
        "met": 0,
        "waived": 1,
        "unmeasured": 0,
        "total": 1,
        "share": 1.0,
        "state": "waived",
    }, "a validly waived requirement is in order, never 0 %"
    not_met = {e["requirement"]: e["services"] for e in data["most_not_met"]}
    assert "lvs-beta" not in not_met.get("LVS-SVAR-01", []), "left out of the list of requirements not met"
    html_out = tmp_path / "o.html"
    _overview(runner, national, "-o", str(html_out))
    html = html_out.read_text(encoding="utf-8")
    assert 'fill="url(#hm-1-waived)"' in html and "med gyldig unntak (skravert)" in html
    assert "1 med gyldig unntak (100\u00a0%)" in html
    xlsx_out = tmp_path / "o.xlsx"
    _overview(runner, national, "--format", "xlsx", "-o", str(xlsx_out))
    book = openpyxl.load_workbook(xlsx_out)
    header = [c.value for c in book["Skal-krav per kapittel"][1]]
    matrix = book["Skal-krav per kapittel"].iter_rows(min_row=2, values_only=True)
    beta_row = next(row for row in matrix if row[0] == "lvs-beta")
    assert beta_row[header.index("Svartid og tilgjengelighet")] == 1.0
    assert beta_row[header.index("Skal-krav med gyldig unntak")] == 1
