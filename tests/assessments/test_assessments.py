"""Loading and cross-checking assessments: the good fixture loads, every bad one is refused at its position."""

from __future__ import annotations

import datetime as dt
import shutil
from pathlib import Path

import pytest
from conftest import DATA, EXAMPLES

from kokom_cli.assessments.loading import check_assessment, load_assessment
from kokom_cli.assessments.services import load_service
from kokom_cli.core.findings import KokomError
from kokom_cli.requirements.corpus import load_corpus
from kokom_cli.workspace import open_workspace

WS = DATA / "assess" / "ws"
AS_OF = dt.date(2026, 11, 1)


def load(path: Path, root: Path = WS):
    ws = open_workspace(root)
    return load_assessment(path, ws, load_corpus(ws.requirements_dir))


def refused(path: Path, root: Path = WS):
    with pytest.raises(KokomError) as caught:
        load(path, root)
    return caught.value.findings


def test_good_assessment_loads_with_its_service() -> None:
    loaded = load(WS / "assessments" / "good.yaml")
    assert loaded.service.id == "lvs-test" and loaded.service_path.name == "lvs-test.yaml"
    ids = [req.id for req, _, _ in loaded.items]
    assert ids == ["TST-SVAR-01", "TST-BOR-01", "TST-DOK-01", "TST-STOR-01", "TST-LINJE-01"], (
        "the kind's requirements, conditions-excluded ones included, retired and other kinds left out"
    )
    assert loaded.missing_files == frozenset()


DESIGN_SERVICE = """\
# services/lvs-fjordby.yaml
id: lvs-fjordby
name: Fjordby interkommunale legevaktsentral
kind: legevaktsentral
owner: Fjordby kommune
municipalities: [Fjordby, Nesvik, Øyland]
population: 48200
lines: ["116117", "local"]
"""

DESIGN_ASSESSMENT = """\
# assessments/lvs-fjordby-2026.yaml
service: lvs-fjordby
edition: "2027.1"
period: "2026"
assessed_by: Kari Nordmann, leder legevaktsentralen
date: 2026-10-01
answers:
  LVS-SVAR-01:
    status: not_met
    justification: Svartiden var 71 % innen 2 minutter i 2026.
    evidence:
      - file: vedlegg/svartid-2026.csv
        date: 2026-09-30
    action: {what: To ekstra operatører på kveldstid, responsible: Kari Nordmann, due: 2027-03-01}
  LVS-LOGG-02:
    status: met
    justification: Innspilt melding om lydlogging i starten av hver samtale.
"""


def test_design_example_files_load_against_the_national_corpus(tmp_path: Path) -> None:
    """The two files DESIGN.md shows, exactly as a local service writes them."""
    (tmp_path / "services").mkdir()
    (tmp_path / "assessments").mkdir()
    (tmp_path / "services" / "lvs-fjordby.yaml").write_text(DESIGN_SERVICE, encoding="utf-8")
    path = tmp_path / "assessments" / "lvs-fjordby-2026.yaml"
    path.write_text(DESIGN_ASSESSMENT, encoding="utf-8")
    ws = open_workspace(None, start=tmp_path)
    evaluation = check_assessment(path, ws, load_corpus(ws.requirements_dir), as_of=AS_OF)
    assert evaluation.service.population == 48200 and evaluation.service.lines == ["116117", "local"]
    results = {r.requirement.id: r for r in evaluation.results}
    assert results["LVS-SVAR-01"].outcome.value == "not_met"
    assert [r.code for r in results["LVS-SVAR-01"].reasons] == ["evidence-missing"], "the csv is not there"
    assert results["LVS-LOGG-02"].outcome.value == "met"
    example = EXAMPLES / "lvs-fjordby"
    assert (example / "services" / "lvs-fjordby.yaml").read_text(encoding="utf-8") == DESIGN_SERVICE
    assert DESIGN_ASSESSMENT.split("answers:\n")[1] in (example / "assessments" / "lvs-fjordby-2026.yaml").read_text(
        encoding="utf-8"
    ), "the example keeps the DESIGN.md answers as they are"


