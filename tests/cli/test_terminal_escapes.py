"""Names from received files cannot drive the terminal: escapes, bidi and invisible characters are shown escaped."""

from __future__ import annotations

import io
import json
import sys

import pytest
from conftest import EXAMPLES, GOOD_REQUIREMENT, chapter_text

from kokom_cli.cli import output
from kokom_cli.cli.main import app
from kokom_cli.cli.output import clean, emit_json, write_stdout

HIDDEN = {
    "\x1b": "\\x1b",  # ESC: colours, cursor moves, window titles
    "\x07": "\\x07",
    "\r": "\\x0d",
    "\x0b": "\\x0b",
    "\x7f": "\\x7f",
    "\x85": "\\x85",  # C1 next line
    "\x9b": "\\x9b",  # C1 CSI
    "\u200f": "\\u200f",  # right-to-left mark
    "\u200e": "\\u200e",
    "\u061c": "\\u061c",  # Arabic letter mark
    "\u202e": "\\u202e",  # right-to-left override
    "\u2066": "\\u2066",
    "\u2028": "\\u2028",  # line separator
    "\u2029": "\\u2029",
    "\u200b": "\\u200b",  # zero-width space
    "\u200d": "\\u200d",
    "\u2060": "\\u2060",
    "\ufeff": "\\ufeff",
    "\u00ad": "\\xad",  # soft hyphen
    "\U000e0041": "\\U000e0041",  # tag character
}


@pytest.mark.parametrize("char", list(HIDDEN))
def test_clean_escapes_every_hidden_character(char):
    assert clean(f"a{char}b") == f"a{HIDDEN[char]}b"


def test_clean_keeps_norwegian_text_tabs_and_newlines():
    text = "Ærlig talt: «Øya» – 116 117\tå\nneste linje"
    assert clean(text) == text


def _hostile_workspace(make_workspace):
    title = "Svar \u202eraskt\u200f \x1b]0;pwned\x07 \x1b[31mrød\u2028linje"
    bad = GOOD_REQUIREMENT.replace("title: Testkrav om svartid", "title: " + json.dumps(title))
    return make_workspace({"01.yaml": chapter_text(bad)})


def _no_raw_hidden(text: str) -> None:
    for char in HIDDEN:
        if char not in "\r":
            assert char not in text, repr(char)


def test_table_output_escapes_names(runner, make_workspace):
    root = _hostile_workspace(make_workspace)
    result = runner.invoke(app, ["requirements", "list", "--root", str(root)])
    assert result.exit_code == 0, result.output
    _no_raw_hidden(result.stdout)
    assert "\\u202e" in result.stdout and "\\x1b" in result.stdout


def test_show_output_escapes_names(runner, make_workspace):
    root = _hostile_workspace(make_workspace)
    result = runner.invoke(app, ["requirements", "show", "TST-SVAR-01", "--root", str(root)])
    assert result.exit_code == 0, result.output
    _no_raw_hidden(result.stdout)
    assert "\\u2028" in result.stdout


def test_json_carries_hidden_characters_as_json_escapes(capsys):
    data = {"name": "a\u202eb\u200fc\u2028d\x1b"}
    emit_json(data)
    out = capsys.readouterr().out
    _no_raw_hidden(out)
    assert json.loads(out) == data


class _Terminal(io.StringIO):
    def __init__(self, tty: bool):
        super().__init__()
        self.tty = tty

    def isatty(self):
        return self.tty


@pytest.mark.parametrize("tty", [True, False])
def test_documents_on_stdout_are_escaped_on_a_terminal_only(monkeypatch, tty):
    stream = _Terminal(tty)
    monkeypatch.setattr(sys, "stdout", stream)
    write_stdout("section,name\nmatrix,\x1b[2J\u202eFjordby\n")
    if tty:
        assert stream.getvalue() == "section,name\nmatrix,\\x1b[2J\\u202eFjordby\n"
    else:
        assert stream.getvalue() == "section,name\nmatrix,\x1b[2J\u202eFjordby\n"


def test_overview_csv_to_a_terminal_is_escaped(runner, monkeypatch, tmp_path):
    """The overview's CSV on stdout goes through write_stdout."""
    written = []
    monkeypatch.setattr(output, "write_stdout", written.append)
    import kokom_cli.cli.overview_cmd as overview_cmd

    monkeypatch.setattr(overview_cmd, "write_stdout", written.append)
    examples = str(EXAMPLES)
    result = runner.invoke(
        app, ["overview", examples, "--as-of", "2026-12-01", "--format", "csv", "--section", "matrix"]
    )
    assert result.exit_code in (0, 1), result.stderr
    assert written and written[0].startswith("Tjeneste,")


def test_error_lines_are_escaped(runner, tmp_path):
    missing = tmp_path / "x\u202e\x1b[31m.yaml"
    result = runner.invoke(app, ["assess", "check", str(missing)])
    assert result.exit_code == 2
    _no_raw_hidden(result.stderr)
