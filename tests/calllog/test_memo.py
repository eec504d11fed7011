"""One run, one connection: several services' logs measured in turn, each on its own calls only."""

from __future__ import annotations

import datetime as dt
from fractions import Fraction
from pathlib import Path

from kokom_cli.calllog.memo import RunMemo
from kokom_cli.calllog.metrics import measure, measure_requirements
from kokom_cli.requirements.models import Requirement

HEADER = "call_id,line,offered_at,answered_at,ended_at\n"
START = dt.datetime(2026, 3, 2, 10, 0, tzinfo=dt.UTC)


def _requirement(line: str = "113", threshold: int = 10, denominator: str = "answered") -> Requirement:
    return Requirement.model_validate(
        {
            "id": f"X-{line}-{threshold}",
            "title": "T",
            "text": "T",
            "level": "skal",
            "applies_to": ["amk"],
            "source": [{"title": "S"}],
            "verification": "metric",
            "metric": {
                "indicator": "answered_within",
                "lines": [line],
                "threshold_seconds": threshold,
                "required_share": 0.9,
                "denominator": denominator,
            },
            "since": "2026.1",
        }
    )


def _log(path: Path, delays: list[float | None], line: str = "113", prefix: str = "C") -> Path:
    rows = [HEADER]
    for i, delay in enumerate(delays):
        answered = "" if delay is None else (START + dt.timedelta(seconds=delay)).isoformat()
        rows.append(f"{prefix}{i},{line},{START.isoformat()},{answered},\n")
    path.write_text("".join(rows), encoding="utf-8")
    return path


def test_each_service_is_measured_on_its_own_calls_in_one_connection(tmp_path: Path) -> None:
    a = _log(tmp_path / "a.csv", [1, 2, 30, None])
    b = _log(tmp_path / "b.csv", [1, 50, 60, 70, 80, None, None])
    c = _log(tmp_path / "c.csv", [1, 2], line="116117")  # no calls on 113
    broken = tmp_path / "broken.csv"
    broken.write_text("not,a,call,log\n1,2,3,4\n", encoding="utf-8")
    amk, lvs = _requirement(), _requirement("116117", 120, "offered")
    with RunMemo() as memo:
        first = memo.connection()
        got_a = measure_requirements([(amk, [a])], None, memo)[amk.id]
        got_broken = measure_requirements([(amk, [broken])], None, memo)[amk.id]
        got_b = measure_requirements([(amk, [b]), (lvs, [b])], None, memo)
        got_c = measure_requirements([(amk, [c]), (lvs, [c])], None, memo)
        assert memo.connection() is first  # one connection for the whole run
    # each set of files counted alone: nothing left over from the one loaded before it
    assert (got_a.calls, got_a.answered, got_a.within, got_a.share) == (4, 3, 2, Fraction(2, 3))
    assert got_broken.error and got_broken.share is None
    assert (got_b[amk.id].calls, got_b[amk.id].within) == (7, 1)
    assert got_b[lvs.id].error and "116117" in got_b[lvs.id].error  # b has no calls on 116117
    assert got_c[amk.id].error and got_c[lvs.id].share == 1
    # the same figures as the detailed report of one log alone
    report = measure([b], lines=["113"], threshold_seconds=10)
    assert (report.overall.calls, report.overall.answered, report.overall.within[10]) == (7, 5, 1)


def test_a_log_is_read_once_per_run_and_the_connection_closes(tmp_path: Path) -> None:
    a = _log(tmp_path / "a.csv", [1, 2])
    amk = _requirement()
    with RunMemo() as memo:
        measure_requirements([(amk, [a])], None, memo)
        a.write_text(HEADER, encoding="utf-8")  # changed after the read: the run keeps what it measured
        again = measure_requirements([(amk, [a])], None, memo)[amk.id]
        con = memo.connection()
    assert again.calls == 2
    try:
        con.execute("SELECT 1")
    except Exception as exc:  # closed with the run
        assert "closed" in str(exc).lower()
    else:
        raise AssertionError("the run's connection is still open")
