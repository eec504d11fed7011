"""Safe editing: byte-exact round trip, typed edits, validation before writing, atomic writes, lock, changed files."""

from __future__ import annotations

import difflib
import fcntl
import os
import random
import shutil
import signal
import subprocess
import sys
import textwrap
import time
from pathlib import Path

import pytest
import yaml
from conftest import DATA
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from kokom_cli.cli.main import app
from kokom_cli.core import locking
from kokom_cli.core.findings import KokomError
from kokom_cli.editing import changes as edit_changes
from kokom_cli.editing import edits as edit_ops
from kokom_cli.editing import values as edit_values
from kokom_cli.workspace import builtin_dir, open_workspace
from kokom_cli.yaml import roundtrip
from kokom_cli.yaml.reader import load_yaml

SOURCE = DATA / "editing" / "ws"
CHAPTER = "requirements/01-svar.yaml"


@pytest.fixture
def ws(tmp_path: Path) -> Path:
    root = tmp_path / "ws"
    shutil.copytree(SOURCE, root)
    return root


def snapshot(root: Path) -> dict[str, bytes]:
    """Every file under `root` but the lock, by relative path: to show that nothing was written."""
    return {
        str(p.relative_to(root)): p.read_bytes()
        for p in sorted(root.rglob("*"))
        if p.is_file() and p.name != locking.LOCK_NAME
    }


def leftovers(root: Path) -> list[str]:
    """Temporary files left behind. The lock file stays by design (filelock: waiters share its inode)."""
    return [str(p) for p in root.rglob("*") if p.name.endswith(".tmp")]


# --- round trip ------------------------------------------------------------------------------


def test_every_file_of_the_national_corpus_round_trips_byte_for_byte() -> None:
    files = sorted(builtin_dir("requirements").glob("*.yaml")) + sorted(builtin_dir("procedures").rglob("*.yaml"))
    assert len(files) >= 8
    for path in files:
        opened = roundtrip.open_round_trip(path)
        assert opened.dump() == path.read_bytes(), path


def test_fixture_with_comments_quotes_and_block_text_round_trips() -> None:
    for path in SOURCE.rglob("*.yaml"):
        assert roundtrip.open_round_trip(path).dump() == path.read_bytes(), path


@pytest.mark.parametrize(
    "text, why",
    [
        ("chapter: a\r\ntitle: b\r\n", "CRLF"),
        ("chapter: a\ntitle: en tekst som\n  fortsetter uten blokk\n", "linjen ville blitt skrevet"),
        ("chapter: a\nlist:\n  - a\n  -   b\n", "linjen ville blitt skrevet"),
    ],
)
def test_a_file_that_cannot_be_reproduced_is_refused_with_the_reason(tmp_path: Path, text: str, why: str) -> None:
    path = tmp_path / "x.yaml"
    path.write_bytes(text.encode())
    with pytest.raises(KokomError) as caught:
        roundtrip.open_round_trip(path)
    (finding,) = caught.value.findings
    assert finding.code == "edit-not-round-trip" and why in finding.message and finding.line >= 1


def test_indentation_of_the_file_is_detected(tmp_path: Path) -> None:
    path = tmp_path / "x.yaml"
    path.write_text("a:\n    b:\n        - c: 1\n          d: 2\n    e: [1]\n")
    opened = roundtrip.open_round_trip(path)
    file = edit_changes.EditSet()
    file.files[path.absolute()] = opened
    file.set(opened, ("a", "b", 0, "d"), 3)
    (change,) = file.changes()
    assert change.new == b"a:\n    b:\n        - c: 1\n          d: 3\n    e: [1]\n"


# --- the property: random edits change exactly what they should ----------------------------------

_SAFE_TEXT = st.text(
    alphabet=st.characters(
        whitelist_categories=("L", "N", "P", "S", "Zs"), blacklist_characters="\u2028\u2029\x85\ufeff"
    ),
    min_size=1,
    max_size=120,
)
_KINDS = ["amk", "legevaktsentral", "legevakt", "kommune", "helseforetak", "ambulanse"]


