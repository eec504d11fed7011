"""Rendering: the HTML and PDF handbooks, procedure books, templates, labels and failure modes."""

from __future__ import annotations

import datetime as dt
import itertools
import re
import shutil
from html.parser import HTMLParser
from pathlib import Path

import pypdf
import pytest
from conftest import DATA, GOOD_REQUIREMENT, chapter_text
from hypothesis import given, settings
from hypothesis import strategies as st
from pdf_helpers import outline_pages

from kokom_cli.cli.main import app
from kokom_cli.publish.handbook import handbook_context
from kokom_cli.publish.render import RenderError, render_html, write_pdf
from kokom_cli.requirements.corpus import load_corpus
from kokom_cli.workspace import builtin_dir, open_workspace

PROCEDURES_WS = DATA / "procedures" / "good"
BUILTIN_IDS = list(load_corpus(builtin_dir("requirements")).requirements)


class Outline(HTMLParser):
    """Headings, ids, landmarks and external references of an HTML page."""

    def __init__(self):
        super().__init__()
        self.headings: list[int] = []
        self.ids: list[str] = []
        self.tags: list[tuple[str, dict]] = []
        self.lang = None

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        self.tags.append((tag, attrs))
        if tag == "html":
            self.lang = attrs.get("lang")
        if re.fullmatch(r"h[1-6]", tag):
            self.headings.append(int(tag[1]))
        if "id" in attrs:
            self.ids.append(attrs["id"])


def parse(html: str) -> Outline:
    parser = Outline()
    parser.feed(html)
    return parser


@pytest.fixture(scope="module")
def national(tmp_path_factory) -> Path:
    """A workspace holding the built-in national requirements and no procedures."""
    root = tmp_path_factory.mktemp("national")
    shutil.copytree(builtin_dir("requirements"), root / "requirements")
    (root / "kokom.yaml").write_text("title: Nasjonale krav til medisinsk nødmeldetjeneste\n", encoding="utf-8")
    return root


@pytest.fixture(scope="module")
def builtin_html(national, tmp_path_factory) -> str:
    from typer.testing import CliRunner

    out = tmp_path_factory.mktemp("html") / "handbok.html"
    result = CliRunner().invoke(app, ["render", "handbook", "--root", str(national), "-o", str(out)])
    assert result.exit_code == 0, result.stderr
    return out.read_text(encoding="utf-8")


@pytest.fixture(scope="module")
def builtin_pdf(national, tmp_path_factory) -> pypdf.PdfReader:
    from typer.testing import CliRunner

    out = tmp_path_factory.mktemp("pdf") / "handbok.pdf"
    result = CliRunner().invoke(app, ["render", "handbook", "--root", str(national), "--format", "pdf", "-o", str(out)])
    assert result.exit_code == 0, result.stderr
    assert result.stdout == ""
    return pypdf.PdfReader(out)


# --- HTML -----------------------------------------------------------------------------------


def test_html_has_a_stable_anchor_for_every_requirement(builtin_html):
    ids = parse(builtin_html).ids
    assert BUILTIN_IDS and all(rid in ids for rid in BUILTIN_IDS)
    assert len(ids) == len(set(ids)), "duplicate ids break anchors"


def test_html_is_self_contained_with_language_landmarks_and_skip_link(builtin_html):
    page = parse(builtin_html)
    tags = [t for t, _ in page.tags]
    assert page.lang == "nb"
    assert {"main", "nav", "header", "footer"} <= set(tags)
    skip = next(a for t, a in page.tags if t == "a" and "skip-link" in a.get("class", ""))
    assert skip["href"] == "#main" and "main" in page.ids
    assert "script" not in tags and "link" not in tags and "img" not in tags
    assert not [a for _, a in page.tags if any(str(v).startswith(("file:", "//")) for v in a.values())]
    assert "<style>" in builtin_html and "@page" in builtin_html


def test_html_heading_order_never_skips_a_level(builtin_html):
    levels = parse(builtin_html).headings
    assert levels[0] == 1 and levels.count(1) == 1
    assert all(b <= a + 1 for a, b in itertools.pairwise(levels))


def test_html_toc_links_every_chapter_and_the_index_by_kind(builtin_html):
    page = parse(builtin_html)
    toc = builtin_html.split('<nav class="toc"', 1)[1].split("</nav>", 1)[0]
    chapters = [i for i in page.ids if i.startswith("kap-") and not i.endswith("-title")]
    assert len(chapters) == len(load_corpus(builtin_dir("requirements")).chapters)
    assert all(f'href="#{c}"' in toc for c in chapters)
    assert 'href="#krav-etter-tjenestetype"' in toc


