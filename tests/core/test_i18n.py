"""Every message in all three languages: a test fails when one is missing.

kokom's message catalogue is the code itself: each message is written where it is
used, `tr(bokmål, English, nynorsk)` (`htr` for help texts, `plural` for counted
words), and the labels of handbooks and reports are in `templates/labels.yaml`.
This test reads every module of the package and that file and fails on a message
without its nynorsk, or with placeholders that differ between the languages.
"""

from __future__ import annotations

import ast
from pathlib import Path

from conftest import ROOT
from ruamel.yaml import YAML

from kokom_cli.core.i18n import plural, set_language, tr

PACKAGE = ROOT / "kokom_cli"
MESSAGE_FUNCTIONS = {"tr", "htr", "plural"}


def _calls() -> list[tuple[Path, ast.Call]]:
    found = []
    for path in sorted(PACKAGE.rglob("*.py")):
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.Call) and isinstance(node.func, ast.Name) and node.func.id in MESSAGE_FUNCTIONS:
                found.append((path, node))
    return found


def _where(path: Path, node: ast.AST) -> str:
    return f"{path.relative_to(ROOT)}:{node.lineno}"


def _languages(node: ast.Call) -> list[ast.expr]:
    """The message's texts in the order of the signature: bokmål, English, nynorsk (forms for `plural`)."""
    skip = 1 if node.func.id == "plural" else 0  # type: ignore[attr-defined]  # plural(n, nb, en, nn)
    texts = list(node.args[skip:])
    texts += [k.value for k in node.keywords if k.arg in {"nb", "en", "nn"}]
    return texts


def _placeholders(text: ast.expr) -> list[str]:
    """The expressions an f-string puts in, sorted (none for a plain string or a tuple of forms)."""
    if isinstance(text, ast.JoinedStr):
        return sorted(ast.unparse(v.value) for v in text.values if isinstance(v, ast.FormattedValue))
    return []


def test_the_package_has_messages_to_check() -> None:
    assert len(_calls()) > 500  # the walk finds the messages (not a vacuous pass)


def test_every_message_has_bokmal_english_and_nynorsk() -> None:
    missing = [_where(p, n) for p, n in _calls() if len(_languages(n)) < 3 and not _is_wrapper(n)]
    assert not missing, "messages without nynorsk (give it as the third argument):\n" + "\n".join(missing)


def test_nynorsk_puts_in_the_same_values_as_bokmal() -> None:
    """A value left out or swapped in one Norwegian text is a slip (English may word its values its own way)."""
    differ = []
    for path, node in _calls():
        texts = _languages(node)
        if len(texts) == 3 and _placeholders(texts[0]) != _placeholders(texts[2]):
            differ.append(_where(path, node))
    assert not differ, "messages whose nynorsk puts in other values than the bokmål:\n" + "\n".join(differ)


def _is_wrapper(node: ast.Call) -> bool:
    """A call that passes its caller's texts on (`tr(*texts)`), not a message of its own."""
    return any(isinstance(a, ast.Starred) for a in node.args)


def test_labels_have_every_key_in_every_language() -> None:
    labels = YAML(typ="safe").load((ROOT / "templates" / "labels.yaml").read_text(encoding="utf-8"))

    def keys(tree, prefix=""):
        if isinstance(tree, dict):
            return {k for key, value in tree.items() for k in keys(value, f"{prefix}{key}.")} | {prefix}
        return {prefix}

    nb, nn, en = keys(labels["nb"]), keys(labels["nn"]), keys(labels["en"])
    assert nb - nn == set() and nn - nb == set(), f"nynorsk labels differ from bokmål: {sorted(nb ^ nn)}"
    assert nb - en == set() and en - nb == set(), f"English labels differ from bokmål: {sorted(nb ^ en)}"


def test_the_language_chooses_the_text_and_the_plural_form() -> None:
    try:
        set_language("nn")
        assert tr("ikke", "not", "ikkje") == "ikkje"
        assert plural(2, ("dag", "dager"), ("day", "days"), ("dag", "dagar")) == "2 dagar"
        set_language("en")
        assert plural(1, ("dag", "dager"), ("day", "days"), ("dag", "dagar")) == "1 day"
        set_language("nb")
        assert tr("ikke", "not", "ikkje") == "ikke"
    finally:
        set_language("nb")
