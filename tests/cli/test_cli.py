"""The command itself: version, module entry point, no tracebacks."""

from __future__ import annotations

import subprocess
import sys

from kokom_cli import __version__
from kokom_cli.cli.main import app


def test_version(runner) -> None:
    result = runner.invoke(app, ["--version"])
    assert result.exit_code == 0 and result.stdout.strip() == f"kokom {__version__}"


def test_python_dash_m_works_from_any_folder(tmp_path) -> None:
    result = subprocess.run(
        [sys.executable, "-m", "kokom_cli", "validate"], cwd=tmp_path, capture_output=True, text=True, timeout=120
    )
    assert result.returncode == 0, result.stderr
    assert "0 feil" in result.stderr


def test_workspace_is_found_by_walking_up(runner, make_workspace, monkeypatch) -> None:
    root = make_workspace()
    deep = root / "a" / "b"
    deep.mkdir(parents=True)
    monkeypatch.chdir(deep)
    data = runner.invoke(app, ["requirements", "list", "--json"]).stdout
    assert '"TST-SVAR-01"' in data


def test_version_does_not_import_heavy_modules() -> None:
    code = (
        "import sys; from kokom_cli.cli.main import app; "
        "heavy = [m for m in ('pydantic', 'yaml', 'ruamel.yaml', 'weasyprint', 'duckdb', 'jinja2', 'rich.console') "
        "if m in sys.modules]; print(heavy)"
    )
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=60)
    assert result.stdout.strip() == "[]", result.stdout + result.stderr


def test_version_fast_path_matches_the_typer_answer() -> None:
    result = subprocess.run(
        [sys.executable, "-c", "import sys; sys.argv=['kokom','--version']; from kokom_cli.cli.main import run; run()"],
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert result.stdout.strip() == f"kokom {__version__}"


def test_a_run_collects_cycles_less_often(monkeypatch) -> None:
    """kokom's runs are short and keep what they allocate: the collector's first threshold is raised for a run."""
    import gc

    from kokom_cli.cli import main as main_module

    seen = []
    monkeypatch.setattr(main_module, "app", lambda: seen.append(gc.get_threshold()))
    monkeypatch.setattr(sys, "argv", ["kokom", "validate"])
    before = gc.get_threshold()
    try:
        main_module.run()
    finally:
        gc.set_threshold(*before)
    assert seen == [(main_module.COLLECT_EVERY, before[1], before[2])]
