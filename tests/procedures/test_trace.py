"""The requirement <-> procedure matrix (core) and `kokom trace` (CLI)."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

from conftest import DATA

from kokom_cli.procedures.trace import load_books, trace_matrix
from kokom_cli.requirements.corpus import load_corpus
from kokom_cli.workspace import open_workspace

GOOD = DATA / "procedures" / "good"


def _matrix(root: Path):
    ws = open_workspace(root)
    return trace_matrix(load_corpus(ws.requirements_dir), load_books(ws))


def test_rows_list_the_procedures_that_fulfil_each_requirement():
    matrix = _matrix(GOOD)
    rows = {r.requirement_id: r for r in matrix.rows}
    assert [p.id for p in rows["AMK-TEST-01"].procedures] == ["PROS-AMK-01", "LOK-FJORDBY-01"]
    # the local copy of KORT-91 (with a local adaptation) replaces the national card: listed once
    assert [(p.id, p.book, p.kind) for p in rows["AMK-TEST-02"].procedures] == [("KORT-91", "fjordby", "dispatch_card")]
    assert matrix.uncovered == ["AMK-TEST-03", "AMB-TEST-01"]  # the retired AMK-TEST-04 is not "uncovered"
    assert rows["AMK-TEST-03"].in_scope and not rows["AMB-TEST-01"].in_scope
    assert matrix.citations == []


def test_unknown_and_retired_citations_are_reported(tmp_path):
    root = tmp_path / "ws"
    shutil.copytree(GOOD, root)
    path = root / "procedures" / "amk" / "pros-amk-01.yaml"
    path.write_text(
        path.read_text().replace("fulfils: [AMK-TEST-01]", "fulfils: [AMK-TEST-01, AMK-TEST-04, AMK-NEI-01]")
    )
    matrix = _matrix(root)
    assert [(c.procedure.id, c.requirement_id, c.problem) for c in matrix.citations] == [
        ("PROS-AMK-01", "AMK-TEST-04", "retired"),
        ("PROS-AMK-01", "AMK-NEI-01", "unknown"),
    ]
    data = matrix.as_json()
    assert data["citations"][1]["requirement_id"] == "AMK-NEI-01"
    assert json.dumps(data)  # plain data, ready for --json and templates


def test_trace_cli_json_uncovered_and_exit_codes(tmp_path):
    from typer.testing import CliRunner

    from kokom_cli.cli.main import app

    runner = CliRunner()
    result = runner.invoke(app, ["trace", "--json", "--root", str(GOOD)])
    assert result.exit_code == 0
    data = json.loads(result.stdout)
    assert data["uncovered"] == ["AMK-TEST-03", "AMB-TEST-01"] and len(data["requirements"]) == 5
    only = runner.invoke(app, ["trace", "--uncovered", "--root", str(GOOD)])
    assert "AMK-TEST-03" in only.stdout and "AMK-TEST-01" not in only.stdout
    root = tmp_path / "ws"
    shutil.copytree(GOOD, root)
    path = root / "procedures" / "amk" / "pros-amk-01.yaml"
    path.write_text(path.read_text().replace("fulfils: [AMK-TEST-01]", "fulfils: [AMK-NEI-01]"))
    bad = runner.invoke(app, ["trace", "--root", str(root)])
    assert bad.exit_code == 1 and "PROS-AMK-01 viser til ukjent krav AMK-NEI-01" in bad.stdout
