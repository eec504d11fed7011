"""`kokom metrics CALLS_CSV`: answer-time figures from call logs, and the verdict on the metric requirements.

Exit codes: 0 when every metric requirement of the kind is met by the log;
1 when one is not met or cannot be decided from the log (no calls, unknown
waits), or when there are bad rows under --strict; 2 when a file cannot be read
as a call log or the arguments are wrong.
"""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING, Annotated

import typer

from kokom_cli.cli.options import JsonOption, RootOption
from kokom_cli.cli.output import EXIT_FOUND, EXIT_OK, console, emit_json, guarded, markup_safe, print_lines, workspace
from kokom_cli.core.i18n import htr

if TYPE_CHECKING:
    from kokom_cli.calllog.metrics import Figures, KindReport


def register(app: typer.Typer) -> None:
    app.command(
        "metrics",
        help=htr(
            "Svartider fra en anropslogg: andel innen grensen, median, 90-persentil, lengste ventetid.",
            "Answer times from a call log: share within the threshold, median, 90th percentile, longest wait.",
            "Svartider frå ein anropslogg: del innan grensa, median, 90-persentil, lengste ventetid.",
        ),
    )(metrics)


@guarded
def metrics(
    calls_csv: Annotated[
        list[Path],
        typer.Argument(
            metavar="CALLS_CSV",
            help=htr(
                "Én eller flere anropslogger som CSV, også gzip-komprimert.",
                "One or more call-log CSV files, gzip as is.",
                "Éin eller fleire anropsloggar som CSV, òg gzip-komprimerte.",
            ),
        ),
    ],
    kind: Annotated[
        str | None,
        typer.Option(
            "--kind",
            help=htr(
                "amk eller legevaktsentral (standard: ut fra linjene i loggen).",
                "amk or legevaktsentral (default: from the log's lines).",
                "amk eller legevaktsentral (standard: ut frå linjene i loggen).",
            ),
        ),
    ] = None,
    threshold: Annotated[
        int | None,
        typer.Option(
            "--threshold",
            min=1,
            max=86400,
            metavar="SECONDS",
            help=htr(
                "Svartidsgrensen for andelen (standard: kravets).",
                "Answer-time threshold for the share (default: the requirement's).",
                "Svartidsgrensa for delen (standard: grensa i kravet).",
            ),
        ),
    ] = None,
    date_from: Annotated[
        str | None,
        typer.Option(
            "--from",
            metavar="DATE",
            help=htr(
                "Første dag (ÅÅÅÅ-MM-DD, norsk tid).",
                "First day (YYYY-MM-DD, Norwegian time).",
                "Første dag (ÅÅÅÅ-MM-DD, norsk tid).",
            ),
        ),
    ] = None,
    date_to: Annotated[
        str | None,
        typer.Option(
            "--to", metavar="DATE", help=htr("Siste dag, tatt med.", "Last day, included.", "Siste dag, medrekna.")
        ),
    ] = None,
    strict: Annotated[
        bool,
        typer.Option(
            "--strict",
            help=htr(
                "Enhver ugyldig rad er en feil (utgangskode 1).",
                "Any bad row is an error (exit 1).",
                "Kvar ugyldig rad er ein feil (utgangskode 1).",
            ),
        ),
    ] = False,
    root: RootOption = None,
    json_out: JsonOption = False,
) -> None:
    from kokom_cli.calllog.metrics import Period, kind_for_lines, lines_present, report_for_kind
    from kokom_cli.calllog.reader import database, load
    from kokom_cli.core.findings import Severity
    from kokom_cli.core.i18n import tr
    from kokom_cli.core.numbers import count
    from kokom_cli.core.selection import parse_choice, parse_date, usage_error
    from kokom_cli.requirements.corpus import workspace_corpus
    from kokom_cli.requirements.models import ServiceKind

    kind_value = parse_choice(kind, ServiceKind, "--kind") if kind else None
    period = Period(parse_date(date_from, "--from"), parse_date(date_to, "--to"))
    if period.start and period.end and period.start > period.end:
        raise usage_error("--from", tr("--from er etter --to", "--from is after --to", "--from er etter --to"))
    ws = workspace(root)
    requirements = list(workspace_corpus(ws).requirements.values())
    with database() as con:
        loaded = load(con, calls_csv, ws.config.call_log)
        kind_value, specs = kind_for_lines(requirements, list(lines_present(con)), kind_value)
        report = report_for_kind(con, loaded, kind_value, specs, threshold_seconds=threshold, period=period)
    bad = report.measurement.bad
    severity = Severity.error if strict else Severity.warning
    print_lines([b.finding(severity).render() for b in bad.examples], stderr=True)
    if bad.total:
        kinds = ", ".join(f"{k.label()}: {count(n)}" for k, n in bad.counts.items())
        print_lines(
            [
                tr(
                    f"Ugyldige rader holdt utenfor tallene: {count(bad.total)} ({kinds}).",
                    f"Bad rows left out of the figures: {count(bad.total)} ({kinds}).",
                    f"Ugyldige rader haldne utanfor tala: {count(bad.total)} ({kinds}).",
                )
            ],
            stderr=True,
        )
    if json_out:
        emit_json(report.as_json())
    else:
        _print(report)
    proven = all(o.met is True for o in report.outcomes)
    raise typer.Exit(EXIT_OK if proven and not (strict and bad.total) else EXIT_FOUND)


