"""Reading call logs into DuckDB: kokom's call-log CSV, or another export through the `call_log` mapping.

One pass over each file turns every row into one typed row of the table `calls`
(never a Python object per row): call id, line, the UTC hour it was offered in,
the answer time and the wait in microseconds, and what is wrong with it, if
anything. DuckDB reads the file in parallel, gzip as it is, and keeps to a
memory limit, putting what does not fit in a temporary folder; so a 10M-row log
takes about as much memory as a 1M-row one.

Timestamps: ISO 8601 with a UTC offset are exact. In a file that writes offsets
(seen in its first rows) a value without one is a bad row. Otherwise timestamps
without an offset (or read with the mapping's `timestamp_format` without `%z`)
are wall clock in the mapping's time zone. Around the autumn daylight-saving
change such a time happens twice; kokom takes, for each call, the readings that
give the shortest wait that is not negative. A time inside the spring gap never
happens and is a bad row. (This assumes clocks that change by whole hours, as
in Norway.)

Bad rows are kept in the table with their problem and left out of every figure;
`bad_rows` counts them and gives the first few of each kind with line numbers.
"""

from __future__ import annotations

import bisect
import codecs
import csv
import gzip
import io
import re
import shutil
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from enum import Enum
from pathlib import Path
from typing import TYPE_CHECKING
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from kokom_cli.config import CallLogMapping
from kokom_cli.core.findings import Finding, KokomError, Severity, display_path
from kokom_cli.core.i18n import tr
from kokom_cli.core.suggest import did_you_mean

if TYPE_CHECKING:
    import duckdb

REPORT_TIMEZONE = "Europe/Oslo"  # months and --from/--to dates are Norwegian calendar days
MAX_LINE_BYTES = 1 << 20  # a call-log row is a few hundred bytes; DuckDB silently drops lines it cannot hold
MEMORY_LIMIT = "100MB"  # DuckDB spills to a temporary folder beyond this; see bench/README.md
EXAMPLES_PER_KIND = 5
_SNIFF_BYTES = 64 * 1024
_DELIMITERS = (",", ";", "\t", "|")


class BadKind(str, Enum):
    """Why a row is left out of the figures. The order is the order rows are checked in."""

    fields = "fields"  # more or fewer fields than the header (a truncated row has no answered_at at all)
    missing = "missing"  # call id, line or offered_at empty
    timestamp = "timestamp"  # a timestamp that cannot be read, or a wall-clock time that does not exist
    order = "order"  # answered_at or ended_at before offered_at (or ended before answered)
    duplicate = "duplicate"  # a call id already seen in an earlier good row

    def label(self) -> str:
        return {
            BadKind.fields: tr("feil antall felt", "wrong number of fields"),
            BadKind.missing: tr("manglende verdi", "missing value"),
            BadKind.timestamp: tr("ugyldig tidspunkt", "invalid timestamp"),
            BadKind.order: tr("tidspunkter i feil rekkefølge", "timestamps out of order"),
            BadKind.duplicate: tr("samme anrops-id to ganger", "duplicate call id"),
        }[self]


@dataclass(frozen=True)
class BadRow:
    """One excluded row, where it is and what is wrong."""

    path: str
    line: int
    kind: BadKind
    detail: str

    def finding(self, severity: Severity = Severity.warning) -> Finding:
        return Finding(
            self.path, self.line, 0, severity, f"calllog-{self.kind.value}", f"{self.kind.label()}: {self.detail}"
        )

    def as_json(self) -> dict:
        return {"path": self.path, "line": self.line, "kind": self.kind.value, "detail": self.detail}


@dataclass(frozen=True)
class BadRows:
    counts: dict[BadKind, int] = field(default_factory=dict)
    examples: list[BadRow] = field(default_factory=list)  # the first few of each kind, in file order

    @property
    def total(self) -> int:
        return sum(self.counts.values())

    def as_json(self) -> dict:
        return {
            "total": self.total,
            "counts": {k.value: n for k, n in self.counts.items()},
            "examples": [b.as_json() for b in self.examples],
        }


@dataclass(frozen=True)
class LogFile:
    """A call-log file that has passed the checks that need no full read."""

    path: Path
    display: str
    compressed: bool
    delimiter: str
    header: list[str]
    ended_column: str | None  # None: the file says nothing about when unanswered calls ended
    with_offsets: bool  # its timestamps carry UTC offsets (judged from the first rows)
    test_column: str | None = None  # the column that flags test calls (call_log.test_call)


