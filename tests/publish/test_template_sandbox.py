"""Hostile template folders: a received workspace's `templates:` can neither run code nor read files.

Each attack is a `handbook.html.j2` in the workspace's own templates folder (as a
received kokom.yaml would name it). A successful escape would run `touch MARKER`
through a pickle (pydantic's deprecated `parse_raw(..., proto="pickle")`) or
`os.system`; the tests assert that the marker never appears, that the render
fails with one clear line and exit 2 (or renders the attack inert), and that no
output file is left.
"""

from __future__ import annotations

import contextlib
from pathlib import Path

import pytest
from typer.testing import CliRunner

from kokom_cli.cli.main import app
from tests.conftest import chapter_text


def _workspace(tmp_path: Path, template: str) -> tuple[Path, Path]:
    root = tmp_path / "ws"
    (root / "requirements").mkdir(parents=True)
    (root / "templates").mkdir()
    (root / "requirements" / "01-test.yaml").write_text(chapter_text(), encoding="utf-8")
    (root / "kokom.yaml").write_text('title: Mottatt\nedition: "2026.1"\ntemplates: templates\n', encoding="utf-8")
    (root / "templates" / "handbook.html.j2").write_text(template, encoding="utf-8")
    return root, tmp_path / "MARKER"


def _pickle(marker: Path) -> str:
    """A protocol-0 pickle (plain ASCII) that runs `touch MARKER` when loaded."""
    return f'cposix\\nsystem\\n(S"touch {marker}"\\ntR.'


R = "chapters[0].requirements[0]"

# name -> template text; {P} is the pickle, {M} the marker path
ATTACKS = {
    "parse_raw": f"{{{{ {R}.parse_raw('{{P}}', proto='pickle', allow_pickle=True) }}}}",
    "parse_raw-getitem": f"{{{{ {R}['parse_raw']('{{P}}', proto='pickle', allow_pickle=True) }}}}",
    "parse_raw-attr-filter": f"{{{{ ({R}|attr('parse_raw'))('{{P}}', proto='pickle', allow_pickle=True) }}}}",
    "parse_raw-map": "{{ chapters[0].requirements|map(attribute='parse_raw')|list }}",
    "parse_file": f"{{{{ {R}.parse_file('/etc/passwd') }}}}",
    "model_validate_json": f"{{{{ {R}.model_validate_json('{{{{}}}}') }}}}",
    "construct": f"{{{{ {R}.construct() }}}}",
    "model_construct": f"{{{{ {R}.model_construct() }}}}",
    "copy": f"{{{{ {R}.copy() }}}}",
    "model_copy": f"{{{{ {R}.model_copy() }}}}",
    "schema": f"{{{{ {R}.schema() }}}}",
    "model_dump": f"{{{{ {R}.model_dump() }}}}",
    "enum-class": f"{{{{ {R}.level.__class__ }}}}",
    "class": f"{{{{ {R}.__class__ }}}}",
    "mro": "{{ ''.__class__.__mro__[1].__subclasses__() }}",
    "subclasses": "{{ ().__class__.__base__.__subclasses__() }}",
    "init-globals": "{{ lipsum.__globals__['os'].system('touch {M}') }}",
    "range-init": "{{ range.__init__.__globals__ }}",
    "dict-fromkeys": "{{ dict.fromkeys('ab') }}",
    "cycler": "{{ cycler.__init__.__globals__.os.system('touch {M}') }}",
    "joiner": "{{ joiner.__init__.__globals__.os.system('touch {M}') }}",
    "namespace": "{{ namespace.__init__.__globals__.os.system('touch {M}') }}",
    "format-method": f"{{{{ '{{{{0.__class__.__init__.__globals__}}}}'.format({R}) }}}}",
    "format-map": f"{{{{ '{{{{x.__class__}}}}'.format_map({{'x': {R}}}) }}}}",
    "markup-format": "{{ labels.roles.get('x', 'y')|string }}{{ ('{0.__class__}'|safe).format(chapters) }}",
    "template-reference": "{{ self._TemplateReference__context }}",
    "loop-class": "{% for x in [1] %}{{ loop.__class__ }}{% endfor %}",
    "date-class": "{{ date.__class__.fromisoformat }}",
    "macro-globals": "{% macro m() %}{% endmacro %}{{ m._func.__globals__ }}",
    "str-method-class": "{{ ''.startswith.__self__.__class__ }}",
}


@pytest.mark.parametrize("attack", list(ATTACKS))
def test_hostile_template_runs_nothing_and_fails_with_one_line(tmp_path, attack):
    root, marker = _workspace(tmp_path, "")
    text = ATTACKS[attack].replace("{P}", _pickle(marker)).replace("{M}", str(marker))
    (root / "templates" / "handbook.html.j2").write_text(text, encoding="utf-8")
    out = tmp_path / "h.html"
    result = CliRunner().invoke(app, ["render", "handbook", "--root", str(root), "-o", str(out)])
    assert not marker.exists(), f"{attack}: the template ran a command"
    assert not out.exists()
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1 and "Traceback" not in result.stderr and "kokom: intern" not in result.stderr, lines
    assert result.exit_code == 2, result.stderr
    assert "error template-unsafe" in lines[0] and "handbook.html.j2" in lines[0]