def _edits():
    text_fields = st.sampled_from(["title", "text", "rationale", "note"])
    return st.one_of(
        st.tuples(st.integers(0, 2), text_fields, _SAFE_TEXT),
        st.tuples(st.integers(0, 2), text_fields, st.just("null")),
        st.tuples(st.integers(0, 2), st.just("level"), st.sampled_from(["skal", "bør"])),
        st.tuples(st.integers(0, 1), st.just("metric.threshold_seconds"), st.integers(1, 86400).map(str)),
        st.tuples(
            st.integers(0, 1),
            st.just("metric.required_share"),
            st.floats(0.01, 1.0, allow_nan=False).map(lambda f: repr(round(f, 3))),
        ),
        st.tuples(
            st.integers(0, 2),
            st.just("applies_to"),
            st.lists(st.sampled_from(_KINDS), min_size=1, max_size=4, unique=True).map(
                lambda kinds: "[" + ", ".join(kinds) + "]"
            ),
        ),
    )


def _region(text: str, index: int, key: str) -> tuple[int, int]:
    """0-based first and last line the edit may touch: the key and its value, or the whole item for a new key."""
    item = next(v for k, v in yaml.compose(text).value if k.value == "requirements").value[index]
    for key_node, value_node in item.value:
        if key_node.value == key:
            return key_node.start_mark.line, value_node.end_mark.line
    return item.start_mark.line, item.end_mark.line


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(_edits())
def test_random_edits_change_exactly_the_intended_value_and_no_other_byte(edit) -> None:
    index, field, value_text = edit
    path = SOURCE / CHAPTER
    raw = path.read_bytes()
    loc = edit_values.parse_path(field)
    value = edit_values.parse_value(value_text, edit_values.expects_text(edit_values.field_type(editing_model(), loc)))
    edits = edit_changes.EditSet()
    file = edits.open(path)
    edits.set(file, ("requirements", index, *loc), value, order=list(edit_values.model_fields(editing_model())))
    changes = edits.changes()

    expected = load_yaml(path).data
    target = expected["requirements"][index]
    for part in loc[:-1]:
        target = target[part]
    if value is None:
        target.pop(loc[-1], None)
    else:
        target[loc[-1]] = roundtrip.plain(value)
    new = changes[0].new if changes else raw
    assert yaml.safe_load(new) == expected

    start, end = _region(raw.decode(), index, str(loc[0]))
    old_lines, new_lines = raw.decode().splitlines(), new.decode().splitlines()
    for tag, i1, i2, _, _ in difflib.SequenceMatcher(None, old_lines, new_lines, autojunk=False).get_opcodes():
        if tag != "equal":
            assert start <= i1 and i2 <= end + 1, (tag, i1, i2, start, end)


def editing_model():
    from kokom_cli.requirements.models import Requirement

    return Requirement


# --- the commands ---------------------------------------------------------------------------


def run(runner, ws: Path, *args: str):
    return runner.invoke(app, [*args, "--root", str(ws)])


def test_set_writes_only_the_value_and_keeps_comments(runner, ws: Path) -> None:
    before = (ws / CHAPTER).read_text()
    result = run(runner, ws, "requirements", "set", "TST-SVAR-01", "metric.threshold_seconds", "12")
    assert result.exit_code == 0, result.output
    assert "Skrev requirements/01-svar.yaml" in result.stdout or "01-svar.yaml" in result.stdout
    after = (ws / CHAPTER).read_text()
    assert after == before.replace("threshold_seconds: 10   # seconds", "threshold_seconds: 12   # seconds")
    assert leftovers(ws) == []


def test_set_keeps_the_style_of_the_replaced_value(runner, ws: Path) -> None:
    assert run(runner, ws, "requirements", "set", "TST-SVAR-01", "since", "2027.1").exit_code == 0
    assert run(runner, ws, "requirements", "set", "TST-SVAR-01", "text", "Kort ny tekst.").exit_code == 0
    text = (ws / CHAPTER).read_text()
    assert '    since: "2027.1"\n' in text
    assert "    text: >-\n      Kort ny tekst.\n    level: skal" in text


def test_dry_run_prints_a_unified_diff_and_writes_nothing(runner, ws: Path) -> None:
    before = snapshot(ws)
    result = run(runner, ws, "requirements", "set", "TST-OPPF-01", "level", "skal", "--dry-run")
    assert result.exit_code == 0, result.output
    assert "--- a/" in result.stdout and "-    level: bør\n+    level: skal\n" in result.stdout
    assert snapshot(ws) == before


