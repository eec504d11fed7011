"""Bad rows: why a row is left out of the figures, and the first few of each kind with their line numbers.

Bad rows are kept in the table `calls` with their problem and left out of every figure;
`bad_rows` counts them and gives the first few of each kind with line numbers.
A later row with a call id already seen in a good row is a duplicate (the first one counts).
"""

from __future__ import annotations

import bisect
import csv
import gzip
from dataclasses import dataclass, field
from enum import Enum
from typing import TYPE_CHECKING

from kokom_cli.calllog.logfile import LogFile, open_text
from kokom_cli.core.findings import Finding, Severity
from kokom_cli.core.i18n import tr

if TYPE_CHECKING:
    import duckdb

EXAMPLES_PER_KIND = 5


class BadKind(str, Enum):
    """Why a row is left out of the figures. The order is the order rows are checked in."""

    fields = "fields"  # more or fewer fields than the header (a truncated row has no answered_at at all)
    missing = "missing"  # call id, line or offered_at empty
    timestamp = "timestamp"  # a timestamp that cannot be read, or a wall-clock time that does not exist
    order = "order"  # answered_at or ended_at before offered_at (or ended before answered)
    duplicate = "duplicate"  # a call id already seen in an earlier good row

    def label(self) -> str:
        return {
            BadKind.fields: tr("feil antall felt", "wrong number of fields", "feil tal på felt"),
            BadKind.missing: tr("manglende verdi", "missing value", "manglande verdi"),
            BadKind.timestamp: tr("ugyldig tidspunkt", "invalid timestamp", "ugyldig tidspunkt"),
            BadKind.order: tr(
                "tidspunkter i feil rekkefølge", "timestamps out of order", "tidspunkt i feil rekkjefølgje"
            ),
            BadKind.duplicate: tr("samme anrops-id to ganger", "duplicate call id", "same anrops-id to gonger"),
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


def count_calls(con: duckdb.DuckDBPyConnection) -> int:
    return con.execute("SELECT count(*) FROM calls").fetchall()[0][0]


def mark_duplicates(con: duckdb.DuckDBPyConnection, column: str) -> None:
    """A call id seen before in a good row makes the later row a duplicate (the first one counts).

    The table is written anew rather than updated in place: DuckDB keeps an UPDATE's undo in memory, so
    millions of duplicates would not fit the memory limit; a new table spills to disk like any query."""
    con.execute("""
        CREATE OR REPLACE TEMP TABLE duplicates AS
        SELECT call_id, min(rowid) AS first FROM calls WHERE problem IS NULL GROUP BY call_id HAVING count(*) > 1""")
    if con.execute("SELECT count(*) FROM duplicates").fetchall()[0][0]:
        con.execute(
            """
            CREATE OR REPLACE TEMP TABLE marked AS
            SELECT c.* REPLACE (
                CASE WHEN d.first IS NOT NULL AND c.rowid <> d.first THEN 'duplicate' ELSE c.problem END AS problem,
                CASE WHEN d.first IS NOT NULL AND c.rowid <> d.first THEN $name || c.call_id ELSE c.detail END
                    AS detail)
            FROM calls AS c LEFT JOIN duplicates AS d ON c.problem IS NULL AND c.call_id = d.call_id
            ORDER BY c.rowid""",
            {"name": column + "="},
        )
        con.execute("DROP TABLE calls")
        con.execute("ALTER TABLE marked RENAME TO calls")
    con.execute("DROP TABLE duplicates")


def bad_rows(con: duckdb.DuckDBPyConnection, logs: list[LogFile], starts: list[int]) -> BadRows:
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
    ends = [*starts[1:], count_calls(con)]
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
    with open_text(log.path, log.compressed) as fh:
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
