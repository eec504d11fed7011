"""`kokom assess new|check|report`: a local service's self-assessment against the national requirements."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

from kokom_cli.cli.options import (
    AsOfOption,
    ForceOption,
    JsonOption,
    LangOption,
    RootOption,
    TemplatesOption,
    ThroughLinkOption,
    as_of_date,
)
from kokom_cli.cli.output import (
    EXIT_FOUND,
    EXIT_OK,
    console,
    emit_json,
    guarded,
    markup_safe,
    print_lines,
    workspace,
    write_stdout,
)
from kokom_cli.cli.publishing import FormatOption
from kokom_cli.core.i18n import htr

app = typer.Typer(
    help=htr(
        "Egenvurdering: lag skjema, kontroller svarene, lag rapport.",
        "Self-assessment: make the form, check the answers, make the report.",
        "Eigenvurdering: lag skjema, kontroller svara, lag rapport.",
    ),
    no_args_is_help=True,
)

AssessmentArgument = Annotated[
    Path,
    typer.Argument(
        metavar="ASSESSMENT",
        help=htr("Egenvurderingen (YAML-filen).", "The assessment YAML file.", "Eigenvurderinga (YAML-fila)."),
    ),
]
PackOrAssessmentArgument = Annotated[
    Path,
    typer.Argument(
        metavar="ASSESSMENT",
        help=htr(
            "Egenvurderingen (YAML-filen), eller en pakke (.zip) fra `kokom assess pack`.",
            "The assessment YAML file, or a pack (.zip) from `kokom assess pack`.",
            "Eigenvurderinga (YAML-fila), eller ein pakke (.zip) frå `kokom assess pack`.",
        ),
    ),
]


def _workspace_and_corpus(root):
    from kokom_cli.requirements.corpus import workspace_corpus

    ws = workspace(root)
    return ws, workspace_corpus(ws)


def evaluate_file(assessment: Path, root, as_of: str | None):
    """Load, cross-check and evaluate an assessment file (KokomError for unreadable input)."""
    from kokom_cli.assessments.loading import check_assessment

    ws, corpus = _workspace_and_corpus(root)
    return check_assessment(assessment, ws, corpus, as_of=as_of_date(as_of))


@app.command(
    "new",
    help=htr(
        "Skriv et tomt egenvurderingsskjema med nøyaktig de kravene som gjelder tjenesten.",
        "Write a blank self-assessment form with exactly the requirements that apply to the service.",
        "Skriv eit tomt eigenvurderingsskjema med nøyaktig dei krava som gjeld tenesta.",
    ),
)
@guarded
def new(
    service_file: Annotated[
        Path,
        typer.Argument(
            metavar="SERVICE_FILE",
            help=htr(
                "Tjenesten, f.eks. services/lvs-fjordby.yaml.",
                "The service, e.g. services/lvs-fjordby.yaml.",
                "Tenesta, t.d. services/lvs-fjordby.yaml.",
            ),
        ),
    ],
    out: Annotated[
        Path | None,
        typer.Option(
            "-o",
            "--output",
            help=htr(
                "Skriv skjemaet hit (standard: stdout).",
                "Write the form here (default: stdout).",
                "Skriv skjemaet hit (standard: stdout).",
            ),
        ),
    ] = None,
    previous: Annotated[
        Path | None,
        typer.Option(
            "--from",
            metavar="PREVIOUS",
            help=htr(
                "Ta med svarene fra en tidligere egenvurdering av samme utgave.",
                "Carry answers over from an earlier assessment of the same edition.",
                "Ta med svara frå ei tidlegare eigenvurdering av same utgåve.",
            ),
        ),
    ] = None,
    force: ForceOption = False,
    root: RootOption = None,
) -> None:
    import datetime as dt

    from kokom_cli.assessments.form import build_form
    from kokom_cli.assessments.loading import load_assessment
    from kokom_cli.assessments.services import load_service, service_candidates
    from kokom_cli.core.atomic import refuse_existing, write_text_atomic
    from kokom_cli.core.findings import KokomError
    from kokom_cli.core.i18n import tr

    if out is not None:
        refuse_existing(out, force=force)
    ws, corpus = _workspace_and_corpus(root)
    service, _ = load_service(service_file)
    earlier = None
    if previous is not None:
        loaded = load_assessment(previous, ws, corpus)
        if loaded.service.id != service.id:
            raise KokomError(
                loaded.doc.finding(
                    ("service",),
                    "service-mismatch",
                    tr(
                        f"{previous} er en vurdering av '{loaded.service.id}', ikke '{service.id}'",
                        f"{previous} assesses '{loaded.service.id}', not '{service.id}'",
                        f"{previous} er ei vurdering av '{loaded.service.id}', ikkje '{service.id}'",
                    ),
                )
            )
        earlier = loaded.assessment
    target = (out or Path.cwd() / "assessment.yaml").absolute()
    by_default = any(
        p.resolve() == service_file.resolve() for p in service_candidates(target, service.id, ws) if p.is_file()
    )
    text = build_form(
        service,
        service_file.absolute(),
        corpus,
        ws.edition,
        out_path=target,
        today=dt.date.today(),
        previous=earlier,
        service_found_by_default=by_default,
    )
    if out is None:
        write_stdout(text)
        return
    out.parent.mkdir(parents=True, exist_ok=True)
    write_text_atomic(out, text, force=force)
    print_lines([tr(f"Skrev {out}", f"Wrote {out}", f"Skreiv {out}")], stderr=True)


_OUTCOME_STYLE = {
    "met": "green",
    "partial": "yellow",
    "not_met": "red",
    "not_applicable": "dim",
    "unanswered": "magenta",
    "contradicted": "bold red",
    "unmeasured": "bold red",
}


def summary_lines(evaluation) -> list[str]:
    from kokom_cli.core.i18n import tr
    from kokom_cli.core.numbers import percent

    s = evaluation.summary
    score = "-" if s["score"] is None else percent(s["score"], 0)
    waived = (
        tr(
            f" ({s['skal_waived']} med gyldig unntak)",
            f" ({s['skal_waived']} validly waived)",
            f" ({s['skal_waived']} med gyldig unntak)",
        )
        if s["skal_waived"]
        else ""
    )
    lines = [
        tr(
            f"Skal-krav: {s['skal_met']} av {s['skal_total']} oppfylt{waived}. "
            f"Bør-krav: {s['bor_met']} av {s['bor_total']} oppfylt. Poengsum: {score}.",
            f"Skal requirements: {s['skal_met']} of {s['skal_total']} met{waived}. "
            f"Bør requirements: {s['bor_met']} of {s['bor_total']} met. Score: {score}.",
            f"Skal-krav: {s['skal_met']} av {s['skal_total']} oppfylte{waived}. "
            f"Bør-krav: {s['bor_met']} av {s['bor_total']} oppfylte. Poengsum: {score}.",
        ),
    ]
    failing = [r.requirement.id for r in evaluation.results if r.requirement.level.value == "skal" and not r.passes]
    if failing:
        lines.append(
            tr(
                f"Ikke i orden: {len(failing)} skal-krav er ikke oppfylt: {', '.join(failing)}.",
                f"Not in order: {len(failing)} skal requirements are not met: {', '.join(failing)}.",
                f"Ikkje i orden: {len(failing)} skal-krav er ikkje oppfylte: {', '.join(failing)}.",
            )
        )
    else:
        lines.append(
            tr(
                "I orden: alle skal-krav er oppfylt eller har gyldig unntak.",
                "In order: every skal requirement is met or validly waived.",
                "I orden: alle skal-krav er oppfylte eller har gyldig unntak.",
            )
        )
    return lines


@app.command(
    "check",
    help=htr(
        "Resultatet for hvert krav med begrunnelser; utgangskode 1 så lenge et skal-krav ikke er oppfylt.",
        "The outcome of every requirement with its reasons; exit 1 while a skal requirement is not met.",
        "Resultatet for kvart krav med grunngivingar; utgangskode 1 så lenge eit skal-krav ikkje er oppfylt.",
    ),
)
@guarded
def check(
    assessment: PackOrAssessmentArgument,
    as_of: AsOfOption = None,
    root: RootOption = None,
    json_out: JsonOption = False,
) -> None:
    from kokom_cli.assessments.unpack import opened_assessment

    with opened_assessment(assessment) as path:  # a pack (.zip): unpacked, checked against its manifest, then read
        _check(path, as_of, root, json_out)


def _check(assessment: Path, as_of: str | None, root: Path | None, json_out: bool) -> None:
    from kokom_cli.assessments.results import outcome_label
    from kokom_cli.core.i18n import tr

    evaluation = evaluate_file(assessment, root, as_of)
    if json_out:
        emit_json(evaluation.as_json())
    else:
        from rich.table import Table

        out = console()
        service = evaluation.service
        out.print(
            f"[bold]{markup_safe(service.name)}[/bold] ({service.kind.value}), "
            + tr(
                f"periode {markup_safe(evaluation.assessment.period)}, utgave {evaluation.assessment.edition}, "
                f"kontrollert per {evaluation.as_of}",
                f"period {markup_safe(evaluation.assessment.period)}, edition {evaluation.assessment.edition}, "
                f"checked as of {evaluation.as_of}",
                f"periode {markup_safe(evaluation.assessment.period)}, utgåve {evaluation.assessment.edition}, "
                f"kontrollert per {evaluation.as_of}",
            )
        )
        current: object = object()
        table: Table | None = None
        for r in evaluation.results:
            if r.chapter is not current:
                if table is not None:
                    out.print(table)
                current = r.chapter
                title = r.chapter.title if r.chapter else tr("Uten kapittel", "No chapter", "Utan kapittel")
                table = Table(title=f"[bold]{markup_safe(title)}[/bold]", title_justify="left", expand=True)
                table.add_column(tr("Krav", "Requirement", "Krav"), no_wrap=True, min_width=15)
                table.add_column(tr("Nivå", "Level", "Nivå"), width=4)
                table.add_column(tr("Resultat", "Outcome", "Resultat"), min_width=14)
                table.add_column(tr("Merknader", "Remarks", "Merknader"), ratio=1)
            assert table is not None  # made for the first result
            style = _OUTCOME_STYLE[r.outcome.value]
            remarks = "\n".join(f"• {markup_safe(reason.message)}" for reason in r.reasons)
            table.add_row(
                markup_safe(r.requirement.id),
                r.requirement.level.value,
                f"[{style}]{outcome_label(r.outcome.value)}[/{style}]",
                remarks,
            )
        if table is not None:
            out.print(table)
        for line in summary_lines(evaluation):
            out.print(markup_safe(line))
    raise typer.Exit(EXIT_OK if evaluation.passed else EXIT_FOUND)


@app.command(
    "report",
    help=htr(
        "Rapporten til tjenestens leder og rådgiver: sammendrag, mangler, tiltaksplan, omstridte svar.\n\n"
        "PDF-en har egenvurderingens YAML-fil som innebygd vedlegg.",
        "The report for the service's leader and the advisor: summary, gaps, action plan, disputed answers.\n\n"
        "The PDF carries the assessment YAML as an embedded attachment.",
        "Rapporten til leiaren og rådgjevaren for tenesta: samandrag, manglar, tiltaksplan, omstridde svar.\n\n"
        "PDF-en har YAML-fila til eigenvurderinga som innebygd vedlegg.",
    ),
)
@guarded
def report(
    assessment: AssessmentArgument,
    fmt: FormatOption = "html",
    out: Annotated[
        Path | None,
        typer.Option(
            "-o",
            "--output",
            dir_okay=False,
            help=htr(
                "Filen som skrives (standard: egenvurderingens navn med .html eller .pdf).",
                "File to write (default: the assessment's name with .html or .pdf).",
                "Fila som blir skriven (standard: namnet på eigenvurderinga med .html eller .pdf).",
            ),
        ),
    ] = None,
    as_of: AsOfOption = None,
    lang: LangOption = None,
    templates: TemplatesOption = None,
    force: ThroughLinkOption = False,
    root: RootOption = None,
) -> None:
    from kokom_cli.cli.publishing import publish
    from kokom_cli.core.i18n import LANGUAGES, set_language, tr
    from kokom_cli.publish.report import report_context

    if lang in LANGUAGES:
        set_language(lang)
    evaluation = evaluate_file(assessment, root, as_of)
    target = out or assessment.with_suffix(f".{fmt}")
    attachments = [(assessment.name, assessment.read_bytes())] if fmt == "pdf" else None

    def context(_ws):
        return dict(report_context(evaluation), pdf=fmt == "pdf")

    publish(
        "assessment_report.html.j2",
        context,
        fmt=fmt,
        out=target,
        lang=lang,
        templates=templates,
        variant=None,
        root=root,
        attachments=attachments,
        force=force,
    )
    print_lines([tr(f"Skrev {target}", f"Wrote {target}", f"Skreiv {target}")], stderr=True)
