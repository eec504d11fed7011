"""The pre-commit hook (.pre-commit-hooks.yaml), run by the pre-commit tool itself on a temporary repository."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

from conftest import ROOT

PRE_COMMIT = [sys.executable, "-m", "pre_commit"]


def _git(repo: Path, *args: str) -> None:
    subprocess.run(["git", "-c", "user.name=T", "-c", "user.email=t@example.org", *args], cwd=repo, check=True)


def _try_hook(repo: Path, home: Path) -> subprocess.CompletedProcess:
    env = {**os.environ, "PRE_COMMIT_HOME": str(home)}
    return subprocess.run(
        [*PRE_COMMIT, "try-repo", str(ROOT), "kokom-validate", "--all-files"],
        cwd=repo,
        env=env,
        capture_output=True,
        text=True,
        timeout=600,
        check=False,
    )


def test_the_hook_passes_a_clean_repository_and_stops_a_broken_chapter(tmp_path: Path) -> None:
    repo = tmp_path / "krav"
    repo.mkdir()
    (repo / "kokom.yaml").write_text('title: Testkrav\nedition: "2027.1"\n', encoding="utf-8")
    shutil.copytree(ROOT / "requirements", repo / "requirements")
    subprocess.run(["git", "init", "-q"], cwd=repo, check=True)
    _git(repo, "add", "-A")
    _git(repo, "commit", "-q", "-m", "krav")
    home = tmp_path / "pre-commit-home"

    clean = _try_hook(repo, home)
    assert clean.returncode == 0, clean.stdout + clean.stderr
    assert "kokom validate" in clean.stdout and "Passed" in clean.stdout

    chapter = repo / "requirements" / "01-svartid.yaml"
    chapter.write_text(chapter.read_text(encoding="utf-8").replace("level: skal", "level: skall", 1), encoding="utf-8")
    broken = _try_hook(repo, home)
    assert broken.returncode == 1, broken.stdout + broken.stderr
    assert "Failed" in broken.stdout
    assert "requirements/01-svartid.yaml:" in broken.stdout and "schema-value" in broken.stdout
