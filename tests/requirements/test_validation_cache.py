"""`kokom validate` prints stored findings only when no input changed, and never stale ones."""

from __future__ import annotations

import os
import time
from pathlib import Path

import pytest
from conftest import GOOD_REQUIREMENT, chapter_text

import kokom_cli.procedures.validation
from kokom_cli.cli.main import app


def age(root: Path, seconds: int = 60) -> None:
    """Make every file look last modified `seconds` ago (older than the racy window)."""
    past = time.time() - seconds
    for path in root.rglob("*"):
        os.utime(path, (past, past))


@pytest.fixture
def counted(monkeypatch):
    """Count full validations."""
    calls = []
    real = kokom_cli.procedures.validation.validate_workspace

    def counting(*args, **kwargs):
        calls.append(1)
        return real(*args, **kwargs)

    monkeypatch.setattr(kokom_cli.procedures.validation, "validate_workspace", counting)
    return calls


def test_unchanged_workspace_is_answered_from_the_cache(runner, make_workspace, counted) -> None:
    bad = GOOD_REQUIREMENT.replace("level: skal", "level: skall")
    root = make_workspace({"01.yaml": chapter_text(bad)})
    age(root)
    first = runner.invoke(app, ["validate", "--root", str(root)])
    second = runner.invoke(app, ["validate", "--root", str(root)])
    assert len(counted) == 1
    assert first.exit_code == second.exit_code == 1
    assert first.stdout == second.stdout and "schema-value" in second.stdout


def test_a_changed_file_is_validated_again(runner, make_workspace, counted) -> None:
    root = make_workspace()
    age(root, 120)
    assert runner.invoke(app, ["validate", "--root", str(root)]).exit_code == 0
    path = root / "requirements" / "01-test.yaml"
    path.write_text(path.read_text().replace("level: skal", "level: sk4l"))  # same size
    age(root, 60)
    result = runner.invoke(app, ["validate", "--root", str(root)])
    assert result.exit_code == 1 and "sk4l" in result.stdout and len(counted) == 2


def test_a_new_file_is_seen(runner, make_workspace, counted) -> None:
    root = make_workspace()
    age(root)
    runner.invoke(app, ["validate", "--root", str(root)])
    (root / "requirements" / "02.yaml").write_bytes(b"a: [")
    age(root)
    assert runner.invoke(app, ["validate", "--root", str(root)]).exit_code == 1
    assert len(counted) == 2


def test_recently_modified_files_are_not_trusted(runner, make_workspace, counted) -> None:
    root = make_workspace()  # files written just now: within the racy window
    runner.invoke(app, ["validate", "--root", str(root)])
    runner.invoke(app, ["validate", "--root", str(root)])
    assert len(counted) == 2


def test_options_and_language_are_part_of_the_key(runner, make_workspace, counted) -> None:
    root = make_workspace()
    age(root)
    for args in (["validate"], ["validate", "--strict"], ["--lang", "en", "validate"], ["validate", "--no-cache"]):
        runner.invoke(app, [*args, "--root", str(root)])
    assert len(counted) == 4


def test_a_broken_cache_file_means_a_full_run(runner, make_workspace, counted) -> None:
    root = make_workspace()
    age(root)
    runner.invoke(app, ["validate", "--root", str(root)])
    for path in Path(os.environ["XDG_CACHE_HOME"]).rglob("*.json"):
        path.write_text("{not json")
    assert runner.invoke(app, ["validate", "--root", str(root)]).exit_code == 0
    assert len(counted) == 2
