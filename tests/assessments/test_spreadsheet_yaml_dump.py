"""The exact round trip (assessments/spreadsheet/yaml_dump.py): examples and any generated assessment."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from spreadsheet_helpers import (
    EXAMPLES,
    _layout,
    _round_trip,
    _rows,
)

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
from kokom_cli.assessments.services import load_service
from kokom_cli.assessments.spreadsheet import (
    assessment_data,
    assessment_yaml,
)
from kokom_cli.requirements.models import EvidenceKind, Indicator, ServiceKind


@pytest.mark.parametrize("path", sorted(EXAMPLES.glob("*/assessments/*.yaml")), ids=lambda p: p.stem)
def test_examples_round_trip_exactly(path: Path) -> None:
    original, back, result = _round_trip(path)
    assert back == original
    assert assessment_yaml(assessment_data(back), result.order) == assessment_yaml(
        assessment_data(original), result.order
    )


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
    waivers = []
    for req_id in waived:
        expires = draw(_DATES)
        approved_on = draw(st.none() | _DATES.filter(lambda d, e=expires: d <= e))  # never after it expires
        waivers.append(
            Waiver(
                requirement=req_id,
                justification=draw(_NONEMPTY),
                approved_by=draw(_NONEMPTY),
                expires=expires,
                approved_on=approved_on,
            )
        )
    newest = max((ev.date for a in answers.values() if a for ev in a.evidence), default=dt.date(1990, 1, 1))
    earliest = max(dt.date(1990, 1, 1), newest - dt.timedelta(days=365))  # evidence at most a year after the date
    return Assessment(
        service=service.id,
        edition="2027.1",
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
