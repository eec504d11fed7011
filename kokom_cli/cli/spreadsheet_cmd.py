"""`kokom assess export|import`: the self-assessment as an XLSX spreadsheet, and back to YAML."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING, Annotated

import typer

from kokom_cli.cli.options import ForceOption, JsonOption, RootOption
from kokom_cli.cli.output import EXIT_FOUND, emit_json, guarded, print_lines, print_problems, workspace
from kokom_cli.core.i18n import htr

if TYPE_CHECKING:
    from kokom_cli.assessments.models import Assessment


def _refuse_existing(out: Path, force: bool) -> None:
    from kokom_cli.core.atomic import refuse_existing, refuse_symlink

    refuse_symlink(out, force=force)
    refuse_existing(out, force=force)


def _corpus(ws):
    from kokom_cli.core.findings import KokomError, Severity
    from kokom_cli.requirements.corpus import workspace_corpus

    corpus = workspace_corpus(ws)
    errors = [f for f in corpus.findings if f.severity is Severity.error]
    if errors:
        raise KokomError(errors)
    return corpus


@guarded
def export(
    source: Annotated[
        Path,
        typer.Argument(
            metavar="ASSESSMENT_OR_SERVICE",
            help=htr(
                "En egenvurdering (utfylt) eller en tjenestefil (tomt skjema).",
                "An assessment (filled in) or a service file (a blank form).",
                "Ei eigenvurdering (utfylt) eller ei tenestefil (tomt skjema).",
            ),
        ),
    ],
    out: Annotated[
        Path,
        typer.Option(
            "-o",
            "--output",
            dir_okay=False,
            help=htr(
                "Regnearket som skrives (.xlsx).",
                "The workbook to write (.xlsx).",
                "Reknearket som blir skrive (.xlsx).",
            ),
        ),
    ],
    fmt: Annotated[
        str,
        typer.Option(
            "--format",
            "-f",
            help=htr("xlsx (det eneste formatet).", "xlsx (the only format).", "xlsx (det einaste formatet)."),
        ),
    ] = "xlsx",
    owner: Annotated[
        str | None,
        typer.Option(
            "--owner",
            metavar="NAME",
            help=htr(
                "Bare kravene denne personen svarer på; `assess import` fletter dem inn uten å røre de andre.",
                "Only the requirements this person answers; `assess import` merges them without touching the rest.",
                "Berre krava denne personen svarar på; `assess import` flettar dei inn utan å røre dei andre.",
            ),
        ),
    ] = None,
    force: ForceOption = False,
    root: RootOption = None,
) -> None:
    import datetime as dt

    from kokom_cli.assessments.applicability import applicability
    from kokom_cli.assessments.loading import load_assessment
    from kokom_cli.assessments.models import Assessment
    from kokom_cli.assessments.services import load_service, service_file_entry
    from kokom_cli.assessments.spreadsheet import build_workbook
    from kokom_cli.core.atomic import write_bytes_atomic
    from kokom_cli.core.i18n import plural, tr
    from kokom_cli.core.selection import require_choice
    from kokom_cli.yaml.reader import load_yaml

    require_choice(fmt, ("xlsx",), "--format")
    _refuse_existing(out, force)
    ws = workspace(root)
    corpus = _corpus(ws)
    data = load_yaml(source).data
    if isinstance(data, dict) and "service" in data:
        loaded = load_assessment(source, ws, corpus)
        service, assessment, doc = loaded.service, loaded.assessment, loaded.doc
        rows = [(req, chapter) for req, chapter, applies in loaded.items if applies.applies]
    else:
        service, doc = load_service(source)
        rows = [(i.requirement, i.chapter) for i in corpus.located if applicability(i.requirement, service).applies]
        today = dt.date.today()
        assessment = Assessment(
            service=service.id,
            edition=ws.edition,
            period=str(today.year),
            date=today,
            service_file=service_file_entry(source, out.with_suffix(".yaml"), service.id, ws),
        )
        doc = None
    if owner is not None:
        rows, assessment = _owned(rows, assessment, owner)
    book = build_workbook(service, rows, assessment, doc=doc)
    out.parent.mkdir(parents=True, exist_ok=True)
    write_bytes_atomic(out, book, force=force)
    requirements = plural(len(rows), ("krav", "krav"), ("requirement", "requirements"), ("krav", "krav"))
    print_lines(
        [
            tr(
                f"Skrev {out}: {requirements} for {service.id}",
                f"Wrote {out}: {requirements} for {service.id}",
                f"Skreiv {out}: {requirements} for {service.id}",
            )
        ],
        stderr=True,
    )


@guarded
def import_(
    source: Annotated[
        Path,
        typer.Argument(
            metavar="FILE.xlsx",
            help=htr(
                "Et skjema laget med `kokom assess export`.",
                "A form made by `kokom assess export`.",
                "Eit skjema laga med `kokom assess export`.",
            ),
        ),
    ],
    out: Annotated[
        Path,
        typer.Option(
            "-o",
            "--output",
            dir_okay=False,
            help=htr(
                "Egenvurderingen (YAML) som skrives.",
                "The assessment YAML to write.",
                "Eigenvurderinga (YAML) som blir skriven.",
            ),
        ),
    ],
    force: ForceOption = False,
    root: RootOption = None,
    json_out: JsonOption = False,
) -> None:
    from kokom_cli.assessments.spreadsheet import (
        MAX_PROBLEMS,
        check_import,
        import_text,
        read_workbook,
    )
    from kokom_cli.assessments.spreadsheet.limits import read_received
    from kokom_cli.core.atomic import refuse_symlink, write_text_atomic
    from kokom_cli.core.findings import display_path
    from kokom_cli.core.i18n import tr

    refuse_symlink(out, force=force)
    merge = out.exists() and not force  # an existing assessment is merged into, --force replaces it
    display = display_path(source)
    raw = read_received(source, display)
    ws = workspace(root)
    corpus = _corpus(ws)
    result = read_workbook(raw, display)
    problems: list = list(result.problems)
    loaded = None
    if not problems:
        loaded, problems = check_import(result, out.absolute(), display_path(out), ws, corpus)
    text = None if problems or loaded is None else import_text(loaded, result, display_path(out))  # never refused
    if merge and not problems and loaded is not None:
        problems = _merge_problems(out, loaded, result, ws, corpus, json_out)
        if not problems:
            return
    shown, more = problems[:MAX_PROBLEMS], len(problems) - len(problems[:MAX_PROBLEMS]) + result.more
    if json_out:
        emit_json({"written": None if problems else str(out), "problems": [p.as_json() for p in shown], "more": more})
    if problems:
        print_problems(shown, more)
        raise typer.Exit(EXIT_FOUND)
    assert loaded is not None and text is not None  # no problems: the import was checked
    out.parent.mkdir(parents=True, exist_ok=True)
    write_text_atomic(out, text, force=force)
    answered = sum(1 for a in loaded.assessment.answers.values() if a is not None and a.status is not None)
    print_lines(
        [
            tr(
                f"Skrev {out}: {answered} av {len(result.order)} krav besvart",
                f"Wrote {out}: {answered} of {len(result.order)} requirements answered",
                f"Skreiv {out}: {answered} av {len(result.order)} krav svart på",
            )
        ],
        stderr=True,
    )


def _owned(rows: list, assessment: Assessment, owner: str) -> tuple[list, Assessment]:
    """Only the rows `owner` answers (`owner:` on the answer, else assessed_by), and only their waivers."""
    from kokom_cli.followup.due import match_owner, person

    def owner_of(req_id: str) -> str | None:
        answer = assessment.answers.get(req_id)
        return (answer.owner if answer is not None and answer.owner else None) or assessment.assessed_by

    wanted = match_owner(owner, (owner_of(req.id) for req, _ in rows))
    mine = [(req, chapter) for req, chapter in rows if (who := owner_of(req.id)) and person(who).casefold() == wanted]
    ids = {req.id for req, _ in mine}
    narrowed = assessment.model_copy(
        update={
            "answers": {k: v for k, v in assessment.answers.items() if k in ids},
            "waivers": [w for w in assessment.waivers if w.requirement in ids],
        }
    )
    return mine, narrowed


def _merge_problems(out: Path, loaded, result, ws, corpus, json_out: bool) -> list:
    """Merge the form into the existing assessment at `out` as a round-trip edit; [] when done, else the problems."""
    from kokom_cli.assessments.loading import check_document
    from kokom_cli.assessments.spreadsheet import assessment_data
    from kokom_cli.assessments.spreadsheet.merging import merge_change
    from kokom_cli.core.findings import KokomError, display_path
    from kokom_cli.core.i18n import tr
    from kokom_cli.core.locking import workspace_lock
    from kokom_cli.editing.changes import write_edits
    from kokom_cli.yaml.reader import parse_yaml

    try:
        check_document(parse_yaml(out.read_bytes(), out, display_path(out)), ws, corpus)  # the file merged into
        with workspace_lock(out.parent):
            change = merge_change(out, assessment_data(loaded.assessment), result.order)
            if change is not None:
                check_document(parse_yaml(change.new, out, display_path(out)), ws, corpus)
                write_edits([change])
    except KokomError as exc:
        return exc.findings
    changed = change is not None
    if json_out:
        emit_json({"written": str(out) if changed else None, "merged": True, "problems": [], "more": 0})
    else:
        print_lines(
            [
                tr(f"Flettet skjemaet inn i {out}", f"Merged the form into {out}", f"Fletta skjemaet inn i {out}")
                if changed
                else tr(
                    f"{out} sier allerede det skjemaet sier; ingenting er endret",
                    f"{out} already says what the form says; nothing changed",
                    f"{out} seier allereie det skjemaet seier; ingenting er endra",
                )
            ],
            stderr=True,
        )
    return []


def register(app: typer.Typer) -> None:
    """Add `export` and `import` to the `assess` sub-app."""
    app.command(
        "export",
        help=htr(
            "Skriv egenvurderingen som et XLSX-skjema: én rad per krav som gjelder, svarcellene ulåst.",
            "Write the self-assessment as an XLSX form: one row per requirement that applies, answers unlocked.",
            "Skriv eigenvurderinga som eit XLSX-skjema: éi rad per krav som gjeld, svarcellene ulåste.",
        ),
    )(export)
    app.command(
        "import",
        help=htr(
            "Les et utfylt XLSX-skjema tilbake til en egenvurdering; hvert problem vises ved sin celle, og da "
            "skrives ingenting.",
            "Read a filled-in XLSX form back into an assessment; every problem at its cell, nothing written then.",
            "Les eit utfylt XLSX-skjema tilbake til ei eigenvurdering; kvart problem blir vist ved cella si, og då "
            "blir ingenting skrive.",
        ),
    )(import_)
