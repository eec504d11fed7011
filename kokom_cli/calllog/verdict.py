"""One measurement model and one threshold judgement, in exact arithmetic.

A `Measurement` is what is known about one metric requirement for one
service: figures counted from call logs (`source="call_logs"`), or figures the
service typed into its assessment (`source="assessment"`: claimed, not
measured). A log that could not be read gives a measurement with `error` set:
it is never met. `judge` decides a measurement against its requirement; it is
the only place a share is compared with a threshold, and it compares
fractions, never floats, so "9 of 10 at exactly 90 %" is met on every machine.
`kokom metrics`, `assess check`, `assess migrate` and `overview` all use it.

A typed figure next to a log's (`claimed`) is compared with `agrees`: the two
agree when the measured figure, rounded to as many decimals as the typed one
was written with, equals it.
"""

from __future__ import annotations

from dataclasses import dataclass
from fractions import Fraction

from kokom_cli.core.i18n import tr
from kokom_cli.core.numbers import count, percent, seconds
from kokom_cli.requirements.models import Denominator, Indicator, MetricSpec


@dataclass(frozen=True)
class Claimed:
    """Figures typed into an assessment (`measured:`)."""

    calls: int
    share: Fraction | None = None
    max_wait_seconds: Fraction | None = None
    share_text: str | None = None  # as written, to judge rounding
    max_wait_text: str | None = None

    @classmethod
    def typed(cls, calls: int, share: float | None, max_wait: float | None) -> Claimed:
        return cls(
            calls,
            Fraction(str(share)) if share is not None else None,
            Fraction(str(max_wait)) if max_wait is not None else None,
            str(share) if share is not None else None,
            str(max_wait) if max_wait is not None else None,
        )

    def as_json(self) -> dict:
        return {
            "calls": self.calls,
            "share": float(self.share) if self.share is not None else None,
            "max_wait_seconds": float(self.max_wait_seconds) if self.max_wait_seconds is not None else None,
        }


@dataclass(frozen=True)
class Measurement:
    """The figures for one metric requirement, with the definition they were computed by.

    `calls` are the offered calls left after the exclusions, `answered` those answered, `within` those answered
    within the threshold; `share` is `within` over the denominator (answered or offered calls), exact.
    """

    source: str  # "call_logs" | "assessment"
    denominator: Denominator
    calls: int = 0
    answered: int | None = None
    within: int | None = None
    share: Fraction | None = None
    max_wait_seconds: Fraction | None = None
    over_threshold: int | None = None
    unknown_wait: int = 0
    bad_rows: int = 0
    files: tuple[str, ...] = ()
    error: str | None = None  # the log could not be read or had no calls: not measured, never met
    claimed: Claimed | None = None  # a typed figure shown beside the log's
    definition: dict | None = None

    @property
    def measured(self) -> bool:
        return self.source == "call_logs" and self.error is None

    def as_json(self) -> dict:
        data = {
            "source": self.source,
            "calls": self.calls,
            "answered": self.answered,
            "within_threshold": self.within,
            "share": float(self.share) if self.share is not None else None,
            "max_wait_seconds": float(self.max_wait_seconds) if self.max_wait_seconds is not None else None,
            "over_threshold": self.over_threshold,
            "denominator": self.denominator.value,
            "definition": self.definition,
            "bad_rows": self.bad_rows or None,
            "files": list(self.files) or None,
            "error": self.error,
            "claimed": self.claimed.as_json() if self.claimed else None,
        }
        return {k: v for k, v in data.items() if v is not None}


def from_typed(spec: MetricSpec, calls: int, share: float | None, max_wait: float | None) -> Measurement:
    """A figure typed into an assessment, with no call log: claimed, not measured."""
    claimed = Claimed.typed(calls, share, max_wait)
    return Measurement(
        "assessment",
        spec.denominator,
        calls=calls,
        share=claimed.share,
        max_wait_seconds=claimed.max_wait_seconds,
        definition=spec.definition(),
    )


def unmeasured(spec: MetricSpec, why: str, files: tuple[str, ...] = (), claimed: Claimed | None = None) -> Measurement:
    return Measurement(
        "call_logs", spec.denominator, files=files, error=why, claimed=claimed, definition=spec.definition()
    )


