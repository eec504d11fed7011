"""The handbook laid out in parts and joined (publish.parts): the same book as one WeasyPrint document.

The national handbook is rendered both ways; the joined file must have the same pages, text,
bookmarks (titles, levels, target pages), contents and index page numbers that point at the
page where the chapter or requirement really is, "Side X av Y" on every page but the cover,
and links that land where they did.
"""

from __future__ import annotations

import re
import shutil
from pathlib import Path

import pypdf
import pytest
from pdf_helpers import outline_pages
from typer.testing import CliRunner

from kokom_cli.cli.main import app
from kokom_cli.publish import book_pdf
from kokom_cli.publish.parts import split_book
from kokom_cli.workspace import builtin_dir


def texts(reader: pypdf.PdfReader) -> list[list[str]]:
    return [[" ".join(line.split()) for line in page.extract_text().splitlines()] for page in reader.pages]


@pytest.fixture(scope="module")
def national(tmp_path_factory) -> Path:
    root = tmp_path_factory.mktemp("national")
    shutil.copytree(builtin_dir("requirements"), root / "requirements")
    shutil.copytree(builtin_dir("procedures"), root / "procedures")
    (root / "kokom.yaml").write_text("title: Nasjonale krav til medisinsk nødmeldetjeneste\n", encoding="utf-8")
    return root


def render(root: Path, out: Path, *args: str) -> pypdf.PdfReader:
    result = CliRunner().invoke(
        app, ["render", "handbook", "--root", str(root), "--format", "pdf", "-o", str(out), *args]
    )
    assert result.exit_code == 0, result.stderr
    return pypdf.PdfReader(out)


@pytest.fixture(scope="module")
def both(national, tmp_path_factory) -> tuple[pypdf.PdfReader, pypdf.PdfReader]:
    """(one document, joined parts) of the national handbook with its procedures' trace appendix."""
    folder = tmp_path_factory.mktemp("pdf")
    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(book_pdf, "MIN_CHARS", 0)  # the national handbook is below the size for parts
        joined = render(national, folder / "parts.pdf")
    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(book_pdf, "usable", lambda: False)
        single = render(national, folder / "single.pdf")
    return single, joined


def test_the_handbook_is_laid_out_in_parts(national, monkeypatch, tmp_path):
    monkeypatch.setattr(book_pdf, "MIN_CHARS", 0)
    calls = []
    real = book_pdf.write_in_parts
    monkeypatch.setattr(book_pdf, "write_in_parts", lambda *a: calls.append(real(*a)) or calls[-1])
    monkeypatch.setattr("kokom_cli.publish.pdf.write_in_parts", book_pdf.write_in_parts)
    render(national, tmp_path / "h.pdf")
    assert calls and calls[0] is not None


def test_joined_book_has_the_same_pages_text_and_bookmarks(both):
    single, joined = both
    assert len(joined.pages) == len(single.pages)
    assert outline_pages(joined) == outline_pages(single)
    assert texts(joined) == texts(single)
    assert joined.metadata["/Title"] == single.metadata["/Title"]
    assert joined.trailer["/Root"]["/Lang"] == single.trailer["/Root"]["/Lang"]


def test_bookmarks_have_levels_and_point_at_their_headings(both):
    _, joined = both
    marks = outline_pages(joined)
    assert {depth for depth, _, _ in marks} == {0, 1}
    pages = texts(joined)
    for _, title, page in marks:
        words = " ".join(pages[page - 1])
        assert title.split()[-1] in words, (title, page)


