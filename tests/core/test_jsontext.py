"""`pretty_json` writes what `json.dumps(..., ensure_ascii=False, indent=2, default=str)` writes."""

from __future__ import annotations

import datetime as dt
import json

from hypothesis import given
from hypothesis import strategies as st

from kokom_cli.core.jsontext import pretty_json

scalars = (
    st.none() | st.booleans() | st.integers() | st.floats(allow_nan=True, allow_infinity=True) | st.text() | st.dates()
)
keys = st.text() | st.integers() | st.booleans() | st.none() | st.floats(allow_nan=False)
documents = st.recursive(
    scalars,
    lambda inner: st.lists(inner) | st.tuples(inner, inner) | st.dictionaries(keys, inner),
    max_leaves=60,
)


def _reference(data) -> str:
    return json.dumps(data, ensure_ascii=False, indent=2, default=str)


@given(documents)
def test_the_same_text_as_the_standard_library(data) -> None:
    assert pretty_json(data) == _reference(data)


def test_nested_empty_containers_dates_and_hidden_characters() -> None:
    data = {"a": [], "b": {}, "c": [{"d": dt.date(2026, 12, 6)}], "e": "æøå\u202e\x1b", 1: 1.5, None: [None]}
    assert pretty_json(data) == _reference(data)
