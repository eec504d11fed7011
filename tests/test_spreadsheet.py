"""XLSX forms: export, read back, every problem at its cell, and the exact round trip (examples and generated)."""

from __future__ import annotations

import datetime as dt
import io
import json
import shutil
from pathlib import Path

import openpyxl
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from kokom_cli.assessments.applicability import applicability
from kokom_cli.assessments.loading import load_assessment, load_service
from kokom_cli.assessments.models import (
    Action,
    AdvisorVerification,
    Answer,
    AnswerStatus,
    Assessment,
    Evidence,
    Measured,
    Waiver,
)
from kokom_cli.assessments.spreadsheet import (
    ANSWERS,
    COLUMN,
    DATA,
    FORM,
    WAIVERS,
    assessment_data,
    assessment_yaml,
    build_workbook,
    check_import,
    read_workbook,
)
from kokom_cli.cli.main import app
from kokom_cli.core.findings import KokomError
from kokom_cli.requirements.corpus import load_corpus
from kokom_cli.requirements.models import Config, EvidenceKind, Indicator, ServiceKind
from kokom_cli.workspace import Workspace

EXAMPLES = Path(__file__).parent.parent / "examples"
BUILTIN = Workspace(root=None, config=Config())
CORPUS = load_corpus(BUILTIN.requirements_dir)


def _layout(folder: Path, kind: str = "legevaktsentral", service_id: str = "lvs-test") -> Path:
    """services/<id>.yaml and an empty assessments/ folder; returns the assessments folder."""
    (folder / "services").mkdir(parents=True, exist_ok=True)
    (folder / "assessments").mkdir(exist_ok=True)
    (folder / "services" / f"{service_id}.yaml").write_text(
        f"id: {service_id}\nname: Testtjenesten\nkind: {kind}\npopulation: 60000\nlines: ['116117', '113', local]\n",
        encoding="utf-8",
    )
    return folder / "assessments"


def _rows(service):
    return [(i.requirement, i.chapter) for i in CORPUS.located if applicability(i.requirement, service).applies]


def _round_trip(path: Path, out: Path | None = None):
    """Export the assessment at `path`, read the workbook back unchanged; (original, imported, result)."""
    loaded = load_assessment(path, BUILTIN, CORPUS)
    rows = [(req, ch) for req, ch, applies in loaded.items if applies.applies]
    raw = build_workbook(loaded.service, rows, loaded.assessment, doc=loaded.doc)
    result = read_workbook(raw, "skjema.xlsx")
    assert result.problems == []
    back, problems = check_import(result, (out or path).absolute(), "back.yaml", BUILTIN, CORPUS)
    assert problems == []
    return loaded.assessment, back.assessment, result


@pytest.mark.parametrize("path", sorted(EXAMPLES.glob("*/assessments/*.yaml")), ids=lambda p: p.stem)
def test_examples_round_trip_exactly(path: Path) -> None:
    original, back, result = _round_trip(path)
    assert back == original
    assert assessment_yaml(assessment_data(back), result.order) == assessment_yaml(
        assessment_data(original), result.order
    )


def _workbook(raw: bytes):
    return openpyxl.load_workbook(io.BytesIO(raw))


def _fjordby(tmp_path: Path) -> Path:
    shutil.copytree(EXAMPLES / "lvs-fjordby", tmp_path / "lvs-fjordby")
    return tmp_path / "lvs-fjordby" / "assessments" / "lvs-fjordby-2026.yaml"


