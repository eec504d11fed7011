"""Reading call logs into DuckDB: kokom's call-log CSV, or another export through the `call_log` mapping.

One pass over each file turns every row into one typed row of the table `calls`
(never a Python object per row): call id, line, the UTC hour it was offered in,
the answer time and the wait in microseconds, and what is wrong with it, if
anything. DuckDB reads the file in parallel, gzip as it is, and keeps to a
memory limit, putting what does not fit in a temporary folder; so a 10M-row log
takes about as much memory as a 1M-row one.

The checks before the read are in `logfile`, the SQL (and how timestamps,
daylight-saving changes included, are read) in `sql`, and bad rows (kept in the
table with their problem, left out of every figure) in `badrows`. This module
opens the database and loads the files: `database()` and `load()`.
"""

from __future__ import annotations

import re
import shutil
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

from kokom_cli.calllog.badrows import (
    EXAMPLES_PER_KIND,
    BadKind,
    BadRow,
    BadRows,
    bad_rows,
    count_calls,
    mark_duplicates,
    physical_lines,
)
from kokom_cli.calllog.logfile import (
    MAX_LINE_BYTES,
    LogFile,
    check_line_lengths,
    check_timezone,
    inspect_file,
    problem,
)
from kokom_cli.calllog.sql import NULL_TEXT, classify_sql, read_params, read_sql
from kokom_cli.config import CallLogMapping
from kokom_cli.core.findings import KokomError
from kokom_cli.core.i18n import tr

if TYPE_CHECKING:
    import duckdb

__all__ = [
    "EXAMPLES_PER_KIND",
    "MAX_LINE_BYTES",
    "MEMORY_LIMIT",
    "NULL_TEXT",
    "REPORT_TIMEZONE",
    "BadKind",
    "BadRow",
    "BadRows",
    "Loaded",
    "LogFile",
    "check_line_lengths",
    "check_timezone",
    "database",
    "inspect_file",
    "load",
    "physical_lines",
    "read_params",
]

REPORT_TIMEZONE = "Europe/Oslo"  # months and --from/--to dates are Norwegian calendar days
MEMORY_LIMIT = "100MB"  # DuckDB spills to a temporary folder beyond this; see bench/README.md


@dataclass(frozen=True)
class Loaded:
    files: list[LogFile]
    bad: BadRows


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
            f"fila kan ikkje lesast innanfor minnegrensa ({MEMORY_LIMIT}): truleg ei altfor lang linje (eit felt utan "
            "avsluttande hermeteikn?) eller ei fil som ikkje er ein anropslogg",
        )
    elif "line size" in message.lower():
        reason = tr(
            "en linje er lengre enn 2 MB (en rad i en anropslogg er noen hundre tegn); kontroller eksporten: "
            "et felt uten avsluttende anførselstegn eller en fil som ikke er en anropslogg",
            "a line is longer than 2 MB (a call-log row is a few hundred characters); check the export: a field "
            "without its closing quote, or a file that is not a call log",
            "ei linje er lengre enn 2 MB (ei rad i ein anropslogg er nokre hundre teikn); kontroller eksporten: "
            "eit felt utan avsluttande hermeteikn eller ei fil som ikkje er ein anropslogg",
        )
    elif "unicode" in message.lower() or "utf-8" in message.lower():
        reason = tr(
            "ikke UTF-8; eksporter anropsloggen som CSV i UTF-8",
            "not UTF-8; export the call log as CSV in UTF-8",
            "ikkje UTF-8; eksporter anropsloggen som CSV i UTF-8",
        )
    return problem(log.display, "calllog-unreadable", reason, line=int(match.group(1)) if match else 0)


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
        starts.append(count_calls(con))
        for parallel in (True, False):
            try:
                con.execute(
                    f"INSERT INTO calls {classify_sql(read_sql(log, mapping, parallel), log)}",
                    read_params(log, mapping),
                )
                break
            except duckdb.Error as exc:
                if parallel and "parallel" in str(exc).lower():
                    continue  # quoted line breaks: DuckDB reads such a file on one thread
                raise _duckdb_problem(log, exc) from None
    mark_duplicates(con, mapping.call_id)
    con.execute("""CREATE OR REPLACE TEMP TABLE months AS
                    SELECT hour, strftime(to_timestamp(hour::BIGINT * 3600), '%Y-%m') AS month
                    FROM (SELECT DISTINCT hour FROM calls WHERE hour IS NOT NULL)""")
    return Loaded(logs, bad_rows(con, logs, starts))
