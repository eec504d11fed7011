"""Reading call logs: what is not a call log (exit 2), and every kind of bad row with its line number."""

from __future__ import annotations

import gzip
from pathlib import Path

import pytest
from conftest import DATA

from kokom_cli.calllog.reader import BadKind, database, load
from kokom_cli.config import CallLogMapping
from kokom_cli.core.findings import KokomError

LOGS = DATA / "calllog"
HEADER = "call_id,line,offered_at,answered_at,ended_at\n"


def loaded(*paths: Path, mapping: CallLogMapping | None = None):
    with database() as con:
        result = load(con, list(paths), mapping)
        good = con.execute("SELECT call_id FROM calls WHERE problem IS NULL ORDER BY rowid").fetchall()
    return result, [g[0] for g in good]


def error_of(path: Path, mapping: CallLogMapping | None = None):
    with pytest.raises(KokomError) as info:
        loaded(path, mapping=mapping)
    [finding] = info.value.findings
    return finding


def test_every_kind_of_bad_row_is_counted_with_its_line() -> None:
    result, good = loaded(LOGS / "bad-rows.csv")
    assert good == ["B01", "B08"]
    assert result.bad.counts == {
        BadKind.fields: 1,
        BadKind.missing: 1,
        BadKind.timestamp: 2,
        BadKind.order: 2,
        BadKind.duplicate: 1,
    }
    # line 3 is blank, so rows and lines part ways: the lines are the file's own
    where = [(b.kind, b.line) for b in result.bad.examples]
    assert where == [
        (BadKind.fields, 8),
        (BadKind.missing, 6),
        (BadKind.timestamp, 4),
        (BadKind.timestamp, 10),
        (BadKind.order, 5),
        (BadKind.order, 9),
        (BadKind.duplicate, 7),
    ]
    details = {b.line: b.detail for b in result.bad.examples}
    assert details[4] == "offered_at=yesterday"
    assert details[5] == "offered_at=2026-05-01T10:10:00+02:00 answered_at=2026-05-01T10:09:59+02:00"
    assert details[7] == "call_id=B01"
    assert details[10] == "offered_at=2026-05-01 10:55:00"  # no offset in a file that writes offsets


def test_line_numbers_without_blank_lines_and_only_the_first_few_of_a_kind(tmp_path: Path) -> None:
    rows = [f"C{i},113,2026-05-01T10:00:00+02:00,2026-05-01T10:00:05+02:00,\n" for i in range(20)]
    for i in (3, 7, 8, 11, 12, 15, 19):
        rows[i] = f"C{i},113,not a time,,\n"
    path = tmp_path / "log.csv"
    path.write_text(HEADER + "".join(rows), encoding="utf-8")
    result, good = loaded(path)
    assert result.bad.counts == {BadKind.timestamp: 7}
    assert [b.line for b in result.bad.examples] == [5, 9, 10, 13, 14]  # row i is on line i + 2
    assert len(good) == 13


def test_a_quoted_line_break_keeps_the_line_numbers_right(tmp_path: Path) -> None:
    path = tmp_path / "log.csv"
    path.write_text(
        HEADER + 'Q1,113,2026-05-01T10:00:00+02:00,,\nQ2,"11\n3",2026-05-01T10:00:00+02:00,,\nQ3,113,bad,,\n',
        encoding="utf-8",
    )
    result, good = loaded(path)
    assert good == ["Q1", "Q2"]
    assert [(b.kind, b.line) for b in result.bad.examples] == [(BadKind.timestamp, 5)]


