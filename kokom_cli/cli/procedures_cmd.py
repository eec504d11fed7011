"""`kokom procedures list|show|due`."""

from __future__ import annotations

from typing import Annotated

import typer

from kokom_cli.cli.options import AsOfOption, JsonOption, RootOption
from kokom_cli.cli.output import EXIT_FOUND, EXIT_OK, console, emit_json, guarded, markup_safe, workspace
from kokom_cli.core.i18n import DAYS, due_in, htr, plural

app = typer.Typer(
    help=htr("Les prosedyrebøkene.", "Read the procedure books.", "Les prosedyrebøkene."), no_args_is_help=True
)


def load_library(root):
    """The workspace and its books; load errors (broken files) stop the command with exit 2."""
    from kokom_cli.core.findings import KokomError, has_errors
    from kokom_cli.procedures.books import load_books

    ws = workspace(root)
    library = load_books(ws)
    if has_errors(library.findings):
        raise KokomError(sorted(library.findings))
    return ws, library


def role_label(role: str) -> str:
    from kokom_cli.core.i18n import tr
    from kokom_cli.procedures.models import ROLES

    return tr(*ROLES[role]) if role in ROLES else role


def entry_summary(item) -> dict:
    entry = item.entry
    return {
        "id": entry.id,
        "kind": entry.kind,
        "book": item.book_id,
        "chapter": entry.chapter,
        "title": entry.title,
        "version": entry.version,
        "approved_on": entry.approved_on.isoformat(),
        "valid_from": entry.valid_from.isoformat(),
        "next_review": entry.next_review().isoformat(),
        "fulfils": list(entry.fulfils),
        "path": item.doc.display,
    }


@app.command(
    "list",
    help=htr(
        "List prosedyrene og indekskortene i alle bøker, i bok- og kapittelrekkefølge.",
        "List the procedures and dispatch cards of every book, in book and chapter order.",
        "List prosedyrane og indekskorta i alle bøker, i bok- og kapittelrekkjefølgje.",
    ),
)
@guarded
def list_procedures(
    book: Annotated[
        str | None,
        typer.Option(
            "--book",
            help=htr(
                "Bare denne boken (id-en, f.eks. amk).",
                "Only this book (its id, e.g. amk).",
                "Berre denne boka (id-en, t.d. amk).",
            ),
        ),
    ] = None,
    root: RootOption = None,
    json_out: JsonOption = False,
) -> None:
    from kokom_cli.core.findings import Finding, KokomError, Severity
    from kokom_cli.core.i18n import tr
    from kokom_cli.core.suggest import did_you_mean

    _, library = load_library(root)
    ids = [b.book.id for b in library.books]
    if book is not None and book not in ids:
        raise KokomError(
            Finding(
                "--book",
                0,
                0,
                Severity.error,
                "usage",
                tr(
                    f"ukjent bok '{book}'{did_you_mean(book, ids)}; bøker: {', '.join(ids)}",
                    f"unknown book '{book}'{did_you_mean(book, ids)}; books: {', '.join(ids)}",
                    f"ukjend bok '{book}'{did_you_mean(book, ids)}; bøker: {', '.join(ids)}",
                ),
            )
        )
    chosen = [item for item in library.effective().values() if book is None or item.book_id == book]
    if json_out:
        emit_json({"procedures": [entry_summary(item) for item in chosen]})
        return
    from rich.table import Table

    table = Table(
        title=plural(len(chosen), ("prosedyre", "prosedyrer"), ("procedure", "procedures"), ("prosedyre", "prosedyrar"))
    )
    for column in (
        "ID",
        tr("Bok", "Book", "Bok"),
        tr("Kapittel", "Chapter", "Kapittel"),
        tr("Tittel", "Title", "Tittel"),
        tr("Versjon", "Version", "Versjon"),
        tr("Neste revisjon", "Next review", "Neste revisjon"),
    ):
        table.add_column(column)
    for item in chosen:
        e = item.entry
        title = e.title + (tr(" (eksempel)", " (example)", " (døme)") if getattr(e, "example", False) else "")
        table.add_row(
            markup_safe(e.id),
            markup_safe(item.book_id),
            markup_safe(e.chapter),
            markup_safe(title),
            markup_safe(e.version),
            e.next_review().isoformat(),
        )
    console().print(table)


