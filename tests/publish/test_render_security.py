"""Hostile input to the renderer: text from YAML is data, and WeasyPrint reads nothing it should not.

Two routes for each attack. Through the YAML (what any contributor to the books
can write): the text must come out escaped, with no foreign file content, no
attachment and no network request. Through a template override (what an
editor's template folder can hold): the fetcher refuses, the render fails with
exit 1 and no output file, and still no network request is made.
"""

from __future__ import annotations

import datetime as dt
import socket
from pathlib import Path

import pypdf
import pytest
from typer.testing import CliRunner

from kokom_cli.cli.main import app
from kokom_cli.publish.resources import fetcher_class as _fetcher_class
from kokom_cli.publish.resources import safe_file

SECRET = "TOPSECRET-7f3a9"
PASSWD_MARK = "root:x:0:0"
HOSTNAME = Path("/etc/hostname").read_text().strip() if Path("/etc/hostname").is_file() else ""
PNG = bytes.fromhex(
    "89504e470d0a1a0a0000000d4948445200000001000000010806000000"
    "1f15c4890000000d49444154789c6360000002000154a24f5d0000000049454e44ae426082"
)

# id -> (title, text, what must appear escaped in the HTML, what must appear as text in the PDF)
HOSTILE = {
    "H-SCRIPT-01": ("<script>alert('x')</script>", "Tekst.", "&lt;script&gt;alert(", "<script>alert("),
    "H-IMG-01": (
        "Bilde fra fil",
        '<img src="file:///etc/hostname">',
        '&lt;img src="file:///etc/hostname"&gt;',
        '<img src="file:///etc/hostname">',
    ),
    "H-MDIMG-01": (
        "Markdown-bilde",
        "![x](file:///etc/passwd)",
        "![x](file:///etc/passwd)",
        "![x](file:///etc/passwd)",
    ),
    "H-LINK-01": (
        "Vedlegg",
        '<link rel="attachment" href="file:///etc/passwd">',
        '&lt;link rel="attachment" href="file:///etc/passwd"&gt;',
        '<link rel="attachment"',
    ),
    "H-CSS-01": (
        "Stil",
        "<style>@import url(file:///etc/passwd);</style>",
        "&lt;style&gt;@import url(file:///etc/passwd);&lt;/style&gt;",
        "@import url(file:///etc/passwd)",
    ),
    "H-TRAV-01": (
        "Traversering",
        "![trav](%2e%2e/%2e%2e/secret.txt) og ![trav2](..%2fsecret.png)",
        "<p>trav og trav2</p>",
        "Traversering",
    ),
    "H-SYMLINK-01": ("Symlenke", "![sym](escape.png)", "<p>sym</p>", "Symlenke"),
    "H-DEV-01": (
        "Enhet",
        "![zero](zero.png) ![dev](file:///dev/zero)",
        "![dev](file:///dev/zero)",
        "![dev](file:///dev/zero)",
    ),
    "H-META-01": ("Metadata", "![meta](http://169.254.169.254/latest/meta-data/)", "<p>meta</p>", "Metadata"),
    "H-BASE-01": (
        '<base href="file:///">',
        '<base href="file:///"> ![rel](etc/passwd)',
        '&lt;base href="file:///"&gt;',
        '<base href="file:///">',
    ),
    "H-JINJA-01": (
        "{{ cycler.__init__.__globals__ }}",
        "{% for x in range(3) %}{{ x }}{% endfor %}",
        "{{ cycler.__init__.__globals__ }}",
        "{{ cycler.__init__.__globals__ }}",
    ),
}


def _yaml_string(text: str) -> str:
    return "'" + text.replace("'", "''") + "'"


