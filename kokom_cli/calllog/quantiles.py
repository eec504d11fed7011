"""Exact median and 90th percentile of answer times, in memory bounded by the distinct seconds, not the calls.

The percentiles are exact without holding every answer time: a histogram by whole
seconds finds the second each wanted rank falls in, then one by milliseconds
inside that second, then the microsecond values inside that millisecond.
Memory stays bounded by the number of distinct seconds, not by the calls.
Values are interpolated like DuckDB's `quantile_cont`. Groups are keyed by
`group_key`: '' for all calls, 'm:<month>' for a month, 'l:<line>' for a line.
"""

from __future__ import annotations

import math
from typing import TYPE_CHECKING

from kokom_cli.calllog.figures import QUANTILES, US

if TYPE_CHECKING:
    import duckdb

# (group key, rank) -> (the bucket it lies in at the last width, or None before the first; its offset in that bucket)
Targets = dict[tuple[str, int], tuple[int | None, int]]


def run(con: duckdb.DuckDBPyConnection, sql: str, params: dict) -> list[tuple]:
    return con.execute(sql, _used(sql, params)).fetchall()


def _used(sql: str, params: dict) -> dict:
    """The parameters `sql` names (DuckDB refuses any it does not use)."""
    return {k: v for k, v in params.items() if f"${k}" in sql}


def group_key(g: int, month: str | None, line: str | None) -> str:
    """'' for all calls, 'm:2026-01' for a month, 'l:113' for a line (grouping(month, line) is 3, 1 or 2)."""
    return {3: "", 1: f"m:{month}", 2: f"l:{line}"}[g]


def _histogram(
    con: duckdb.DuckDBPyConnection, base: str, params: dict, width: int, previous: int | None, targets: Targets
) -> dict[tuple[str, int | None], list[tuple[int, int]]]:
    """Answer times counted in buckets of `width` µs: all of them, or only inside the `previous` buckets wanted."""
    histogram: dict[tuple[str, int | None], list[tuple[int, int]]] = {}
    if previous is None:  # whole seconds, for every group at once
        rows = run(
            con,
            f"""
            SELECT grouping(month, line), month, line, answer_us // {width} AS b, count(*)
            FROM ({base}) WHERE answer_us IS NOT NULL
            GROUP BY GROUPING SETS ((b), (month, b), (line, b))""",
            params,
        )
        for g, month, line, bucket, count in rows:
            histogram.setdefault((group_key(g, month, line), None), []).append((bucket, count))
        return histogram
    wanted = _located(targets)
    wanted_params = {
        **params,
        "prefixes": sorted({p for _, p in wanted}),
        "keys": [k for k, _ in wanted],
        "ps": [p for _, p in wanted],
    }
    rows = run(
        con,
        f"""
        SELECT e.k, e.answer_us // {previous} AS prefix, e.answer_us // {width} AS b, count(*)
        FROM (SELECT unnest(['', 'm:' || month, 'l:' || line]) AS k, answer_us FROM ({base})
              WHERE list_contains($prefixes::BIGINT[], answer_us // {previous})) e
        SEMI JOIN (SELECT unnest($keys::VARCHAR[]) AS k, unnest($ps::BIGINT[]) AS p) t
             ON e.k = t.k AND e.answer_us // {previous} = t.p
        GROUP BY ALL""",
        wanted_params,
    )
    for k, prefix, bucket, count in rows:
        histogram.setdefault((k, prefix), []).append((bucket, count))
    return histogram


def exact_quantiles(
    con: duckdb.DuckDBPyConnection, base: str, params: dict, answered: dict[str, int]
) -> dict[str, dict[float, float]]:
    """For each group key, the median and 90th percentile of answer times in seconds, exact, in bounded memory."""
    targets = _ranks(answered)
    if not targets:
        return {}
    previous = None
    for width in (US, 1000, 1):
        histogram = _histogram(con, base, params, width, previous, targets)
        for target, (prefix, offset) in targets.items():
            found = _bucket_of(histogram[(target[0], prefix)], offset)
            if found is not None:
                targets[target] = found
        previous = width
    return _interpolate(answered, targets)


def _located(targets: Targets) -> list[tuple[str, int]]:
    """Each group key with the bucket (at the previous width) one of its wanted ranks lies in, sorted."""
    located: set[tuple[str, int]] = set()
    for (key, _), (prefix, _) in targets.items():
        assert prefix is not None  # after the first width every rank has been placed in a bucket
        located.add((key, prefix))
    return sorted(located)


def _ranks(answered: dict[str, int]) -> Targets:
    """The ranks (0-based, in answer-time order) each group's quantiles lie between, none located yet."""
    return {
        (key, rank): (None, rank)
        for key, n in answered.items()
        if n
        for q in QUANTILES
        for rank in {math.floor((n - 1) * q), math.ceil((n - 1) * q)}
    }


def _bucket_of(counts: list[tuple[int, int]], offset: int) -> tuple[int, int] | None:
    """The bucket the `offset`-th value (0-based) falls in, and its offset inside that bucket."""
    before = 0
    for bucket, count in sorted(counts):
        if offset < before + count:
            return bucket, offset - before
        before += count
    return None


def _interpolate(answered: dict[str, int], targets: Targets) -> dict[str, dict[float, float]]:
    """Each quantile in seconds, between the values at the ranks either side of its position."""
    out: dict[str, dict[float, float]] = {}
    for key, n in answered.items():
        if not n:
            continue
        for q in QUANTILES:
            position = (n - 1) * q
            low, high = targets[(key, math.floor(position))][0], targets[(key, math.ceil(position))][0]
            assert low is not None and high is not None
            out.setdefault(key, {})[q] = (low + (high - low) * (position - math.floor(position))) / US
    return out