def _print(report: KindReport) -> None:
    from rich import box
    from rich.table import Table

    from kokom_cli.core.i18n import tr
    from kokom_cli.core.numbers import count
    from kokom_cli.core.numbers import percent as format_share
    from kokom_cli.core.numbers import seconds as format_seconds

    m = report.measurement
    out = console()
    t = m.overall.threshold_seconds
    period = ""
    if m.period.start or m.period.end:
        period = f", {m.period.start or '…'} – {m.period.end or '…'}"
    out.print(
        f"[bold]{tr('Svartid', 'Answer times', 'Svartid')}[/bold] {markup_safe(', '.join(m.files))}: "
        f"{tr('linje', 'line', 'linje')} {markup_safe(', '.join(m.lines))} ({report.kind.value}){markup_safe(period)}"
    )
    out.print(tr("Andelen er ", "The share is the ", "Delen er ") + m.overall.denominator.label() + ".")

    # 113 is judged on waits over 20 s, 116 117 also on the share within 10 minutes (Helsedirektoratet's figures)
    last = (
        (tr("Over 20 s", "Over 20 s", "Over 20 s"), lambda f: count(f.over[20]))
        if report.kind.value == "amk"
        else (tr("≤ 10 min", "≤ 10 min", "≤ 10 min"), lambda f: format_share(f.share(600)))
    )

    def table(title: str, first: str, rows: dict[str, Figures]) -> Table:
        tab = Table(
            title=title,
            title_justify="left",
            box=box.SIMPLE_HEAD,
            pad_edge=False,
            padding=(0, 1, 0, 1),
            collapse_padding=True,
        )
        for name in (
            first,
            tr("Anrop", "Calls", "Anrop"),
            tr("Ubesvart", "Abandoned", "Usvart"),
            f"≤ {t} s",
            "Median",
            "P90",
            tr("Maks vent", "Max wait", "Maks venting"),
            last[0],
        ):
            tab.add_column(name, justify="left" if name == first else "right", no_wrap=True)
        for label, f in rows.items():
            tab.add_row(
                markup_safe(label),
                count(f.calls),
                count(f.abandoned),
                format_share(f.within_threshold_share),
                format_seconds(f.median_answer_seconds),
                format_seconds(f.p90_answer_seconds),
                format_seconds(f.max_wait_seconds),
                last[1](f),
            )
        return tab

    out.print(
        table(
            tr("Per måned", "By month", "Per månad"),
            tr("Måned", "Month", "Månad"),
            {**m.by_month, tr("Alle", "All", "Alle"): m.overall},
        )
    )
    if len(m.by_line) > 1:
        out.print(table(tr("Per linje", "By line", "Per linje"), tr("Linje", "Line", "Linje"), m.by_line))
    notes = []
    if m.overall.unknown_wait:
        notes.append(
            tr(
                f"{m.overall.unknown_wait} ubesvarte anrop uten ended_at: ventetiden er ukjent.",
                f"{m.overall.unknown_wait} unanswered calls without ended_at: their wait is unknown.",
                f"{m.overall.unknown_wait} usvarte anrop utan ended_at: ventetida er ukjend.",
            )
        )
    if m.other_lines:
        others = ", ".join(f"{k} ({n})" for k, n in m.other_lines.items())
        notes.append(
            tr(
                f"Ikke målt, andre linjer: {others}.",
                f"Not measured, other lines: {others}.",
                f"Ikkje målt, andre linjer: {others}.",
            )
        )
    if m.outside_period:
        notes.append(
            tr(
                f"{m.outside_period} anrop utenfor perioden.",
                f"{m.outside_period} calls outside the period.",
                f"{m.outside_period} anrop utanfor perioden.",
            )
        )
    for note in notes:
        out.print(markup_safe(note))
    out.print()
    for o in report.outcomes:
        mark = {True: "[green]✓[/green]", False: "[red]✗[/red]", None: "[yellow]?[/yellow]"}[o.met]
        out.print(f"{mark} [bold]{markup_safe(o.requirement_id or '')}[/bold] {markup_safe(o.reason)}")