def test_setting_the_same_value_changes_nothing(runner, ws: Path) -> None:
    before = snapshot(ws)
    result = run(runner, ws, "requirements", "set", "TST-OPPF-01", "level", "bør")
    assert result.exit_code == 0 and "Ingen endring" in result.stdout
    assert snapshot(ws) == before


def test_null_removes_an_optional_field_and_a_new_field_goes_in_model_order(runner, ws: Path) -> None:
    assert run(runner, ws, "requirements", "set", "TST-OPPF-01", "note", "null").exit_code == 0
    assert run(runner, ws, "requirements", "set", "TST-OPPF-01", "rationale", "Fordi.").exit_code == 0
    assert (
        run(
            runner, ws, "requirements", "set", "TST-SVAR-02", "change_note", "{class: editorial, text: Ny formulering}"
        ).exit_code
        == 0
    )
    text = (ws / CHAPTER).read_text()
    assert "note: Et notat." not in text
    assert '    since: "2026.1"\n    rationale: Fordi.\n# end of chapter\n' in text
    assert (
        "    links: [TST-SVAR-01]\n    change_note: {class: editorial, text: Ny formulering}\n\n  - id: TST-OPPF-01"
    ) in text


@pytest.mark.parametrize(
    "args, code, words",
    [
        (["requirements", "set", "TST-SVAR-1", "level", "skal"], "unknown-id", "mente du 'TST-SVAR-01'"),
        (["requirements", "set", "TST-SVAR-01", "titel", "x"], "usage", "mente du 'title'"),
        (["requirements", "set", "TST-SVAR-01", "metric.threshold", "5"], "usage", "threshold_seconds"),
        (["requirements", "set", "TST-SVAR-01", "metric.threshold_seconds", "ti"], "schema-type", "et tall"),
        (["requirements", "set", "TST-SVAR-01", "level", "must"], "schema-value", "skal"),
        (["requirements", "set", "TST-SVAR-01", "applies_to", "[amk"], "usage", "ikke gyldig YAML"),
        (["requirements", "set", "TST-SVAR-01", "id", "TST-NY-01"], "usage", "faste"),
        (["requirements", "set", "TST-OPPF-01", "metric.threshold_seconds", "5"], "usage", "finnes ikke"),
        (["requirements", "retire", "TST-NOPE-01"], "unknown-id", "TST-NOPE-01"),
        (["requirements", "retire", "TST-DOK-02", "--replaced-by", "TST-DOK-9"], "unknown-id", "TST-DOK-0"),
        (["procedures", "set", "PROS-TEST-02", "version", "2"], "unknown-procedure", "PROS-TEST-01"),
        (["procedures", "set", "PROS-TEST-01", "review_interval_months", "ofte"], "schema-type", "et tall"),
        (["procedures", "set", "PROS-TEST-01", "steps.5.text", "x"], "usage", "2 element"),
    ],
)
def test_bad_input_is_one_clear_line_exit_2_and_nothing_written(runner, ws: Path, args, code, words) -> None:
    before = snapshot(ws)
    result = run(runner, ws, *args)
    assert result.exit_code == 2, result.output
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1, lines
    assert f"error {code}:" in lines[0] and words in lines[0]
    assert "Traceback" not in result.output
    assert snapshot(ws) == before


@pytest.mark.parametrize(
    "args, code",
    [
        (["requirements", "set", "TST-SVAR-01", "links", "[TST-NOPE-01]"], "unknown-link"),
        (["requirements", "set", "TST-SVAR-01", "verification", "document"], "metric-unused"),
        (["procedures", "set", "PROS-TEST-01", "fulfils", "[TST-NOPE-01]"], "unknown-requirement"),
        (["procedures", "set", "PROS-TEST-01", "chapter", "ukjent"], "unknown-chapter"),
    ],
)
def test_an_edit_that_would_make_the_workspace_invalid_is_refused(runner, ws: Path, args, code) -> None:
    before = snapshot(ws)
    result = run(runner, ws, *args)
    if code == "metric-unused":  # a warning only: written, and the warning shown
        assert result.exit_code == 0 and "warning metric-unused" in result.stderr
        return
    assert result.exit_code == 2, result.output
    assert f"error {code}" in result.stderr and "ikke lagret" in result.stderr
    assert snapshot(ws) == before


