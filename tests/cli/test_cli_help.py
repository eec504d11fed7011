"""Help text: bokmål by default, English with KOKOM_LANG=en or `--lang en` on the command line.

The language of help is fixed when the commands are declared (at import), so every test of
the rendered help runs kokom in a subprocess with its own environment and command line.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys

import pytest

from kokom_cli.core.i18n import help_language

# Each sample: the command line, a phrase of its bokmål help and the same phrase in English.
SAMPLES = [
    ([], "Nasjonale krav og prosedyrebøker", "National requirements and procedure books"),
    (["validate"], "Behandle advarsler som feil.", "Treat warnings as errors."),
    (
        ["requirements", "list"],
        "Bare krav som gjelder denne typen tjeneste.",
        "Only those that apply to this kind of service.",
    ),
    (["assess", "check"], "Egenvurderingen (YAML-filen), eller en pakke (.zip)", "or a pack (.zip)"),
    (["render", "handbook"], "Kravhåndboken", "The requirements handbook"),
    (["metrics"], "Svartider fra en anropslogg", "Answer times from a call log"),
    (["overview"], "Nasjonal oversikt", "National roll-up"),
]

# In a subprocess: the help of each command line, rendered by the app as that process imported it.
_HELPS = """
import json, sys
from typer.testing import CliRunner
from kokom_cli.cli.main import app
out = {}
for argv in json.loads(sys.argv[1]):
    result = CliRunner().invoke(app, argv + ["--help"])
    out[" ".join(argv)] = [result.exit_code, result.stdout]
print(json.dumps(out))
"""

# In a subprocess: every registered command and group, with its help texts and the exit code of its --help.
_WALK = """
import json
import typer
from typer.testing import CliRunner
from kokom_cli.cli.main import app

def walk(command, path):
    yield path, command
    for name, sub in getattr(command, "commands", {}).items():
        yield from walk(sub, path + [name])

runner = CliRunner()
out = {}
for path, command in walk(typer.main.get_command(app), []):
    result = runner.invoke(app, path + ["--help"])
    out[" ".join(path)] = {"exit": result.exit_code, "stdout": result.stdout, "help": command.help,
                           "params": {p.name: p.help for p in command.params}}
