"""The SQL that turns each row of a call-log file into one typed row of the table `calls`.

Every value from a file, the mapping or the command line is passed as a parameter ($name), never spliced into the
statement text; only column positions (c0, c1, ...) and constants are written into it. `read_sql` reads the file
with DuckDB's CSV reader, `classify_sql` gives each row its answer time, wait and problem; `read_params` are the
values both take.

Timestamps: ISO 8601 with a UTC offset are exact. In a file that writes offsets
(seen in its first rows) a value without one is a bad row. Otherwise timestamps
without an offset (or read with the mapping's `timestamp_format` without `%z`)
are wall clock in the mapping's time zone. Around the autumn daylight-saving
change such a time happens twice; kokom takes, for each call, the readings that
give the shortest wait that is not negative. A time inside the spring gap never
happens and is a bad row. (This assumes clocks that change by whole hours, as
in Norway.)
"""

from __future__ import annotations

from kokom_cli.calllog.logfile import LogFile
from kokom_cli.config import CallLogMapping

NULL_TEXT = "\x00kokom-null\x00"  # never in a CSV that passed inspect_file: an empty field stays '', padding is NULL
# Instants outside these years are a bad row, not an overflow of the whole read (a typo like the year 294000).
_EARLIEST, _LATEST = "1900-01-01 00:00:00+00", "2200-01-01 00:00:00+00"


def _has_offset(col: str) -> str:
    """True when a text timestamp ends in a UTC offset: Z, +01, +0100 or +01:00 (the common +01:00 tested cheaply)."""
    return rf"({col}[-6] IN ('+', '-') OR regexp_matches({col}, '(?:[Zz]|[+-]\d\d(?::?\d\d)?)$'))"


def _in_range(expr: str) -> str:
    return f"(CASE WHEN {expr} BETWEEN TIMESTAMPTZ '{_EARLIEST}' AND TIMESTAMPTZ '{_LATEST}' THEN {expr} END)"


def _timestamp_sql(col: str, mapping: CallLogMapping, with_offsets: bool) -> tuple[str, str]:
    """SQL for the earliest and the latest instant a text timestamp can mean (the same unless DST makes it ambiguous).

    `with_offsets`: the file writes UTC offsets (the call-log CSV), so each value is one exact instant and a value
    without an offset is a bad row. Otherwise values are wall clock in the mapping's time zone (or carry an offset).
    The parameters $fmt and $tz carry the mapping's timestamp format and time zone.
    """
    fmt = mapping.timestamp_format
    if fmt and ("%z" in fmt or "%Z" in fmt):
        parse = _in_range(f"try_strptime({col}, $fmt)")
        return parse, parse
    exact = f"CASE WHEN {_has_offset(col)} AND contains({col}, ':') THEN TRY_CAST({col} AS TIMESTAMPTZ) END"
    if with_offsets and not fmt:
        return _in_range(exact), _in_range(exact)
    if fmt:
        exact, local = "NULL::TIMESTAMPTZ", f"try_strptime({col}, $fmt)"
    else:
        local = f"CASE WHEN NOT {_has_offset(col)} AND contains({col}, ':') THEN TRY_CAST({col} AS TIMESTAMP) END"
    local = f"(CASE WHEN year({local}) BETWEEN 1900 AND 2199 THEN {local} END)"
    # A wall-clock time L is an instant u where local(u) = L. Around a one-hour change the candidates
    # are ICU's choice and its neighbours one hour either side; keep those that really read as L.
    cands = [
        f"timezone($tz, {local})",
        f"timezone($tz, {local} - INTERVAL 1 HOUR) + INTERVAL 1 HOUR",
        f"timezone($tz, {local} + INTERVAL 1 HOUR) - INTERVAL 1 HOUR",
    ]
    valid = [f"CASE WHEN timezone($tz, {c}) = {local} THEN {c} END" for c in cands]
    return (
        _in_range(f"coalesce({exact}, least({', '.join(valid)}))"),
        _in_range(f"coalesce({exact}, greatest({', '.join(valid)}))"),
    )


def _min_nonnegative(a_early: str, a_late: str, o_early: str, o_late: str) -> str:
    """The shortest non-negative a - o in microseconds over the readings of both (NULL if every one is negative)."""
    d = [
        f"(epoch_us({a}) - epoch_us({o}))"
        for a, o in ((a_early, o_late), (a_early, o_early), (a_late, o_late), (a_late, o_early))
    ]
    if len(set(d)) == 1:
        return f"CASE WHEN {d[0]} >= 0 THEN {d[0]} END"
    mid_lo, mid_hi = f"least({d[1]}, {d[2]})", f"greatest({d[1]}, {d[2]})"
    return (
        f"CASE WHEN {d[0]} >= 0 THEN {d[0]} WHEN {mid_lo} >= 0 THEN {mid_lo} "
        f"WHEN {mid_hi} >= 0 THEN {mid_hi} WHEN {d[3]} >= 0 THEN {d[3]} END"
    )