def test_html_shows_level_as_text_and_threshold(builtin_html):
    block = builtin_html.split('id="AMK-SVAR-01"', 1)[1].split("</article>", 1)[0]
    assert ">SKAL</span>" in block
    assert "Minst 90\u00a0% av anropene på 113 besvart innen 10 sekunder" in block
    assert "Akuttmedisinforskriften" in builtin_html and "Kilder" in block
    bor = builtin_html.split('id="ALL-RESERVE-01"', 1)[1].split("</article>", 1)[0]
    assert ">BØR</span>" in bor


def test_lang_en_changes_the_labels_not_the_content(runner, national, tmp_path):
    out = tmp_path / "en.html"
    result = runner.invoke(app, ["render", "handbook", "--root", str(national), "--lang", "en", "-o", str(out)])
    assert result.exit_code == 0, result.stderr
    html = out.read_text(encoding="utf-8")
    assert parse(html).lang == "en"
    assert ">Contents<" in html and ">MUST</span>" in html and "Skip to content" in html
    assert ">Innhold<" not in html
    assert "Svartid og tilgjengelighet" in html  # the YAML text stays as written


def test_lang_nn_uses_nynorsk_labels(runner, national, tmp_path):
    out = tmp_path / "nn.html"
    assert (
        runner.invoke(app, ["render", "handbook", "--root", str(national), "--lang", "nn", "-o", str(out)]).exit_code
        == 0
    )
    assert ">Innhald<" in out.read_text(encoding="utf-8")


def test_template_override_changes_the_output(runner, make_workspace, tmp_path):
    root = make_workspace()
    override = tmp_path / "mine"
    override.mkdir()
    (override / "labels.yaml").write_text(
        "nb:\n  contents: Innholdsfortegnelse\n  kinds: {amk: AMK (113)}\n", encoding="utf-8"
    )
    (override / "style.css").write_text("body { font-family: serif; } /* fylkets stil */\n", encoding="utf-8")
    out = tmp_path / "h.html"
    result = runner.invoke(
        app, ["render", "handbook", "--root", str(root), "--templates", str(override), "-o", str(out)]
    )
    assert result.exit_code == 0, result.stderr
    html = out.read_text(encoding="utf-8")
    assert ">Innholdsfortegnelse<" in html and "fylkets stil" in html and ">AMK (113)<" in html
    assert "Hopp til innholdet" in html  # other labels and templates fall back to the built-in ones


def test_template_folder_from_kokom_yaml(runner, make_workspace, tmp_path):
    root = make_workspace(config='edition: "2026.1"\ntemplates: maler\n')
    (root / "maler").mkdir()
    (root / "maler" / "handbook.html.j2").write_text(
        '{% extends "base.html.j2" %}{% block body %}<main id="main"><h1>Egen mal: {{ title }}</h1></main>'
        "{% endblock %}",
        encoding="utf-8",
    )
    out = tmp_path / "h.html"
    result = runner.invoke(app, ["render", "handbook", "--root", str(root), "-o", str(out)])
    assert result.exit_code == 0, result.stderr
    assert "<h1>Egen mal: Nasjonale krav" in out.read_text(encoding="utf-8")


# --- PDF ------------------------------------------------------------------------------------


def test_pdf_outline_lists_every_chapter_and_requirement(builtin_pdf):
    corpus = load_corpus(builtin_dir("requirements"))
    marks = outline_pages(builtin_pdf)
    top = [title for depth, title, _ in marks if depth == 0]
    for number, chapter in enumerate(corpus.chapters, 1):
        assert f"{number} {chapter.title}" in top
    nested = " ".join(title for depth, title, _ in marks if depth == 1)
    assert all(rid in nested for rid in BUILTIN_IDS)


def test_pdf_text_contains_every_requirement_id(builtin_pdf):
    text = "".join(page.extract_text() for page in builtin_pdf.pages)
    assert [rid for rid in BUILTIN_IDS if rid not in text] == []


def test_pdf_page_count_is_plausible_and_footer_counts_pages(builtin_pdf):
    pages = len(builtin_pdf.pages)
    assert len(BUILTIN_IDS) // 4 <= pages <= len(BUILTIN_IDS) * 2
    assert f"Side 3 av {pages}" in builtin_pdf.pages[2].extract_text()
    assert "Side" not in builtin_pdf.pages[0].extract_text()  # the cover has no footer