print(json.dumps(out))
"""


def _env(lang: str | None) -> dict:
    env = {k: v for k, v in os.environ.items() if k != "KOKOM_LANG"}
    return env | {"KOKOM_LANG": lang} if lang else env


def _run(code: str, *args: str, lang: str | None) -> dict:
    result = subprocess.run(
        [sys.executable, "-c", code, *args], capture_output=True, text=True, env=_env(lang), timeout=120
    )
    assert result.returncode == 0, result.stderr
    return json.loads(result.stdout)


@pytest.mark.parametrize("lang", [None, "en"])
def test_help_follows_the_language(lang) -> None:
    helps = _run(_HELPS, json.dumps([argv for argv, _, _ in SAMPLES]), lang=lang)
    for argv, nb, en in SAMPLES:
        code, text = helps[" ".join(argv)]
        assert code == 0, (argv, text)
        wanted, unwanted = (en, nb) if lang == "en" else (nb, en)
        assert wanted in " ".join(text.split()), (argv, text)
        assert unwanted not in " ".join(text.split()), (argv, text)


@pytest.mark.parametrize(
    ("argv", "en", "nb"),
    [
        (["--lang", "en", "--help"], "National requirements and procedure books", "Nasjonale krav"),
        (["--lang=en", "validate", "--help"], "Print one JSON document on stdout.", "Skriv ett JSON-dokument"),
    ],
)
def test_lang_en_on_the_command_line_gives_english_help(argv, en, nb) -> None:
    result = subprocess.run(
        [sys.executable, "-m", "kokom_cli", *argv], capture_output=True, text=True, env=_env(None), timeout=120
    )
    assert result.returncode == 0, result.stderr
    text = " ".join(result.stdout.split())
    assert en in text and nb not in text, result.stdout


def test_every_command_has_working_help_in_both_languages() -> None:
    nb, en = _run(_WALK, lang=None), _run(_WALK, lang="en")
    assert set(nb) == set(en)
    assert {
        "",
        "validate",
        "assess check",
        "assess migrate",
        "requirements new",
        "procedures set",
        "render procedures",
        "edition release",
    } <= set(nb)
    for name in nb:
        assert nb[name]["exit"] == 0 and "Bruk:" in nb[name]["stdout"], (name, nb[name]["stdout"])
        assert en[name]["exit"] == 0 and "Usage:" in en[name]["stdout"], (name, en[name]["stdout"])
        # every command, option and argument has help, and its bokmål and English texts differ
        assert nb[name]["help"] and en[name]["help"] and nb[name]["help"] != en[name]["help"], name
        for param, text in nb[name]["params"].items():
            assert text and text != en[name]["params"][param], (name, param)


@pytest.mark.parametrize(
    ("env", "argv", "expected"),
    [
        (None, [], "nb"),
        ("en", [], "en"),
        ("nn", [], "nn"),
        ("xx", [], "nb"),
        (None, ["--lang", "en", "validate"], "en"),
        (None, ["--lang=en", "--help"], "en"),
        ("en", ["--lang", "nb"], "nb"),
        (None, ["render", "handbook", "--lang"], "nb"),
    ],
)
def test_help_language(monkeypatch, env, argv, expected) -> None:
    if env is None:
        monkeypatch.delenv("KOKOM_LANG", raising=False)
    else:
        monkeypatch.setenv("KOKOM_LANG", env)
    assert help_language(argv) == expected


# Click's and Typer's own words: each case is a command line and the English words it shows.
CLICK_CASES = [
    (["validate", "--help"], ["Usage:", "Options:", "Show this message and exit.", "env var"]),
    (["assess", "--help"], ["Usage:", "Options:", "Commands:"]),
    (["metrics", "--help"], ["Arguments:", "required"]),
    (["validate", "--bogus"], ["Usage:", "Error:", "No such option", "Try '"]),
    (["assess", "check"], ["Error:", "Missing argument"]),
    (["nosuch"], ["Error:", "No such command"]),
    (["validate", "--root"], ["Error:", "requires an argument"]),
    (["validate", "extra"], ["Error:", "unexpected extra"]),
    (["due", "--within", "abc"], ["Error:", "Invalid value", "Input should be"]),
    (["metrics", "x.csv", "--threshold", "0"], ["Invalid value", "greater than"]),
    (["assess"], ["Usage:", "Commands:"]),
]


@pytest.mark.parametrize(("argv", "english"), CLICK_CASES, ids=[" ".join(a) for a, _ in CLICK_CASES])
@pytest.mark.parametrize("lang", [None, "nb", "nn", "en"])
def test_click_words_follow_the_language(monkeypatch, lang, argv, english) -> None:
    from typer.testing import CliRunner

    from kokom_cli.cli.main import app

    monkeypatch.delenv("KOKOM_LANG", raising=False)
    args = argv if lang is None else ["--lang", lang, *argv]
    result = CliRunner().invoke(app, args)
    text = " ".join(result.output.split())
    assert result.exit_code in (0, 2), text
    for word in english:
        if lang == "en":
            assert word in text, (word, text)
        else:
            assert word not in text, (word, text)
    if lang != "en":
        assert any(w in text for w in ("Bruk:", "Feil:")), text


@pytest.mark.parametrize(("lang", "heading"), [("nb", "Kommandoer:"), ("nn", "Kommandoar:"), ("en", "Commands:")])
def test_kokom_lang_sets_click_words_for_cli_runner(lang, heading) -> None:
    from typer.testing import CliRunner

    from kokom_cli.cli.main import app

    result = CliRunner(env={"KOKOM_LANG": lang}).invoke(app, ["--help"])
    assert result.exit_code == 0 and heading in result.output, result.output


def test_installed_kokom_speaks_norwegian_in_click_errors() -> None:
    result = subprocess.run(
        [sys.executable, "-m", "kokom_cli", "validate", "--bogus"], capture_output=True, text=True,
        env=_env(None), timeout=120,
    )  # fmt: skip
    assert result.returncode == 2
    assert "Feil: Ukjent valg: --bogus" in result.stderr and "Error" not in result.stderr, result.stderr


def test_every_catalogue_entry_is_translated() -> None:
    from kokom_cli.cli.click_words import PATTERNS, WORDS

    for english, (nb, nn) in WORDS.items():
        assert nb and nn, english
        assert english.count("{") == nb.count("{") == nn.count("{"), english
    for pattern, nb, nn in PATTERNS:
        assert nb != pattern.pattern and nn != pattern.pattern
