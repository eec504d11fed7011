"""The figures `kokom metrics` reports for a set of calls, the period they are counted over, and the report.

Plain frozen data with `as_json()`: `Figures` for one set of calls (all, a month,
a line), `Period` in Norwegian calendar days, `CallLogReport` for a whole run.
Times are kept in microseconds (`US` to a second) and shown in seconds.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from fractions import Fraction
from zoneinfo import ZoneInfo

from kokom_cli.calllog.reader import REPORT_TIMEZONE, BadRows
from kokom_cli.requirements.models import Denominator

OVER_SECONDS = 20  # Helsedirektoratet's "> 20 s" category for 113
WITHIN_LONG_SECONDS = 600  # Helsedirektoratet also publishes the share answered within 10 minutes
QUANTILES = (0.5, 0.9)
US = 1_000_000  # microseconds in a second


@dataclass(frozen=True)
class Figures:
    """The figures for one set of calls (all, one month, or one line)."""

    calls: int
    answered: int
    threshold_seconds: int
    within: dict[int, int]  # threshold seconds -> calls answered within it (at it counts as within)
    over: dict[int, int]  # threshold seconds -> calls whose known wait was longer
    median_answer_seconds: float | None
    p90_answer_seconds: float | None
    max_wait_seconds: float | None
    unknown_wait: int  # unanswered calls without ended_at: how long they waited is not known
    denominator: Denominator = Denominator.offered
    max_wait_us: int | None = None

    @property
    def abandoned(self) -> int:
        return self.calls - self.answered

    @property
    def base(self) -> int:
        """The calls a share is a share of: answered ones, or every offered call."""
        return self.answered if self.denominator is Denominator.answered else self.calls

    def exact_share(self, seconds: int) -> Fraction | None:
        return Fraction(self.within[seconds], self.base) if self.base else None

    def share(self, seconds: int) -> float | None:
        exact = self.exact_share(seconds)
        return float(exact) if exact is not None else None

    @property
    def within_threshold_share(self) -> float | None:
        return self.share(self.threshold_seconds)

    def as_json(self) -> dict:
        return {
            "calls": self.calls,
            "answered": self.answered,
            "abandoned": self.abandoned,
            "denominator": self.denominator.value,
            "threshold_seconds": self.threshold_seconds,
            "within_threshold": self.within[self.threshold_seconds],
            "within_threshold_share": self.within_threshold_share,
            "median_answer_seconds": self.median_answer_seconds,
            "p90_answer_seconds": self.p90_answer_seconds,
            "max_wait_seconds": self.max_wait_seconds,
            "over_20_seconds": self.over[OVER_SECONDS],
            "within_10_minutes_share": self.share(WITHIN_LONG_SECONDS),
            "unknown_wait_calls": self.unknown_wait,
        }


@dataclass(frozen=True)
class Period:
    """Calendar days in Europe/Oslo, both ends included; None is open."""

    start: dt.date | None = None
    end: dt.date | None = None

    def hours(self) -> tuple[int | None, int | None]:
        """The first UTC hour in the period and the first after it, counted from 1970 (Norwegian midnights are
        whole UTC hours)."""
        oslo = ZoneInfo(REPORT_TIMEZONE)

        def hour(day: dt.date) -> int:
            return int(dt.datetime.combine(day, dt.time(), oslo).timestamp()) // 3600

        return (hour(self.start) if self.start else None, hour(self.end + dt.timedelta(days=1)) if self.end else None)

    def as_json(self) -> dict:
        return {
            "from": self.start.isoformat() if self.start else None,
            "to": self.end.isoformat() if self.end else None,
        }


@dataclass(frozen=True)
class CallLogReport:
    """Everything `kokom metrics` reports about some call-log files."""

    files: list[str]
    lines: list[str]
    period: Period
    overall: Figures
    by_month: dict[str, Figures]
    by_line: dict[str, Figures]
    other_lines: dict[str, int]  # good rows on lines that were not measured
    outside_period: int  # good rows on the measured lines outside the period
    bad: BadRows
    definition: dict | None = None

    def as_json(self) -> dict:
        return {
            **self.overall.as_json(),
            "definition": self.definition,
            "files": self.files,
            "lines": self.lines,
            "period": self.period.as_json(),
            "by_month": {k: v.as_json() for k, v in self.by_month.items()},
            "by_line": {k: v.as_json() for k, v in self.by_line.items()},
            "other_lines": self.other_lines,
            "outside_period": self.outside_period,
            "bad_rows": self.bad.as_json(),
        }