def test_contents_and_index_numbers_are_the_pages_of_their_targets(both):
    _, joined = both
    marks = outline_pages(joined)
    chapters = {title: page for depth, title, page in marks if depth == 0}
    requirements = {title.split()[0]: page for depth, title, page in marks if depth == 1}
    pages = texts(joined)
    contents = [line for line in pages[1] if "...." in line]
    assert len(contents) >= len(chapters) - 1
    for line in contents:
        title, number = re.fullmatch(r"(.*?) ?\.{4,} ?(\d+)", line).groups()
        matches = [page for name, page in chapters.items() if " ".join(name.split()).endswith(title.split()[-1])]
        assert int(number) in matches, line
    index_start = chapters["Krav etter tjenestetype"]
    lines = [
        line
        for page in pages[index_start - 1 : chapters["Sporbarhet krav → prosedyrer"] - 1]
        for line in page
        if re.match(r"[A-ZÆØÅ]+-[A-ZÆØÅ0-9-]+-\d+ ", line)
    ]
    entries = [re.fullmatch(r"(\S+) .* – (\d+)(?: (?:SKAL|BØR))?", line) for line in lines]
    assert all(entries), [line for line, found in zip(lines, entries, strict=True) if not found]
    entries = [found.groups() for found in entries if found]
    assert len(entries) > len(requirements)  # a requirement is listed once per service kind
    for rid, number in entries:
        assert requirements[rid] == int(number), rid


def test_page_numbers_count_the_joined_book(both):
    _, joined = both
    total = len(joined.pages)
    pages = texts(joined)
    assert not any(line.startswith("Side") for line in pages[0])  # the cover
    for number in (2, 3, total // 2, total - 1, total):
        assert f"Side {number} av {total}" in pages[number - 1], number


def test_links_to_other_parts_land_on_their_targets(both):
    _, joined = both
    names = joined.named_destinations
    marks = {title.split()[0]: page for depth, title, page in outline_pages(joined) if depth == 1}
    toc_links = [a.get_object() for a in joined.pages[1].get("/Annots", [])]
    assert toc_links and all("/Dest" in link for link in toc_links)
    for link in toc_links:
        assert str(link["/Dest"]) in names
    for rid, page in list(marks.items())[:10]:
        assert joined.get_destination_page_number(names[rid]) + 1 == page


def test_a_page_that_cannot_be_cut_is_one_document(national):
    assert split_book("<html><body><p>x</p></body></html>") is None
    page = (national / "kokom.yaml").read_text()  # not a handbook at all
    assert split_book(page) is None


def test_a_small_handbook_is_one_document(national, monkeypatch, tmp_path):
    monkeypatch.setattr("kokom_cli.publish.parts.split_book", lambda html: pytest.fail("cut into parts"))
    render(national, tmp_path / "h.pdf")


def test_template_overrides_keep_one_document(tmp_path):
    (tmp_path / "print.css").write_text("", encoding="utf-8")
    assert not book_pdf.builtin_layout([tmp_path, builtin_dir("templates")])
    (tmp_path / "print.css").unlink()
    (tmp_path / "labels.yaml").write_text("", encoding="utf-8")
    assert book_pdf.builtin_layout([tmp_path, builtin_dir("templates")])


@pytest.mark.skipif(shutil.which("pdftoppm") is None, reason="needs poppler's pdftoppm")
def test_joined_pages_look_like_the_single_document(both, tmp_path):
    """Drawn, not only as text: the page-number overlay must not cover the page (a background would)."""
    import subprocess

    from PIL import Image, ImageChops

    single, joined = both
    files = {}
    for name, reader in (("single", single), ("joined", joined)):
        path = tmp_path / f"{name}.pdf"
        writer = pypdf.PdfWriter(clone_from=reader)
        writer.write(path)
        files[name] = path
    for page in (2, 3, len(joined.pages) - 4, len(joined.pages)):
        images = []
        for name, path in files.items():
            prefix = tmp_path / f"{name}-{page}"
            subprocess.run(
                [
                    "pdftoppm",
                    "-r",
                    "40",
                    "-gray",
                    "-f",
                    str(page),
                    "-l",
                    str(page),
                    "-singlefile",
                    "-png",
                    path,
                    prefix,
                ],
                check=True,
            )
            images.append(Image.open(f"{prefix}.png"))
        difference = ImageChops.difference(*images)
        assert difference.getbbox() is None or max(difference.getextrema()) < 64, page