def meets(spec: MetricSpec, share: Fraction | None = None, max_wait: Fraction | None = None) -> bool:
    """The one threshold judgement: at least the required share (at it counts as met), or no wait over the limit."""
    if spec.indicator is Indicator.max_wait:
        return (max_wait or Fraction(0)) <= spec.threshold_seconds
    return share is not None and share >= Fraction(str(spec.required_share))


def _decimals(text: str | None) -> int:
    if not text or "e" in text.lower():
        return 6
    return len(text.split(".", 1)[1]) if "." in text else 0


def _rounds_to(value: Fraction, text: str) -> bool:
    """Whether `value` is within half a unit of the last decimal `text` was written with."""
    unit = Fraction(1, 10 ** _decimals(text))
    return abs(value - Fraction(text)) <= unit / 2


def agrees(spec: MetricSpec, m: Measurement) -> bool:
    """Whether the typed figure beside a log's agrees with it within rounding (True with nothing to compare)."""
    c = m.claimed
    if c is None or not m.measured:
        return True
    if spec.indicator is Indicator.max_wait:
        if c.max_wait_text is None or m.max_wait_seconds is None:
            return True
        return _rounds_to(m.max_wait_seconds, c.max_wait_text)
    if c.share_text is None or m.share is None:
        return True
    return _rounds_to(m.share, c.share_text)


def _lines(spec: MetricSpec) -> str:
    return ", ".join(spec.lines)


def describe(spec: MetricSpec, m: Measurement) -> str:
    """The figure in words, with its definition: 'Målt 71,2 % av 3 335 anrop ... (andel av alle anrop ...).'"""
    main, note = _parts(spec, m)
    return f"{main}.{note}"


def _parts(spec: MetricSpec, m: Measurement) -> tuple[str, str]:
    """The figure as a sentence without its full stop, and a note on bad rows."""
    t, lines = spec.threshold_seconds, _lines(spec)
    definition = spec.definition_text()
    if m.error is not None:
        return tr(f"Ikke målt: {m.error}", f"Not measured: {m.error}", f"Ikkje målt: {m.error}"), ""
    if m.source == "assessment":
        if spec.indicator is Indicator.max_wait:
            return tr(
                f"Oppgitt, ikke målt: lengste ventetid {seconds(m.max_wait_seconds)} av {count(m.calls)} anrop "
                f"på linje {lines}; grensen er {t} s",
                f"Claimed, not measured: longest wait {seconds(m.max_wait_seconds)} of {count(m.calls)} calls "
                f"on line {lines}; the limit is {t} s",
                f"Oppgitt, ikkje målt: lengste ventetid {seconds(m.max_wait_seconds)} av {count(m.calls)} anrop "
                f"på linje {lines}; grensa er {t} s",
            ), ""
        return tr(
            f"Oppgitt, ikke målt: {percent(m.share)} av {count(m.calls)} anrop på linje {lines} besvart innen "
            f"{t} s ({definition}); kravet er {percent(spec.required_share)}",
            f"Claimed, not measured: {percent(m.share)} of {count(m.calls)} calls on line {lines} answered within "
            f"{t} s ({definition}); required {percent(spec.required_share)}",
            f"Oppgitt, ikkje målt: {percent(m.share)} av {count(m.calls)} anrop på linje {lines} svart innan "
            f"{t} s ({definition}); kravet er {percent(spec.required_share)}",
        ), ""
    note = (
        tr(
            f" Ugyldige rader holdt utenfor: {count(m.bad_rows)}.",
            f" Bad rows left out: {count(m.bad_rows)}.",
            f" Ugyldige rader haldne utanfor: {count(m.bad_rows)}.",
        )
        if m.bad_rows
        else ""
    )
    if spec.indicator is Indicator.answered_within:
        answered = spec.denominator is Denominator.answered
        base = (m.answered or 0) if answered else m.calls
        of_answered = tr("besvarte ", "answered ", "svarte ") if answered else ""
        return tr(
            f"Målt {percent(m.share)} av {count(base)} {of_answered}anrop "
            f"på linje {lines} besvart innen {t} s ({definition}; krav: {percent(spec.required_share)})",
            f"Measured {percent(m.share)} of {count(base)} {of_answered}calls "
            f"on line {lines} answered within {t} s ({definition}; required: {percent(spec.required_share)})",
            f"Målt {percent(m.share)} av {count(base)} {of_answered}anrop "
            f"på linje {lines} svart innan {t} s ({definition}; krav: {percent(spec.required_share)})",
        ), note
    longest = seconds(m.max_wait_seconds)
    if m.over_threshold:
        return tr(
            f"{count(m.over_threshold)} av {count(m.calls)} anrop på linje {lines} ventet lenger enn {t} s "
            f"(lengste ventetid {longest})",
            f"{count(m.over_threshold)} of {count(m.calls)} calls on line {lines} waited longer than {t} s "
            f"(longest wait {longest})",
            f"{count(m.over_threshold)} av {count(m.calls)} anrop på linje {lines} venta lenger enn {t} s "
            f"(lengste ventetid {longest})",
        ), note
    if m.unknown_wait:
        return tr(
            f"Ingen kjent ventetid over {t} s, men {count(m.unknown_wait)} ubesvarte anrop mangler ended_at, så "
            "ventetiden deres er ukjent",
            f"No known wait over {t} s, but {count(m.unknown_wait)} unanswered calls lack ended_at, so their wait "
            "is unknown",
            f"Inga kjend ventetid over {t} s, men {count(m.unknown_wait)} usvarte anrop manglar ended_at, så "
            "ventetida deira er ukjend",
        ), note
    return tr(
        f"Ingen av {count(m.calls)} anrop på linje {lines} ventet lenger enn {t} s (lengste ventetid {longest})",
        f"None of {count(m.calls)} calls on line {lines} waited longer than {t} s (longest wait {longest})",
        f"Ingen av {count(m.calls)} anrop på linje {lines} venta lenger enn {t} s (lengste ventetid {longest})",
    ), note


