"""The staff register as an XLSX form (assessments/register_xlsx, `kokom competence export|import`): the exact
round trip, every bad cell at its position with nothing written, formula-safe cells, limits on the workbook."""

from __future__ import annotations

import datetime as dt
import io
import zipfile
from pathlib import Path

import pytest
from conftest import EXAMPLES
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from openpyxl import load_workbook

from kokom_cli.assessments.register_xlsx import build_register_workbook, import_register
from kokom_cli.cli.main import app
from kokom_cli.competence.dump import register_yaml
from kokom_cli.competence.loading import CATALOGUE_FILE, read_catalogue, read_register
from kokom_cli.competence.models import Completion, Person, Register
from kokom_cli.workspace import builtin_dir

AS_OF = dt.date(2026, 12, 1)
CAT = read_catalogue(builtin_dir("competence") / CATALOGUE_FILE)
REGISTERS = sorted(EXAMPLES.glob("*/assessments/personale/*.yaml"))


def _round_trip(register: Register) -> Register:
    result = import_register(build_register_workbook(register, CAT), "personale.xlsx", CAT, as_of=AS_OF)
    assert result.register is not None and result.text is not None, [p.render() for p in result.problems]
    return result.register


def _yaml_back(register: Register, tmp_path: Path) -> Register:
    path = tmp_path / "back.yaml"
    path.write_text(register_yaml(register, source="personale.xlsx"), encoding="utf-8")
    return read_register(path, CAT, as_of=AS_OF)[0]


@pytest.mark.parametrize("path", REGISTERS, ids=lambda p: p.stem)
def test_example_registers_round_trip_exactly(path: Path, tmp_path: Path) -> None:
    original, _ = read_register(path, CAT, as_of=AS_OF)
    back = _round_trip(original)
    assert back == original
    assert _yaml_back(back, tmp_path) == original


# --- the property: any valid register survives export, import and the YAML written ------------------

_TEXT = st.one_of(
    st.sampled_from(
        [
            "=SUM(A1:A3)",
            "@x",
            "+47 22",
            "-1",
            " innledende",
            "etterfølgende ",
            "a\nb",
            "007",
            "ja",
            "2026-01-01",
            "1.5",
            "_x000D_",
            "'sitat",
            "ÆØÅ",
            "null",
            "true",
            "~",
        ]
    ),
    st.text(
        st.characters(blacklist_categories=("Cs", "Cc", "Cn", "Zl", "Zp"), blacklist_characters="\ufeff")
        | st.sampled_from("\n\t"),
        min_size=1,
        max_size=20,
    ),
)
_DATES = st.dates(dt.date(1990, 1, 1), dt.date(2026, 11, 30))
_ROLES = [r.id for r in CAT.catalogue.roles]
_COURSES = [c.id for c in CAT.catalogue.courses]
_EDUCATIONS = [e.id for e in CAT.catalogue.educations]
_COUNT = st.none() | st.integers(0, 500)


@st.composite
def _person(draw, index: int) -> Person:
    start = draw(_DATES)
    courses = draw(
        st.lists(
            st.builds(Completion, course=st.sampled_from(_COURSES), date=st.dates(start, dt.date(2026, 12, 1))),
            max_size=4,
        )
    )
    return Person(
        id=f"P{index}-" + draw(_TEXT),
        name=draw(st.none() | _TEXT.map(lambda t, i=index: f"{t} {i}")),
        role=draw(st.sampled_from(_ROLES)),
        start=start,
        education=draw(st.lists(st.sampled_from(_EDUCATIONS), max_size=2)),
        authorisation=draw(st.none() | _TEXT),
        clinical_practice=draw(st.none() | st.booleans()),
        specialist_general_practice=draw(st.booleans()),
        approved_gp=draw(st.booleans()),
        clinical_months=draw(_COUNT),
        legevakt_shifts=draw(_COUNT),
        gp_months=draw(_COUNT),
        backup=draw(st.none() | _TEXT),
        courses=courses,
    )


@st.composite
def _register(draw) -> Register:
    size = draw(st.integers(0, 4))
    return Register(
        service=draw(st.from_regex(r"[a-z][a-z0-9-]{0,12}", fullmatch=True)),
        updated=draw(st.none() | _DATES),
        people=[draw(_person(i)) for i in range(size)],
    )


@settings(
    max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow, HealthCheck.function_scoped_fixture]
)
@given(register=_register())
def test_any_register_round_trips_exactly(register: Register, tmp_path: Path) -> None:
    back = _round_trip(register)
    assert back == register
    assert _yaml_back(back, tmp_path) == register


# --- the commands, and bad cells -----------------------------------------------------------------------


