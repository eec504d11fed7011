"""Evaluation rules, one outcome or reason at a time, on requirements built in the test (no files)."""

from __future__ import annotations

import datetime as dt
from fractions import Fraction

import pytest
from hypothesis import given
from hypothesis import strategies as st

from kokom_cli.assessments.applicability import APPLIES, applicability
from kokom_cli.assessments.evaluate import add_months, evaluate, evaluate_one
from kokom_cli.assessments.models import Assessment, Service
from kokom_cli.assessments.results import Outcome
from kokom_cli.calllog.verdict import Claimed, Measurement, from_typed, unmeasured
from kokom_cli.requirements.models import Requirement

AS_OF = dt.date(2026, 11, 1)
SERVICE = Service(
    id="lvs-test", name="Testby legevaktsentral", kind="legevaktsentral", population=48200, lines=["116117", "local"]
)


def requirement(**changes) -> Requirement:
    data = {
        "id": "TST-DOK-01",
        "title": "Rutine",
        "text": "Tjenesten skal ha en rutine.",
        "level": "skal",
        "applies_to": ["legevaktsentral"],
        "source": [{"title": "Forskrift"}],
        "verification": "document",
        "since": "2026.1",
    }
    data.update(changes)
    return Requirement.model_validate(data)


DOC = requirement(evidence=[{"kind": "document", "description": "Gjeldende rutine.", "max_age_months": 12}])
SHARE = requirement(
    id="TST-SVAR-01",
    verification="metric",
    evidence=[{"kind": "metric", "description": "Logg."}],
    metric={"indicator": "answered_within", "lines": ["116117"], "threshold_seconds": 120, "required_share": 0.8},
)
WAIT = requirement(
    id="TST-VENT-01",
    verification="metric",
    metric={"indicator": "max_wait", "lines": ["113"], "threshold_seconds": 20, "required_share": 1.0},
)
BOR = requirement(id="TST-BOR-01", level="bør")


def assessment(answers: dict | None = None, waivers: list | None = None) -> Assessment:
    return Assessment.model_validate(
        {
            "service": "lvs-test",
            "edition": "2026.1",
            "period": "2026",
            "date": dt.date(2026, 10, 1),
            "answers": answers or {},
            "waivers": waivers or [],
        }
    )


def one(req: Requirement, answer: dict | None, *, waiver: dict | None = None, measurement=None, missing=()):
    a = assessment({req.id: answer} if answer is not None else {}, [waiver] if waiver else [])
    return evaluate_one(
        req,
        None,
        APPLIES,
        a.answers.get(req.id),
        a.waivers[0] if waiver else None,
        as_of=AS_OF,
        measurement=measurement,
        missing_files=frozenset(missing),
    )


def codes(result) -> list[str]:
    return [r.code for r in result.reasons]


FRESH = [{"text": "Rutine vedtatt i ledermøtet.", "date": dt.date(2026, 6, 1)}]


@pytest.mark.parametrize("status", ["met", "partial", "not_met", "not_applicable"])
def test_outcome_is_the_answer(status) -> None:
    result = one(
        DOC,
        {
            "status": status,
            "justification": "Begrunnet.",
            "evidence": FRESH,
            "action": {"what": "Tiltak", "responsible": "Leder", "due": dt.date(2027, 1, 1)},
        },
    )
    assert result.outcome is Outcome(status)
    assert [c for c in codes(result) if c != "declared-not-applicable"] == []


def test_blank_status_is_unanswered_and_fails() -> None:
    result = one(DOC, {"status": None})
    assert result.outcome is Outcome.unanswered and not result.passes
    assert one(DOC, None).outcome is Outcome.unanswered


@pytest.mark.parametrize("status", ["partial", "not_met", "not_applicable"])
def test_justification_required_unless_met(status) -> None:
    result = one(BOR, {"status": status, "justification": "  "})
    assert "justification-missing" in codes(result)
    assert "justification-missing" not in codes(one(BOR, {"status": "met"}))


def test_declared_not_applicable_passes_only_with_justification() -> None:
    assert one(DOC, {"status": "not_applicable", "justification": "Ingen flytting planlagt."}).passes
    assert not one(DOC, {"status": "not_applicable"}).passes


def test_expected_evidence_missing() -> None:
    result = one(DOC, {"status": "met", "justification": "Ja."})
    assert codes(result) == ["evidence-missing"]
    assert "Gjeldende rutine." in result.reasons[0].message
    assert result.outcome is Outcome.met, "reasons do not change the outcome"