@pytest.mark.parametrize("name", ["cycler", "joiner", "namespace"])
def test_cycler_joiner_and_namespace_are_not_given_to_templates(tmp_path, name):
    root, _ = _workspace(tmp_path, f"{{{{ {name} }}}}")
    result = CliRunner().invoke(app, ["render", "handbook", "--root", str(root), "-o", str(tmp_path / "h.html")])
    assert result.exit_code == 1 and f"'{name}' is undefined" in result.stderr


def test_the_pickle_payload_is_real(tmp_path):
    """The attack the sandbox stops does run a command when called outside it."""
    import warnings

    from kokom_cli.requirements.models import Requirement

    marker = tmp_path / "MARKER"
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        with contextlib.suppress(Exception):
            Requirement.parse_raw(_pickle(marker).encode().decode("unicode_escape"), proto="pickle", allow_pickle=True)
    assert marker.exists()


def test_format_filter_is_inert(tmp_path):
    root, _ = _workspace(tmp_path, "{{ '%s|%s'|format(title, chapters|length) }}")
    out = tmp_path / "h.html"
    result = CliRunner().invoke(app, ["render", "handbook", "--root", str(root), "-o", str(out)])
    assert result.exit_code == 0, result.stderr
    assert out.read_text(encoding="utf-8") == "Mottatt|1"


def test_a_template_mistake_is_one_line_not_an_internal_error(tmp_path):
    root, _ = _workspace(tmp_path, "{{ '{0.__class__}'|format(title) }}{{ 1 / 0 }}")
    result = CliRunner().invoke(app, ["render", "handbook", "--root", str(root), "-o", str(tmp_path / "h.html")])
    assert result.exit_code == 1 and "template-error" in result.stderr
    assert "kokom: intern" not in result.stderr and len(result.stderr.strip().splitlines()) == 1


def test_allowed_reads_still_work(tmp_path):
    template = (
        "{% for c in chapters %}{% for r in c.requirements %}{{ r.id }} {{ r.level.value }} "
        "{{ r.title.startswith('Test') }} {{ labels.roles.get('nope', '-') }}{% endfor %}{% endfor %} "
        "{{ date.isoformat()|length }} {% for k, v in {'a': 1}.items() %}{{ k }}{{ v }}{{ loop.cycle('x', 'y') }}"
        "{% endfor %}{{ range(2)|list }}{{ dict(a=1).a }}"
    )
    root, _ = _workspace(tmp_path, template)
    out = tmp_path / "h.html"
    result = CliRunner().invoke(app, ["render", "handbook", "--root", str(root), "-o", str(out)])
    assert result.exit_code == 0, result.stderr
    assert out.read_text(encoding="utf-8") == "TST-SVAR-01 skal True - 10 a1x[0, 1]1"


@pytest.mark.parametrize("name", ["handbook.html.j2", "macros.html.j2", "labels.yaml", "style.css"])
def test_symlink_out_of_the_templates_folder_is_refused(tmp_path, name):
    secret = tmp_path / "secret.txt"
    secret.write_text("TOPSECRET-7f3a9", encoding="utf-8")
    root, _ = _workspace(tmp_path, '{% include "style.css" %}{% import "macros.html.j2" as ui %}')
    (root / "templates" / name).unlink(missing_ok=True)
    (root / "templates" / name).symlink_to(secret)
    out = tmp_path / "h.html"
    result = CliRunner().invoke(app, ["render", "handbook", "--root", str(root), "-o", str(out)])
    assert result.exit_code == 2, result.stderr
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1 and "error template-outside" in lines[0] and name in lines[0]
    assert not out.exists() and "TOPSECRET" not in result.output


def test_symlink_inside_the_templates_folder_is_fine(tmp_path):
    root, _ = _workspace(tmp_path, "")
    (root / "templates" / "real.j2").write_text("ok {{ title }}", encoding="utf-8")
    (root / "templates" / "handbook.html.j2").unlink()
    (root / "templates" / "handbook.html.j2").symlink_to("real.j2")
    out = tmp_path / "h.html"
    result = CliRunner().invoke(app, ["render", "handbook", "--root", str(root), "-o", str(out)])
    assert result.exit_code == 0, result.stderr
    assert out.read_text(encoding="utf-8") == "ok Mottatt"


def test_templates_folder_outside_the_workspace_is_refused(tmp_path):
    root, _ = _workspace(tmp_path, "")
    elsewhere = tmp_path / "elsewhere"
    elsewhere.mkdir()
    (elsewhere / "handbook.html.j2").write_text("{% include 'id_rsa' %}", encoding="utf-8")
    (elsewhere / "id_rsa").write_text("TOPSECRET", encoding="utf-8")
    (root / "kokom.yaml").write_text('edition: "2026.1"\ntemplates: ../elsewhere\n', encoding="utf-8")
    out = tmp_path / "h.html"
    result = CliRunner().invoke(app, ["render", "handbook", "--root", str(root), "-o", str(out)])
    assert result.exit_code == 2 and "error templates-outside" in result.stderr
    assert not out.exists()
