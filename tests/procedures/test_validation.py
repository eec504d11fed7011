"""Validation rules: each a bad case that is found, with its code and position, and the good case that is not."""

from __future__ import annotations

import json

import pytest
from conftest import GOOD_REQUIREMENT, chapter_text

from kokom_cli.cli.main import app
from kokom_cli.procedures.validation import validate_workspace
from kokom_cli.workspace import open_workspace


def findings_for(make_workspace, *requirements: str, extra: dict | None = None, strict: bool = False):
    files = {"01-test.yaml": chapter_text(*requirements)}
    files.update(extra or {})
    return validate_workspace(open_workspace(make_workspace(files)), strict=strict)


def req(**changes: str) -> str:
    """GOOD_REQUIREMENT with some lines replaced: key -> new 'key: value' line ('' removes it)."""
    lines = GOOD_REQUIREMENT.splitlines(keepends=True)
    out = []
    skipping = False
    for line in lines:
        key = line.strip().removeprefix("- ").split(":", 1)[0]
        if (line.startswith("    ") and not line.startswith("      ")) or line.startswith("  - "):
            skipping = False
            if key in changes:
                new = changes.pop(key)
                skipping = True
                if new:
                    prefix = "  - " if line.startswith("  - ") else "    "
                    out.append(f"{prefix}{new}\n")
                continue
        elif skipping:
            continue
        out.append(line)
    out.extend(f"    {v}\n" for v in changes.values() if v)
    return "".join(out)


def codes(findings) -> list[str]:
    return [f.code for f in findings]


def test_good_requirement_has_no_findings(make_workspace) -> None:
    assert findings_for(make_workspace, GOOD_REQUIREMENT) == []


def test_unknown_field_suggests_the_right_one(make_workspace) -> None:
    [f] = findings_for(make_workspace, req(titel="titel: Feilstavet"))
    assert f.code == "schema-unknown-field"
    assert "mente du 'title'?" in f.message
    assert (f.line, f.column) == (15, 5)


def test_missing_field_points_at_the_requirement(make_workspace) -> None:
    [f] = findings_for(make_workspace, req(level=""))
    assert f.code == "schema-missing" and "'level'" in f.message
    assert (f.line, f.column) == (5, 5)


def test_wrong_type(make_workspace) -> None:
    [f] = findings_for(make_workspace, req(applies_to="applies_to: amk"))
    assert f.code == "schema-type" and "liste" in f.message


@pytest.mark.parametrize(
    "line, written", [("since: 2026.1", "2026.1"), ("id: NO", "NO"), ("title: yes", "yes"), ("id: 113", "113")]
)
def test_numbers_and_yaml11_booleans_must_be_quoted(make_workspace, line: str, written: str) -> None:
    key = line.split(":")[0]
    [f] = findings_for(make_workspace, req(**{key: line}))
    assert f.code == "quote-value"
    assert f'"{written}"' in f.message


def test_duplicate_ids_across_files(make_workspace) -> None:
    second = chapter_text(GOOD_REQUIREMENT, slug="other", order=2)
    found = findings_for(make_workspace, GOOD_REQUIREMENT, extra={"02-other.yaml": second})
    assert codes(found) == ["duplicate-id"]
    assert found[0].path.endswith("02-other.yaml") and "01-test.yaml:5:" in found[0].message


def test_link_and_replaces_pointing_nowhere(make_workspace) -> None:
    other = req(id="id: TST-SVAR-02", links="links: [TST-SVR-01]", replaces="replaces: [TST-GONE-01]")
    found = findings_for(make_workspace, GOOD_REQUIREMENT, other)
    assert sorted(codes(found)) == ["unknown-link", "unknown-replaces"]
    link = next(f for f in found if f.code == "unknown-link")
    assert "TST-SVAR-01" in link.message  # did you mean


def test_replaced_requirement_must_be_retired(make_workspace) -> None:
    new = req(id="id: TST-SVAR-02", replaces="replaces: [TST-SVAR-01]")
    found = findings_for(make_workspace, GOOD_REQUIREMENT, new)
    assert codes(found) == ["replaced-active"] and found[0].severity.value == "warning"
    retired = req(status="status: retired")
    assert findings_for(make_workspace, retired, new) == []