def test_duplicates_across_files_keep_the_first(tmp_path: Path) -> None:
    first, second = tmp_path / "jan.csv", tmp_path / "feb.csv"
    first.write_text(HEADER + "D1,113,2026-01-31T23:00:00+01:00,2026-01-31T23:00:03+01:00,\n", encoding="utf-8")
    second.write_text(
        HEADER + "D2,113,2026-02-01T10:00:00+01:00,,\nD1,113,2026-01-31T23:00:00+01:00,2026-01-31T23:00:03+01:00,\n",
        encoding="utf-8",
    )
    result, good = loaded(first, second)
    assert good == ["D1", "D2"]
    [dup] = result.bad.examples
    assert (dup.path.endswith("feb.csv"), dup.line, dup.kind) == (True, 3, BadKind.duplicate)


def test_a_bad_row_does_not_make_a_later_good_row_a_duplicate(tmp_path: Path) -> None:
    path = tmp_path / "log.csv"
    path.write_text(HEADER + "E1,113,garbage,,\nE1,113,2026-05-01T10:00:00+02:00,,\n", encoding="utf-8")
    result, good = loaded(path)
    assert good == ["E1"] and result.bad.counts == {BadKind.timestamp: 1}


def test_gzip_is_read_as_it_is_whatever_the_name(tmp_path: Path) -> None:
    odd = tmp_path / "export.dat"
    odd.write_bytes((LOGS / "amk-edge.csv.gz").read_bytes())
    plain, good_plain = loaded(LOGS / "amk-edge.csv")
    zipped, good_zipped = loaded(odd)
    assert good_plain == good_zipped and len(good_plain) == 10
    assert zipped.files[0].compressed and not plain.files[0].compressed


def test_bad_row_lines_in_a_gzip_file(tmp_path: Path) -> None:
    path = tmp_path / "log.csv.gz"
    with gzip.open(path, "wt", encoding="utf-8") as fh:
        fh.write(HEADER + "G1,113,2026-05-01T10:00:00+02:00,,\n\nG2,113,nope,,\n")
    result, _ = loaded(path)
    assert [b.line for b in result.bad.examples] == [4]


def test_semicolons_a_byte_order_mark_and_crlf(tmp_path: Path) -> None:
    path = tmp_path / "log.csv"
    path.write_bytes(
        "\ufeffcall_id;line;offered_at;answered_at\r\nS1;113;2026-05-01T10:00:00+02:00;\r\n"
        "S2;113;2026-05-01T10:00:00+02:00;2026-05-01T10:00:04+02:00\r\n".encode()
    )
    result, good = loaded(path)
    assert good == ["S1", "S2"] and result.bad.total == 0
    assert result.files[0].ended_column is None  # ended_at is optional


@pytest.mark.parametrize(
    ("name", "code", "words"),
    [
        ("empty.csv", "calllog-empty", "tom"),
        ("not-csv.xlsx", "calllog-not-csv", "ikke en CSV-fil"),
        ("wrong-columns.csv", "calllog-column", "mangler kolonne call_id, line, offered_at, answered_at"),
        ("missing.csv", "calllog-missing", "finnes ikke"),
    ],
)
def test_not_a_call_log_is_one_clear_error(name: str, code: str, words: str) -> None:
    finding = error_of(LOGS / name)
    assert finding.code == code and words in finding.message
    assert finding.path.endswith(name)


def test_a_missing_column_suggests_the_mapping(tmp_path: Path) -> None:
    path = tmp_path / "log.csv"
    path.write_text("call_id,line,offerd_at,answered_at\nX,113,2026-05-01T10:00:00+02:00,\n", encoding="utf-8")
    finding = error_of(path)
    assert finding.line == 1
    assert "mente du 'offerd_at'?" in finding.message and "call_log i kokom.yaml" in finding.message


def test_an_explicitly_mapped_ended_column_must_be_there(tmp_path: Path) -> None:
    path = tmp_path / "log.csv"
    path.write_text(HEADER.replace(",ended_at", "") + "X,113,2026-05-01T10:00:00+02:00,\n", encoding="utf-8")
    assert error_of(path, CallLogMapping(ended_at="slutt")).code == "calllog-column"