@dataclass(frozen=True)
class Verdict:
    met: bool | None  # None: the log cannot decide (max_wait with unknown waits only)
    figure: str  # the figure in words, with the verdict
    agrees: bool = True  # the typed figure beside the log's agrees with it


def judge(spec: MetricSpec, m: Measurement) -> Verdict:
    """Decide one metric requirement from its measurement. An unreadable log is never met."""
    main, note = _parts(spec, m)
    if m.error is not None:
        return Verdict(False, f"{main}.")
    if spec.indicator is Indicator.max_wait:
        if m.over_threshold:
            met: bool | None = False
        elif m.source == "call_logs" and m.unknown_wait:
            met = None
        else:
            met = meets(spec, max_wait=m.max_wait_seconds)
    else:
        met = meets(spec, share=m.share)
    if met is None:
        undecided = tr("kravet kan ikke avgjøres", "the requirement cannot be decided", "kravet kan ikkje avgjerast")
        return Verdict(None, f"{main}; {undecided}.{note}")
    if m.source == "assessment":
        return Verdict(met, f"{main}.")
    word = tr("oppfylt", "met", "oppfylt") if met else tr("ikke oppfylt", "not met", "ikkje oppfylt")
    return Verdict(met, f"{main}: {word}.{note}", agrees(spec, m))


def claimed_text(spec: MetricSpec, m: Measurement) -> str:
    """The typed figure beside the log's, in words: 'oppgitt 84,0 %, målt 77,3 %'."""
    c = m.claimed
    assert c is not None
    if spec.indicator is Indicator.max_wait:
        return tr(
            f"oppgitt lengste ventetid {seconds(c.max_wait_seconds)}, målt {seconds(m.max_wait_seconds)}",
            f"claimed longest wait {seconds(c.max_wait_seconds)}, measured {seconds(m.max_wait_seconds)}",
            f"oppgitt lengste ventetid {seconds(c.max_wait_seconds)}, målt {seconds(m.max_wait_seconds)}",
        )
    return tr(
        f"oppgitt {percent(c.share)}, målt {percent(m.share)} ({spec.denominator.label()})",
        f"claimed {percent(c.share)}, measured {percent(m.share)} ({spec.denominator.label()})",
        f"oppgitt {percent(c.share)}, målt {percent(m.share)} ({spec.denominator.label()})",
    )