def test_pdf_cover_shows_title_edition_and_date(builtin_pdf):
    cover = builtin_pdf.pages[0].extract_text()
    assert "Nasjonale krav til medisinsk" in cover and "Utgave 2027.1" in cover and "Dato" in cover


def test_pdf_toc_page_numbers_match_where_chapters_start(builtin_pdf):
    corpus = load_corpus(builtin_dir("requirements"))
    starts = {title: page for depth, title, page in outline_pages(builtin_pdf) if depth == 0}
    toc_page = starts["Innhold"]
    toc = builtin_pdf.pages[toc_page - 1].extract_text()
    checked = 0
    for number, chapter in enumerate(corpus.chapters, 1):
        match = re.search(rf"^{number}\s+{re.escape(chapter.title)}\s*\.+\s*(\d+)$", toc, re.M)
        assert match, f"chapter {chapter.title!r} missing from the contents"
        page = int(match.group(1))
        assert page == starts[f"{number} {chapter.title}"]
        assert chapter.title in builtin_pdf.pages[page - 1].extract_text()
        checked += 1
    assert checked == len(corpus.chapters)


def test_pdf_running_header_names_the_chapter(builtin_pdf):
    corpus = load_corpus(builtin_dir("requirements"))
    starts = {title: page for depth, title, page in outline_pages(builtin_pdf) if depth == 0}
    first = corpus.chapters[0]
    page = builtin_pdf.pages[starts[f"1 {first.title}"]]  # the page after the chapter starts
    assert f"1 {first.title}" in page.extract_text()


def test_index_by_kind_lists_each_requirement_under_its_kinds(national):
    ws = open_workspace(national)
    context = handbook_context(ws, load_corpus(ws.requirements_dir))
    html = render_html("handbook.html.j2", context, workspace=ws, lang="nb")
    index = html.split('id="krav-etter-tjenestetype"', 1)[1]
    amk = index.split('id="index-amk"', 1)[1].split("</section>", 1)[0]
    assert 'href="#AMK-SVAR-01"' in amk and 'href="#LVS-SVAR-01"' not in amk
    lvs = index.split('id="index-legevaktsentral"', 1)[1].split("</section>", 1)[0]
    assert 'href="#LVS-SVAR-01"' in lvs


def test_write_pdf_reports_progress_embeds_attachments_and_makes_pdf_a(tmp_path):
    ws = open_workspace(PROCEDURES_WS)
    html = render_html(
        "base.html.j2", {"title": "Rapport", "edition": "2026.1", "date": dt.date(2026, 10, 1)}, workspace=ws, lang="nb"
    )
    steps: list[str] = []
    out = tmp_path / "rapport.pdf"
    write_pdf(
        html,
        out,
        workspace=ws,
        variant="pdf/a-3u",
        attachments=[("vurdering.yaml", b"service: x\n")],
        progress=steps.append,
    )
    reader = pypdf.PdfReader(out)
    assert reader.attachments["vurdering.yaml"] == [b"service: x\n"]
    assert b"pdfaid:part" in reader.trailer["/Root"]["/Metadata"].get_data()
    assert any(s.startswith("Step 5") for s in steps) and any(s.startswith("Step 6") for s in steps)


def test_pdf_ua_variant_is_tagged(runner, tmp_path):
    out = tmp_path / "bok.pdf"
    result = runner.invoke(
        app,
        [
            "render",
            "procedures",
            "amk",
            "--root",
            str(PROCEDURES_WS),
            "-f",
            "pdf",
            "--pdf-variant",
            "pdf/ua-1",
            "-o",
            str(out),
        ],
    )
    assert result.exit_code == 0, result.stderr
    reader = pypdf.PdfReader(out)
    assert "/StructTreeRoot" in reader.trailer["/Root"]
    assert b"pdfuaid:part" in reader.trailer["/Root"]["/Metadata"].get_data()


# --- procedure books and traceability -------------------------------------------------------------