def test_unknown_service_kind(make_workspace) -> None:
    [f] = findings_for(make_workspace, req(applies_to="applies_to: [amk, brannvesen]"))
    assert f.code == "unknown-kind" and "brannvesen" in f.message and "legevaktsentral" in f.message


def test_metric_verification_needs_a_metric(make_workspace) -> None:
    [f] = findings_for(make_workspace, req(verification="verification: metric"))
    assert f.code == "metric-missing"
    good = req(
        verification="verification: metric",
        metric="metric: {indicator: answered_within, lines: ['113'], threshold_seconds: 10, required_share: 0.9}",
    )
    assert findings_for(make_workspace, good) == []


def test_requirement_without_source(make_workspace) -> None:
    [f] = findings_for(make_workspace, req(source=""))
    assert f.code == "source-missing"
    [f] = findings_for(make_workspace, req(source="source: []"))
    assert f.code == "source-missing"


def test_date_that_is_not_a_date(make_workspace) -> None:
    config = 'edition: "2026.1"\nreleased:\n  - {version: "2025.1", date: 01.10.2025}\n'
    root = make_workspace(config=config)
    with pytest.raises(Exception) as info:
        open_workspace(root)
    assert info.value.findings[0].code == "date-invalid"


def test_strict_turns_warnings_into_errors(make_workspace, runner) -> None:
    new = req(id="id: TST-SVAR-02", replaces="replaces: [TST-SVAR-01]")
    root = make_workspace({"01-test.yaml": chapter_text(GOOD_REQUIREMENT, new)})
    assert runner.invoke(app, ["validate", "--root", str(root)]).exit_code == 0
    strict = runner.invoke(app, ["validate", "--root", str(root), "--strict"])
    assert strict.exit_code == 1 and "error replaced-active" in strict.stdout


def test_json_output_shape(make_workspace, runner) -> None:
    root = make_workspace({"01-test.yaml": chapter_text(req(titel="titel: x"))})
    result = runner.invoke(app, ["validate", "--root", str(root), "--json"])
    assert result.exit_code == 1
    data = json.loads(result.stdout)
    [f] = data["findings"]
    assert set(f) == {"path", "line", "column", "severity", "code", "message"}
    assert (f["line"], f["column"], f["severity"], f["code"]) == (15, 5, "error", "schema-unknown-field")


def test_top_level_of_the_wrong_shape(make_workspace) -> None:
    root = make_workspace({"01-test.yaml": "- just\n- a list\n"})
    [f] = validate_workspace(open_workspace(root))
    assert f.code == "schema-type" and (f.line, f.column) == (1, 1)


def test_broken_config_is_a_finding_of_validate(make_workspace, runner) -> None:
    root = make_workspace(config="edition: 2026.1\n")
    result = runner.invoke(app, ["validate", "--root", str(root)])
    assert result.exit_code == 1 and "kokom.yaml:1:10: error quote-value" in result.stderr + result.stdout


def test_root_that_is_not_a_workspace_is_a_usage_error(tmp_path, runner) -> None:
    result = runner.invoke(app, ["validate", "--root", str(tmp_path)])
    assert result.exit_code == 2 and "workspace-missing" in result.stderr


def test_builtin_corpus_is_valid(runner, tmp_path, monkeypatch) -> None:
    monkeypatch.chdir(tmp_path)
    result = runner.invoke(app, ["validate", "--strict"])
    assert result.exit_code == 0, result.stdout


def test_a_misspelt_required_field_is_one_finding(make_workspace) -> None:
    [f] = findings_for(make_workspace, req(title="titel: Feilstavet"))
    assert f.code == "schema-unknown-field" and "mente du 'title'?" in f.message


def test_messages_name_the_field_as_written(make_workspace) -> None:
    [f] = findings_for(make_workspace, req(applies_to="applies_to: [amk, brannvesen]"))
    assert f.message.startswith("applies_to[1]: 'brannvesen'")
