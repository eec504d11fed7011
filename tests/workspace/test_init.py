"""`kokom init` (national and local) and `kokom service new`."""

from __future__ import annotations

from pathlib import Path

from kokom_cli.cli.main import app
from kokom_cli.config import Config
from kokom_cli.yaml.reader import load_yaml

BUILTIN_EDITION = Config().edition  # the edition built into this kokom


def test_a_national_workspace_is_a_corpus_copy_under_git(runner, tmp_path: Path) -> None:
    folder = tmp_path / "sentralen"
    result = runner.invoke(app, ["init", str(folder), "--national"])
    assert result.exit_code == 0, result.output
    assert (folder / ".git").is_dir() and ".kokom.lock" in (folder / ".gitignore").read_text()
    assert any((folder / "requirements").iterdir()) and (folder / "procedures").is_dir()
    assert runner.invoke(app, ["validate", "--root", str(folder)]).exit_code == 0


def test_a_local_workspace_names_its_edition_and_validates(runner, tmp_path: Path) -> None:
    folder = tmp_path / "fjordby"
    result = runner.invoke(app, ["init", str(folder), "--prefix", "FJORD"])
    assert result.exit_code == 0, result.output
    config = load_yaml(folder / "kokom.yaml").data
    assert config["national"] == "builtin" and config["local_prefix"] == "FJORD"
    assert "# call_log:" in (folder / "kokom.yaml").read_text()
    assert (folder / "services").is_dir() and (folder / "assessments").is_dir()
    checked = runner.invoke(app, ["validate", "--root", str(folder)])
    assert checked.exit_code == 0 and BUILTIN_EDITION in checked.stderr


def test_init_refuses_an_existing_workspace_and_an_unknown_edition(runner, tmp_path: Path) -> None:
    folder = tmp_path / "fjordby"
    missing = runner.invoke(app, ["init", str(folder), "--edition", str(tmp_path / "nowhere")])
    assert missing.exit_code == 2 and len(missing.stderr.splitlines()) == 1
    assert not folder.exists()
    assert runner.invoke(app, ["init", str(folder)]).exit_code == 0
    again = runner.invoke(app, ["init", str(folder)])
    assert again.exit_code == 2 and "allerede" in again.stderr


def test_service_new_from_options_writes_a_valid_file(runner, tmp_path: Path) -> None:
    folder = tmp_path / "fjordby"
    runner.invoke(app, ["init", str(folder)])
    args = ["--id", "lvs-fjordby", "--name", "Fjordby LVS", "--kind", "legevaktsentral", "--line", "116117,local"]
    result = runner.invoke(app, ["service", "new", *args, "--population", "48200", "--root", str(folder)])
    assert result.exit_code == 0, result.output
    data = load_yaml(folder / "services" / "lvs-fjordby.yaml").data
    assert data["kind"] == "legevaktsentral" and data["lines"] == ["116117", "local"] and data["population"] == 48200
    bad = runner.invoke(app, ["service", "new", "--id", "x2", "--name", "X", "--kind", "skall", "--root", str(folder)])
    assert bad.exit_code == 2 and "unknown-kind" in bad.stderr and not (folder / "services" / "x2.yaml").exists()


def test_service_new_asks_again_until_the_kind_is_allowed(runner, tmp_path: Path, monkeypatch) -> None:
    from kokom_cli.cli import prompts

    monkeypatch.setattr(prompts, "interactive", lambda: True)
    folder = tmp_path / "fjordby"
    runner.invoke(app, ["init", str(folder)])
    answers = "LVS Fjordby\nlvs-fjordby\nFjordby LVS\nlegevaktsental\nlegevaktsentral\n\nFjordby\n\n116117\n"
    result = runner.invoke(app, ["service", "new", "--root", str(folder)], input=answers)
    assert result.exit_code == 0, result.output
    assert "'legevaktsental' er ikke tillatt" in result.stderr and "små bokstaver" in result.stderr
    assert load_yaml(folder / "services" / "lvs-fjordby.yaml").data["municipalities"] == ["Fjordby"]
