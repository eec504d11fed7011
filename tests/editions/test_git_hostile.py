"""A received repository's own git configuration never runs: `kokom diff` and `kokom edition release`.

The repository plants a smudge/clean/process filter and a textconv on every file (through
.gitattributes), an fsmonitor, an external diff, a pager and hooks; each would write a
marker file. The tests assert that the marker never appears and the commands still work.
"""

from __future__ import annotations

import shutil
import subprocess
from pathlib import Path

import pytest
from conftest import DATA, git

from kokom_cli.cli.main import app


@pytest.fixture
def hostile_repo(tmp_path: Path) -> tuple[Path, Path]:
    root = tmp_path / "repo"
    marker = tmp_path / "MARKER"
    shutil.copytree(DATA / "editing" / "ws", root)
    git(root, "init", "-q")
    git(root, "add", ".")
    git(root, "commit", "-q", "-m", "2026.1")
    git(root, "tag", "edition-2026.1")
    path = root / "requirements/02-dok.yaml"
    path.write_text(path.read_text().replace("Gammel rutine", "Eldre rutine"))
    git(root, "commit", "-q", "-am", "2026.2")
    script = tmp_path / "evil.sh"
    script.write_text(f'#!/bin/sh\necho "$0 $*" >> {marker}\ncat\n')
    script.chmod(0o755)
    (root / ".gitattributes").write_text("* filter=evil diff=evil\n")
    for key, value in {
        "filter.evil.smudge": str(script),
        "filter.evil.clean": str(script),
        "filter.evil.required": "true",
        "diff.evil.textconv": str(script),
        "core.fsmonitor": str(script),
        "core.pager": str(script),
        "diff.external": str(script),
        "core.hooksPath": str(tmp_path / "hooks"),
    }.items():
        git(root, "config", key, value)
    hooks = tmp_path / "hooks"
    hooks.mkdir()
    for hook in ("post-index-change", "post-checkout", "pre-commit", "reference-transaction"):
        shutil.copy(script, hooks / hook)
        shutil.copy(script, root / ".git" / "hooks" / hook)
    # commit .gitattributes without kokom, then clear the marker the setup's own git commands left
    git(root, "-c", f"filter.evil.clean={shutil.which('cat')}", "-c", "core.fsmonitor=false", "add", ".gitattributes")
    git(root, "-c", "core.fsmonitor=false", "-c", "core.hooksPath=/dev/null", "commit", "-q", "-m", "attrs")
    marker.unlink(missing_ok=True)
    return root, marker


def test_the_planted_configuration_is_live(hostile_repo):
    """Plain git in this repository does run the planted commands (so the tests below mean something)."""
    root, marker = hostile_repo
    subprocess.run(["git", "status"], cwd=root, capture_output=True, check=False)
    subprocess.run(["git", "archive", "HEAD"], cwd=root, capture_output=True, check=False)
    assert marker.exists()


def test_diff_of_git_revisions_runs_nothing_from_the_repository(runner, hostile_repo, monkeypatch):
    root, marker = hostile_repo
    monkeypatch.chdir(root)
    result = runner.invoke(app, ["diff", "edition-2026.1", "HEAD", "--root", str(root)])
    assert result.exit_code == 0, result.stderr
    assert "TST-DOK" in result.stdout
    assert not marker.exists()


def test_release_runs_nothing_from_the_repository(runner, hostile_repo):
    root, marker = hostile_repo
    result = runner.invoke(app, ["edition", "release", "2027.1", "--dry-run", "--root", str(root)])
    assert result.exit_code == 0, result.stderr
    assert not marker.exists()


def test_release_still_sees_modified_and_untracked_files(runner, hostile_repo):
    root, marker = hostile_repo
    path = root / "requirements/02-dok.yaml"
    path.write_text(path.read_text().replace("Eldre rutine", "Ny rutine"))
    (root / "notater.txt").write_text("ny fil\n")
    (root / ".gitignore").write_text("*.pdf\n")
    (root / "handbok.pdf").write_text("ignored")
    result = runner.invoke(app, ["edition", "release", "2027.1", "--dry-run", "--root", str(root)])
    assert result.exit_code == 1
    lines = sorted(line.split(":", 1)[0] for line in result.stderr.splitlines())
    assert lines == [".gitignore", "notater.txt", "requirements/02-dok.yaml"]
    assert not marker.exists()
