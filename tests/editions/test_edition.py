"""`kokom edition release VERSION`: valid and committed first, then recorded in kokom.yaml with comments kept."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest
from conftest import DATA, git

from kokom_cli.cli.main import app
from kokom_cli.core.locking import workspace_lock
from kokom_cli.yaml.reader import load_yaml


@pytest.fixture
def repo(tmp_path: Path) -> Path:
    root = tmp_path / "repo"
    shutil.copytree(DATA / "editing" / "ws", root)
    git(root, "init", "-q")
    git(root, "add", ".")
    git(root, "commit", "-q", "-m", "2026.1")
    return root


def release(runner, root: Path, *args: str):
    return runner.invoke(app, ["edition", "release", *args, "--root", str(root)])


def test_release_records_version_and_date_and_prints_the_tag(runner, repo: Path) -> None:
    result = release(runner, repo, "2027.1", "--date", "2027-01-15")
    assert result.exit_code == 0, result.output
    assert "git tag -a edition-2027.1" in result.stdout and "2027-01-15" in result.stdout
    text = (repo / "kokom.yaml").read_text()
    assert text == (
        '# Testarbeidsområde for redigering\ntitle: Testkrav for redigering\nedition: "2027.1"\n'
        'released:\n  - {version: "2027.1", date: 2027-01-15}\n'
    )
    with workspace_lock(repo, wait=0):  # released: taken again at once
        pass
    git(repo, "commit", "-q", "-am", "2027.1")
    second = release(runner, repo, "2027.2", "--date", "2027-06-01", "--json")
    assert second.exit_code == 0, second.output
    data = json.loads(second.stdout)
    assert data["tag"] == "edition-2027.2" and data["date"] == "2027-06-01" and data["written"] is True
    config = load_yaml(repo / "kokom.yaml").data
    assert config["edition"] == "2027.2"
    assert [r["version"] for r in config["released"]] == ["2027.1", "2027.2"]


def test_dry_run_shows_the_change_and_writes_nothing(runner, repo: Path) -> None:
    before = (repo / "kokom.yaml").read_bytes()
    result = release(runner, repo, "2027.1", "--dry-run", "--date", "2027-01-15")
    assert result.exit_code == 0 and '+edition: "2027.1"' in result.stdout
    assert (repo / "kokom.yaml").read_bytes() == before


@pytest.mark.parametrize("change", ["modified", "untracked"])
def test_uncommitted_files_stop_the_release(runner, repo: Path, change: str) -> None:
    if change == "modified":
        path = repo / "requirements/02-dok.yaml"
        path.write_text(path.read_text().replace("Gammel rutine", "Eldre rutine"))
    else:
        (repo / "requirements/03-ny.yaml").write_text(
            (repo / "requirements/02-dok.yaml")
            .read_text()
            .replace("chapter: dok", "chapter: ny")
            .replace("TST-DOK", "TST-NY")
        )
    before = (repo / "kokom.yaml").read_bytes()
    result = release(runner, repo, "2027.1")
    assert result.exit_code == 1 and "release-uncommitted" in result.stderr and "requirements/0" in result.stderr
    assert (repo / "kokom.yaml").read_bytes() == before


def test_an_invalid_workspace_is_not_released(runner, repo: Path) -> None:
    path = repo / "requirements/02-dok.yaml"
    path.write_text(path.read_text().replace("level: bør", "level: kanskje"))
    git(repo, "commit", "-q", "-am", "broken")
    before = (repo / "kokom.yaml").read_bytes()
    result = release(runner, repo, "2027.1")
    assert result.exit_code == 1 and "schema-value" in result.stderr and "release-invalid" in result.stderr
    assert (repo / "kokom.yaml").read_bytes() == before


@pytest.mark.parametrize("version, words", [("27.1", "ÅÅÅÅ.N"), ("2027", "ÅÅÅÅ.N")])
def test_a_malformed_version_is_a_usage_error(runner, repo: Path, version: str, words: str) -> None:
    result = release(runner, repo, version)
    assert result.exit_code == 2 and words in result.stderr and len(result.stderr.splitlines()) == 1


def test_a_version_released_before_is_refused(runner, repo: Path) -> None:
    assert release(runner, repo, "2027.1", "--date", "2027-01-15").exit_code == 0
    git(repo, "commit", "-q", "-am", "2027.1")
    again = release(runner, repo, "2027.1")
    assert again.exit_code == 2 and "allerede utgitt 2027-01-15" in again.stderr


def test_outside_git_and_without_a_workspace_it_refuses(runner, tmp_path: Path, monkeypatch) -> None:
    plain = tmp_path / "plain"
    shutil.copytree(DATA / "editing" / "ws", plain)
    result = release(runner, plain, "2027.1")
    assert result.exit_code == 2 and "git-depot" in result.stderr
    monkeypatch.chdir(tmp_path)
    builtin = runner.invoke(app, ["edition", "release", "2027.1"])
    assert builtin.exit_code == 2 and "edit-builtin" in builtin.stderr