def test_retire_with_successor_edits_both_and_warns_about_links(runner, ws: Path) -> None:
    result = run(runner, ws, "requirements", "retire", "TST-SVAR-02", "--replaced-by", "TST-SVAR-01")
    assert result.exit_code == 0, result.output
    data = load_yaml(ws / CHAPTER).data["requirements"]
    assert data[1]["status"] == "retired" and data[0]["replaces"] == ["TST-SVAR-02"]
    assert "link-retired" in result.stderr  # TST-SVAR-01 still links to it
    again = run(runner, ws, "requirements", "retire", "TST-SVAR-02", "--replaced-by", "TST-SVAR-01")
    assert again.exit_code == 2 and "allerede utgått" in again.stderr


def test_procedures_set_edits_the_procedure_file(runner, ws: Path) -> None:
    path = ws / "procedures/test/pros-test-01.yaml"
    before = path.read_text()
    result = run(runner, ws, "procedures", "set", "PROS-TEST-01", "steps.0.text", "Ring opp brann og politi.")
    assert result.exit_code == 0, result.output
    # the end-of-line comment keeps its column
    assert path.read_text() == before.replace(
        "text: Sett opp konferansesamtale.   # step one", "text: Ring opp brann og politi.     # step one"
    )
    assert run(runner, ws, "procedures", "set", "PROS-TEST-01", "version", "1.1").exit_code == 0
    assert 'version: "1.1"' in path.read_text()


NEW_OPTIONS = [
    "--chapter",
    "dok",
    "--id",
    "TST-DOK-03",
    "--title",
    "Ny rutine: varsling",
    "--text",
    "Tjenesten skal ha en skriftlig rutine for varsling av brann og politi, og rutinen skal "
    "øves minst én gang i året sammen med nødetatene.",
    "--level",
    "skal",
    "--applies-to",
    "amk,legevaktsentral",
    "--verification",
    "document",
    "--source-title",
    "Veileder",
    "--source-url",
    "https://example.org/veileder",
]


def test_new_with_all_options_appends_in_the_files_style(runner, ws: Path) -> None:
    result = run(runner, ws, "requirements", "new", *NEW_OPTIONS)
    assert result.exit_code == 0, result.output
    text = (ws / "requirements/02-dok.yaml").read_text()
    assert text.startswith((SOURCE / "requirements/02-dok.yaml").read_text() + "\n  - id: TST-DOK-03\n")
    assert "    applies_to: [amk, legevaktsentral]\n" in text and '    since: "2026.1"\n' in text
    assert "    text: >-\n      Tjenesten skal" in text
    new = load_yaml(ws / "requirements/02-dok.yaml").data["requirements"][-1]
    assert new["title"] == "Ny rutine: varsling" and new["text"].startswith("Tjenesten skal ha")
    assert new["source"] == [{"title": "Veileder", "url": "https://example.org/veileder"}]


def test_new_refuses_a_duplicate_id_and_missing_options(runner, ws: Path) -> None:
    before = snapshot(ws)
    duplicate = [*NEW_OPTIONS]
    duplicate[3] = "TST-DOK-01"
    result = run(runner, ws, "requirements", "new", *duplicate)
    assert result.exit_code == 2 and "duplicate-id" in result.stderr
    missing = run(runner, ws, "requirements", "new", "--id", "TST-DOK-04")
    assert missing.exit_code == 2 and "--title" in missing.stderr and len(missing.stderr.splitlines()) == 1
    assert snapshot(ws) == before


def test_new_prompts_for_missing_fields_in_a_terminal(runner, ws: Path, monkeypatch) -> None:
    from kokom_cli.cli import edit_cmd

    monkeypatch.setattr(edit_cmd, "interactive", lambda: True)
    answers = "svar\nTST-SVAR-03\nSpurt krav\nTeksten.\n\namk\n\nForskriften\n\n"
    result = runner.invoke(app, ["requirements", "new", "--root", str(ws)], input=answers)
    assert result.exit_code == 0, result.output
    new = load_yaml(ws / CHAPTER).data["requirements"][-1]
    assert new["id"] == "TST-SVAR-03" and new["level"] == "skal" and new["verification"] == "document"
    assert new["applies_to"] == ["amk"] and new["source"] == [{"title": "Forskriften"}]