def _export(runner, tmp_path: Path, source: Path | None = None) -> Path:
    source = source or EXAMPLES / "lvs-storby" / "assessments" / "personale" / "lvs-storby.yaml"
    out = tmp_path / "personale.xlsx"
    result = runner.invoke(app, ["competence", "export", str(source), "-o", str(out), "--as-of", "2026-12-01"])
    assert result.exit_code == 0, result.output
    return out


def _import(runner, tmp_path: Path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    return runner.invoke(
        app, ["competence", "import", "personale.xlsx", "-o", "REGISTER.yaml", "--as-of", "2026-12-01"]
    )


def _edit(path: Path, edit) -> None:
    book = load_workbook(path)
    edit(book)
    book.save(path)


def test_export_then_import_writes_the_register(runner, tmp_path: Path, monkeypatch) -> None:
    _export(runner, tmp_path)
    result = _import(runner, tmp_path, monkeypatch)
    assert result.exit_code == 0, result.output
    original, _ = read_register(EXAMPLES / "lvs-storby/assessments/personale/lvs-storby.yaml", CAT, as_of=AS_OF)
    assert read_register(tmp_path / "REGISTER.yaml", CAT, as_of=AS_OF)[0] == original
    check = runner.invoke(app, ["competence", "check", "REGISTER.yaml", "--as-of", "2026-12-01"])
    assert check.exit_code == 1 and "29 av 32 oppfyller" in check.stdout  # three new operators, as in the example


def _row_of(ws, person_id: str) -> int:
    return next(row for row in range(2, ws.max_row + 1) if ws.cell(row, 1).value == person_id)


def _set(sheet: str, cell: str, value):
    return lambda book: book[sheet].__setitem__(cell, value)


def _duplicate(role: str):
    def edit(book) -> None:
        ws = book["Personer"]
        for col in range(1, 14):
            ws.cell(ws.max_row + 1 if col == 1 else ws.max_row, col, ws.cell(2, col).value)
        ws.cell(ws.max_row, 3, role)

    return edit


BAD = {
    "two-roles-in-a-cell": (
        _set("Personer", "C4", "lvs-operator, lege-i-vakt"),
        "personale.xlsx:Personer!C4: error person-two-roles:",
    ),
    "two-roles-on-two-rows": (_duplicate("bakvakt"), "personale.xlsx:Personer!C34: error person-two-roles:"),
    "duplicate-person": (_duplicate("lvs-operator"), "personale.xlsx:Personer!A34: error person-duplicate:"),
    "course-date-in-the-future": (
        _set("Kurs", "C3", dt.datetime(2027, 3, 1)),
        "personale.xlsx:Kurs!C3: error course-date-future:",
    ),
    "unknown-role": (
        _set("Personer", "C4", "lvs-operatør"),
        "personale.xlsx:Personer!C4: error unknown-role: ukjent rolle 'lvs-operatør'; mente du 'lvs-operator'?",
    ),
    "unknown-course": (
        _set("Kurs", "B3", "nodnet-lvs"),
        "personale.xlsx:Kurs!B3: error unknown-course: ukjent kurs 'nodnet-lvs'; mente du 'nodnett-lvs'?",
    ),
    "course-for-nobody": (_set("Kurs", "A3", "ST-999"), "personale.xlsx:Kurs!A3: error course-person-unknown:"),
    "not-a-date": (_set("Personer", "D2", "i fjor"), "personale.xlsx:Personer!D2: error xlsx-not-a-date:"),
    "not-yes-no": (_set("Personer", "G2", "kanskje"), "personale.xlsx:Personer!G2: error xlsx-not-yes-no:"),
    "negative-shifts": (_set("Personer", "K2", -3), "personale.xlsx:Personer!K2: error"),
    "formula": (_set("Personer", "B2", '=HYPERLINK("http://x")'), "personale.xlsx:Personer!B2: error xlsx-formula:"),
    "service-changed": (
        _set("Register", "B2", "lvs-fjordby"),
        "personale.xlsx:Register!B2: error register-service-mismatch:",
    ),
    "role-missing": (_set("Personer", "C5", None), "personale.xlsx:Personer!C5: error xlsx-missing:"),
    "outside-the-form": (_set("Personer", "Z2", "notat"), "personale.xlsx:Personer!Z2: error xlsx-outside-form:"),
}


@pytest.mark.parametrize("case", sorted(BAD))
def test_bad_cell_is_one_positioned_line_exit_2_nothing_written(runner, tmp_path: Path, monkeypatch, case) -> None:
    edit, expected = BAD[case]
    _edit(_export(runner, tmp_path), edit)
    result = _import(runner, tmp_path, monkeypatch)
    assert result.exit_code == 2, result.output
    problems = [line for line in result.stderr.splitlines() if line.startswith("personale.xlsx")]
    assert len(problems) == 1 and problems[0].startswith(expected), result.stderr
    assert "ingenting er skrevet" in result.stderr
    assert not (tmp_path / "REGISTER.yaml").exists()


def test_every_bad_cell_is_reported_at_once(runner, tmp_path: Path, monkeypatch) -> None:
    def edit(book) -> None:
        book["Personer"]["C4"] = "lvs-operatør"
        book["Kurs"]["B3"] = "nodnet-lvs"
        book["Kurs"]["C5"] = dt.datetime(2030, 1, 1)

    _edit(_export(runner, tmp_path), edit)
    result = _import(runner, tmp_path, monkeypatch)
    assert result.exit_code == 2
    cells = [line.split(": ", 1)[0] for line in result.stderr.splitlines() if line.startswith("personale.xlsx")]
    assert cells == ["personale.xlsx:Personer!C4", "personale.xlsx:Kurs!B3", "personale.xlsx:Kurs!C5"]
    assert not (tmp_path / "REGISTER.yaml").exists()


def test_course_before_start_is_a_warning_at_its_cell_and_written(runner, tmp_path: Path, monkeypatch) -> None:
    _export(runner, tmp_path, EXAMPLES / "lvs-fjordby" / "assessments" / "personale" / "lvs-fjordby.yaml")
    result = _import(runner, tmp_path, monkeypatch)
    assert result.exit_code == 0, result.output
    assert "personale.xlsx:Kurs!C62: warning course-before-start:" in result.stderr
    assert (tmp_path / "REGISTER.yaml").is_file()


def test_text_cells_are_never_formulas(tmp_path: Path) -> None:
    person = Person(
        id="=1+1", name='=HYPERLINK("http://x","y")', role="lvs-operator", start=dt.date(2020, 1, 1), backup="@SUM(A1)"
    )
    book = load_workbook(io.BytesIO(build_register_workbook(Register(service="lvs-x", people=[person]), CAT)))
    cells = [book["Personer"].cell(2, col) for col in (1, 2, 13)]
    assert [c.data_type for c in cells] == ["s", "s", "s"]
    assert [c.value for c in cells] == ["=1+1", '=HYPERLINK("http://x","y")', "@SUM(A1)"]


def test_blank_form_for_a_service_without_a_register(runner, tmp_path: Path) -> None:
    service = tmp_path / "services" / "lvs-ny.yaml"
    service.parent.mkdir()
    service.write_text(
        (EXAMPLES / "lvs-storby/services/lvs-storby.yaml").read_text().replace("id: lvs-storby", "id: lvs-ny")
    )
    out = _export(runner, tmp_path, service)
    book = load_workbook(out)
    assert book["Register"]["B2"].value == "lvs-ny" and book["Personer"].max_row == 1
    assert set(book.sheetnames) == {"Veiledning", "Register", "Personer", "Kurs", "Katalog", "kokom-data"}


def test_not_a_workbook_and_a_zip_bomb_are_refused(runner, tmp_path: Path, monkeypatch) -> None:
    (tmp_path / "personale.xlsx").write_bytes(b"not a workbook")
    result = _import(runner, tmp_path, monkeypatch)
    assert result.exit_code == 2 and "xlsx-unreadable" in result.stderr
    raw = build_register_workbook(Register(service="lvs-x"), CAT)
    out = io.BytesIO()
    with zipfile.ZipFile(io.BytesIO(raw)) as old, zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as new:
        for item in old.infolist():
            if item.filename == "xl/worksheets/sheet3.xml":
                new.writestr(item.filename, old.read(item.filename) + b" " * (30 * 2**20))
            else:
                new.writestr(item, old.read(item.filename))
    (tmp_path / "personale.xlsx").write_bytes(out.getvalue())
    result = _import(runner, tmp_path, monkeypatch)
    assert result.exit_code == 2 and "xlsx-too-large" in result.stderr
    assert not (tmp_path / "REGISTER.yaml").exists()


def test_import_json_and_existing_output(runner, tmp_path: Path, monkeypatch) -> None:
    import json

    _edit(_export(runner, tmp_path), _set("Personer", "C4", "lvs-operatør"))
    monkeypatch.chdir(tmp_path)
    result = runner.invoke(
        app, ["competence", "import", "personale.xlsx", "-o", "R.yaml", "--json", "--as-of", "2026-12-01"]
    )
    data = json.loads(result.stdout)
    assert (
        data["written"] is None and data["problems"][0]["cell"] == "C4" and data["problems"][0]["sheet"] == "Personer"
    )
    (tmp_path / "R.yaml").write_text("x")
    again = runner.invoke(app, ["competence", "import", "personale.xlsx", "-o", "R.yaml"])
    assert again.exit_code == 2 and "file-exists" in again.stderr