def test_procedure_book_html_shows_document_control_steps_and_cards(runner, tmp_path):
    out = tmp_path / "fjordby.html"
    result = runner.invoke(app, ["render", "procedures", "fjordby", "--root", str(PROCEDURES_WS), "-o", str(out)])
    assert result.exit_code == 0, result.stderr
    html = out.read_text(encoding="utf-8")
    ids = parse(html).ids
    assert {"PROS-AMK-01", "KORT-91", "LOK-FJORDBY-01"} <= set(ids)
    proc = html.split('id="PROS-AMK-01"', 1)[1].split("</article>", 1)[0]
    for text in (
        "Versjon",
        "Godkjent av",
        "Kari Nordmann",
        "Godkjent dato",
        "10. januar 2026",
        "Neste revisjon",
        "10. januar 2027",
        "medisinsk operatør:</span> Sett opp konferansesamtale.",
    ):
        assert text in proc
    card = html.split('id="KORT-91"', 1)[1].split("</article>", 1)[0]
    assert "RØD – akutt" in card and "GUL – haster" in card and "GRØNN – vanlig" in card
    assert "urgency-red" in card and "A.91.01" in card
    assert "ambulansepersonell" in card and "Kjør med utrykning." in card
    assert "Lokal tilpasning av nasjonal prosedyre" in card  # fjordby's copy replaces the national card
    assert "Fergen varsles" in card and html.count('id="KORT-91"') == 1


def test_procedure_book_pdf_has_bookmarks_for_chapters_and_procedures(runner, tmp_path):
    out = tmp_path / "amk.pdf"
    result = runner.invoke(
        app, ["render", "procedures", "amk", "--root", str(PROCEDURES_WS), "-f", "pdf", "-o", str(out), "--lang", "en"]
    )
    assert result.exit_code == 0, result.stderr
    reader = pypdf.PdfReader(out)
    marks = [(d, t) for d, t, _ in outline_pages(reader)]
    assert (0, "1 Varsling") in marks and (0, "2 Indeks") in marks
    assert any(d == 1 and "PROS-AMK-01" in t for d, t in marks)
    text = "".join(p.extract_text() for p in reader.pages)
    assert "RED – acute" in text and "Approved by" in text and "Next review" in text


def test_handbook_has_traceability_appendix_when_procedures_exist(runner, tmp_path):
    out = tmp_path / "h.html"
    result = runner.invoke(app, ["render", "handbook", "--root", str(PROCEDURES_WS), "-o", str(out)])
    assert result.exit_code == 0, result.stderr
    html = out.read_text(encoding="utf-8")
    appendix = html.split('id="sporbarhet"', 1)[1]
    row = appendix.split('href="#AMK-TEST-01"', 1)[1].split("</tr>", 1)[0]
    assert "PROS-AMK-01 Trippelvarsling" in row and "LOK-FJORDBY-01" in row
    assert "Ingen prosedyre" in appendix.split('href="#AMK-TEST-03"', 1)[1].split("</tr>", 1)[0]


def test_handbook_without_procedures_has_no_traceability_appendix(builtin_html):
    assert 'id="sporbarhet"' not in builtin_html


def test_unknown_book_is_a_usage_error(runner, tmp_path):
    result = runner.invoke(
        app, ["render", "procedures", "amkk", "--root", str(PROCEDURES_WS), "-o", str(tmp_path / "x.html")]
    )
    assert result.exit_code == 2 and "mente du 'amk'" in result.stderr
    assert not (tmp_path / "x.html").exists()


# --- failures -------------------------------------------------------------------------------


def test_template_error_fails_with_position_and_leaves_no_file(runner, make_workspace, tmp_path):
    root = make_workspace()
    override = tmp_path / "mine"
    override.mkdir()
    (override / "handbook.html.j2").write_text("<p>\n{{ no_such_name }}\n</p>\n", encoding="utf-8")
    out = tmp_path / "h.html"
    result = runner.invoke(
        app, ["render", "handbook", "--root", str(root), "--templates", str(override), "-o", str(out)]
    )
    assert result.exit_code == 1
    assert re.search(r"handbook\.html\.j2:2:0: error template-error: .*no_such_name", result.stderr)
    assert "Traceback" not in result.stderr and not out.exists()


def test_template_syntax_error(runner, make_workspace, tmp_path):
    override = tmp_path / "mine"
    override.mkdir()
    (override / "handbook.html.j2").write_text("{% if %}\n", encoding="utf-8")
    result = runner.invoke(
        app,
        [
            "render",
            "handbook",
            "--root",
            str(make_workspace()),
            "--templates",
            str(override),
            "-o",
            str(tmp_path / "h.html"),
        ],
    )
    assert result.exit_code == 1 and "handbook.html.j2:1:0: error template-syntax" in result.stderr


