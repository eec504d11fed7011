"""Shared fixtures: temporary workspaces and a CLI runner."""

from __future__ import annotations

import subprocess
import textwrap
from pathlib import Path

import pytest
from typer.testing import CliRunner

from kokom_cli.core.i18n import set_language

TESTS = Path(__file__).resolve().parent  # tests/, wherever a test file sits below it
ROOT = TESTS.parent  # the repository
DATA = TESTS / "data"
EXAMPLES = ROOT / "examples"

GOOD_REQUIREMENT = """\
  - id: TST-SVAR-01
    title: Testkrav om svartid
    text: Tjenesten skal svare raskt.
    level: skal
    applies_to: [amk]
    source:
      - title: Akuttmedisinforskriften § 13
        url: https://lovdata.no/forskrift/2015-03-20-231/§13
    verification: document
    since: "2026.1"
"""


def git(repo: Path, *args: str) -> str:
    """Run git in `repo` as a test user; its standard output (a failure raises)."""
    return subprocess.run(
        ["git", "-c", "user.name=Test", "-c", "user.email=test@example.org", *args],
        cwd=repo,
        check=True,
        capture_output=True,
        text=True,
    ).stdout


def chapter_text(*requirements: str, slug: str = "test", order: int = 1) -> str:
    body = "".join(requirements) if requirements else GOOD_REQUIREMENT
    return f"chapter: {slug}\ntitle: Testkapittel\norder: {order}\nrequirements:\n{body}"


@pytest.fixture(autouse=True)
def _isolated(monkeypatch, tmp_path_factory):
    """Every test starts in the default language and with its own empty cache folder."""
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path_factory.mktemp("cache")))
    set_language("nb")
    yield
    set_language("nb")


@pytest.fixture
def runner() -> CliRunner:
    return CliRunner()


@pytest.fixture
def make_workspace(tmp_path: Path):
    """A workspace with kokom.yaml and the given files (name -> text or bytes) under requirements/."""

    def make(files: dict[str, str | bytes] | None = None, config: str = 'edition: "2026.1"\n') -> Path:
        root = tmp_path / "ws"
        (root / "requirements").mkdir(parents=True, exist_ok=True)
        (root / "kokom.yaml").write_text(config, encoding="utf-8")
        for name, content in (files or {"01-test.yaml": chapter_text()}).items():
            path = root / "requirements" / name
            if isinstance(content, bytes):
                path.write_bytes(content)
            else:
                path.write_text(textwrap.dedent(content) if content.startswith("\n") else content, encoding="utf-8")
        return root

    return make