@app.command(
    "show",
    help=htr(
        "Vis én prosedyre eller ett indekskort i sin helhet.",
        "Show one procedure or dispatch card in full.",
        "Vis éin prosedyre eller eitt indekskort i heilskap.",
    ),
)
@guarded
def show(
    entry_id: Annotated[
        str,
        typer.Argument(
            metavar="ID",
            help=htr(
                "Id-en til prosedyren eller kortet, f.eks. PROS-AMK-01.",
                "Procedure or card id, e.g. PROS-AMK-01.",
                "Id-en til prosedyren eller kortet, t.d. PROS-AMK-01.",
            ),
        ),
    ],
    root: RootOption = None,
    json_out: JsonOption = False,
) -> None:
    _, library = load_library(root)
    item = library.get(entry_id)
    if json_out:
        emit_json(
            item.entry.model_dump(mode="json")
            | {"book": item.book_id, "path": item.doc.display, "next_review": item.entry.next_review().isoformat()}
        )
        return
    from kokom_cli.procedures.models import DispatchCard

    lines = _header(item, library)
    lines += _card_lines(item.entry) if isinstance(item.entry, DispatchCard) else _procedure_lines(item.entry)
    out = console()
    for line in lines:
        out.print(line)


def _header(item, library) -> list[str]:
    from kokom_cli.core.i18n import tr

    e = item.entry
    book = library.book(item.book_id)
    base = library.book(book.book.extends) if book and book.book.extends else None
    chapter = next((b.chapter_title(e.chapter) for b in (book, base) if b and b.chapter_title(e.chapter)), None)
    word = {
        "book": tr("Bok", "Book", "Bok"),
        "chapter": tr("Kapittel", "Chapter", "Kapittel"),
        "version": tr("Versjon", "Version", "Versjon"),
        "prepared": tr("Utarbeidet av", "Prepared by", "Utarbeidd av"),
        "approved": tr("Godkjent av", "Approved by", "Godkjend av"),
        "valid": tr("Gyldig fra", "Valid from", "Gyldig frå"),
        "review": tr("Neste revisjon", "Next review", "Neste revisjon"),
        "fulfils": tr("Oppfyller", "Fulfils", "Oppfyller"),
    }
    lines = [
        f"[bold]{markup_safe(e.id)}[/bold]  {markup_safe(e.title)}",
        f"{word['book']}: {markup_safe(book.book.title if book else item.book_id)}    "
        f"{word['chapter']}: {markup_safe(chapter or e.chapter)}",
        f"{word['version']} {markup_safe(e.version)}    {word['prepared']}: "
        f"{markup_safe(e.prepared_by)}    {word['approved']}: {markup_safe(e.approved_by)} "
        f"({e.approved_on})",
        f"{word['valid']}: {e.valid_from}    {word['review']}: "
        f"{e.next_review()}    {word['fulfils']}: {markup_safe(', '.join(e.fulfils) or '-')}",
    ]
    return lines


def _section(title: str, body: list[str]) -> list[str]:
    return ["", f"[bold]{title}[/bold]", *body] if body else []


def _procedure_lines(p) -> list[str]:
    from kokom_cli.core.i18n import tr

    lines = _section(tr("1 Hensikt", "1 Purpose", "1 Føremål"), [markup_safe(p.purpose.strip())])
    lines += _section(tr("2 Omfang", "2 Scope", "2 Omfang"), [markup_safe(p.scope.strip())])
    lines += _section(
        tr("3 Definisjoner", "3 Definitions", "3 Definisjonar"),
        [f"  {markup_safe(t.term)}: {markup_safe(t.definition)}" for t in p.definitions],
    )
    lines += _section(
        tr("4 Ansvar", "4 Responsibility", "4 Ansvar"),
        [f"  {markup_safe(role_label(d.role))}: {markup_safe(d.duty)}" for d in p.responsibility],
    )
    lines += _section(
        tr("5 Fremgangsmåte", "5 Steps", "5 Framgangsmåte"),
        [
            f"  {i}. {markup_safe(role_label(s.role) if s.role else '?')}: {markup_safe(s.text)}"
            for i, s in enumerate(p.steps, 1)
        ],
    )
    lines += _section(tr("6 Avvik", "6 Deviations", "6 Avvik"), [markup_safe(p.deviations.strip())])
    lines += _section(
        tr("7 Referanser", "7 References", "7 Referansar"),
        [f"  - {markup_safe(' — '.join(x for x in (r.title, r.ref, r.url) if x))}" for r in p.references],
    )
    return lines