BAD = [
    ("bad-unknown-id.yaml", "unknown-id", (6, 3), "mente du 'TST-SVAR-01'?"),
    ("bad-kind.yaml", "not-applicable-answer", (6, 3), "gjelder amk, ikke legevaktsentral"),
    ("bad-condition.yaml", "not-applicable-answer", (6, 3), "100\u00a0000 innbyggere"),
    ("bad-retired.yaml", "not-applicable-answer", (6, 3), "utgått"),
    ("bad-status.yaml", "schema-value", (7, 13), "'done' er ikke tillatt"),
    ("bad-edition.yaml", "edition-mismatch", (2, 10), "utgave 2025.1"),
    ("bad-date.yaml", "date-invalid", (4, 7), "2026-02-30"),
    ("bad-date-format.yaml", "date-invalid", (9, 30), "01.10.2026"),
    ("bad-path-up.yaml", "path-outside", (9, 16), "'..'"),
    ("bad-path-absolute.yaml", "path-outside", (9, 16), "absolutt"),
    ("bad-call-log-path.yaml", "path-outside", (8, 17), "'..'"),
    ("bad-service.yaml", "service-missing", (1, 10), "lvs-ukjent"),
    ("bad-waiver.yaml", "unknown-id", (9, 19), "mente du 'TST-DOK-01'?"),
    ("bad-waiver-dates.yaml", "waiver-expires-before-approval", (9, 103), "før det ble godkjent (2027-02-01)"),
    ("bad-measured-not-metric.yaml", "not-a-metric", (8, 5), "measured"),
    ("bad-measured-incomplete.yaml", "measured-incomplete", (8, 15), "share"),
    ("bad-field.yaml", "schema-unknown-field", (8, 5), "mente du 'evidence'?"),
    ("bad-yaml.yaml", "yaml-syntax", (9, 1), "anførselstegn"),
]


@pytest.mark.parametrize(("name", "code", "position", "fragment"), BAD, ids=[b[0] for b in BAD])
def test_bad_assessment_is_refused_at_its_position(name, code, position, fragment) -> None:
    [finding] = refused(WS / "assessments" / name)
    assert (finding.code, (finding.line, finding.column)) == (code, position), finding.render()
    assert fragment in finding.message
    assert finding.path.endswith(name)


def test_symlink_out_of_the_folder_is_refused(tmp_path: Path) -> None:
    root = tmp_path / "ws"
    shutil.copytree(WS, root)
    secret = tmp_path / "hemmelig.txt"
    secret.write_text("utenfor")
    (root / "assessments" / "vedlegg" / "lenke.txt").symlink_to(secret)
    [finding] = refused(root / "assessments" / "bad-path-symlink.yaml", root)
    assert finding.code == "path-outside" and "symbolsk lenke" in finding.message and finding.line == 9


def test_symlink_inside_the_folder_is_fine(tmp_path: Path) -> None:
    root = tmp_path / "ws"
    shutil.copytree(WS, root)
    (root / "assessments" / "vedlegg" / "lenke.txt").symlink_to(root / "assessments" / "vedlegg" / "rutine.txt")
    assert load(root / "assessments" / "bad-path-symlink.yaml", root).missing_files == frozenset()


def test_every_problem_is_reported_at_once(tmp_path: Path) -> None:
    path = tmp_path / "assessments" / "a.yaml"
    path.parent.mkdir()
    shutil.copytree(WS / "services", tmp_path / "services")
    path.write_text(
        'service: lvs-test\nedition: "2026.1"\nperiod: "2026"\ndate: 2026-10-01\nanswers:\n'
        "  TST-XXX-01: {status: met}\n  TST-DOK-01:\n    status: met\n"
        "    evidence: [{file: /tmp/x, date: 2026-01-01}]\n"
    )
    findings = refused(path)
    assert [f.code for f in findings] == ["unknown-id", "path-outside"]


def test_missing_evidence_file_is_a_reason_not_an_error(tmp_path: Path) -> None:
    path = WS / "assessments" / "good.yaml"
    text = path.read_text().replace("vedlegg/rutine.txt", "vedlegg/finnes-ikke.txt")
    other = tmp_path / "assessments" / "a.yaml"
    shutil.copytree(WS / "assessments" / "vedlegg", other.parent / "vedlegg")
    shutil.copytree(WS / "services", tmp_path / "services")
    other.write_text(text)
    assert load(other).missing_files == frozenset({"vedlegg/finnes-ikke.txt"})


