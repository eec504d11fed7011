"""Checks across the books of a library: book ids, `extends`, duplicate ids, card numbers and criterion
codes, card references, and local copies of national entries. The finding codes are listed in
`procedures.checks`, which runs these after the checks of each entry.
"""

from __future__ import annotations

from kokom_cli.core.findings import Finding, Severity
from kokom_cli.core.i18n import tr
from kokom_cli.core.suggest import did_you_mean
from kokom_cli.procedures.books import Library, LocatedEntry
from kokom_cli.procedures.models import URGENCY_LETTERS, DispatchCard


def library_findings(library: Library, builtin: set[str], local: list[LocatedEntry]) -> list[Finding]:
    """The findings that need the whole library rather than one entry."""
    return (
        _books(library) + _duplicates(library, builtin) + _card_references(library, local) + _guardrails(library, local)
    )


def _books(library: Library) -> list[Finding]:
    out = []
    ids = [b.book.id for b in library.books]
    seen: dict[str, str] = {b.book.id: b.doc.display for b in library.books if b.builtin}
    for loaded in library.books:
        if loaded.builtin:
            continue
        book = loaded.book
        if book.id in seen:
            out.append(
                loaded.doc.finding(
                    ("id",),
                    "duplicate-book-id",
                    tr(
                        f"bok-id '{book.id}' er allerede brukt i {seen[book.id]}; gi boken en ny id",
                        f"book id '{book.id}' is already used in {seen[book.id]}; give this book a new id",
                        f"bok-id '{book.id}' er allereie brukt i {seen[book.id]}; gi boka ein ny id",
                    ),
                )
            )
        seen.setdefault(book.id, loaded.doc.display)
        if book.extends is not None and (book.extends == book.id or book.extends not in ids):
            others = [i for i in ids if i != book.id]
            out.append(
                loaded.doc.finding(
                    ("extends",),
                    "extends-unknown",
                    tr(
                        f"boken utvider '{book.extends}', som ikke finnes{did_you_mean(book.extends, others)}; "
                        "bruk id-en til en nasjonal bok",
                        f"the book extends '{book.extends}', which does not exist{did_you_mean(book.extends, others)}; "
                        "use the id of a national book",
                        f"boka utvidar '{book.extends}', som ikkje finst{did_you_mean(book.extends, others)}; "
                        "bruk id-en til ei nasjonal bok",
                    ),
                )
            )
    return out


def _duplicates(library: Library, builtin: set[str]) -> list[Finding]:
    """Duplicate ids, card numbers and criterion codes; national books are seen first, local copies skipped."""
    ordered = sorted(library.entries(), key=lambda e: e.book_id not in builtin)
    ids: dict[str, LocatedEntry] = {}
    numbers: dict[int, LocatedEntry] = {}
    codes: dict[str, LocatedEntry] = {}
    out = []

    def where(other: LocatedEntry, loc: tuple) -> str:
        line, column = other.doc.position(loc)
        return f"{other.doc.display}:{line}:{column}"

    for item in ordered:
        if library.is_overlay(item):
            continue
        entry, report = item.entry, item.book_id not in builtin
        if entry.id in ids and report:
            out.append(
                item.finding(
                    ("id",),
                    "duplicate-procedure-id",
                    tr(
                        f"id '{entry.id}' er allerede brukt i {where(ids[entry.id], ('id',))}; gi denne en ny id",
                        f"id '{entry.id}' is already used at {where(ids[entry.id], ('id',))}; give this one a new id",
                        f"id '{entry.id}' er allereie brukt i {where(ids[entry.id], ('id',))}; gi denne ein ny id",
                    ),
                )
            )
        ids.setdefault(entry.id, item)
        if not isinstance(entry, DispatchCard):
            continue
        if entry.number in numbers and report:
            out.append(
                item.finding(
                    ("number",),
                    "duplicate-card-number",
                    tr(
                        f"kortnummer {entry.number} er allerede brukt av {numbers[entry.number].entry.id}",
                        f"card number {entry.number} is already used by {numbers[entry.number].entry.id}",
                        f"kortnummer {entry.number} er allereie brukt av {numbers[entry.number].entry.id}",
                    ),
                )
            )
        numbers.setdefault(entry.number, item)
        for urgency in URGENCY_LETTERS:
            for i, criterion in enumerate(getattr(entry.criteria, urgency)):
                loc = ("criteria", urgency, i, "code")
                if criterion.code in codes and report:
                    first = codes[criterion.code]
                    first_loc = next(
                        ("criteria", u, j, "code")
                        for u in URGENCY_LETTERS
                        for j, c in enumerate(getattr(getattr(first.entry, "criteria", None), u, []))
                        if c.code == criterion.code
                    )
                    out.append(
                        item.finding(
                            loc,
                            "duplicate-criterion",
                            tr(
                                f"kriteriekoden {criterion.code} er allerede brukt i {where(first, first_loc)}",
                                f"criterion code {criterion.code} is already used at {where(first, first_loc)}",
                                f"kriteriekoden {criterion.code} er allereie brukt i {where(first, first_loc)}",
                            ),
                        )
                    )
                codes.setdefault(criterion.code, item)
    return out