def test_failed_pdf_keeps_the_previous_file(runner, make_workspace, tmp_path):
    override = tmp_path / "mine"
    override.mkdir()
    (override / "style.css").write_text("@import url(file:///etc/passwd);\n", encoding="utf-8")
    out = tmp_path / "h.pdf"
    out.write_bytes(b"previous edition")
    result = runner.invoke(
        app,
        [
            "render",
            "handbook",
            "--root",
            str(make_workspace()),
            "--templates",
            str(override),
            "-f",
            "pdf",
            "-o",
            str(out),
        ],
    )
    assert result.exit_code == 1 and "resource-refused" in result.stderr
    assert out.read_bytes() == b"previous edition"
    assert [p.name for p in tmp_path.iterdir() if p.name.startswith(".h.pdf")] == []


def test_broken_requirements_are_not_published(runner, make_workspace, tmp_path):
    root = make_workspace({"01-bad.yaml": "chapter: x\ntitle: X\norder: 1\nrequirements: []\n"})
    out = tmp_path / "h.html"
    result = runner.invoke(app, ["render", "handbook", "--root", str(root), "-o", str(out)])
    assert result.exit_code == 2 and "01-bad.yaml" in result.stderr and not out.exists()


@pytest.mark.parametrize(
    "args, message",
    [
        (["--format", "docx"], "--format:0:0: error usage: ukjent verdi 'docx'"),
        (["--lang", "de"], "--lang:0:0: error usage"),
        (["--format", "pdf", "--pdf-variant", "pdf/x-4"], "--pdf-variant:0:0: error usage"),
        (["--pdf-variant", "pdf/ua-1"], "gjelder bare --format pdf"),
    ],
)
def test_bad_options_are_usage_errors(runner, national, tmp_path, args, message):
    result = runner.invoke(app, ["render", "handbook", "--root", str(national), "-o", str(tmp_path / "x"), *args])
    assert result.exit_code == 2 and message in result.stderr
    assert not (tmp_path / "x").exists()


def test_missing_template_folder_fails(runner, national, tmp_path):
    result = runner.invoke(
        app,
        [
            "render",
            "handbook",
            "--root",
            str(national),
            "--templates",
            str(tmp_path / "nope"),
            "-o",
            str(tmp_path / "x.html"),
        ],
    )
    assert result.exit_code == 1 and "templates-missing" in result.stderr


def test_labels_override_for_missing_language_fails_clearly(make_workspace, tmp_path):
    override = tmp_path / "mine"
    override.mkdir()
    (override / "labels.yaml").write_text("nb: [not, a, mapping]\n", encoding="utf-8")
    ws = open_workspace(make_workspace())
    with pytest.raises(RenderError, match="labels-missing"):
        render_html("handbook.html.j2", {}, workspace=ws, lang="nb", templates_dir=override)


def test_builtin_templates_are_copied_into_an_override_unchanged(national, tmp_path):
    """An editor starts an override by copying the built-in folder: it must render the same."""
    ws = open_workspace(national)
    context = handbook_context(ws, load_corpus(ws.requirements_dir))
    copy = tmp_path / "copy"
    shutil.copytree(builtin_dir("templates"), copy)
    assert render_html("handbook.html.j2", context, workspace=ws, lang="nb", templates_dir=copy) == render_html(
        "handbook.html.j2", context, workspace=ws, lang="nb"
    )


def test_markdown_filter_keeps_formatting_and_drops_unsafe_links():
    from kokom_cli.publish.markdown import markdown_converter as _markdown_converter

    convert = _markdown_converter(None)
    html = convert("Se *merknad* og [lovdata](https://lovdata.no) eller [kode](javascript:alert(1)).\n\n- a\n- b")
    assert "<em>merknad</em>" in html and '<a href="https://lovdata.no"' in html and "<li>a</li>" in html
    assert "javascript:" not in html.replace("[kode](javascript:alert(1))", "")
    assert convert("![bilde](bilde.png)") == "<p>bilde</p>\n"  # no asset folder: the alt text stays


