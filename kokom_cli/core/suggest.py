"""'Did you mean ...?' for misspelt ids, fields and names."""

from __future__ import annotations

import difflib
from collections.abc import Iterable

from kokom_cli.core.i18n import tr


def did_you_mean(wanted: str, known: Iterable[str]) -> str:
    """A suffix for an error message: "; mente du 'X'?" ("did you mean") or nothing."""
    matches = difflib.get_close_matches(wanted, list(known), n=1, cutoff=0.6)
    if not matches:
        upper = wanted.upper()
        matches = [k for k in known if k.upper() == upper][:1]
    return (
        tr(f"; mente du '{matches[0]}'?", f"; did you mean '{matches[0]}'?", f"; meinte du '{matches[0]}'?")
        if matches
        else ""
    )