def _card_references(library: Library, local: list[LocatedEntry]) -> list[Finding]:
    numbers = {e.entry.number for e in library.entries() if isinstance(e.entry, DispatchCard)}
    out = []

    def unknown(item: LocatedEntry, loc: tuple, number: int) -> Finding:
        return item.finding(
            loc,
            "unknown-card",
            tr(
                f"kort {number:02d} finnes ikke i prosedyrebøkene",
                f"card {number:02d} is in none of the books",
                f"kort {number:02d} finst ikkje i prosedyrebøkene",
            ),
            severity=Severity.warning,
        )

    for item in local:
        card = item.entry
        if not isinstance(card, DispatchCard):
            continue
        out += [unknown(item, ("related", i), n) for i, n in enumerate(card.related) if n not in numbers]
        for urgency in URGENCY_LETTERS:
            out += [
                unknown(item, ("criteria", urgency, i, "see_card"), c.see_card)
                for i, c in enumerate(getattr(card.criteria, urgency))
                if c.see_card is not None and c.see_card not in numbers
            ]
    return out


def _guardrails(library: Library, local: list[LocatedEntry]) -> list[Finding]:
    """A local copy of a national entry may add local adaptations to a card, and change nothing else."""
    out = []
    for item in local:
        if not library.is_overlay(item):
            continue
        loaded = library.book(item.book_id)
        extends = loaded.book.extends if loaded is not None else None
        base = library.book(extends) if extends else None
        assert base is not None  # is_overlay found it
        national = next(e.entry for e in base.entries if e.entry.id == item.entry.id)
        mine = item.entry
        for name in type(national).model_fields:
            theirs, ours = getattr(national, name), getattr(mine, name, None)
            if name == "local_adaptations" and isinstance(mine, DispatchCard):
                if all(a in (ours or []) for a in theirs):
                    continue
            elif theirs == ours:
                continue
            out.append(
                item.finding(
                    (name,),
                    "local-alters-national",
                    tr(
                        f"{mine.id} endrer eller fjerner nasjonal tekst i feltet '{name}' (boken '{extends}'); "
                        "en lokal bok kan legge til prosedyrer og lokale tilpasninger på kort, "
                        "men ikke endre nasjonal tekst",
                        f"{mine.id} changes or removes national text in field '{name}' (book '{extends}'); "
                        "a local book may add procedures and local adaptations to cards, but not alter national text",
                        f"{mine.id} endrar eller fjernar nasjonal tekst i feltet '{name}' (boka '{extends}'); "
                        "ei lokal bok kan leggje til prosedyrar og lokale tilpassingar på kort, "
                        "men ikkje endre nasjonal tekst",
                    ),
                    key=True,
                )
            )
    return out