def hostile_workspace(root: Path) -> Path:
    """A workspace whose requirements carry every attack, an asset folder with traps, a secret outside."""
    (root / "requirements").mkdir(parents=True)
    (root / "assets").mkdir()
    (root / "kokom.yaml").write_text('title: Fiendtlig test\nedition: "2026.1"\n', encoding="utf-8")
    secret = root.parent / "secret.txt"
    secret.write_text(SECRET, encoding="utf-8")
    (root.parent / "secret.png").write_text(SECRET, encoding="utf-8")
    (root / "assets" / "escape.png").symlink_to(secret)
    (root / "assets" / "zero.png").symlink_to("/dev/zero")
    (root / "assets" / "ok.png").write_bytes(PNG)
    items = []
    for rid, (title, text, _, _) in HOSTILE.items():
        items.append(
            f"  - id: {rid}\n    title: {_yaml_string(title)}\n    text: {_yaml_string(text)}\n"
            "    level: skal\n    applies_to: [amk]\n    source:\n      - title: Test\n"
            '    verification: document\n    since: "2026.1"\n'
        )
    items.append(
        "  - id: H-OK-01\n    title: Lovlig bilde\n    text: '![flytskjema](ok.png)'\n    level: bør\n"
        "    applies_to: [amk]\n    source:\n      - title: Test\n    verification: document\n"
        '    since: "2026.1"\n'
    )
    chapter = "chapter: fiendtlig\ntitle: Fiendtlige data\norder: 1\nrequirements:\n" + "".join(items)
    (root / "requirements" / "01-fiendtlig.yaml").write_text(chapter, encoding="utf-8")
    return root


class NetworkAttempts(list):
    """Replaces the socket entry points: records every attempt and refuses it."""

    def install(self, mp: pytest.MonkeyPatch) -> None:
        def refuse(name):
            def attempt(*args, **kwargs):
                self.append((name, args[:2]))
                raise OSError(f"network disabled in tests ({name})")

            return attempt

        mp.setattr(socket, "create_connection", refuse("create_connection"))
        mp.setattr(socket, "getaddrinfo", refuse("getaddrinfo"))
        mp.setattr(socket.socket, "connect", refuse("connect"))
        mp.setattr(socket.socket, "connect_ex", refuse("connect_ex"))


@pytest.fixture(scope="module")
def rendered(tmp_path_factory):
    """The hostile workspace rendered once to HTML and once to PDF, with the network cut."""
    base = tmp_path_factory.mktemp("hostile")
    root = hostile_workspace(base / "ws")
    attempts = NetworkAttempts()
    runner = CliRunner()
    with pytest.MonkeyPatch.context() as mp:
        attempts.install(mp)
        html_result = runner.invoke(app, ["render", "handbook", "--root", str(root), "-o", str(base / "h.html")])
        pdf_result = runner.invoke(
            app, ["render", "handbook", "--root", str(root), "-f", "pdf", "-o", str(base / "h.pdf")]
        )
    assert html_result.exit_code == 0, html_result.stderr
    assert pdf_result.exit_code == 0, pdf_result.stderr
    reader = pypdf.PdfReader(base / "h.pdf")
    return {
        "html": (base / "h.html").read_text(encoding="utf-8"),
        "pdf_text": "".join(page.extract_text() for page in reader.pages),
        "pdf_bytes": (base / "h.pdf").read_bytes(),
        "reader": reader,
        "attempts": attempts,
        "stderr": html_result.stderr + pdf_result.stderr,
    }


def article(html: str, rid: str) -> str:
    return html.split(f'id="{rid}"', 1)[1].split("</article>", 1)[0]


def assert_nothing_leaked(rendered) -> None:
    for output in (rendered["html"], rendered["pdf_text"]):
        assert SECRET not in output and PASSWD_MARK not in output
        if len(HOSTNAME) >= 4:
            assert HOSTNAME not in output
    assert SECRET.encode() not in rendered["pdf_bytes"]
    assert rendered["reader"].attachments == {} or len(rendered["reader"].attachments) == 0
    assert "/EmbeddedFiles" not in str(rendered["reader"].trailer["/Root"].get("/Names", {}))
    assert rendered["attempts"] == []
    html = rendered["html"]
    for tag in ("<script", "<link", "<base", "<style>@import", "<iframe", "<object"):
        assert tag not in html.split("</head>", 1)[1]


@pytest.mark.parametrize("rid", list(HOSTILE))
def test_hostile_text_is_escaped_and_reads_nothing(rendered, rid):
    _, _, html_literal, pdf_literal = HOSTILE[rid]
    assert html_literal in article(rendered["html"], rid)
    assert pdf_literal in rendered["pdf_text"]
    assert_nothing_leaked(rendered)


def test_script_in_title_is_text(rendered):
    assert "<script>alert" not in rendered["html"]
    assert "&lt;script&gt;alert(&#39;x&#39;)&lt;/script&gt;" in rendered["html"]