def test_workbook_layout_locks_the_requirement_and_offers_the_answers(tmp_path: Path) -> None:
    path = _fjordby(tmp_path)
    loaded = load_assessment(path, BUILTIN, CORPUS)
    rows = [(req, ch) for req, ch, applies in loaded.items if applies.applies]
    book = _workbook(build_workbook(loaded.service, rows, loaded.assessment))
    assert book.sheetnames == ["Veiledning", FORM, ANSWERS, WAIVERS, DATA]
    assert book[DATA].sheet_state == "veryHidden" and book[DATA].protection.sheet
    assert "Slik fyller du ut" in "\n".join(str(c.value) for c in book["Veiledning"]["A"])
    sheet = book[ANSWERS]
    assert sheet.protection.sheet
    assert [sheet.cell(r, 1).value for r in range(2, len(rows) + 2)] == [req.id for req, _ in rows]
    row = next(r for r in range(2, len(rows) + 2) if sheet.cell(r, 1).value == "LVS-SVAR-01")
    for key in ("id", "chapter", "title", "level", "text", "expected"):
        assert sheet.cell(row, COLUMN[key]).protection.locked, key
    for key in ("status", "justification", "evidence", "action", "responsible", "due", "calls", "share"):
        assert not sheet.cell(row, COLUMN[key]).protection.locked, key
    other = next(r for r in range(2, len(rows) + 2) if sheet.cell(r, 1).value == "LVS-OPPG-01")
    assert sheet.cell(other, COLUMN["share"]).protection.locked, "measured columns are open only on metric rows"
    assert sheet.cell(row, COLUMN["status"]).value == "ikke oppfylt"
    due = sheet.cell(row, COLUMN["due"])
    assert due.value == dt.datetime(2027, 3, 1) and due.is_date
    assert sheet.cell(row, COLUMN["evidence"]).value == "2026-09-30 fil: vedlegg/svartid-2026.csv"
    lists = [dv for dv in sheet.data_validations.dataValidation if dv.type == "list"]
    assert lists and lists[0].formula1 == '"oppfylt,delvis oppfylt,ikke oppfylt,ikke relevant"'
    assert f"G2:G{len(rows) + 1}" in str(lists[0].sqref)


def _edited(tmp_path: Path, edit) -> Path:
    """Export fjordby, apply `edit(book)` as a user would in a spreadsheet, save it; the workbook's path."""
    path = _fjordby(tmp_path)
    loaded = load_assessment(path, BUILTIN, CORPUS)
    rows = [(req, ch) for req, ch, applies in loaded.items if applies.applies]
    book = _workbook(build_workbook(loaded.service, rows, loaded.assessment))
    edit(book)
    xlsx = tmp_path / "skjema.xlsx"
    book.save(xlsx)
    return xlsx


def _row_of(sheet, req_id: str) -> int:
    return next(r for r in range(2, sheet.max_row + 1) if sheet.cell(r, 1).value == req_id)


def _import(runner, xlsx: Path, *extra: str):
    out = xlsx.parent / "lvs-fjordby" / "assessments" / "ny.yaml"
    result = runner.invoke(app, ["assess", "import", str(xlsx), "-o", str(out), *extra])
    return result, out


def test_import_reports_each_problem_at_its_cell_and_writes_nothing(runner, tmp_path: Path) -> None:
    def edit(book):
        sheet = book[ANSWERS]
        sheet.cell(_row_of(sheet, "LVS-OPPG-01"), COLUMN["status"]).value = "kanskje"
        sheet.cell(_row_of(sheet, "LVS-SVAR-01"), COLUMN["due"]).value = "neste vår"
        sheet.cell(_row_of(sheet, "LVS-OPPG-02"), COLUMN["id"]).value = "LVS-OPPG-22"
        sheet.delete_rows(_row_of(sheet, "LVS-OPPG-03"))
        last = sheet.max_row + 1
        sheet.cell(last, 1).value = "LVS-NY-01"
        sheet.cell(last, COLUMN["status"]).value = "oppfylt"
        sheet.cell(_row_of(sheet, "LVS-OPPG-04"), COLUMN["justification"]).value = "=1+1"
        sheet.cell(2, 30).value = "notat"
        sheet.cell(_row_of(sheet, "LVS-OPPG-05"), COLUMN["action"]).value = "Nytt tiltak uten frist"

    xlsx = _edited(tmp_path, edit)
    result, out = _import(runner, xlsx)
    assert result.exit_code == 1, result.stderr
    assert not out.exists()
    lines = result.stderr.splitlines()
    book = openpyxl.load_workbook(xlsx)
    sheet = book[ANSWERS]

    def line(req_id: str, key: str, code: str) -> str:
        cell = sheet.cell(_row_of(sheet, req_id), COLUMN[key]).coordinate
        return next((x for x in lines if f"skjema.xlsx:Svar!{cell}: error {code}:" in x), "")

    assert "kanskje" in line("LVS-OPPG-01", "status", "xlsx-unknown-status")
    assert "neste vår" in line("LVS-SVAR-01", "due", "xlsx-not-a-date")
    assert "LVS-OPPG-02" in line("LVS-OPPG-22", "id", "xlsx-id-altered")
    assert line("LVS-NY-01", "id", "xlsx-unknown-id")
    assert line("LVS-OPPG-04", "justification", "xlsx-formula")
    assert line("LVS-OPPG-05", "responsible", "xlsx-incomplete") and line("LVS-OPPG-05", "due", "xlsx-incomplete")
    assert any("skjema.xlsx:Svar!AD2: error xlsx-outside-form:" in x for x in lines)
    deleted = [x for x in lines if "xlsx-row-deleted" in x]
    assert len(deleted) == 1 and "LVS-OPPG-03" in deleted[0]
    assert lines[-1].startswith("9 problem")