def read_params(log: LogFile, mapping: CallLogMapping) -> dict:
    """The values the statements of `read_sql` and `classify_sql` take as parameters."""
    params: dict[str, str | list[str]] = {
        "path": str(log.path),
        "delim": log.delimiter,
        "compression": "gzip" if log.compressed else "none",
        "nullstr": NULL_TEXT,
        "n_o": mapping.offered_at,
        "n_a": mapping.answered_at,
        "n_e": log.ended_column or "",
        "n_i": mapping.call_id,
        "n_l": mapping.line,
    }
    if mapping.timestamp_format:
        params["fmt"] = mapping.timestamp_format
    if not (log.with_offsets and not mapping.timestamp_format) and not (
        mapping.timestamp_format and ("%z" in mapping.timestamp_format or "%Z" in mapping.timestamp_format)
    ):
        params["tz"] = mapping.timezone
    if mapping.line_names:
        params["names_from"], params["names_to"] = list(mapping.line_names), list(mapping.line_names.values())
    return params


def read_sql(log: LogFile, mapping: CallLogMapping, parallel: bool) -> str:
    # Columns are named by position (c0, c1, ...), whatever the header says; one more is a sentinel,
    # filled only when a row has more fields than the header. A row with fewer fields is padded with NULL,
    # which no real field can be (nullstr is a text no CSV holds), so `short` tells a truncated row.
    width = len(log.header)
    spec = "{" + ", ".join(f"'c{i}': 'VARCHAR'" for i in range(width + 1)) + "}"
    read = (
        f"read_csv($path, header = true, auto_detect = false, columns = {spec}, "
        "delim = $delim, quote = '\"', escape = '\"', null_padding = true, nullstr = $nullstr, "
        f"strict_mode = false, compression = $compression, parallel = {str(parallel).lower()})"
    )

    def text(name: str | None) -> str:
        return f"nullif(c{log.header.index(name)}, '')" if name else "NULL::VARCHAR"

    line = "l"
    if mapping.line_names:
        line = "coalesce(list_extract($names_to::VARCHAR[], list_position($names_from::VARCHAR[], l)), l)"
    test = "FALSE"
    if log.test_column:
        t = f"lower(trim(c{log.header.index(log.test_column)}))"
        test = f"coalesce({t} NOT IN ('', '0', 'false', 'no', 'nei', 'n', 'f', 'nan'), FALSE)"
    everything = " || ',' || ".join(f"coalesce(c{i}, '')" for i in range(width))
    oe, ol = _timestamp_sql("o", mapping, log.with_offsets)
    ae, al = _timestamp_sql("a", mapping, log.with_offsets)
    ee, el = _timestamp_sql("e", mapping, log.with_offsets)
    return f"""
    SELECT id AS call_id, {line} AS line,
           {oe} AS o_early, {ol} AS o_late, {ae} AS a_early, {al} AS a_late, {ee} AS e_early, {el} AS e_late,
           o, a, e, x, test
    FROM (SELECT {text(mapping.call_id)} AS id, {text(mapping.line)} AS l,
                 {text(mapping.offered_at)} AS o, {text(mapping.answered_at)} AS a, {text(log.ended_column)} AS e,
                 CASE WHEN c{width} IS NOT NULL THEN c{width}
                      WHEN c{width - 1} IS NULL THEN {everything} END AS x,
                 {test} AS test
          FROM {read})
    """


def classify_sql(source: str, log: LogFile) -> str:
    """Each row's answer time, wait, and problem (the first that applies, in BadKind order) with its detail."""
    late = "early" if log.with_offsets else "late"  # exact instants: one reading each
    answer = _min_nonnegative("a_early", f"a_{late}", "o_early", f"o_{late}")
    ended = _min_nonnegative("e_early", f"e_{late}", "o_early", f"o_{late}")
    ended_after_answer = _min_nonnegative("e_early", f"e_{late}", "a_early", f"a_{late}")
    return f"""
    SELECT call_id, line, CASE WHEN x IS NULL THEN (epoch_us(o_early) // 3600000000)::INTEGER END AS hour,
           answer_us, coalesce(answer_us, ended_us) AS wait_us,
           CASE WHEN x IS NOT NULL THEN 'fields'
                WHEN call_id IS NULL OR line IS NULL OR o IS NULL THEN 'missing'
                WHEN o_early IS NULL OR (a IS NOT NULL AND a_early IS NULL)
                     OR (e IS NOT NULL AND e_early IS NULL) THEN 'timestamp'
                WHEN (a IS NOT NULL AND answer_us IS NULL) OR (e IS NOT NULL AND ended_us IS NULL)
                     OR (a IS NOT NULL AND e IS NOT NULL AND ended_after_answer IS NULL) THEN 'order'
           END AS problem,
           CASE WHEN x IS NOT NULL THEN x
                WHEN call_id IS NULL THEN $n_i WHEN line IS NULL THEN $n_l WHEN o IS NULL THEN $n_o
                WHEN o_early IS NULL THEN $n_o || '=' || o
                WHEN a IS NOT NULL AND a_early IS NULL THEN $n_a || '=' || a
                WHEN e IS NOT NULL AND e_early IS NULL THEN $n_e || '=' || e
                WHEN a IS NOT NULL AND answer_us IS NULL THEN $n_o || '=' || o || ' ' || $n_a || '=' || a
                WHEN e IS NOT NULL AND ended_us IS NULL THEN $n_o || '=' || o || ' ' || $n_e || '=' || e
                WHEN a IS NOT NULL AND e IS NOT NULL AND ended_after_answer IS NULL
                     THEN $n_a || '=' || a || ' ' || $n_e || '=' || e
           END AS detail, test
    FROM (SELECT *, {answer} AS answer_us, {ended} AS ended_us, {ended_after_answer} AS ended_after_answer
          FROM ({source}))
    """
