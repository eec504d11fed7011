"""The YAML reader: every hostile or broken file becomes one positioned finding, never a traceback."""

from __future__ import annotations

from pathlib import Path

import pytest
from conftest import GOOD_REQUIREMENT, chapter_text

from kokom_cli.cli.main import app
from kokom_cli.core.findings import KokomError
from kokom_cli.yaml.reader import MAX_FILE_BYTES, load_yaml

BILLION_LAUGHS = "a: &a ['lol','lol','lol','lol','lol','lol','lol','lol','lol']\n" + "".join(
    f"{chr(98 + i)}: &{chr(98 + i)} [{', '.join(['*' + chr(97 + i)] * 9)}]\n" for i in range(8)
)

# name -> (file content, expected code, expected line, expected column or None)
BAD_FILES: dict[str, tuple[bytes, str, int, int | None]] = {
    "broken-syntax": (b"chapter: test\ntitle: [unclosed\norder: 1\n", "yaml-syntax", 3, None),
    "tab-indent": (b"chapter: test\nrequirements:\n\t- id: X\n", "yaml-tab", 3, 1),
    "duplicate-key": (b"chapter: test\ntitle: A\ntitle: B\norder: 1\n", "yaml-duplicate-key", 3, 1),
    "not-utf8": ("chapter: test\ntitle: Bør\n".encode("latin-1"), "yaml-encoding", 2, 9),
    "nul-byte": (b"chapter: test\ntitle: A\x00B\n", "yaml-nul-byte", 2, 9),
    "empty": (b"", "yaml-empty", 1, 1),
    "only-whitespace": (b"   \n\n", "yaml-empty", 1, 1),
    "comments-only": (b"# just a comment\n# and another\n", "yaml-empty", 1, 1),
    "two-documents": (b"chapter: a\n---\nchapter: b\n", "yaml-multiple-documents", 2, 1),
    "python-tag": (b"chapter: !!python/object:os.system ls\n", "yaml-unknown-tag", 1, 10),
    "custom-tag": (b"chapter: !secret x\n", "yaml-unknown-tag", 1, 10),
    "bad-date": (b"chapter: test\nwhen: 2026-13-45\n", "date-invalid", 2, 7),
    "alias-bomb": (BILLION_LAUGHS.encode(), "yaml-alias-bomb", 1, 1),
    "deep-nesting": (b"a: " + b"[" * 5000 + b"]" * 5000 + b"\n", "yaml-too-deep", 1, None),
    "deep-block-nesting": (
        "".join(" " * (2 * i) + f"k{i}:\n" for i in range(300)).encode() + b" " * 600 + b"x\n",
        "yaml-too-deep",
        1,
        1,
    ),
}


@pytest.mark.parametrize("name", sorted(BAD_FILES))
def test_bad_file_gives_one_positioned_finding(tmp_path: Path, name: str) -> None:
    content, code, line, column = BAD_FILES[name]
    path = tmp_path / f"{name}.yaml"
    path.write_bytes(content)
    with pytest.raises(KokomError) as info:
        load_yaml(path, "x.yaml")
    [finding] = info.value.findings
    assert finding.code == code, finding.render()
    assert finding.line == line, finding.render()
    if column is not None:
        assert finding.column == column, finding.render()
    assert finding.render().startswith(f"x.yaml:{line}:")


@pytest.mark.parametrize("name", sorted(BAD_FILES))
def test_validate_reports_bad_file_with_exit_1(runner, make_workspace, name: str) -> None:
    content, code, line, _ = BAD_FILES[name]
    root = make_workspace({"01-good.yaml": chapter_text(), "02-bad.yaml": content})
    result = runner.invoke(app, ["validate", "--root", str(root)])
    assert result.exit_code == 1, result.output
    lines = [line for line in result.stdout.splitlines() if line]
    assert len(lines) == 1, lines
    assert f"02-bad.yaml:{line}:" in lines[0] and f"error {code}:" in lines[0]
    assert "Traceback" not in result.output


def test_file_over_size_cap_is_refused_without_reading(tmp_path: Path) -> None:
    path = tmp_path / "huge.yaml"
    with path.open("wb") as handle:
        handle.seek(MAX_FILE_BYTES + 1)
        handle.write(b"\n")
    with pytest.raises(KokomError) as info:
        load_yaml(path, "huge.yaml")
    assert info.value.findings[0].code == "yaml-too-large"


def test_missing_file_and_folder(tmp_path: Path) -> None:
    with pytest.raises(KokomError) as info:
        load_yaml(tmp_path / "nope.yaml")
    assert info.value.findings[0].code == "file-missing"
    with pytest.raises(KokomError) as info:
        load_yaml(tmp_path)
    assert info.value.findings[0].code == "file-unreadable"


def test_anchors_that_expand_modestly_are_allowed(tmp_path: Path) -> None:
    path = tmp_path / "ok.yaml"
    path.write_text("base: &b {a: 1}\nother: *b\ntext: AMK & LVS\n", encoding="utf-8")
    assert load_yaml(path).data == {"base": {"a": 1}, "other": {"a": 1}, "text": "AMK & LVS"}