def test_loading_checks_come_back_at_their_cells(runner, tmp_path: Path) -> None:
    """Cell problems first; once they are fixed, the schema, then the loader's cross-checks, each at its cell."""
    bad_date = {"LVS-OPPG-02": ("evidence", "2026-02-30 tekst: Rutine")}
    share = {"LVS-SVAR-01": ("share", 1.5)}
    outside = {"LVS-OPPG-01": ("evidence", "2026-01-01 fil: ../../hemmelig.txt")}
    expected = [
        (bad_date, "xlsx-not-a-date", "linje 1 av dokumentasjonen: '2026-02-30'"),
        (share, "schema-value", "høyst 1.0"),
        (outside, "path-outside", "../../hemmelig.txt"),
    ]
    edits: dict = {}
    for number, (edit, code, words) in enumerate(expected):
        edits.update(edit)
        if number:
            edits.update({"LVS-OPPG-02": ("evidence", "2026-02-28 tekst: Rutine")})
        if number == 2:
            edits.update({"LVS-SVAR-01": ("share", 0.5)})

        def apply(book, number=number):
            sheet = book[ANSWERS]
            for req_id, (key, value) in edits.items():
                sheet.cell(_row_of(sheet, req_id), COLUMN[key]).value = value
            sheet.cell(_row_of(sheet, "LVS-SVAR-01"), COLUMN["calls"]).value = 100 if number else None

        result, out = _import(runner, _edited(tmp_path / str(number), apply))
        assert result.exit_code == 1 and not out.exists()
        sheet = openpyxl.load_workbook(tmp_path / str(number) / "skjema.xlsx")[ANSWERS]
        req_id, (key, _) = next(iter(edit.items()))
        cell = sheet.cell(_row_of(sheet, req_id), COLUMN[key]).coordinate
        problems = result.stderr.splitlines()[:-1]
        assert len(problems) == 1 and f"skjema.xlsx:Svar!{cell}: error {code}: " in problems[0], result.stderr
        assert words in problems[0]


def test_import_writes_the_assessment_and_reports_json(runner, tmp_path: Path) -> None:
    def edit(book):
        sheet = book[ANSWERS]
        row = _row_of(sheet, "LVS-OPPG-01")
        sheet.cell(row, COLUMN["status"]).value = "delvis oppfylt"
        sheet.cell(row, COLUMN["due"]).value = dt.datetime(2027, 1, 15)
        sheet.cell(row, COLUMN["action"]).value = "Ny rutine"
        sheet.cell(row, COLUMN["responsible"]).value = "Kari Nordmann"
        sheet.cell(
            row, COLUMN["evidence"]
        ).value = "2026-03-01 (document) tekst: Rutine\n  andre linje\n2026-04-01 Notat"
        book[WAIVERS]["A2"].value, book[WAIVERS]["B2"].value = "LVS-OPPG-02", "Avtale med nabo"
        book[WAIVERS]["C2"].value, book[WAIVERS]["D2"].value = "Statsforvalteren", "2027-06-30"

    result, out = _import(runner, _edited(tmp_path, edit), "--json")
    assert result.exit_code == 0, result.stderr
    assert json.loads(result.stdout) == {"written": str(out), "problems": []}
    answer = load_assessment(out, BUILTIN, CORPUS).assessment
    got = answer.answers["LVS-OPPG-01"]
    assert got.status is AnswerStatus.partial and got.action == Action(
        what="Ny rutine", responsible="Kari Nordmann", due=dt.date(2027, 1, 15)
    )
    assert got.evidence == [
        Evidence(text="Rutine\nandre linje", date=dt.date(2026, 3, 1), kind=EvidenceKind.document),
        Evidence(text="Notat", date=dt.date(2026, 4, 1)),
    ]
    assert answer.waivers == [
        Waiver(
            requirement="LVS-OPPG-02",
            justification="Avtale med nabo",
            approved_by="Statsforvalteren",
            expires=dt.date(2027, 6, 30),
        )
    ]
    again = runner.invoke(app, ["assess", "import", str(tmp_path / "skjema.xlsx"), "-o", str(out)])
    assert again.exit_code == 2 and "--force" in again.stderr