def test_explicit_service_file_and_mismatched_id(tmp_path: Path) -> None:
    service = tmp_path / "tjenester" / "x.yaml"
    service.parent.mkdir()
    shutil.copy(WS / "services" / "lvs-test.yaml", service)
    path = tmp_path / "a.yaml"
    head = 'edition: "2026.1"\nperiod: "2026"\ndate: 2026-10-01\n'
    path.write_text(f"service: lvs-test\nservice_file: tjenester/x.yaml\n{head}")
    assert load(path).service_path == service
    path.write_text(f"service: lvs-annen\nservice_file: tjenester/x.yaml\n{head}")
    [finding] = refused(path)
    assert finding.code == "service-mismatch" and (finding.line, finding.column) == (1, 10)
    path.write_text(f"service: lvs-test\nservice_file: tjenester/borte.yaml\n{head}")
    assert refused(path)[0].code == "service-missing"


def test_service_found_in_the_workspace_services_folder(tmp_path: Path) -> None:
    root = tmp_path / "ws"
    shutil.copytree(WS, root)
    deep = root / "vurderinger" / "2026"
    deep.mkdir(parents=True)
    shutil.copy(root / "assessments" / "good.yaml", deep / "good.yaml")
    shutil.copytree(root / "assessments" / "vedlegg", deep / "vedlegg")
    assert load(deep / "good.yaml", root).service_path == root / "services" / "lvs-test.yaml"


def test_bad_service_file_is_refused_at_its_position(tmp_path: Path) -> None:
    path = tmp_path / "s.yaml"
    path.write_text("id: LVS Test\nname: X\nkind: legevaktsentrall\nlines: [116117]\npopulation: mange\n")
    with pytest.raises(KokomError) as caught:
        load_service(path)
    codes = {(f.code, f.line) for f in caught.value.findings}
    assert codes == {("schema-value", 1), ("unknown-kind", 3), ("quote-value", 4), ("schema-type", 5)}


def test_metric_with_typed_figure_and_missing_call_log_is_unmeasured(tmp_path: Path) -> None:
    from kokom_cli.assessments.loading import measurements

    path = tmp_path / "assessments" / "a.yaml"
    path.parent.mkdir()
    shutil.copytree(WS / "services", tmp_path / "services")
    path.write_text(
        'service: lvs-test\nedition: "2026.1"\nperiod: "2026"\ndate: 2026-10-01\nanswers:\n'
        "  TST-SVAR-01:\n    status: met\n    measured: {calls: 1, share: 1}\n    call_logs: [a.csv]\n"
    )
    loaded = load(path)  # the log wins over the typed figure; a missing log is no refusal, but unmeasured
    m = measurements(loaded)["TST-SVAR-01"]
    assert m.source == "call_logs" and "a.csv" in (m.error or "") and m.claimed is not None


@pytest.mark.parametrize(
    "written", ["..\\services\\lvs-test.yaml", "C:\\vedlegg\\x.pdf", "vedlegg/../../x", "\\\\server\\share\\x.pdf"]
)
def test_windows_style_and_nested_escapes_are_refused(written) -> None:
    from kokom_cli.assessments.paths import inside_folder
    from kokom_cli.yaml.reader import parse_yaml

    path = WS / "assessments" / "good.yaml"
    doc = parse_yaml(path.read_bytes(), path, "good.yaml")
    finding = inside_folder(doc, ("answers",), written, path.parent)
    assert finding is not None and finding.code == "path-outside"
    assert inside_folder(doc, ("answers",), "vedlegg/rutine.txt", path.parent) is None


def test_a_service_line_the_requirements_do_not_know_is_refused_with_a_suggestion(tmp_path: Path) -> None:
    path = tmp_path / "assessments" / "a.yaml"
    path.parent.mkdir()
    shutil.copytree(WS / "services", tmp_path / "services")
    service = tmp_path / "services" / "lvs-test.yaml"
    service.write_text(service.read_text(encoding="utf-8").replace("local", "lokal"), encoding="utf-8")
    path.write_text('service: lvs-test\nedition: "2026.1"\nperiod: "2026"\ndate: 2026-10-01\nanswers: {}\n')
    [finding] = [f for f in refused(path) if f.code == "service-line-unknown"]
    assert (
        finding.path.endswith("lvs-test.yaml")
        and "'lokal'" in finding.message
        and "mente du 'local'" in finding.message
    )