def test_evidence_of_another_kind_does_not_count() -> None:
    result = one(DOC, {"status": "met", "evidence": [{"text": "Logg", "date": dt.date(2026, 6, 1), "kind": "record"}]})
    assert codes(result) == ["evidence-missing"]


def test_evidence_older_than_allowed_is_stale() -> None:
    old = [{"text": "Rutine", "date": dt.date(2025, 10, 31)}]
    assert codes(one(DOC, {"status": "met", "evidence": old})) == ["evidence-stale"]
    edge = [{"text": "Rutine", "date": dt.date(2025, 11, 1)}]
    assert codes(one(DOC, {"status": "met", "evidence": edge})) == [], "exactly 12 months old is still fresh"


def test_newest_evidence_counts() -> None:
    items = [{"text": "Gammel", "date": dt.date(2020, 1, 1)}, {"text": "Ny", "date": dt.date(2026, 9, 1)}]
    assert codes(one(DOC, {"status": "met", "evidence": items})) == []


def test_missing_evidence_file_is_reported_and_does_not_count() -> None:
    result = one(
        DOC,
        {"status": "met", "evidence": [{"file": "vedlegg/borte.pdf", "date": dt.date(2026, 6, 1)}]},
        missing={"vedlegg/borte.pdf"},
    )
    assert codes(result) == ["evidence-missing", "evidence-missing"]
    assert "vedlegg/borte.pdf" in result.reasons[0].message


def test_not_met_needs_no_evidence_but_skal_needs_an_action() -> None:
    result = one(DOC, {"status": "not_met", "justification": "Mangler rutine."})
    assert codes(result) == ["action-missing"]
    assert codes(one(BOR, {"status": "not_met", "justification": "Nei."})) == [], "bør needs no action"


def test_action_overdue() -> None:
    late = {"what": "Skrive rutine", "responsible": "Kari", "due": dt.date(2026, 10, 31)}
    result = one(DOC, {"status": "not_met", "justification": "Nei.", "action": late})
    assert codes(result) == ["action-overdue"]
    assert "2026-10-31" in result.reasons[0].message and "Kari" in result.reasons[0].message
    on_time = dict(late, due=AS_OF)
    assert codes(one(DOC, {"status": "not_met", "justification": "Nei.", "action": on_time})) == []
    done = one(DOC, {"status": "met", "evidence": FRESH, "action": late})
    assert codes(done) == [], "an action on a met requirement is done, not overdue"


def test_valid_waiver_passes_a_skal_requirement() -> None:
    waiver = {
        "requirement": DOC.id,
        "justification": "Ny sentral",
        "approved_by": "Helsedirektoratet",
        "expires": AS_OF,
    }
    result = one(DOC, {"status": "not_met", "justification": "Nei."}, waiver=waiver)
    assert result.waived and result.passes and result.outcome is Outcome.not_met
    assert codes(result) == ["waived"]


def test_expired_waiver() -> None:
    waiver = {
        "requirement": DOC.id,
        "justification": "Ny sentral",
        "approved_by": "Helsedirektoratet",
        "expires": dt.date(2026, 10, 31),
    }
    result = one(DOC, {"status": "not_met", "justification": "Nei."}, waiver=waiver)
    assert not result.waived and not result.passes
    assert codes(result) == ["waiver-expired", "action-missing"]


@pytest.mark.parametrize(
    ("approved_on", "waived", "expected"),
    [
        (AS_OF, True, ["waived"]),  # counts from the day it was approved
        (AS_OF - dt.timedelta(days=30), True, ["waived"]),
        (AS_OF + dt.timedelta(days=1), False, ["waiver-not-yet-approved", "action-missing"]),
    ],
)
def test_a_waiver_counts_from_its_approval(approved_on, waived, expected) -> None:
    waiver = {
        "requirement": DOC.id,
        "justification": "Ny sentral",
        "approved_by": "Helsedirektoratet",
        "approved_on": approved_on,
        "expires": AS_OF + dt.timedelta(days=90),
    }
    result = one(DOC, {"status": "not_met", "justification": "Nei."}, waiver=waiver)
    assert result.waived is waived and result.passes is waived
    assert codes(result) == expected
    assert Assessment.model_validate(assessment(waivers=[waiver]).model_dump()).waivers[0].valid_on(AS_OF) is waived


def typed(spec, calls: int, share: float | None = None, max_wait: float | None = None) -> Measurement:
    return from_typed(spec.metric, calls, share, max_wait)