@dataclass(frozen=True)
class Loaded:
    files: list[LogFile]
    bad: BadRows


# ---------------------------------------------------------------------------------------------------------------
# Checks before the read: a clear line and exit 2 for a file that is not a call log at all.


def _problem(path: str, code: str, message: str, line: int = 0) -> KokomError:
    return KokomError(Finding(path, line, 0, Severity.error, code, message))


def _open_text(path: Path, compressed: bool) -> io.TextIOBase:
    raw = gzip.open(path, "rb") if compressed else open(path, "rb")  # noqa: SIM115 (closed with the wrapper)
    return io.TextIOWrapper(raw, encoding="utf-8-sig", newline="")


def _check_lines(shown: str, head: bytes, text: str) -> None:
    """A header longer than what is sniffed, or lines that end in a bare CR: one clear line each."""
    if "\n" not in text and len(head) >= _SNIFF_BYTES:
        raise _problem(
            shown,
            "calllog-not-csv",
            tr(
                f"overskriftslinjen er lengre enn {_SNIFF_BYTES // 1024} KiB; en anropslogg begynner med en kort "
                "overskrift (call_id,line,offered_at,answered_at)",
                f"the header line is longer than {_SNIFF_BYTES // 1024} KiB; a call log starts with a short header "
                "(call_id,line,offered_at,answered_at)",
            ),
            line=1,
        )
    if re.search(r"\r(?!\n)", text.rstrip("\r")):
        raise _problem(
            shown,
            "calllog-not-csv",
            tr(
                "linjene slutter med bare CR (vognretur, gammelt Mac-format); lagre filen med vanlige linjeskift "
                "(LF eller CRLF)",
                "the lines end in a bare carriage return (CR, old Mac format); save the file with ordinary line "
                "breaks (LF or CRLF)",
            ),
            line=1,
        )


def inspect_file(path: Path, mapping: CallLogMapping) -> LogFile:
    """Check that `path` is a readable CSV with the columns the mapping needs; KokomError (exit 2) if not."""
    shown = display_path(path)
    if not path.is_file():
        raise _problem(shown, "calllog-missing", tr("filen finnes ikke", "the file does not exist"))
    with open(path, "rb") as fh:
        compressed = fh.read(2) == b"\x1f\x8b"
    try:
        with gzip.open(path, "rb") if compressed else open(path, "rb") as fh:
            head = fh.read(_SNIFF_BYTES)
    except (OSError, EOFError) as exc:
        raise _problem(shown, "calllog-unreadable", tr(f"kan ikke leses: {exc}", f"cannot be read: {exc}")) from None
    if not head.strip():
        raise _problem(
            shown,
            "calllog-empty",
            tr(
                "filen er tom; en anropslogg begynner med en overskriftslinje (call_id,line,offered_at,answered_at)",
                "the file is empty; a call log starts with a header line (call_id,line,offered_at,answered_at)",
            ),
        )
    try:
        text = codecs.getincrementaldecoder("utf-8-sig")().decode(head, final=False)
    except UnicodeDecodeError:
        text = None
    if text is None or "\x00" in text:
        raise _problem(
            shown,
            "calllog-not-csv",
            tr(
                "ikke en CSV-fil (binært innhold eller ikke UTF-8); eksporter anropsloggen som CSV i UTF-8",
                "not a CSV file (binary content or not UTF-8); export the call log as CSV in UTF-8",
            ),
        )
    _check_lines(shown, head, text)
    lines = text.split("\n")
    first_line = lines[0].rstrip("\r")
    delimiter = max(_DELIMITERS, key=lambda d: (first_line.count(d), d == ","))
    header = [h.strip() for h in next(csv.reader([first_line], delimiter=delimiter), [])]
    if len(header) < 2:
        raise _problem(
            shown,
            "calllog-not-csv",
            tr(
                "ikke en CSV-anropslogg: første linje er ingen overskrift med kolonnenavn skilt med komma",
                "not a CSV call log: the first line is not a header of comma-separated column names",
            ),
            line=1,
        )
    twice = sorted({h for h in header if h and header.count(h) > 1})
    if twice:
        raise _problem(
            shown,
            "calllog-not-csv",
            tr(
                f"kolonnen {', '.join(twice)} står to ganger i overskriften",
                f"column {', '.join(twice)} appears twice in the header",
            ),
            line=1,
        )
    needed = [mapping.call_id, mapping.line, mapping.offered_at, mapping.answered_at]
    ended = mapping.ended_at
    if ended and "ended_at" in mapping.model_fields_set:
        needed.append(ended)  # named explicitly in kokom.yaml: it must be there
    if mapping.test_call:
        needed.append(mapping.test_call)
    missing = [c for c in needed if c not in header]
    if missing:
        hints = "".join(did_you_mean(c, header) for c in missing[:1])
        raise _problem(
            shown,
            "calllog-column",
            tr(
                f"mangler kolonne {', '.join(missing)}{hints} (fant: {', '.join(header)}); "
                "andre kolonnenavn kan kobles med call_log i kokom.yaml",
                f"missing column {', '.join(missing)}{hints} (found: {', '.join(header)}); "
                "other column names can be mapped with call_log in kokom.yaml",
            ),
            line=1,
        )
    return LogFile(
        path,
        shown,
        compressed,
        delimiter,
        header,
        ended if ended in header else None,
        _writes_offsets(lines[1:200], delimiter, header.index(mapping.offered_at), mapping),
        mapping.test_call,
    )