def test_blank_form_from_a_service(runner, tmp_path: Path) -> None:
    folder = _layout(tmp_path)
    xlsx = folder / "skjema.xlsx"
    result = runner.invoke(app, ["assess", "export", str(tmp_path / "services" / "lvs-test.yaml"), "-o", str(xlsx)])
    assert result.exit_code == 0, result.stderr
    service, _ = load_service(tmp_path / "services" / "lvs-test.yaml")
    sheet = openpyxl.load_workbook(xlsx)[ANSWERS]
    assert [sheet.cell(r, 1).value for r in range(2, sheet.max_row + 1)] == [r.id for r, _ in _rows(service)]
    result = runner.invoke(app, ["assess", "import", str(xlsx), "-o", str(folder / "lvs-test-2026.yaml")])
    assert result.exit_code == 0, result.stderr
    loaded = load_assessment(folder / "lvs-test-2026.yaml", BUILTIN, CORPUS)
    assert loaded.assessment.answers == {} and loaded.assessment.service_file is None


def test_bad_input_exit_2(runner, tmp_path: Path) -> None:
    not_xlsx = tmp_path / "skjema.xlsx"
    not_xlsx.write_text("status,met\n", encoding="utf-8")
    result = runner.invoke(app, ["assess", "import", str(not_xlsx), "-o", str(tmp_path / "a.yaml")])
    assert result.exit_code == 2 and "xlsx-unreadable" in result.stderr and "Traceback" not in result.stderr
    result = runner.invoke(app, ["assess", "export", str(_fjordby(tmp_path)), "--format", "ods", "-o", "x.ods"])
    assert result.exit_code == 2 and "ods" in result.stderr


def test_text_a_cell_cannot_hold_is_refused_at_its_yaml_position(tmp_path: Path) -> None:
    folder = _layout(tmp_path)
    path = folder / "a.yaml"
    path.write_text(
        'service: lvs-test\nedition: "2026.1"\nperiod: "2026"\ndate: 2026-01-01\nanswers:\n'
        '  LVS-OPPG-01:\n    justification: "linje\\r\\nto"\n',
        encoding="utf-8",
    )
    loaded = load_assessment(path, BUILTIN, CORPUS)
    with pytest.raises(KokomError) as caught:
        build_workbook(loaded.service, _rows(loaded.service), loaded.assessment, doc=loaded.doc)
    finding = caught.value.findings[0]
    assert (finding.code, finding.line) == ("xlsx-unstorable", 7) and "0x0d" in finding.message


def test_an_unchanged_workbook_without_its_hidden_sheet_is_refused(tmp_path: Path) -> None:
    xlsx = _edited(tmp_path, lambda book: book.remove(book[DATA]))
    result = read_workbook(xlsx.read_bytes(), "skjema.xlsx")
    assert [(p.sheet, p.code) for p in result.problems] == [(DATA, "xlsx-not-a-form")]


# --- the property: any valid assessment survives export and import unchanged -------------------------

_EDGES = [
    "",
    " ",
    "=SUM(A1:A3)",
    " innledende",
    "etterfølgende ",
    "a\n  b",
    "(record) x",
    "fil: x",
    "2026-01-01 tekst: y",
    "linje\n\nny",
    "'sitat",
    "1.5",
    "_x000D_",
    "\t",
    "ÆØÅ æøå",
    "tekst\n",
]
_TEXT = st.one_of(
    st.sampled_from(_EDGES),
    st.text(
        st.characters(blacklist_categories=("Cs", "Cc", "Cn", "Zl", "Zp"), blacklist_characters="\ufeff")
        | st.sampled_from("\n\t"),
        max_size=30,
    ),
)
_NONEMPTY = _TEXT.filter(bool)
_DATES = st.dates(dt.date(1990, 1, 1), dt.date(2100, 12, 31))
_PATHS = st.from_regex(r"[a-zæøå0-9_ -]{1,8}(/[a-z0-9_-]{1,8})?\.(md|pdf|csv)", fullmatch=True)
_FLOATS = st.floats(0, 1e6, allow_nan=False, allow_infinity=False)