def logged(spec, calls: int, within: int, answered: int | None = None, claimed: Claimed | None = None) -> Measurement:
    answered = calls if answered is None else answered
    base = answered if spec.metric.denominator.value == "answered" else calls
    return Measurement(
        "call_logs",
        spec.metric.denominator,
        calls=calls,
        answered=answered,
        within=within,
        share=Fraction(within, base),
        over_threshold=0,
        claimed=claimed,
    )


def test_typed_share_decides_an_unanswered_metric_requirement_as_claimed() -> None:
    result = one(SHARE, None, measurement=typed(SHARE, 5230, 0.71))
    assert result.outcome is Outcome.not_met
    assert codes(result) == ["claimed", "action-missing"]
    message = result.reasons[0].message
    assert "71,0\u00a0%" in message and "5\u00a0230 anrop" in message and "ikke målt" in message
    assert one(SHARE, None, measurement=typed(SHARE, 100, 0.8)).outcome is Outcome.met, "exactly 80 % is met"


def test_met_answer_contradicted_by_the_data() -> None:
    result = one(SHARE, {"status": "met", "justification": "Bra."}, measurement=typed(SHARE, 5230, 0.71))
    assert result.outcome is Outcome.contradicted and not result.passes
    assert codes(result)[0] == "measured-contradicts" and "action-missing" in codes(result)


def test_max_wait() -> None:
    ok = one(WAIT, {"status": "met"}, measurement=typed(WAIT, 900, max_wait=20))
    assert ok.outcome is Outcome.met, "a call answered exactly at the limit is within it"
    bad = one(WAIT, {"status": "met"}, measurement=typed(WAIT, 900, max_wait=34))
    assert bad.outcome is Outcome.contradicted and "34,0\u00a0s" in bad.reasons[0].message


def test_call_logs_stand_in_for_metric_evidence() -> None:
    answer = {"status": "met", "justification": "Målt."}
    assert codes(one(SHARE, answer, measurement=logged(SHARE, 10, 9))) == ["measured"]
    assert codes(one(SHARE, answer, measurement=typed(SHARE, 10, 0.9))) == ["claimed", "evidence-missing"]


def test_call_log_that_cannot_decide_leaves_the_answer() -> None:
    undecided = Measurement("call_logs", WAIT.metric.denominator, calls=3, over_threshold=0, unknown_wait=2)
    result = one(WAIT, {"status": "partial", "justification": "Delvis."}, measurement=undecided)
    assert result.outcome is Outcome.partial and codes(result) == ["measured-undecided"]
    assert "ended_at" in result.reasons[0].message


def test_unreadable_call_log_is_never_met() -> None:
    broken = unmeasured(SHARE.metric, "anropsloggen a.csv finnes ikke")
    result = one(SHARE, {"status": "met", "justification": "Bra.", "evidence": FRESH}, measurement=broken)
    assert result.outcome is Outcome.unmeasured and not result.passes
    assert codes(result)[0] == "unmeasured" and "a.csv finnes ikke" in result.reasons[0].message


def test_typed_figure_beside_the_log_agreeing_within_rounding() -> None:
    # the log measures 773/1000 = 77.3 %; the service typed 0.773 (and 0.77, rounded to two decimals)
    for written in (0.773, 0.77, 0.8):
        m = logged(SHARE, 1000, 773, claimed=Claimed.typed(1000, written, None))
        result = one(SHARE, {"status": "not_met", "justification": "Nei."}, measurement=m)
        assert result.outcome is Outcome.not_met and codes(result)[0] == "measured", written
        assert "oppgitt" in result.reasons[0].message


def test_typed_figure_disagreeing_with_the_log_is_contradicted() -> None:
    m = logged(SHARE, 1000, 773, claimed=Claimed.typed(1000, 0.84, None))
    result = one(SHARE, {"status": "met", "justification": "Bra."}, measurement=m)
    assert result.outcome is Outcome.contradicted and codes(result)[0] == "figure-contradicts"
    message = result.reasons[0].message
    assert "84,0\u00a0%" in message and "77,3\u00a0%" in message, "both figures in the reason"
    # disagreement contradicts even when the log meets the requirement
    high = logged(SHARE, 1000, 900, claimed=Claimed.typed(1000, 0.95, None))
    assert one(SHARE, {"status": "met", "justification": "Bra."}, measurement=high).outcome is Outcome.contradicted