def _writes_offsets(lines: list[str], delimiter: str, column: int, mapping: CallLogMapping) -> bool:
    """Whether the export writes UTC offsets (seen in the first rows' offered_at); then every value must have one."""
    if mapping.timestamp_format:
        return False
    rows = csv.reader(lines, delimiter=delimiter)
    return any(len(r) > column and _OFFSET.search(r[column].strip()) for r in rows)


def check_timezone(mapping: CallLogMapping) -> None:
    try:
        ZoneInfo(mapping.timezone)
    except (ZoneInfoNotFoundError, ValueError):
        raise _problem(
            "kokom.yaml",
            "calllog-timezone",
            tr(
                f"ukjent tidssone '{mapping.timezone}' i call_log.timezone (for eksempel Europe/Oslo)",
                f"unknown time zone '{mapping.timezone}' in call_log.timezone (for example Europe/Oslo)",
            ),
        ) from None


# ---------------------------------------------------------------------------------------------------------------
# SQL. Every value from a file, the mapping or the command line is passed as a parameter ($name), never spliced
# into the statement text; only column positions (c0, c1, ...) and constants are written into it.

NULL_TEXT = "\x00kokom-null\x00"  # never in a CSV that passed inspect_file: an empty field stays '', padding is NULL
# Instants outside these years are a bad row, not an overflow of the whole read (a typo like the year 294000).
_EARLIEST, _LATEST = "1900-01-01 00:00:00+00", "2200-01-01 00:00:00+00"


def _has_offset(col: str) -> str:
    """True when a text timestamp ends in a UTC offset: Z, +01, +0100 or +01:00 (the common +01:00 tested cheaply)."""
    return rf"({col}[-6] IN ('+', '-') OR regexp_matches({col}, '(?:[Zz]|[+-]\d\d(?::?\d\d)?)$'))"