def _card_lines(card) -> list[str]:
    from kokom_cli.core.i18n import tr
    from kokom_cli.procedures.models import URGENCY_LETTERS

    names = {
        "red": tr("RØD (akutt)", "RED (urgent)", "RAUD (akutt)"),
        "yellow": tr("GUL (haster)", "YELLOW (hasty)", "GUL (hastar)"),
        "green": tr("GRØNN (vanlig)", "GREEN (routine)", "GRØN (vanleg)"),
    }
    lines = [f"[italic]{markup_safe(card.note.strip())}[/italic]"] if card.note else []
    criteria, response = [], []
    for urgency in URGENCY_LETTERS:
        for c in getattr(card.criteria, urgency):
            see = (
                tr(f" → se kort {c.see_card:02d}", f" → see card {c.see_card:02d}", f" → sjå kort {c.see_card:02d}")
                if c.see_card
                else ""
            )
            criteria.append(f"  {names[urgency]:<16} {c.code}  {markup_safe(c.text)}{see}")
        for role, steps in getattr(card.response, urgency).items():
            response.append(f"  {names[urgency]}, {markup_safe(role_label(role))}:")
            response += [f"    {i}. {markup_safe(s)}" for i, s in enumerate(steps, 1)]
    lines += _section(
        tr(
            f"Kort {card.number:02d}: kriterier",
            f"Card {card.number:02d}: criteria",
            f"Kort {card.number:02d}: kriterium",
        ),
        criteria,
    )
    lines += _section(tr("Respons", "Response", "Respons"), response)
    lines += _section(
        tr("Nøkkelspørsmål", "Key questions", "Nøkkelspørsmål"), [f"  - {markup_safe(q)}" for q in card.key_questions]
    )
    lines += _section(
        tr("Råd til innringer", "Advice to the caller", "Råd til innringaren"),
        [f"  - {markup_safe(a)}" for a in card.caller_advice],
    )
    lines += _section(tr("Om tilstanden", "Background", "Om tilstanden"), [markup_safe(card.background.strip())])
    if card.related:
        lines += _section(
            tr("Se også kort", "Related cards", "Sjå òg kort"), ["  " + ", ".join(f"{n:02d}" for n in card.related)]
        )
    lines += _section(
        tr("Lokale tilpasninger", "Local adaptations", "Lokale tilpassingar"),
        [f"  {a.date} ({markup_safe(a.responsible_doctor)}): {markup_safe(a.text)}" for a in card.local_adaptations],
    )
    return lines


@app.command(
    "due",
    help=htr(
        "Prosedyrer der revisjonen er forfalt eller snart forfaller, gruppert etter eieren av boken. "
        "Utgangskode 1 hvis noen er forfalt.",
        "Procedures whose review is overdue or due soon, grouped by the owner of their book. Exit 1 if any is overdue.",
        "Prosedyrar der revisjonen er forfalt eller snart forfell, grupperte etter eigaren av boka. "
        "Utgangskode 1 viss nokon er forfalt.",
    ),
)
@guarded
def due(
    within: Annotated[
        int,
        typer.Option(
            "--within",
            min=0,
            help=htr(
                "Ta også med revisjoner som forfaller innen så mange dager.",
                "Also list reviews due within this many days.",
                "Ta òg med revisjonar som forfell innan så mange dagar.",
            ),
        ),
    ] = 90,
    as_of: AsOfOption = None,
    root: RootOption = None,
    json_out: JsonOption = False,
) -> None:
    import datetime as dt

    from kokom_cli.core.i18n import tr
    from kokom_cli.core.selection import parse_date
    from kokom_cli.procedures.reviews import reviews_due

    today = parse_date(as_of, "--as-of", dt.date.today())
    _, library = load_library(root)
    groups = reviews_due(library, today, within)
    overdue = any(i["status"] == "overdue" for g in groups for i in g["procedures"])
    if json_out:
        emit_json({"as_of": today.isoformat(), "within_days": within, "owners": groups})
    else:
        out = console()
        if not groups:
            out.print(
                tr(
                    f"Ingen revisjoner forfaller innen {plural(within, *DAYS)} fra {today}.",
                    f"No reviews due within {plural(within, *DAYS)} of {today}.",
                    f"Ingen revisjonar forfell innan {plural(within, *DAYS)} frå {today}.",
                )
            )
        for group in groups:
            out.print(f"[bold]{markup_safe(group['owner'])}[/bold]")
            for i in group["procedures"]:
                when = due_in(i["days_left"])
                out.print(f"  {markup_safe(i['id']):<16} {i['next_review']}  {when:<28} {markup_safe(i['title'])}")
    raise typer.Exit(EXIT_FOUND if overdue else EXIT_OK)
