"""What one run has measured from call logs, and the one DuckDB connection it reads them into.

`kokom overview` measures a hundred services' logs in one run. Opening a DuckDB
connection costs about as much as reading a small log, so the run opens one,
loads each set of files into it in turn, and remembers every measurement: a log
is read once however many requirements and assessments refer to it.
"""

from __future__ import annotations

from contextlib import ExitStack
from types import TracebackType
from typing import TYPE_CHECKING, Any

from kokom_cli.calllog.reader import database

if TYPE_CHECKING:
    import duckdb


class RunMemo:
    """Measurements by (files, requirement, metric), and the run's connection, opened at the first read.

    Use it as a context manager: the connection and its spill folder go at the end."""

    def __init__(self) -> None:
        self.measured: dict[Any, Any] = {}
        self._resources = ExitStack()
        self._con: duckdb.DuckDBPyConnection | None = None

    def connection(self) -> duckdb.DuckDBPyConnection:
        if self._con is None:
            self._con = self._resources.enter_context(database())
        return self._con

    def __enter__(self) -> RunMemo:
        return self

    def __exit__(self, kind: type[BaseException] | None, exc: BaseException | None, tb: TracebackType | None) -> None:
        self._con = None
        self._resources.close()