def test_conditions_are_shown(runner, make_workspace, tmp_path):
    requirement = GOOD_REQUIREMENT + "    conditions:\n      lines_any: ['116117']\n      population_min: 20000\n"
    root = make_workspace({"01-test.yaml": chapter_text(requirement)})
    out = tmp_path / "h.html"
    assert runner.invoke(app, ["render", "handbook", "--root", str(root), "-o", str(out)]).exit_code == 0
    block = out.read_text(encoding="utf-8").split('id="TST-SVAR-01"', 1)[1]
    assert "<dt>Vilkår</dt><dd>Gjelder tjenester med linje 116117; Innbyggere minst 20000</dd>" in block


def test_global_lang_and_kokom_yaml_choose_the_labels(runner, make_workspace, tmp_path):
    root = make_workspace(config='edition: "2026.1"\nlanguage: nn\n')
    out = tmp_path / "h.html"
    assert runner.invoke(app, ["render", "handbook", "--root", str(root), "-o", str(out)]).exit_code == 0
    assert ">Innhald<" in out.read_text(encoding="utf-8")
    result = runner.invoke(app, ["--lang", "en", "render", "handbook", "--root", str(root), "-o", str(out)])
    assert result.exit_code == 0
    assert ">Contents<" in out.read_text(encoding="utf-8")


def test_builtin_books_render_with_traceability(runner, tmp_path):
    from kokom_cli.procedures.books import load_books

    ws = open_workspace(None)
    library = load_books(ws)
    assert library.books, "the built-in corpus ships procedure books"
    out = tmp_path / "h.html"
    result = runner.invoke(app, ["render", "handbook", "-o", str(out)], env={"KOKOM_LANG": "nb"})
    assert result.exit_code == 0, result.stderr
    html = out.read_text(encoding="utf-8")
    assert 'id="sporbarhet"' in html and 'href="#sporbarhet"' in html
    for loaded in library.books:
        out = tmp_path / f"{loaded.book.id}.html"
        result = runner.invoke(app, ["render", "procedures", loaded.book.id, "-o", str(out)])
        assert result.exit_code == 0, result.stderr
        ids = parse(out.read_text(encoding="utf-8")).ids
        assert all(item.entry.id in ids for item in loaded.entries)


@settings(max_examples=500, deadline=None)
@given(st.text(alphabet=st.sampled_from(list("ab Æø1290 ,.;:?()'\"/%§–’-_*#>=\n\t\u00a0&<")), max_size=40))
def test_plain_text_fast_path_gives_the_markdown_output(text):
    from kokom_cli.publish.markdown import markdown_converter as _markdown_converter

    assert _markdown_converter(None)(text) == _markdown_converter(None, plain_fast_path=False)(text)


def test_plain_text_fast_path_is_taken_for_ordinary_text():
    from kokom_cli.publish.markdown import _NOT_PLAIN_CHAR, _NOT_PLAIN_LINE

    text = "AMK-sentralen skal svare på 90 % av anropene innen 10 sekunder (§ 13).\nSe «veilederen»."
    assert not _NOT_PLAIN_CHAR.search(text) and not _NOT_PLAIN_LINE.search(text)


def test_broken_procedure_file_stops_the_handbook(runner, make_workspace, tmp_path):
    root = make_workspace()
    (root / "procedures" / "bok").mkdir(parents=True)
    (root / "procedures" / "bok" / "book.yaml").write_text("id: [\n", encoding="utf-8")
    out = tmp_path / "h.html"
    result = runner.invoke(app, ["render", "handbook", "--root", str(root), "-o", str(out)])
    assert result.exit_code == 2 and "book.yaml" in result.stderr and not out.exists()


def test_label_groups_are_merged_with_the_built_in_ones(tmp_path):
    from kokom_cli.publish.render import load_labels

    (tmp_path / "labels.yaml").write_text("nb:\n  kinds: {amk: AMK (113)}\n", encoding="utf-8")
    labels = load_labels([tmp_path, builtin_dir("templates")], "nb")
    assert labels["kinds"]["amk"] == "AMK (113)" and labels["kinds"]["legevakt"] == "Legevakt"
    assert labels["contents"] == "Innhold"


@pytest.mark.parametrize(("lang", "said"), [("nb", "Skrev"), ("en", "Wrote")])
def test_render_says_what_it_wrote_as_assess_report_does(national, tmp_path, lang, said) -> None:
    from typer.testing import CliRunner

    out = tmp_path / "handbok.html"
    result = CliRunner().invoke(app, ["--lang", lang, "render", "handbook", "--root", str(national), "-o", str(out)])
    assert result.exit_code == 0, result.stderr
    assert result.stderr == f"{said} {out}\n" and result.stdout == ""