_OFFSET = re.compile(r"(?:[Zz]|[+-]\d\d(?::?\d\d)?)$")


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
    """The values the statements of `_read_sql` and `_classify_sql` take as parameters."""
    params = {
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


def _read_sql(log: LogFile, mapping: CallLogMapping, parallel: bool) -> str:
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


def _classify_sql(source: str, log: LogFile) -> str:
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


@contextmanager
def database(memory_limit: str = MEMORY_LIMIT) -> Iterator[duckdb.DuckDBPyConnection]:
    """An in-memory DuckDB connection that spills to a private temporary folder, removed afterwards."""
    import duckdb

    spill = tempfile.mkdtemp(prefix="kokom-duckdb-")
    con = duckdb.connect(config={"memory_limit": memory_limit, "temp_directory": spill})
    try:
        con.execute("SET enable_progress_bar = false")  # it would write to stdout, spoiling --json
        con.execute(f"SET TimeZone = '{REPORT_TIMEZONE}'")  # a constant
        yield con
    finally:
        con.close()
        shutil.rmtree(spill, ignore_errors=True)


_DUCK_LINE = re.compile(r"Line: (\d+)")


def _duckdb_problem(log: LogFile, exc: Exception) -> KokomError:
    message = str(exc)
    match = _DUCK_LINE.search(message)
    lines = [ln.strip() for ln in message.splitlines() if ln.strip()]
    reason = next((ln for ln in lines[1:] if not ln.startswith("Original Line")), lines[0] if lines else message)
    if "out of memory" in message.lower():
        reason = tr(
            f"filen kan ikke leses innenfor minnegrensen ({MEMORY_LIMIT}): trolig en altfor lang linje (et felt uten "
            "avsluttende anførselstegn?) eller en fil som ikke er en anropslogg",
            f"the file cannot be read within the memory limit ({MEMORY_LIMIT}): probably a far too long line (a field "
            "without its closing quote?) or a file that is not a call log",
        )
    elif "line size" in message.lower():
        reason = tr(
            "en linje er lengre enn 2 MB (en rad i en anropslogg er noen hundre tegn); kontroller eksporten: "
            "et felt uten avsluttende anførselstegn eller en fil som ikke er en anropslogg",
            "a line is longer than 2 MB (a call-log row is a few hundred characters); check the export: a field "
            "without its closing quote, or a file that is not a call log",
        )
    elif "unicode" in message.lower() or "utf-8" in message.lower():
        reason = tr(
            "ikke UTF-8; eksporter anropsloggen som CSV i UTF-8", "not UTF-8; export the call log as CSV in UTF-8"
        )
    return _problem(log.display, "calllog-unreadable", reason, line=int(match.group(1)) if match else 0)


def load(con: duckdb.DuckDBPyConnection, paths: list[Path], mapping: CallLogMapping | None = None) -> Loaded:
    """Read every file into the table `calls` of `con`; find bad rows. KokomError for a file that is not a call log.

    `calls` keeps the files' order (DuckDB preserves insertion order), so a row's `rowid` minus its file's first
    rowid is its place in the file. `hour` is the UTC hour the call was offered in, enough to place it in a
    Norwegian day or month (Norway's offsets are whole hours); the table `months` maps each hour to its month.
    """
    import duckdb

    mapping = mapping or CallLogMapping()
    check_timezone(mapping)
    logs = [inspect_file(Path(p), mapping) for p in paths]
    for log in logs:
        check_line_lengths(log)
    con.execute("""CREATE OR REPLACE TEMP TABLE calls (call_id VARCHAR, line VARCHAR, hour INTEGER, answer_us BIGINT,
                   wait_us BIGINT, problem VARCHAR, detail VARCHAR, test BOOLEAN)""")
    starts = []
    for log in logs:
        starts.append(_count(con))
        for parallel in (True, False):
            try:
                con.execute(
                    f"INSERT INTO calls {_classify_sql(_read_sql(log, mapping, parallel), log)}",
                    read_params(log, mapping),
                )
                break
            except duckdb.Error as exc:
                if parallel and "parallel" in str(exc).lower():
                    continue  # quoted line breaks: DuckDB reads such a file on one thread
                raise _duckdb_problem(log, exc) from None
    _mark_duplicates(con, mapping.call_id)
    con.execute("""CREATE OR REPLACE TEMP TABLE months AS
                    SELECT hour, strftime(to_timestamp(hour::BIGINT * 3600), '%Y-%m') AS month
                    FROM (SELECT DISTINCT hour FROM calls WHERE hour IS NOT NULL)""")
    return Loaded(logs, _bad_rows(con, logs, starts))


def check_line_lengths(log: LogFile) -> None:
    """KokomError naming the first line longer than MAX_LINE_BYTES (one pass at C speed, chunk by chunk)."""
    line, current = 1, 0
    with gzip.open(log.path, "rb") if log.compressed else open(log.path, "rb") as fh:
        while chunk := fh.read(MAX_LINE_BYTES):
            first, last = chunk.find(b"\n"), chunk.rfind(b"\n")
            if first < 0:
                current += len(chunk)
            else:
                current += first
                if current <= MAX_LINE_BYTES:
                    current = len(chunk) - last - 1
                    line += chunk.count(b"\n")
                    continue
            if current > MAX_LINE_BYTES:
                raise _problem(
                    log.display,
                    "calllog-line-too-long",
                    tr(
                        f"linjen er lengre enn {MAX_LINE_BYTES // (1 << 20)} MiB (en rad i en anropslogg er noen "
                        "hundre tegn); kontroller eksporten: et felt uten avsluttende anførselstegn, eller en fil som "
                        "ikke er en anropslogg",
                        f"the line is longer than {MAX_LINE_BYTES // (1 << 20)} MiB (a call-log row is a few hundred "
                        "characters); check the export: a field without its closing quote, or a file that is not a "
                        "call log",
                    ),
                    line=line,
                )


def _count(con: duckdb.DuckDBPyConnection) -> int:
    return con.execute("SELECT count(*) FROM calls").fetchall()[0][0]


def _mark_duplicates(con: duckdb.DuckDBPyConnection, column: str) -> None:
    """A call id seen before in a good row makes the later row a duplicate (the first one counts)."""
    con.execute("""
        CREATE OR REPLACE TEMP TABLE duplicates AS
        SELECT call_id, min(rowid) AS first FROM calls WHERE problem IS NULL GROUP BY call_id HAVING count(*) > 1""")
    if con.execute("SELECT count(*) FROM duplicates").fetchall()[0][0]:
        con.execute(
            """
            UPDATE calls SET problem = 'duplicate', detail = $name || calls.call_id
            FROM duplicates AS d
            WHERE calls.problem IS NULL AND calls.call_id = d.call_id AND calls.rowid <> d.first""",
            {"name": column + "="},
        )
    con.execute("DROP TABLE duplicates")


def _bad_rows(con: duckdb.DuckDBPyConnection, logs: list[LogFile], starts: list[int]) -> BadRows:
    counts = {
        BadKind(k): n
        for k, n in con.execute(
            "SELECT problem, count(*) FROM calls WHERE problem IS NOT NULL GROUP BY problem"
        ).fetchall()
    }
    if not counts:
        return BadRows()
    picked = []
    for rowid, problem, detail in con.execute(f"""
            SELECT rowid, problem, detail FROM calls WHERE problem IS NOT NULL
            QUALIFY row_number() OVER (PARTITION BY problem ORDER BY rowid) <= {EXAMPLES_PER_KIND}""").fetchall():
        index = bisect.bisect_right(starts, rowid) - 1
        picked.append((index, rowid - starts[index] + 1, problem, detail))
    lines: dict[tuple[int, int], int] = {}
    ends = [*starts[1:], _count(con)]
    for index, log in enumerate(logs):
        wanted = {rn for f, rn, _, _ in picked if f == index}
        if wanted and not _one_line_per_row(log, ends[index] - starts[index]):
            lines.update({(index, rn): line for rn, line in physical_lines(log, wanted).items()})
    examples = [
        BadRow(logs[f].display, lines.get((f, rn), rn + 1), BadKind(problem), _short(detail))
        for f, rn, problem, detail in picked
    ]
    order = list(BadKind)
    return BadRows(
        dict(sorted(counts.items(), key=lambda kv: order.index(kv[0]))),
        sorted(examples, key=lambda b: (order.index(b.kind), b.path, b.line)),
    )


def _short(text: str | None, limit: int = 80) -> str:
    text = text or ""
    return text if len(text) <= limit else text[: limit - 1] + "…"


def _one_line_per_row(log: LogFile, rows: int) -> bool:
    """True when the file has exactly one line per row after the header (no blank lines, no line breaks inside
    quotes), so row n is on line n + 1. Counting line ends runs at C speed, unlike parsing the CSV again."""
    newlines, last = 0, b"\n"
    with gzip.open(log.path, "rb") if log.compressed else open(log.path, "rb") as fh:
        while chunk := fh.read(1 << 22):
            newlines += chunk.count(b"\n")
            last = chunk[-1:]
    return newlines + (last != b"\n") == rows + 1


def physical_lines(log: LogFile, rows: set[int]) -> dict[int, int]:
    """The line in the file where each data row (1-based, blank lines skipped as DuckDB does) begins.

    Only the few rows reported as examples are looked up, reading no further than the last of them.
    """
    found: dict[int, int] = {}
    last = max(rows)
    with _open_text(log.path, log.compressed) as fh:
        reader = csv.reader(fh, delimiter=log.delimiter)
        row, previous_end = -1, 0  # the header is row 0
        try:
            for record in reader:
                start, previous_end = previous_end + 1, reader.line_num
                if not record:
                    continue
                row += 1
                if row in rows:
                    found[row] = start
                    if row >= last:
                        break
        except csv.Error:
            pass  # the rest keeps its row number plus one
    return found