@st.composite
def _answer(draw, req) -> Answer:
    evidence = draw(
        st.lists(
            st.builds(
                lambda is_file, path, text, day, kind: Evidence(
                    file=path if is_file else None, text=None if is_file else text, date=day, kind=kind
                ),
                st.booleans(),
                _PATHS,
                _NONEMPTY,
                _DATES,
                st.none() | st.sampled_from(EvidenceKind),
            ),
            max_size=3,
        )
    )
    action = draw(st.none() | st.builds(Action, what=_NONEMPTY, responsible=_NONEMPTY, due=_DATES))
    verification = draw(
        st.none()
        | st.builds(
            AdvisorVerification,
            status=st.sampled_from(AnswerStatus),
            comment=st.none() | _TEXT,
            by=_NONEMPTY,
            date=_DATES,
        )
    )
    measured, call_logs = None, None
    if req.metric is not None:
        choice = draw(st.sampled_from(["none", "measured", "logs"]))
        if choice == "measured":
            needs_share = req.metric.indicator is Indicator.answered_within
            measured = Measured(
                calls=draw(st.integers(0, 10**7)),
                share=draw(st.floats(0, 1) if needs_share else st.none() | st.floats(0, 1)),
                max_wait_seconds=draw(st.none() if needs_share else _FLOATS) if needs_share else draw(_FLOATS),
                median_answer_seconds=draw(st.none() | _FLOATS),
            )
        elif choice == "logs":
            call_logs = draw(st.lists(_PATHS, max_size=2))
    return Answer(
        status=draw(st.none() | st.sampled_from(AnswerStatus)),
        justification=draw(st.none() | _TEXT),
        evidence=evidence,
        action=action,
        verification=verification,
        measured=measured,
        call_logs=call_logs,
    )


@st.composite
def _assessment(draw, service, rows) -> Assessment:
    chosen = draw(st.lists(st.sampled_from(rows), unique_by=lambda r: r[0].id, max_size=12))
    answers = {}
    for req, _ in chosen:
        answers[req.id] = draw(st.none() | _answer(req))
    waived = draw(st.lists(st.sampled_from([r.id for r, _ in rows]), unique=True, max_size=2))
    waivers = [
        Waiver(requirement=req_id, justification=draw(_NONEMPTY), approved_by=draw(_NONEMPTY), expires=draw(_DATES))
        for req_id in waived
    ]
    newest = max((ev.date for a in answers.values() if a for ev in a.evidence), default=dt.date(1990, 1, 1))
    earliest = max(dt.date(1990, 1, 1), newest - dt.timedelta(days=365))  # evidence at most a year after the date
    return Assessment(
        service=service.id,
        edition="2026.1",
        period=draw(_NONEMPTY),
        assessed_by=draw(st.none() | _TEXT),
        date=draw(st.dates(earliest, dt.date(2100, 12, 31))),
        answers=answers,
        waivers=waivers,
        call_logs=draw(st.lists(_PATHS, max_size=2)),
    )


@pytest.fixture(scope="module")
def generated_layouts(tmp_path_factory):
    out = {}
    for kind in (ServiceKind.amk, ServiceKind.legevaktsentral):
        folder = _layout(tmp_path_factory.mktemp(kind.value), kind.value, f"svc-{kind.value}")
        service, _ = load_service(folder.parent / "services" / f"svc-{kind.value}.yaml")
        out[kind] = (folder, service, _rows(service))
    return out


@settings(
    max_examples=30, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow]
)
@given(data=st.data(), kind=st.sampled_from([ServiceKind.amk, ServiceKind.legevaktsentral]))
def test_any_assessment_round_trips_exactly(generated_layouts, data, kind) -> None:
    folder, service, rows = generated_layouts[kind]
    assessment = data.draw(_assessment(service, rows))
    path = folder / "generated.yaml"
    logs = assessment.call_logs + [f for a in assessment.answers.values() if a for f in a.call_logs or []]
    for name in logs:  # call logs must exist; evidence files need not
        (folder / name).parent.mkdir(parents=True, exist_ok=True)
        (folder / name).touch()
    text = assessment_yaml(assessment_data(assessment), [r.id for r, _ in rows])
    path.write_text(text, encoding="utf-8")
    original, back, result = _round_trip(path)
    assert original == assessment, "the generator's YAML reads back as the generated model"
    assert back == original
    assert assessment_yaml(assessment_data(back), result.order) == text