def test_a_bad_answer_is_asked_again_with_the_allowed_values(runner, ws: Path, monkeypatch) -> None:
    from kokom_cli.cli import edit_cmd

    monkeypatch.setattr(edit_cmd, "interactive", lambda: True)
    answers = "svar\nTST-SVAR-03\nSpurt krav\nTeksten.\nskall\nskal\namk\n\nForskriften\n\n"
    result = runner.invoke(app, ["requirements", "new", "--root", str(ws)], input=answers)
    assert result.exit_code == 0, result.output
    assert "'skall' er ikke tillatt; velg blant: skal, bør" in result.stderr
    assert load_yaml(ws / CHAPTER).data["requirements"][-1]["level"] == "skal"


def test_a_metric_requirement_is_asked_for_its_metric(runner, ws: Path, monkeypatch) -> None:
    from kokom_cli.cli import edit_cmd

    monkeypatch.setattr(edit_cmd, "interactive", lambda: True)
    answers = "svar\nTST-SVAR-04\nMålt krav\nTeksten.\n\namk\nmetric\nForskriften\n\n\n113\nti\n10\n0.9\n"
    result = runner.invoke(app, ["requirements", "new", "--root", str(ws)], input=answers)
    assert result.exit_code == 0, result.output
    new = load_yaml(ws / CHAPTER).data["requirements"][-1]
    assert new["metric"] == {
        "indicator": "answered_within",
        "lines": ["113"],
        "threshold_seconds": 10,
        "required_share": 0.9,
    }


def test_the_built_in_corpus_is_not_edited(runner, tmp_path: Path, monkeypatch) -> None:
    monkeypatch.chdir(tmp_path)
    result = runner.invoke(app, ["requirements", "set", "AMK-SVAR-01", "level", "bør"])
    assert result.exit_code == 2 and "edit-builtin" in result.stderr and "kokom.yaml" in result.stderr


# --- files on disk ---------------------------------------------------------------------------


def test_a_symlinked_chapter_is_edited_at_its_target(runner, ws: Path, tmp_path: Path) -> None:
    real = tmp_path / "elsewhere" / "dok.yaml"
    real.parent.mkdir()
    link = ws / "requirements/02-dok.yaml"
    shutil.move(link, real)
    link.symlink_to(real)
    assert run(runner, ws, "requirements", "set", "TST-DOK-01", "level", "bør").exit_code == 0
    assert link.is_symlink() and link.resolve() == real.resolve()
    assert load_yaml(real).data["requirements"][0]["level"] == "bør"


def test_permissions_are_kept(runner, ws: Path) -> None:
    path = ws / CHAPTER
    path.chmod(0o640)
    assert run(runner, ws, "requirements", "set", "TST-SVAR-01", "level", "bør").exit_code == 0
    assert path.stat().st_mode & 0o7777 == 0o640


def test_a_second_kokom_process_is_kept_out_by_the_lock(runner, ws: Path, monkeypatch) -> None:
    monkeypatch.setattr(locking, "LOCK_WAIT_SECONDS", 0.2)
    before = snapshot(ws)
    with locking.workspace_lock(ws):
        result = run(runner, ws, "requirements", "set", "TST-SVAR-01", "level", "bør")
        assert result.exit_code == 2 and "edit-locked" in result.stderr
        assert {k: v for k, v in snapshot(ws).items() if k != locking.LOCK_NAME} == before
    assert run(runner, ws, "requirements", "set", "TST-SVAR-01", "level", "bør").exit_code == 0


def test_the_lock_is_held_against_another_process(ws: Path) -> None:
    """flock through a real second process, not just a second descriptor."""
    with locking.workspace_lock(ws):
        probe = subprocess.run(
            [
                sys.executable,
                "-c",
                textwrap.dedent(f"""
            import fcntl, os, sys
            fd = os.open({str(ws / locking.LOCK_NAME)!r}, os.O_RDWR)
            try:
                fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
            except BlockingIOError:
                sys.exit(3)
            """),
            ],
            check=False,
        )
        assert probe.returncode == 3
    assert fcntl is not None


def test_a_file_changed_on_disk_after_reading_is_not_overwritten(ws: Path) -> None:
    workspace = open_workspace(ws)
    changes = edit_ops.set_requirement_field(workspace, "TST-SVAR-01", "level", "bør")
    path = ws / CHAPTER
    path.write_text(path.read_text() + "# saved by an editor\n")
    with locking.workspace_lock(workspace.root), pytest.raises(KokomError) as caught:
        edit_changes.write_edits(changes)
    assert caught.value.findings[0].code == "edit-file-changed"
    assert path.read_text().endswith("# saved by an editor\n") and "level: skal" in path.read_text()


