"""Parsing choices given on the command line into model values, with helpful errors."""

from __future__ import annotations

from enum import Enum
from typing import TypeVar

from kokom_cli.findings import Finding, KokomError, Severity
from kokom_cli.i18n import tr
from kokom_cli.suggest import did_you_mean

E = TypeVar("E", bound=Enum)


def parse_choice(value: str, enum: type[E], option: str) -> E:
    allowed = [m.value for m in enum]
    for member in enum:
        if member.value == value:
            return member
    raise KokomError(Finding(option, 0, 0, Severity.error, "usage",
                             tr(f"ukjent verdi '{value}'{did_you_mean(value, allowed)}; tillatt: {', '.join(allowed)}",
                                f"unknown value '{value}'{did_you_mean(value, allowed)}; allowed: {', '.join(allowed)}")))
