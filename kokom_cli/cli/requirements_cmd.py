"""`kokom requirements list|show`."""

from __future__ import annotations

from typing import Annotated

import typer

from kokom_cli.cli.options import JsonOption, RequirementIdArgument, RootOption
from kokom_cli.cli.output import console, emit_json, guarded, markup_safe, workspace
from kokom_cli.core.i18n import htr, plural

app = typer.Typer(
    help=htr("Les de nasjonale kravene.", "Read the national requirements.", "Les dei nasjonale krava."),
    no_args_is_help=True,
)

LevelOption = Annotated[
    str | None, typer.Option("--level", help=htr("skal eller bør.", "skal or bør.", "skal eller bør."))
]


def _load(root):
    """The corpus and the labels (templates/labels.yaml, in the chosen language) to show it with."""
    from kokom_cli.core.i18n import language
    from kokom_cli.publish.render import load_labels, template_dirs
    from kokom_cli.requirements.corpus import workspace_corpus

    ws = workspace(root)
    return workspace_corpus(ws), load_labels(template_dirs(ws), language())


def metric_sentence(metric, labels: dict) -> str:
    """The measurable threshold in words, as the handbook prints it."""
    seconds = metric.threshold_seconds
    limit = (
        f"{seconds // 60} {labels['minutes']}"
        if seconds >= 60 and seconds % 60 == 0
        else f"{seconds} {labels['seconds']}"
    )
    from kokom_cli.core.numbers import percent

    values = {"share": percent(metric.required_share, 0), "lines": ", ".join(metric.lines), "limit": limit}
    sentence = labels[f"metric_{metric.indicator.value}"] % values
    if metric.indicator.value == "answered_within":
        sentence += f" ({labels['denominators'][metric.denominator.value]})"
    return sentence


def requirement_json(corpus, requirement) -> dict:
    chapter = corpus.chapter_of(requirement.id)
    data = requirement.model_dump(mode="json", by_alias=True, exclude_none=True)
    data["chapter"] = chapter.chapter if chapter else None
    return data


@app.command(
    "list",
    help=htr(
        "List kravene, eventuelt for én type tjeneste eller ett nivå.",
        "List requirements, optionally for one kind of service or one level.",
        "List krava, eventuelt for éin type teneste eller eitt nivå.",
    ),
)
@guarded
def list_requirements(
    kind: Annotated[
        str | None,
        typer.Option(
            "--kind",
            help=htr(
                "Bare krav som gjelder denne typen tjeneste.",
                "Only those that apply to this kind of service.",
                "Berre krav som gjeld denne typen teneste.",
            ),
        ),
    ] = None,
    level: LevelOption = None,
    root: RootOption = None,
    json_out: JsonOption = False,
) -> None:
    from kokom_cli.core.i18n import tr
    from kokom_cli.core.selection import parse_choice
    from kokom_cli.requirements.models import Level, ServiceKind

    kind_value = parse_choice(kind, ServiceKind, "--kind") if kind else None
    level_value = parse_choice(level.replace("bor", "bør"), Level, "--level") if level else None
    corpus, labels = _load(root)
    chosen = [
        r
        for r in corpus.requirements.values()
        if (kind_value is None or kind_value in r.applies_to) and (level_value is None or r.level is level_value)
    ]
    if json_out:
        emit_json({"requirements": [requirement_json(corpus, r) for r in chosen]})
        return
    from rich.table import Table

    table = Table(
        title=plural(len(chosen), ("krav", "krav"), ("requirement", "requirements"), ("krav", "krav")), show_lines=False
    )
    for column in (
        "ID",
        tr("Nivå", "Level", "Nivå"),
        tr("Tittel", "Title", "Tittel"),
        tr("Gjelder", "Applies to", "Gjeld"),
        tr("Verifisering", "Verification", "Verifisering"),
    ):
        table.add_column(column)
    for r in chosen:
        table.add_row(
            markup_safe(r.id),
            r.level.value,
            markup_safe(r.title),
            ", ".join(labels["kinds"][k.value] for k in r.applies_to),
            labels["verifications"][r.verification.value],
        )
    console().print(table)


@app.command(
    "show", help=htr("Vis ett krav i sin helhet.", "Show one requirement in full.", "Vis eitt krav i heilskap.")
)
@guarded
def show(
    requirement_id: RequirementIdArgument,
    root: RootOption = None,
    json_out: JsonOption = False,
) -> None:
    corpus, labels = _load(root)
    req = corpus.get(requirement_id)
    if json_out:
        emit_json(requirement_json(corpus, req))
        return
    out = console()
    out.print(f"[bold]{markup_safe(req.id)}[/bold]  {markup_safe(req.title)}")
    out.print(
        f"{labels['level']}: {req.level.value}    "
        f"{labels['applies_to']}: {', '.join(labels['kinds'][k.value] for k in req.applies_to)}    "
        f"{labels['verification']}: {labels['verifications'][req.verification.value]}"
    )
    out.print()
    out.print(markup_safe(req.text.strip()))
    if req.metric:
        out.print()
        out.print(f"{labels['metric']}: {markup_safe(metric_sentence(req.metric, labels))}")
    out.print()
    out.print(labels["sources"] + ":")
    for s in req.source:
        out.print("  - " + markup_safe(" — ".join(x for x in (s.title, s.ref, s.url) if x)))
    if req.evidence:
        out.print(labels["evidence"] + ":")
        for e in req.evidence:
            age = f" ({labels['max_age'] % {'months': e.max_age_months}})" if e.max_age_months else ""
            out.print(f"  - {markup_safe(e.description)}{age}")
    if req.links:
        out.print(labels["see_also"] + ": " + markup_safe(", ".join(req.links)))
