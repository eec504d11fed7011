"""Parsing values given on the command line (choices, dates), with one clear error each."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from enum import Enum
from typing import TypeVar, overload

from kokom_cli.core.findings import Finding, KokomError, Severity
from kokom_cli.core.i18n import tr
from kokom_cli.core.suggest import did_you_mean

E = TypeVar("E", bound=Enum)


def usage_error(option: str, message: str) -> KokomError:
    """A usage error (exit 2) about one option, as `--option:0:0: error usage: message`."""
    return KokomError(Finding(option, 0, 0, Severity.error, "usage", message))


def require_choice(value: str, allowed: Iterable[str], option: str) -> str:
    """`value` if it is one of `allowed`, else a usage error with a suggestion."""
    allowed = list(allowed)
    if value in allowed:
        return value
    hint = did_you_mean(value, allowed)
    raise usage_error(
        option,
        tr(
            f"ukjent verdi '{value}'{hint}; tillatt: {', '.join(allowed)}",
            f"unknown value '{value}'{hint}; allowed: {', '.join(allowed)}",
            f"ukjend verdi '{value}'{hint}; tillate: {', '.join(allowed)}",
        ),
    )


def parse_choice(value: str, enum: type[E], option: str) -> E:
    return enum(require_choice(value, [m.value for m in enum], option))


@overload
def parse_date(value: str | None, option: str, default: dt.date) -> dt.date: ...
@overload
def parse_date(value: str | None, option: str, default: None = None) -> dt.date | None: ...
def parse_date(value: str | None, option: str, default: dt.date | None = None) -> dt.date | None:
    """A YYYY-MM-DD option as a date; `default` when it was not given."""
    if value is None:
        return default
    try:
        return dt.date.fromisoformat(value)
    except ValueError:
        raise usage_error(
            option,
            tr(
                f"'{value}' er ikke en dato; skriv den som ÅÅÅÅ-MM-DD",
                f"'{value}' is not a date; write it as YYYY-MM-DD",
                f"'{value}' er ikkje ein dato; skriv han som ÅÅÅÅ-MM-DD",
            ),
        ) from None
