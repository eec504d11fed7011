"""The validation cache only ever makes a correct answer faster: hostile workspaces and cache files."""

from __future__ import annotations

import json
import os
import re
import shutil
import subprocess
import sys
import time
from pathlib import Path

import pytest
from conftest import GOOD_REQUIREMENT, ROOT, chapter_text

import kokom_cli.procedures.validation
from kokom_cli.cli.main import app
from kokom_cli.requirements.validation_cache import MAX_CACHE_BYTES, ValidationCache, _fingerprint
from kokom_cli.workspace import resolve_root


def age(root: Path, seconds: int = 60) -> None:
    past = time.time() - seconds
    for path in root.rglob("*"):
        os.utime(path, (past, past), follow_symlinks=False)


@pytest.fixture
def counted(monkeypatch):
    calls = []
    real = kokom_cli.procedures.validation.validate_workspace

    def counting(*args, **kwargs):
        calls.append(1)
        return real(*args, **kwargs)

    monkeypatch.setattr(kokom_cli.procedures.validation, "validate_workspace", counting)
    return calls


def cache_path(root: Path) -> Path:
    return ValidationCache.for_run(resolve_root(root), strict=False, language="nb").path


BROKEN = GOOD_REQUIREMENT.replace("level: skal", "level: sk4l")  # same size as the good one


def test_a_broken_file_in_a_symlinked_folder_is_seen(runner, make_workspace, tmp_path, counted):
    """A procedure book folder that is a symlink: the old fingerprint did not descend into it."""
    root = make_workspace()
    elsewhere = tmp_path / "delt" / "amk"
    shutil.copytree(ROOT / "procedures" / "amk", elsewhere)
    (root / "procedures").mkdir()
    (root / "procedures" / "amk").symlink_to(elsewhere)
    age(root)
    age(elsewhere)
    first = runner.invoke(app, ["validate", "--root", str(root)])
    assert "sk4l" not in first.stdout
    path = elsewhere / "kort-91-brystsmerter.yaml"
    path.write_text(re.sub(r'version: "[^"]*"', "version: [sk4l]", path.read_text()))
    age(elsewhere)
    result = runner.invoke(app, ["validate", "--root", str(root)])
    assert result.exit_code == 1 and "kort-91" in result.stdout and len(counted) == 2
    assert result.stdout != first.stdout


def test_a_rewrite_with_the_same_size_and_mtime_is_seen(runner, make_workspace, counted):
    root = make_workspace()
    age(root)
    assert runner.invoke(app, ["validate", "--root", str(root)]).exit_code == 0
    path = root / "requirements" / "01-test.yaml"
    before = path.stat()
    path.write_text(chapter_text(BROKEN))
    os.utime(path, ns=(before.st_atime_ns, before.st_mtime_ns))
    after = path.stat()
    assert (after.st_size, after.st_mtime_ns, after.st_ino) == (before.st_size, before.st_mtime_ns, before.st_ino)
    result = runner.invoke(app, ["validate", "--root", str(root)])
    assert result.exit_code == 1 and "sk4l" in result.stdout and len(counted) == 2


def test_the_folder_list_is_never_taken_from_the_cache_file(runner, make_workspace, counted):
    root = make_workspace({"01.yaml": chapter_text(BROKEN)})
    age(root)
    cache = ValidationCache.for_run(resolve_root(root), strict=False, language="nb")
    forged = {  # "nothing to read, no findings": what the old cache format let a file claim
        "magic": "kokom-validate-cache",
        "format": 2,
        "key": _fingerprint([], cache.options, None),
        "folders": [],
        "stored_at_ns": time.time_ns(),
        "findings": [],
    }
    cache.path.parent.mkdir(parents=True, exist_ok=True)
    cache.path.write_text(json.dumps(forged))
    result = runner.invoke(app, ["validate", "--root", str(root)])
    assert result.exit_code == 1 and "sk4l" in result.stdout and len(counted) == 1


def _validate_in_a_process(root: Path, timeout: float = 30) -> subprocess.CompletedProcess:
    return subprocess.run(
        [sys.executable, "-m", "kokom_cli", "validate", "--root", str(root)],
        capture_output=True,
        text=True,
        timeout=timeout,
        env=os.environ.copy(),
    )


def test_a_fifo_at_the_cache_path_neither_hangs_nor_is_trusted(make_workspace):
    root = make_workspace({"01.yaml": chapter_text(BROKEN)})
    age(root)
    path = cache_path(root)
    path.parent.mkdir(parents=True, exist_ok=True)
    os.mkfifo(path)
    result = _validate_in_a_process(root)
    assert result.returncode == 1 and "sk4l" in result.stdout
    assert "Traceback" not in result.stderr


def test_dev_zero_at_the_cache_path_is_not_read(make_workspace):
    root = make_workspace({"01.yaml": chapter_text(BROKEN)})
    age(root)
    path = cache_path(root)
    path.parent.mkdir(parents=True, exist_ok=True)
    path.symlink_to("/dev/zero")
    result = _validate_in_a_process(root)
    assert result.returncode == 1 and "sk4l" in result.stdout
    assert path.is_file() and not path.is_symlink(), "the link was replaced by a cache file"


def test_a_symlink_at_the_cache_path_is_never_written_through(runner, make_workspace, tmp_path):
    root = make_workspace()
    age(root)
    victim = tmp_path / "offer.txt"
    victim.write_text("keep")
    path = cache_path(root)
    path.parent.mkdir(parents=True, exist_ok=True)
    path.symlink_to(victim)
    result = runner.invoke(app, ["validate", "--root", str(root)])
    assert result.exit_code == 0
    assert victim.read_text() == "keep"


def test_an_oversized_or_foreign_cache_file_is_ignored(runner, make_workspace, counted):
    root = make_workspace()
    age(root)
    assert runner.invoke(app, ["validate", "--root", str(root)]).exit_code == 0
    path = cache_path(root)
    entry = json.loads(path.read_text())
    entry["findings"] = []
    path.write_text(json.dumps(entry) + " " * (MAX_CACHE_BYTES + 1))
    assert runner.invoke(app, ["validate", "--root", str(root)]).exit_code == 0
    assert len(counted) == 2
    del entry["magic"]
    path.write_text(json.dumps(entry))
    assert runner.invoke(app, ["validate", "--root", str(root)]).exit_code == 0
    assert len(counted) == 3


def test_a_symlink_loop_in_the_workspace_ends(runner, make_workspace):
    root = make_workspace()
    (root / "requirements" / "loop").symlink_to(root / "requirements")
    age(root)
    result = runner.invoke(app, ["validate", "--root", str(root)])
    assert result.exit_code in (0, 1) and "Traceback" not in result.output
    shutil.rmtree(root / "requirements" / "loop", ignore_errors=True)