def test_positions_are_one_based_and_found_on_demand(tmp_path: Path) -> None:
    path = tmp_path / "c.yaml"
    path.write_text(chapter_text(GOOD_REQUIREMENT, GOOD_REQUIREMENT.replace("TST-SVAR-01", "TST-SVAR-02")))
    doc = load_yaml(path)
    assert doc.position(("requirements", 1, "id")) == (15, 9)
    assert doc.position(("requirements", 1, "level"), key=True) == (18, 5)
    # a missing field resolves to its parent mapping, where it must be added
    assert doc.position(("requirements", 0, "rationale")) == (5, 5)
    assert doc.source_text(("requirements", 0, "since")) == "2026.1"


def test_byte_order_mark_is_accepted(tmp_path: Path) -> None:
    path = tmp_path / "bom.yaml"
    path.write_bytes("\ufeffchapter: test\n".encode("utf-8"))
    assert load_yaml(path).data == {"chapter": "test"}


def test_english_messages_on_request(runner, make_workspace) -> None:
    root = make_workspace({"01.yaml": b"a: 1\na: 2\n"})
    nb = runner.invoke(app, ["validate", "--root", str(root)])
    en = runner.invoke(app, ["--lang", "en", "validate", "--root", str(root)])
    assert "står to ganger" in nb.stdout
    assert "duplicate key 'a'" in en.stdout


# Small broken documents, one for each problem libyaml (and PyYAML's composer) can report.
BROKEN = [
    "a: b: c", "a: 'x", "a: @x", "? a\nb", "a:\n  - b\n c: d", "- a\nb: c", "[a, b", "{a: b", "a: *x",
    'a: "\\q"', 'a: "\\xZZ"', "a: &\n", "a: !<x", "%YAML 1.1\n%YAML 1.1\n---\na", "%YAML 2.0\n---\na",
    "%TAG ! !x\n%TAG ! !y\n---\na", "a: !x!y b", "key: |0\n x", "a\n---\nb", "[a]: [", "%FOO\n",
    'a: "x\n---\n', "a: |x\n b", "'a' b", "a: &x 1\nb: &x 2\nc: *y", "%YAML a\n", "%TAG !x !y\n--- a",
    "a: !x b", "[a, ? b: c: d]", "a:\n- b\n  - c: d\n - e",
]  # fmt: skip


@pytest.mark.parametrize("text", BROKEN)
def test_every_libyaml_problem_reads_in_norwegian(tmp_path, text) -> None:
    import yaml

    from kokom_cli.core.i18n import set_language
    from kokom_cli.yaml.problems import _PREFIXES_NB, _PREFIXES_NN, _PROBLEMS_NB, _PROBLEMS_NN
    from kokom_cli.yaml.reader import parse_yaml

    with pytest.raises(yaml.YAMLError) as raised:
        yaml.load(text, Loader=getattr(yaml, "CSafeLoader", yaml.SafeLoader))
    problem = raised.value.problem  # type: ignore[attr-defined]
    assert problem in _PROBLEMS_NB or problem.startswith(tuple(_PREFIXES_NB)), problem
    assert problem in _PROBLEMS_NN or problem.startswith(tuple(_PREFIXES_NN)), problem
    messages = {}
    for lang in ("nb", "nn", "en"):
        set_language(lang)
        with pytest.raises(KokomError) as failed:
            parse_yaml(text.encode(), tmp_path / "f.yaml", "f.yaml")
        messages[lang] = " ".join(f.message for f in failed.value.findings)
    assert problem not in messages["nb"] and messages["nb"] != messages["en"], messages
    assert problem not in messages["nn"] and messages["nn"] != messages["en"], messages
    assert "YAML-syntaksfeil" not in messages["en"], messages


def test_libyaml_problems_have_bokmål_and_nynorsk_for_the_same_problems() -> None:
    from kokom_cli.yaml.problems import _PREFIXES_NB, _PREFIXES_NN, _PROBLEMS_NB, _PROBLEMS_NN

    assert _PROBLEMS_NN.keys() == _PROBLEMS_NB.keys()
    assert _PREFIXES_NN.keys() == _PREFIXES_NB.keys()


def test_kept_node_tree_gives_the_same_positions_as_a_second_parse(tmp_path):
    """`keep_nodes` reuses the parse's node tree; with a merge key (which rewrites it) a second parse is used."""
    text = (
        "base: &b {due: 2026-01-01, what: x}\n"
        "answers:\n"
        "  A-1:\n"
        "    action:\n"
        "      <<: *b\n"
        "      due: 2026-02-01\n"
        "  B-2: {action: {due: 2026-03-01}}\n"
        "list:\n  - a\n  - {k: v}\n"
    )
    for body in (text, text.replace("      <<: *b\n", "")):
        path = tmp_path / "a.yaml"
        path.write_text(body, encoding="utf-8")
        kept, fresh = load_yaml(path, keep_nodes=True), load_yaml(path)
        assert kept.data == fresh.data
        for loc in [("answers", "A-1", "action", "due"), ("answers", "B-2", "action", "due"), ("list", 1, "k"), ("x",)]:
            assert kept.position(loc) == fresh.position(loc)
            assert kept.position(loc, key=True) == fresh.position(loc, key=True)
        kept.forget_nodes()
        assert kept.position(("answers", "A-1", "action", "due")) == fresh.position(("answers", "A-1", "action", "due"))
