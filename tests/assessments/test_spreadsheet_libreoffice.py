"""The XLSX form and the overview workbook as people open them: converted by Debian's LibreOffice (headless).

Not skipped when LibreOffice is missing: CI installs it (`.ci/run`), and a machine without it should say so.
Each conversion uses a profile of its own under the test's temporary folder.
"""

from __future__ import annotations

import re
import shutil
import subprocess
from pathlib import Path

import pytest
import yaml
from conftest import EXAMPLES

from kokom_cli.assessments.spreadsheet.guide import help_lines
from kokom_cli.cli.main import app

FJORDBY = EXAMPLES / "lvs-fjordby" / "assessments" / "lvs-fjordby-2026.yaml"


@pytest.fixture(scope="module")
def profile(tmp_path_factory) -> Path:
    assert shutil.which("soffice"), "LibreOffice (soffice) is needed: apt-get install libreoffice-calc-nogui"
    return tmp_path_factory.mktemp("lo-profile")


def _convert(source: Path, target: str, profile: Path, out: Path) -> Path:
    """`soffice --headless --convert-to target` into `out`; the converted file's path."""
    out.mkdir(exist_ok=True)
    done = subprocess.run(
        [
            "soffice",
            f"-env:UserInstallation={profile.as_uri()}",
            "--headless",
            "--convert-to",
            target,
            "--outdir",
            str(out),
            str(source),
        ],
        capture_output=True,
        text=True,
        timeout=180,
    )
    converted = out / f"{source.stem}.{target.split(':')[0]}"
    assert done.returncode == 0 and converted.is_file(), done.stdout + done.stderr
    return converted


def _pdf_text(pdf: Path) -> str:
    from pypdf import PdfReader

    return " ".join(" ".join(page.extract_text().split()) for page in PdfReader(pdf).pages)


def _overlapping_words(pdf: Path) -> list[str]:
    """Words drawn over each other on a page (lines of a cell running into the next row), from poppler's boxes."""
    html = subprocess.run(["pdftotext", "-bbox", str(pdf), "-"], capture_output=True, text=True, check=True).stdout
    found = []
    for page in html.split("<page ")[1:]:
        words = [
            (float(a), float(b), float(c), float(d), w)
            for a, b, c, d, w in re.findall(
                r'xMin="([\d.]+)" yMin="([\d.]+)" xMax="([\d.]+)" yMax="([\d.]+)">([^<]*)</word>', page
            )
        ]
        words.sort(key=lambda w: w[1])
        for i, (x0, y0, x1, y1, word) in enumerate(words):
            for u0, v0, u1, v1, other in words[i + 1 :]:
                if v0 >= y1 - 1:
                    break
                if min(x1, u1) - max(x0, u0) > 1 and min(y1, v1) - max(y0, v0) > 2:
                    found.append(f"{word!r} over {other!r}")
    return found


@pytest.fixture(scope="module")
def form(tmp_path_factory) -> Path:
    from typer.testing import CliRunner

    out = tmp_path_factory.mktemp("form") / "skjema.xlsx"
    result = CliRunner().invoke(app, ["assess", "export", str(FJORDBY), "-o", str(out)])
    assert result.exit_code == 0, result.stderr
    return out


def test_form_prints_from_libreoffice_with_every_instruction_in_full(form: Path, profile: Path, tmp_path) -> None:
    from kokom_cli.assessments.loading import load_assessment
    from kokom_cli.config import Config
    from kokom_cli.requirements.corpus import load_corpus
    from kokom_cli.workspace import Workspace

    pdf = _convert(form, "pdf", profile, tmp_path)
    text = _pdf_text(pdf)
    ws = Workspace(root=None, config=Config())
    loaded = load_assessment(FJORDBY, ws, load_corpus(ws.requirements_dir))
    count = sum(1 for *_, applies in loaded.items if applies.applies)
    for line in help_lines(loaded.service, loaded.assessment, count):
        assert " ".join(line.split()) in text, f"instruction cut off in print: {line!r}"
    for header in ("Krav-ID", "Kravtekst", "Forventet dokumentasjon", "Begrunnelse", "Rådgiver: kommentar"):
        assert header in text
    assert _overlapping_words(pdf) == [], "wrapped text runs into the next row"


def test_form_saved_by_libreoffice_still_imports(runner, form: Path, profile: Path, tmp_path) -> None:
    saved = _convert(form, "xlsx:Calc MS Excel 2007 XML", profile, tmp_path / "saved")
    shutil.copytree(FJORDBY.parent.parent, tmp_path / "lvs-fjordby")  # the service and evidence it refers to
    folder = tmp_path / "lvs-fjordby" / "assessments"
    for book, name in ((saved, "via-libreoffice.yaml"), (form, "direct.yaml")):
        result = runner.invoke(app, ["assess", "import", str(book), "-o", str(folder / name)])
        assert result.exit_code == 0, result.stderr
    via, direct = ((folder / name).read_text(encoding="utf-8") for name in ("via-libreoffice.yaml", "direct.yaml"))
    assert via == direct, "a save in LibreOffice changes nothing the import reads"
    assert (
        yaml.safe_load(via)["answers"]["LVS-SVAR-01"]
        == yaml.safe_load(FJORDBY.read_text(encoding="utf-8"))["answers"]["LVS-SVAR-01"]
    )


def test_form_rows_are_tall_enough_for_libreoffice(form: Path) -> None:
    """Every wrapped cell's row is at least as tall as its text in LibreOffice's font (about 1.15 characters per
    unit of column width, 13.5 pt a line), whatever openpyxl itself knows."""
    import openpyxl

    book = openpyxl.load_workbook(form)
    for name in ("Veiledning", "Vurdering", "Svar", "Unntak"):
        sheet = book[name]
        for row in sheet.iter_rows():
            height = sheet.row_dimensions[row[0].row].height
            assert height, f"{name} row {row[0].row} has no height"
            for cell in row:
                if isinstance(cell.value, str) and cell.alignment.wrap_text:
                    width = sheet.column_dimensions[cell.column_letter].width
                    chars = int(width * 1.15)
                    lines = sum(max(1, -(-len(p) // chars)) for p in cell.value.split("\n"))
                    assert height >= lines * 13.5, f"{name}!{cell.coordinate}: {lines} lines in {height} pt"


def test_overview_workbook_prints_with_norwegian_names(runner, profile: Path, tmp_path) -> None:
    book = tmp_path / "oversikt.xlsx"
    result = runner.invoke(app, ["overview", str(EXAMPLES), "--as-of", "2026-11-01", "-f", "xlsx", "-o", str(book)])
    assert result.exit_code == 0, result.stderr
    pdf = _convert(book, "pdf", profile, tmp_path / "pdf")
    text = _pdf_text(pdf)
    for name in ("Skal-krav per kapittel", "Oftest ikke oppfylt", "Svartider", "Skal-krav i orden (andel)"):
        assert name in text
    assert "Svartid og tilgjengelighet" in text and "Fjordby interkommunale legevaktsentral" in text
    assert "skal_share" not in text and "most_not_met" not in text
    assert _overlapping_words(pdf) == []
    csv = _convert(book, "csv:Text - txt - csv (StarCalc):44,34,76", profile, tmp_path / "csv")  # first sheet, UTF-8
    lines = csv.read_text(encoding="utf-8").splitlines()
    assert lines[0].startswith("Tjeneste,Navn,Type,Periode,Svartid og tilgjengelighet")
    assert len(lines) == 4 and lines[1].startswith("amk-nordvik,AMK Nordvik,amk,2026,50%")
