"""`kokom schema`: JSON Schemas from the models, and the committed copies are up to date."""

from __future__ import annotations

import json
from pathlib import Path

from conftest import ROOT

from kokom_cli.cli.main import app
from kokom_cli.publish.schemas import file_models, schema_for


def test_schema_command_writes_one_schema_per_file_kind(runner, tmp_path: Path) -> None:
    result = runner.invoke(app, ["schema", "-o", str(tmp_path)])
    assert result.exit_code == 0, result.output
    written = sorted(p.name for p in tmp_path.iterdir())
    assert written == sorted(f"{name}.schema.json" for name in file_models())
    chapter = json.loads((tmp_path / "chapter.schema.json").read_text())
    assert chapter["additionalProperties"] is False and "requirements" in chapter["required"]


def test_committed_schemas_match_the_models() -> None:
    """The schemas editors point yaml-language-server at (schema/) must not drift from the code."""
    for name, model in file_models().items():
        committed = json.loads((ROOT / "schema" / f"{name}.schema.json").read_text())
        assert committed == schema_for(name, model), f"run `kokom schema -o schema` to refresh {name}"