def test_advisor_disagreement_is_disputed_and_the_advisor_decides() -> None:
    verification = {"status": "partial", "comment": "Rutinen er ikke vedtatt.", "by": "Rådgiver", "date": AS_OF}
    result = one(DOC, {"status": "met", "evidence": FRESH, "verification": verification})
    assert codes(result) == ["disputed"] and result.outcome is Outcome.partial, "the advisor's verdict counts"
    assert "Rutinen er ikke vedtatt." in result.reasons[0].message and "oppfylt" in result.reasons[0].message
    data = result.as_json()
    assert (data["claimed"], data["verified"], data["outcome"]) == ("met", "partial", "partial")
    agreed = one(DOC, {"status": "met", "evidence": FRESH, "verification": dict(verification, status="met")})
    assert codes(agreed) == [] and agreed.outcome is Outcome.met
    upgraded = one(
        DOC, {"status": "partial", "justification": "Delvis.", "verification": dict(verification, status="met")}
    )
    assert upgraded.outcome is Outcome.met and "disputed" in codes(upgraded)


def test_measured_data_decides_over_the_advisor() -> None:
    """Call logs are facts: an advisor's status does not override what they measured."""
    verification = {"status": "met", "by": "Rådgiver", "date": AS_OF}
    low = logged(SHARE, 1000, 700)
    result = one(SHARE, {"status": "not_met", "justification": "Lav.", "verification": verification}, measurement=low)
    assert result.outcome is Outcome.not_met and "disputed" in codes(result)


def test_summary_score_and_passed() -> None:
    items = [(r, None, APPLIES) for r in (DOC, SHARE, BOR)]
    a = assessment(
        {
            "TST-DOK-01": {"status": "met", "evidence": FRESH},
            "TST-SVAR-01": {"status": "met", "measured": {"calls": 10, "share": 0.9}},
            "TST-BOR-01": {"status": "not_met", "justification": "Nei."},
        }
    )
    ev = evaluate(items, SERVICE, a, as_of=AS_OF, measurements={"TST-SVAR-01": typed(SHARE, 10, 0.9)})
    s = ev.summary
    assert (s["skal_total"], s["skal_met"], s["bor_total"], s["bor_met"]) == (2, 2, 1, 0)
    assert s["score"] == 0.8 and s["passed"] and ev.passed
    data = ev.as_json()
    assert set(data) >= {"service", "edition", "summary", "results"}
    assert [set(r) >= {"id", "level", "outcome", "reasons"} for r in data["results"]] == [True] * 3
    assert data["results"][2]["level"] == "bør"


def test_not_applicable_requirements_leave_the_totals() -> None:
    big = requirement(id="TST-STOR-01", conditions={"population_min": 100000})
    applies = applicability(big, SERVICE)
    assert not applies.applies and applies.code == "condition-population" and "48\u00a0200" in applies.reason
    ev = evaluate([(big, None, applies)], SERVICE, assessment(), as_of=AS_OF)
    assert ev.results[0].outcome is Outcome.not_applicable and ev.results[0].reasons[0].code == "condition-population"
    assert ev.summary["skal_total"] == 0 and ev.summary["score"] is None and ev.passed


def test_applicability_by_kind_lines_and_status() -> None:
    assert applicability(requirement(applies_to=["amk"]), SERVICE).code == "other-kind"
    assert applicability(requirement(conditions={"lines_any": ["113"]}), SERVICE).code == "condition-lines"
    assert applicability(requirement(conditions={"lines_any": ["116117"]}), SERVICE).applies
    assert applicability(requirement(conditions={"population_max": 50000}), SERVICE).applies
    assert applicability(requirement(conditions={"population_max": 40000}), SERVICE).code == "condition-population"
    assert applicability(requirement(status="retired"), SERVICE).code == "retired"
    unknown = Service(id="x", name="X", kind="legevaktsentral")
    assert applicability(requirement(conditions={"population_min": 100000}), unknown).applies, (
        "a condition on an attribute the service leaves out holds"
    )


def test_add_months_clamps_the_day() -> None:
    assert add_months(dt.date(2026, 1, 31), 1) == dt.date(2026, 2, 28)
    assert add_months(dt.date(2025, 11, 1), 12) == dt.date(2026, 11, 1)
    assert add_months(dt.date(2026, 12, 15), 14) == dt.date(2028, 2, 15)


@given(st.dates(), st.integers(-2400, 2400))
def test_add_months_against_the_calendar(day: dt.date, months: int) -> None:
    import calendar

    index = day.month - 1 + months
    year, month = day.year + index // 12, index % 12 + 1
    if not dt.MINYEAR <= year <= dt.MAXYEAR:
        assert add_months(day, months) in (dt.date.max, dt.date.min)
        return
    assert add_months(day, months) == dt.date(year, month, min(day.day, calendar.monthrange(year, month)[1]))