def test_a_file_changed_while_the_new_one_is_written_is_not_overwritten(ws: Path, monkeypatch) -> None:
    """The editor saves between kokom's check and its rename: the comparison right before os.replace catches it."""
    import kokom_cli.core.atomic as atomic

    workspace = open_workspace(ws)
    changes = edit_ops.set_requirement_field(workspace, "TST-SVAR-01", "level", "bør")
    path = ws / CHAPTER
    real_fsync = os.fsync

    def editor_saves(fd):
        path.write_text("chapter: svar\n# rewritten by an editor\n")
        real_fsync(fd)

    monkeypatch.setattr(atomic.os, "fsync", editor_saves)
    with locking.workspace_lock(workspace.root), pytest.raises(KokomError) as caught:
        edit_changes.write_edits(changes)
    assert caught.value.findings[0].code == "edit-file-changed"
    assert path.read_text() == "chapter: svar\n# rewritten by an editor\n"
    assert leftovers(ws) == []


@pytest.mark.parametrize("step", ["write", "fsync", "chmod", "replace"])
def test_a_failure_at_any_step_leaves_the_original_and_no_temporary_file(runner, ws: Path, monkeypatch, step) -> None:
    import kokom_cli.core.atomic as atomic

    before = snapshot(ws)

    def boom(*args, **kwargs):
        raise OSError(28, "No space left on device")

    if step == "write":
        monkeypatch.setattr(atomic.os, "fdopen", lambda fd, mode: (os.close(fd), boom())[1])
    elif step == "chmod":  # shutil (used to validate a copy of the workspace) chmods too
        real_chmod = os.chmod
        monkeypatch.setattr(
            atomic.os, "chmod", lambda p, m, **kw: boom() if str(p).endswith(".tmp") else real_chmod(p, m, **kw)
        )
    else:
        monkeypatch.setattr(atomic.os, step, boom)
    result = run(runner, ws, "requirements", "set", "TST-SVAR-01", "level", "bør")
    assert result.exit_code == 2 and "edit-write-failed" in result.stderr and "som før" in result.stderr
    assert snapshot(ws) == before
    assert leftovers(ws) == []


_WRITER = textwrap.dedent("""
    import sys
    from pathlib import Path
    from kokom_cli.core.locking import workspace_lock
    from kokom_cli.editing.changes import write_edits
    from kokom_cli.editing.edits import run_edit, set_requirement_field
    from kokom_cli.workspace import open_workspace
    ws = open_workspace(Path(sys.argv[1]))
    plan = lambda seconds: lambda: set_requirement_field(ws, "TST-SVAR-01", "metric.threshold_seconds", seconds)
    run_edit(ws, plan("10"))  # wherever the last killed writer left it
    to_11, _ = run_edit(ws, plan("11"))
    to_10, _ = run_edit(ws, plan("10"))
    print("ready", flush=True)
    while True:  # the two edits, back and forth, as fast as the disk allows: a kill lands mid-write
        for changes in (to_11, to_10):
            with workspace_lock(ws.root):
                write_edits(changes)
""")


def test_a_writer_killed_at_random_points_never_leaves_a_broken_file(ws: Path) -> None:
    path = ws / CHAPTER
    original = path.read_bytes()
    edited = original.replace(b"threshold_seconds: 10   #", b"threshold_seconds: 11   #")
    rng = random.Random(7)
    for _ in range(4):
        writer = subprocess.Popen([sys.executable, "-c", _WRITER, str(ws)], stdout=subprocess.PIPE)
        assert writer.stdout.readline().strip() == b"ready"
        time.sleep(rng.uniform(0.0, 0.1))
        writer.send_signal(signal.SIGKILL)
        writer.wait()
        writer.stdout.close()
        assert path.read_bytes() in (original, edited)
    # the next edit (under the lock) clears whatever a killed writer left behind
    workspace = open_workspace(ws)
    edit_ops.run_edit(workspace, lambda: edit_ops.set_requirement_field(workspace, "TST-SVAR-01", "level", "bør"))
    assert leftovers(ws) == []
    assert load_yaml(path).data["requirements"][0]["level"] == "bør"
