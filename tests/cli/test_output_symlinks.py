"""Outputs are never written through a symlink planted in a received folder, unless --force."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
from conftest import EXAMPLES

from kokom_cli.assessments.loading import load_assessment
from kokom_cli.assessments.spreadsheet import build_workbook
from kokom_cli.cli.main import app
from kokom_cli.core.atomic import write_bytes_atomic
from kokom_cli.core.findings import KokomError
from kokom_cli.requirements.corpus import load_corpus
from kokom_cli.workspace import open_workspace

AS_OF = "2026-12-01"


def _received(tmp_path: Path) -> tuple[Path, Path]:
    """A received copy of the examples, with `oversikt.<fmt>` links to a file of the advisor's."""
    folder = tmp_path / "mottatt"
    shutil.copytree(EXAMPLES, folder, ignore=shutil.ignore_patterns("*.py"))
    victim = tmp_path / "viktig.txt"
    victim.write_text("advisor's own file\n", encoding="utf-8")
    for fmt in ("html", "xlsx", "csv"):
        (folder / f"oversikt.{fmt}").symlink_to(victim)
    return folder, victim


@pytest.mark.parametrize("fmt", ["html", "xlsx", "csv"])
def test_overview_refuses_a_planted_output_link(runner, tmp_path, monkeypatch, fmt):
    folder, victim = _received(tmp_path)
    monkeypatch.chdir(folder)
    extra = ["-o", "oversikt.csv", "--section", "matrix"] if fmt == "csv" else []
    result = runner.invoke(app, ["overview", ".", "--as-of", AS_OF, "--format", fmt, *extra])
    assert result.exit_code == 2, result.stderr
    assert "error output-symlink" in result.stderr and "Traceback" not in result.stderr
    assert victim.read_text(encoding="utf-8") == "advisor's own file\n"
    assert (folder / f"oversikt.{fmt}").is_symlink()


def test_overview_csv_files_refuse_a_planted_link_before_writing_any(runner, tmp_path, monkeypatch):
    folder, victim = _received(tmp_path)
    monkeypatch.chdir(folder)
    (folder / "ut").mkdir()
    (folder / "ut" / "svartider.csv").symlink_to(victim)
    (folder / "lenke").symlink_to(tmp_path)
    for out in ("ut", "lenke"):
        result = runner.invoke(app, ["overview", ".", "--as-of", AS_OF, "--format", "csv", "-o", out])
        assert result.exit_code == 2 and "error output-symlink" in result.stderr, result.stderr
    assert victim.read_text(encoding="utf-8") == "advisor's own file\n"
    assert sorted(p.name for p in (folder / "ut").iterdir()) == ["svartider.csv"], "no file of the set written"
    assert not list(tmp_path.glob("*.csv"))


def test_overview_writes_through_the_link_with_force(runner, tmp_path, monkeypatch):
    folder, victim = _received(tmp_path)
    monkeypatch.chdir(folder)
    result = runner.invoke(app, ["overview", ".", "--as-of", AS_OF, "--force"])
    assert result.exit_code == 0, result.stderr
    assert victim.read_text(encoding="utf-8").startswith("<!DOCTYPE html>")


def test_render_refuses_a_link_before_rendering(runner, tmp_path):
    victim = tmp_path / "viktig.txt"
    victim.write_text("keep", encoding="utf-8")
    (tmp_path / "h.pdf").symlink_to(victim)
    result = runner.invoke(app, ["render", "handbook", "-f", "pdf", "-o", str(tmp_path / "h.pdf")])
    assert result.exit_code == 2 and "output-symlink" in result.stderr
    assert victim.read_text(encoding="utf-8") == "keep"


def test_assess_import_refuses_a_dangling_link(runner, tmp_path):
    shutil.copytree(EXAMPLES / "lvs-fjordby", tmp_path / "lvs-fjordby")
    path = tmp_path / "lvs-fjordby" / "assessments" / "lvs-fjordby-2026.yaml"
    ws = open_workspace(None)
    corpus = load_corpus(ws.requirements_dir)
    loaded = load_assessment(path, ws, corpus)
    rows = [(req, ch) for req, ch, applies in loaded.items if applies.applies]
    xlsx = tmp_path / "skjema.xlsx"
    xlsx.write_bytes(build_workbook(loaded.service, rows, loaded.assessment))
    out = tmp_path / "lvs-fjordby" / "assessments" / "ny.yaml"
    nowhere = tmp_path / "elsewhere" / "planted.yaml"
    out.symlink_to(nowhere)
    result = runner.invoke(app, ["assess", "import", str(xlsx), "-o", str(out)])
    assert result.exit_code == 2, result.stderr
    assert "output-symlink" in result.stderr and not nowhere.exists() and not nowhere.parent.exists()


def test_the_atomic_writer_refuses_links_unless_forced(tmp_path):
    target = tmp_path / "target"
    target.write_bytes(b"old")
    link = tmp_path / "link"
    link.symlink_to(target)
    with pytest.raises(KokomError) as caught:
        write_bytes_atomic(link, b"new")
    assert caught.value.findings[0].code == "output-symlink"
    assert target.read_bytes() == b"old" and link.is_symlink()
    write_bytes_atomic(link, b"new", force=True)
    assert target.read_bytes() == b"new" and link.is_symlink()