def test_img_with_file_src_never_becomes_an_image(rendered):
    for rid in ("H-IMG-01", "H-MDIMG-01", "H-DEV-01"):
        assert "<img" not in article(rendered["html"], rid).replace("&lt;img", "")


def test_traversal_symlink_dev_and_network_images_become_their_alt_text(rendered):
    for rid, alt in (
        ("H-TRAV-01", "trav"),
        ("H-SYMLINK-01", "sym"),
        ("H-DEV-01", "zero"),
        ("H-META-01", "meta"),
        ("H-BASE-01", "rel"),
    ):
        block = article(rendered["html"], rid).split('<div class="req-text">', 1)[1].split("</div>", 1)[0]
        assert "<img" not in block and alt in block


def test_asset_image_is_inlined_so_the_html_stays_one_file(rendered):
    block = article(rendered["html"], "H-OK-01")
    assert '<img src="data:image/png;base64,' in block and 'alt="flytskjema"' in block


def test_jinja_in_data_is_never_evaluated(rendered):
    block = article(rendered["html"], "H-JINJA-01")
    assert "{{ cycler.__init__.__globals__ }}" in block
    assert "{% for x in range(3) %}{{ x }}{% endfor %}" in block
    assert "012" not in block and "__builtins__" not in rendered["html"]


def test_the_pdf_render_needed_no_network_and_no_refusal(rendered):
    assert rendered["attempts"] == []
    assert "resource-refused" not in rendered["stderr"]


# --- the same attacks through a template override: the fetcher refuses, the render fails ---------


def _override(tmp_path: Path, files: dict[str, str]) -> Path:
    folder = tmp_path / "maler"
    folder.mkdir(exist_ok=True)
    for name, text in files.items():
        (folder / name).write_text(text, encoding="utf-8")
    return folder


PAGE = (
    '<!DOCTYPE html><html lang="nb"><head><title>t</title>{head}</head>'
    '<body><main id="main"><h1>{{{{ title }}}}</h1>{body}</main></body></html>'
)


def _template_attacks(ws: Path) -> dict[str, dict[str, str]]:
    escape = (ws / "assets" / "escape.png").as_uri()
    return {
        "import": {"style.css": "@import url(file:///etc/passwd);\n"},
        "attachment": {
            "handbook.html.j2": PAGE.format(head='<link rel="attachment" href="file:///etc/passwd">', body="")
        },
        "anchor-attachment": {
            "handbook.html.j2": PAGE.format(head="", body='<a rel="attachment" href="file:///etc/passwd">vedlegg</a>')
        },
        "img-hostname": {"handbook.html.j2": PAGE.format(head="", body='<img src="file:///etc/hostname" alt="">')},
        "traversal": {"style.css": "body { background: url(%2e%2e/%2e%2e/secret.png); }\n"},
        "symlink": {"style.css": f"body {{ background: url({escape}); }}\n"},
        "dev-zero": {"style.css": "body { background: url(file:///dev/zero); }\n"},
        "metadata": {"style.css": "body { background: url(http://169.254.169.254/latest/meta-data/); }\n"},
        "base": {"handbook.html.j2": PAGE.format(head='<base href="file:///">', body='<img src="etc/passwd" alt="">')},
    }


@pytest.mark.parametrize(
    "attack",
    [
        "import",
        "attachment",
        "anchor-attachment",
        "img-hostname",
        "traversal",
        "symlink",
        "dev-zero",
        "metadata",
        "base",
    ],
)
def test_template_borne_resources_fail_the_render(tmp_path, attack):
    ws = hostile_workspace(tmp_path / "ws")
    folder = _override(tmp_path, _template_attacks(ws)[attack])
    out = tmp_path / "h.pdf"
    attempts = NetworkAttempts()
    with pytest.MonkeyPatch.context() as mp:
        attempts.install(mp)
        result = CliRunner().invoke(
            app, ["render", "handbook", "--root", str(ws), "--templates", str(folder), "-f", "pdf", "-o", str(out)]
        )
    assert result.exit_code == 1, result.stderr
    assert "error resource-refused" in result.stderr and "Traceback" not in result.stderr
    assert not out.exists() and attempts == []
    assert [p for p in tmp_path.iterdir() if p.name.startswith(".h.pdf")] == []


