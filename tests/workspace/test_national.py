"""A local workspace built on a national edition: built in, a folder, or a git tag on disk."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest
from conftest import chapter_text, git

from kokom_cli.cli.main import app
from kokom_cli.config import Config
from kokom_cli.workspace import builtin_dir

BUILTIN_EDITION = Config().edition  # the edition built into this kokom

LOCAL_REQUIREMENT = """\
  - id: FJORD-SVAR-01
    title: Lokal svartid
    text: Sentralen skal svare raskt.
    level: bør
    applies_to: [legevaktsentral]
    source: [{title: Avtale med kommunene}]
    verification: attestation
    since: "2026.1"
"""


def make_centre(folder: Path, edition: str = "2026.1") -> Path:
    """The national centre's repository: a copy of the built-in corpus, committed and tagged."""
    folder.mkdir(parents=True)
    shutil.copytree(builtin_dir("requirements"), folder / "requirements")
    shutil.copytree(builtin_dir("procedures"), folder / "procedures")
    (folder / "kokom.yaml").write_text(f'edition: "{edition}"\n', encoding="utf-8")
    git(folder, "init", "-q", "-b", "main")
    git(folder, "add", "-A")
    git(folder, "commit", "-qm", f"edition {edition}")
    git(folder, "tag", f"edition-{edition}")
    return folder


@pytest.fixture
def centre(tmp_path: Path) -> Path:
    return make_centre(tmp_path / "sentralen")


def local(tmp_path: Path, national: str, prefix: str = "FJORD") -> Path:
    root = tmp_path / "fjordby"
    root.mkdir()
    (root / "kokom.yaml").write_text(f"national: {national}\nlocal_prefix: {prefix}\n", encoding="utf-8")
    return root


def test_a_local_workspace_on_the_builtin_edition_sees_the_national_requirements(runner, tmp_path: Path) -> None:
    root = local(tmp_path, "builtin")
    listed = runner.invoke(app, ["requirements", "list", "--json", "--root", str(root)])
    assert listed.exit_code == 0, listed.output
    assert any(r["id"] == "AMK-SVAR-01" for r in json.loads(listed.stdout)["requirements"])
    checked = runner.invoke(app, ["validate", "--root", str(root)])
    assert checked.exit_code == 0, checked.output
    assert BUILTIN_EDITION in checked.stderr and "innebygd" in checked.stderr


def test_a_git_tag_is_read_as_it_was_tagged(runner, centre: Path, tmp_path: Path) -> None:
    text = (centre / "requirements" / "01-svartid.yaml").read_text(encoding="utf-8")
    (centre / "requirements" / "01-svartid.yaml").write_text(
        text.replace("id: AMK-SVAR-01", "id: AMK-SVAR-99"), encoding="utf-8"
    )
    git(centre, "commit", "-qam", "after the release")
    root = local(tmp_path, "{git: ../sentralen, rev: edition-2026.1}")
    (root / "requirements").mkdir()
    (root / "requirements" / "90-lokalt.yaml").write_text(
        chapter_text(LOCAL_REQUIREMENT, slug="lokalt", order=90), encoding="utf-8"
    )
    listed = runner.invoke(app, ["requirements", "list", "--json", "--root", str(root)])
    ids = {r["id"] for r in json.loads(listed.stdout)["requirements"]}
    assert {"AMK-SVAR-01", "FJORD-SVAR-01"} <= ids and "AMK-SVAR-99" not in ids
    checked = runner.invoke(app, ["validate", "--json", "--root", str(root)])
    assert checked.exit_code == 0, checked.output
    assert "edition-2026.1" in json.loads(checked.stdout)["edition"]


def test_the_repository_config_runs_nothing(runner, centre: Path, tmp_path: Path) -> None:
    marker = tmp_path / "ran"
    hook = tmp_path / "monitor.sh"
    hook.write_text(f"#!/bin/sh\ntouch {marker}\n", encoding="utf-8")
    hook.chmod(0o755)
    git(centre, "config", "core.fsmonitor", str(hook))
    (centre / ".gitattributes").write_text("*.yaml filter=evil\n", encoding="utf-8")
    git(centre, "config", "filter.evil.smudge", f"touch {marker}")
    root = local(tmp_path, "{git: ../sentralen, rev: edition-2026.1}")
    result = runner.invoke(app, ["requirements", "list", "--root", str(root)])
    assert result.exit_code == 0, result.output
    assert not marker.exists()


@pytest.mark.parametrize(
    "national",
    ["{git: ../sentralen, rev: edition-2031.9}", "{git: ../nowhere, rev: edition-2026.1}", "{folder: ../nowhere}"],
)
def test_an_edition_that_does_not_exist_is_one_line_and_exit_2(runner, centre, tmp_path: Path, national) -> None:
    root = local(tmp_path, national)
    for command in (["validate"], ["requirements", "list"]):
        result = runner.invoke(app, [*command, "--root", str(root)])
        assert result.exit_code == 2, result.output
        lines = [line for line in result.stderr.splitlines() if line.strip()]
        assert len(lines) == 1 and "edition-unknown" in lines[0], lines


def test_a_folder_edition_is_read_in_place(runner, centre: Path, tmp_path: Path) -> None:
    root = local(tmp_path, "{folder: ../sentralen}")
    result = runner.invoke(app, ["procedures", "list", "--root", str(root)])
    assert result.exit_code == 0, result.output
    checked = runner.invoke(app, ["validate", "--root", str(root)])
    assert checked.exit_code == 0 and "../sentralen" in checked.stderr, checked.output


def test_national_text_cannot_be_changed_from_a_local_workspace(runner, tmp_path: Path) -> None:
    root = local(tmp_path, "builtin")
    (root / "requirements").mkdir()
    copied = LOCAL_REQUIREMENT.replace("FJORD-SVAR-01", "AMK-SVAR-01")
    (root / "requirements" / "90-lokalt.yaml").write_text(
        chapter_text(copied, slug="lokalt", order=90), encoding="utf-8"
    )
    checked = runner.invoke(app, ["validate", "--root", str(root)])
    assert checked.exit_code == 1
    assert "national-readonly" in checked.stdout and "local-prefix" in checked.stdout
    edit = runner.invoke(app, ["requirements", "set", "AMK-SVAR-02", "title", "Lokal tittel", "--root", str(root)])
    assert edit.exit_code == 2 and "national-readonly" in edit.stderr
    assert "Lokal tittel" not in (builtin_dir("requirements") / "01-svartid.yaml").read_text(encoding="utf-8")


def test_an_unreadable_chapter_is_one_error_and_one_unchecked_line(runner, centre: Path) -> None:
    chapter = centre / "requirements" / "01-svartid.yaml"
    chapter.write_text("\t" + chapter.read_text(encoding="utf-8"), encoding="utf-8")
    result = runner.invoke(app, ["validate", "--root", str(centre)])
    assert result.exit_code == 1
    lines = result.stdout.splitlines()
    assert len(lines) == 2, lines
    assert any("error yaml-tab" in line for line in lines) and any("refs-unchecked" in line for line in lines)
    assert "unknown" not in result.stdout
