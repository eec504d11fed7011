"""The built-in national corpus is true to the regulation (shared/domain/FACTS.md)."""

from __future__ import annotations

from kokom_cli.requirements.corpus import load_corpus
from kokom_cli.requirements.models import Indicator, Level, ServiceKind, Verification
from kokom_cli.workspace import builtin_dir

CORPUS = load_corpus(builtin_dir("requirements"))
REQS = CORPUS.requirements


def test_loads_without_findings_and_is_big_enough() -> None:
    assert CORPUS.findings == []
    assert len(REQS) >= 40 and len(CORPUS.chapters) >= 6


def test_the_three_answer_time_requirements_have_exact_thresholds() -> None:
    expected = {
        "AMK-SVAR-01": (ServiceKind.amk, Indicator.answered_within, ["113"], 10, 0.9),
        "AMK-SVAR-02": (ServiceKind.amk, Indicator.max_wait, ["113"], 20, 1.0),
        "LVS-SVAR-01": (ServiceKind.legevaktsentral, Indicator.answered_within, ["116117", "local"], 120, 0.8),
    }
    for rid, (kind, indicator, lines, seconds, share) in expected.items():
        r = REQS[rid]
        assert r.level is Level.skal and r.verification is Verification.metric and kind in r.applies_to
        m = r.metric
        assert (m.indicator, m.lines, m.threshold_seconds, m.required_share) == (indicator, lines, seconds, share)


def test_only_answer_time_requirements_are_metric() -> None:
    assert {r.id for r in REQS.values() if r.verification is Verification.metric} == {
        "AMK-SVAR-01",
        "AMK-SVAR-02",
        "LVS-SVAR-01",
    }


def test_every_requirement_cites_a_source_with_an_address_or_reference() -> None:
    for r in REQS.values():
        assert r.source and any(s.url or s.ref for s in r.source), r.id


def test_numbers_from_the_regulation_appear_exactly() -> None:
    text = " ".join(" ".join(f"{r.title} {r.text}".split()) for r in REQS.values())
    for fact in (
        "30 måneder",
        "40 legevakter",
        "3 år",
        "1. januar 2020",
        "1. mai 2018",
        "1. mai 2022",
        "7 timer",
        "15 timer",
        "1. oktober 2019",
        "6 måneder",
    ):
        assert fact in text, fact


def test_recommendations_are_not_made_into_law() -> None:
    ambulance = [r for r in REQS.values() if "12 minutter" in r.text]
    assert ambulance and all(r.level is Level.bor for r in ambulance)