def test_sandbox_stops_jinja_escapes_in_a_template(tmp_path):
    ws = hostile_workspace(tmp_path / "ws")
    folder = _override(tmp_path, {"handbook.html.j2": "{{ cycler.__init__.__globals__ }}"})
    out = tmp_path / "h.html"
    result = CliRunner().invoke(
        app, ["render", "handbook", "--root", str(ws), "--templates", str(folder), "-o", str(out)]
    )
    assert result.exit_code == 2 and "template-unsafe" in result.stderr and "unsafe" in result.stderr
    assert not out.exists()


# --- the fetcher on its own ------------------------------------------------------------------------


@pytest.fixture
def fetcher(tmp_path):
    ws = hostile_workspace(tmp_path / "ws")
    fetcher_class, refused = _fetcher_class()
    templates = tmp_path / "maler"
    templates.mkdir()
    (templates / "font.css").write_text("body{}", encoding="utf-8")
    return fetcher_class([templates.resolve(), (ws / "assets").resolve()]), refused, ws, templates


@pytest.mark.parametrize(
    "url",
    [
        "file:///etc/passwd",
        "file:///dev/zero",
        "http://169.254.169.254/latest/meta-data/",
        "https://example.org/x.css",
        "ftp://example.org/x",
        "file://evil.example/etc/passwd",
        "jar:file:///x!/y",
    ],
)
def test_fetcher_refuses_and_records(fetcher, url):
    fetch, refused, _, _ = fetcher
    attempts = NetworkAttempts()
    with pytest.MonkeyPatch.context() as mp:
        attempts.install(mp)
        with pytest.raises(refused):
            fetch(url)
    assert fetch.refused == [url] and attempts == []


def test_fetcher_refuses_encoded_traversal_and_symlinks_out(fetcher):
    fetch, refused, ws, templates = fetcher
    for url in (
        templates.as_uri() + "/%2e%2e/ws/kokom.yaml",
        templates.as_uri() + "/%2E%2E/secret.txt",
        (ws / "assets" / "escape.png").as_uri(),
        (ws / "assets" / "zero.png").as_uri(),
    ):
        with pytest.raises(refused):
            fetch(url)
    assert len(fetch.refused) == 4


def test_fetcher_serves_data_urls_and_files_inside_the_allowed_folders(fetcher):
    fetch, _, ws, templates = fetcher
    assert fetch((templates / "font.css").as_uri()).read() == b"body{}"
    assert fetch((ws / "assets" / "ok.png").as_uri()).read() == PNG
    assert fetch("data:text/plain;base64,aGVp").read() == b"hei"
    assert fetch.refused == []


def test_safe_file_needs_a_regular_file_inside_a_root(tmp_path):
    root = tmp_path / "root"
    root.mkdir()
    (root / "a.txt").write_text("a")
    (root / "sub").mkdir()
    assert safe_file(root / "a.txt", [root]) == (root / "a.txt").resolve()
    assert safe_file(root / "sub", [root]) is None
    assert safe_file(root / ".." / "root" / "a.txt", [root]) is not None
    assert safe_file(root / "missing", [root]) is None
    assert safe_file("/etc/passwd", [root]) is None


def test_labels_inside_css_cannot_close_the_string_or_the_style_element(tmp_path):
    from kokom_cli.publish.render import render_html
    from kokom_cli.workspace import open_workspace

    ws = open_workspace(hostile_workspace(tmp_path / "ws"))
    folder = _override(tmp_path, {"labels.yaml": "nb:\n  page: 'Side\" } </style><script>alert(1)</script>'\n"})
    context = {
        "title": "t",
        "edition": "2026.1",
        "date": dt.date(2026, 1, 1),
        "chapters": [],
        "by_kind": {},
        "known_ids": set(),
        "trace": None,
    }
    html = render_html("handbook.html.j2", context, workspace=ws, lang="nb", templates_dir=folder)
    style = html.split('<style media="print">', 1)[1].split("</style>", 1)[0]
    assert "<script" not in html and "</style><" not in style
    assert 'content: "Side\\22  \\7d  \\3c \\2f style\\3e \\3c script\\3e alert(1)' in style
