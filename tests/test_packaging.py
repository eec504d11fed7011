"""The wheel carries the national corpus and templates: an installed kokom works from any folder."""

from __future__ import annotations

import subprocess
import sys
import zipfile
from pathlib import Path

import pytest
from conftest import ROOT


@pytest.fixture(scope="module")
def wheel(tmp_path_factory) -> Path:
    out = tmp_path_factory.mktemp("dist")
    subprocess.run(
        [sys.executable, "-m", "pip", "wheel", "--no-deps", "-q", "-w", str(out), str(ROOT)], check=True, timeout=600
    )
    [built] = out.glob("kokom-*.whl")
    return built


def test_wheel_contains_content_folders(wheel: Path) -> None:
    names = zipfile.ZipFile(wheel).namelist()
    chapters = [n for n in names if n.startswith("kokom_cli/_data/requirements/") and n.endswith(".yaml")]
    assert len(chapters) == len(list((ROOT / "requirements").glob("*.yaml")))
    assert any(n.startswith("kokom_cli/_data/templates/") for n in names) or not any((ROOT / "templates").iterdir())


def test_installed_wheel_validates_the_builtin_corpus_from_an_empty_folder(wheel: Path, tmp_path: Path) -> None:
    venv = tmp_path / "venv"
    subprocess.run([sys.executable, "-m", "venv", str(venv)], check=True, timeout=300)
    pip = venv / "bin" / "pip"
    subprocess.run([str(pip), "install", "-q", "--disable-pip-version-check", str(wheel)], check=True, timeout=900)
    empty = tmp_path / "empty"
    empty.mkdir()
    kokom = venv / "bin" / "kokom"
    version = subprocess.run([str(kokom), "--version"], cwd=empty, capture_output=True, text=True, timeout=60)
    assert version.returncode == 0 and version.stdout.startswith("kokom ")
    result = subprocess.run([str(kokom), "validate"], cwd=empty, capture_output=True, text=True, timeout=120)
    assert result.returncode == 0, result.stdout + result.stderr
    assert "_data/requirements" in result.stdout + result.stderr or "0 feil" in result.stderr
    listing = subprocess.run(
        [str(venv / "bin" / "python"), "-m", "kokom_cli", "requirements", "list", "--json"],
        cwd=empty,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert listing.returncode == 0 and '"AMK-SVAR-01"' in listing.stdout