def test_not_utf8_later_in_the_file_names_the_line(tmp_path: Path) -> None:
    path = tmp_path / "log.csv"
    body = "".join(f"R{i},113,2026-05-01T10:00:00+02:00,,\n" for i in range(5000))
    path.write_bytes((HEADER + body).encode() + "R9,Legevakt Ålesund,x,,\n".encode("latin-1"))
    finding = error_of(path)
    assert finding.code == "calllog-unreadable" and "UTF-8" in finding.message and finding.line > 5000


def test_text_that_is_not_csv(tmp_path: Path) -> None:
    path = tmp_path / "notes.csv"
    path.write_text("Svartider for januar\nsjekk tallene\n", encoding="utf-8")
    assert error_of(path).code == "calllog-not-csv"


def test_a_header_with_a_column_twice(tmp_path: Path) -> None:
    path = tmp_path / "log.csv"
    path.write_text("call_id,line,offered_at,answered_at,line\n", encoding="utf-8")
    assert "to ganger" in error_of(path).message


def test_an_unknown_time_zone_in_the_mapping() -> None:
    finding = error_of(LOGS / "amk-edge.csv", CallLogMapping(timezone="Europe/Olso"))
    assert finding.code == "calllog-timezone" and "Europe/Olso" in finding.message


def test_nonexistent_and_ambiguous_wall_clock_times(tmp_path: Path) -> None:
    path = tmp_path / "log.csv"
    path.write_text(
        HEADER + "N1,113,2026-03-29 02:30:00,,\n"  # the spring gap: never happened
        "N2,113,2026-10-25 02:30:00,2026-10-25 02:30:05,\n"  # happened twice: both readings agree
        "N3,113,2026-03-29 01:59:59,2026-03-29 03:00:01,\n",
        encoding="utf-8",
    )
    result, good = loaded(path)
    assert good == ["N2", "N3"] and result.bad.counts == {BadKind.timestamp: 1}
    with database() as con:
        load(con, [path])
        waits = con.execute("SELECT call_id, answer_us FROM calls WHERE problem IS NULL ORDER BY rowid").fetchall()
    assert waits == [("N2", 5_000_000), ("N3", 2_000_000)]


# ---------------------------------------------------------------------------------------------------------------
# Rows that must be bad rows, never an unreadable log, and files that each get one clear line (issues 12 and 13)


def test_a_truncated_row_is_a_bad_row_not_an_unanswered_call(tmp_path: Path) -> None:
    path = tmp_path / "a.csv"
    path.write_text(
        HEADER
        + "A1,116117,2026-11-05T10:00:00+01:00,,\n"  # explicitly empty answered_at: unanswered
        + "A2,116117,2026-11-05T10:00:00+01:00\n"  # three fields: truncated
        + 'A3,116117,2026-11-05T10:00:00+01:00,"",""\n',  # quoted empty fields are empty, not missing
        encoding="utf-8",
    )
    result, good = loaded(path)
    assert good == ["A1", "A3"]
    assert result.bad.counts == {BadKind.fields: 1}
    [bad] = result.bad.examples
    assert (bad.line, bad.kind) == (3, BadKind.fields) and bad.finding().code == "calllog-fields"
    assert "wrong number of fields" in BadKind.fields.label() or "feil antall felt" in BadKind.fields.label()


def test_a_row_dated_in_the_year_294000_is_one_bad_row(tmp_path: Path) -> None:
    path = tmp_path / "a.csv"
    path.write_text(
        HEADER
        + "A1,113,294000-11-05T10:00:00+01:00,,\n"
        + "A2,113,2026-11-05T10:00:00+01:00,2026-11-05T10:00:03+01:00,2026-11-05T10:01:00+01:00\n"
        + "A3,113,2026-11-05T10:00:00+01:00,99999-11-05T10:00:03+01:00,\n",
        encoding="utf-8",
    )
    result, good = loaded(path)
    assert good == ["A2"], "one row never removes the measurement"
    assert result.bad.counts == {BadKind.timestamp: 2}
    assert [b.line for b in result.bad.examples] == [2, 4]
    wall = tmp_path / "b.csv"  # wall-clock times through the mapping's time zone
    wall.write_text(HEADER + "B1,113,294000-11-05 10:00:00,,\nB2,113,2026-11-05 10:00:00,,\n", encoding="utf-8")
    result, good = loaded(wall)
    assert good == ["B2"] and result.bad.counts == {BadKind.timestamp: 1}


