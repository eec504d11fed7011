"""Command-line values: dates and choices get one clear usage error (exit 2) in every command."""

from __future__ import annotations

import pytest
from conftest import EXAMPLES

from kokom_cli.cli.main import app


@pytest.mark.parametrize(
    "args",
    [
        ["procedures", "due", "--as-of", "1. mai"],
        ["metrics", str(EXAMPLES / "amk-nordvik/assessments/vedlegg/anropslogg-113-2026-10.csv"), "--from", "mai"],
        ["assess", "check", str(EXAMPLES / "lvs-storby/assessments/lvs-storby-2026.yaml"), "--as-of", "2026-13-01"],
    ],
)
def test_a_bad_date_option_is_a_usage_error(runner, args) -> None:
    result = runner.invoke(app, args)
    assert result.exit_code == 2, result.output
    assert "error usage:" in result.stderr and "ÅÅÅÅ-MM-DD" in result.stderr


def test_a_bad_choice_suggests_the_right_one(runner) -> None:
    result = runner.invoke(app, ["render", "handbook", "--format", "pfd", "-o", "x.pdf"])
    assert result.exit_code == 2 and "mente du 'pdf'?" in result.stderr