@pytest.mark.parametrize(
    ("content", "words"),
    [
        (b"call_id,line,offered_at,answered_at\rA1,113,2026-11-05T10:00:00+01:00,\r", "bare CR"),
        (b"call_id,line,offered_at,answered_at," + b",".join(b"k%d" % i for i in range(12000)) + b"\n", "64 KiB"),
    ],
)
def test_files_that_get_one_clear_line(tmp_path: Path, content: bytes, words: str) -> None:
    path = tmp_path / "a.csv"
    path.write_bytes(content)
    finding = error_of(path)
    assert finding.code == "calllog-not-csv" and words in finding.message


def test_a_60_mb_line_is_one_clear_line(tmp_path: Path) -> None:
    path = tmp_path / "a.csv"
    with open(path, "wb") as fh:
        fh.write(HEADER.encode() + b"A1,113,2026-11-05T10:00:00+01:00," + b"x" * (60 * 1024 * 1024) + b",\n")
    finding = error_of(path)
    assert (finding.code, finding.line) == ("calllog-line-too-long", 2), "not silently dropped, not out of memory"
    assert "1 MiB" in finding.message


def test_values_reach_duckdb_as_parameters_not_statement_text(tmp_path: Path) -> None:
    folder = tmp_path / "it's here"  # a quote in the path, the line name and the format would break spliced SQL
    folder.mkdir()
    path = folder / "a'b.csv"
    path.write_text("id,queue,rang,svarte\nX1,Nød'nr,05.11.2026 10:00:00,05.11.2026 10:00:04\n", encoding="utf-8")
    mapping = CallLogMapping(
        call_id="id",
        line="queue",
        offered_at="rang",
        answered_at="svarte",
        ended_at=None,
        timestamp_format="%d.%m.%Y %H:%M:%S",
        line_names={"Nød'nr": "113"},
    )
    with database() as con:
        load(con, [path], mapping)
        assert con.execute("SELECT line, answer_us FROM calls").fetchall() == [("113", 4_000_000)]
    import inspect

    from kokom_cli.calllog import badrows, logfile, measure, metrics, quantiles, reader, sql

    for module in (reader, logfile, sql, badrows, metrics, measure, quantiles):
        assert "sql_str" not in inspect.getsource(module)


def test_millions_of_duplicate_ids_are_bad_rows_within_the_memory_limit(tmp_path: Path) -> None:
    """3.2M rows, 34,000 ids (a year's log exported 94 times over): marking them once ran out of memory."""
    import duckdb

    path = tmp_path / "repeated.csv"
    with duckdb.connect() as con:
        con.execute(
            f"""COPY (SELECT 'LVS' || lpad((i % 34000)::VARCHAR, 8, '0') AS call_id, '116117' AS line,
                        '2026-03-02T10:00:00+01:00' AS offered_at, '2026-03-02T10:00:30+01:00' AS answered_at,
                        '' AS ended_at FROM range(3200000) t(i)) TO '{path}' (HEADER)"""
        )
    with database() as con:  # the limit every command runs with
        result = load(con, [path])
        first_rows = con.execute("SELECT call_id FROM calls WHERE problem IS NULL ORDER BY rowid LIMIT 3").fetchall()
    assert result.bad.counts == {BadKind.duplicate: 3_200_000 - 34_000}
    assert [r[0] for r in first_rows] == ["LVS00000000", "LVS00000001", "LVS00000002"]
    assert result.bad.examples[0].line == 34_002  # the header, then 34,000 first calls
