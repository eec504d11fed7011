"""Checks on procedure books that no single-file schema can express.

Each rule has a stable finding code:

| code | severity | what |
|---|---|---|
| unknown-requirement | error | `fulfils` names a requirement id that does not exist |
| fulfils-retired | warning | `fulfils` names a retired requirement |
| fulfils-empty | warning | the procedure names no requirement it fulfils |
| duplicate-procedure-id | error | two procedures or cards share an id |
| duplicate-card-number | error | two dispatch cards share a number |
| duplicate-criterion | error | a criterion code is used twice |
| criterion-card-mismatch | error | the nn of A/H/V.nn.mm is not the card's number |
| criterion-urgency-mismatch | error | an A code under yellow, an H code under green, ... |
| unknown-card | warning | `see_card` or `related` names a card no book holds |
| unknown-role | error | a role outside the vocabulary in `procedure_models.ROLES` |
| step-no-role | error | a step names nobody to act |
| unknown-chapter | error | `chapter` is not one of the book's chapters |
| approved-after-valid | error | approved_on is later than valid_from |
| review-overdue | warning | approved_on + review_interval_months is before the as-of date |
| duplicate-book-id | error | two books share an id |
| extends-unknown | error | a local book extends a book that does not exist |
| local-alters-national | error | a local copy of a national entry changes or removes national text |
"""

from __future__ import annotations

import datetime as dt

from kokom_cli.core.findings import Finding, Severity
from kokom_cli.core.i18n import tr
from kokom_cli.core.suggest import did_you_mean
from kokom_cli.procedures.books import Library, LocatedEntry
from kokom_cli.procedures.models import ROLES, URGENCY_LETTERS, DispatchCard, Procedure
from kokom_cli.requirements.corpus import Corpus, unknown_id_finding
from kokom_cli.requirements.models import Status


def procedure_findings(library: Library, corpus: Corpus, *, as_of: dt.date | None = None) -> list[Finding]:
    """Every finding in the workspace's books (built-in national books loaded as a base are not checked)."""
    as_of = as_of or dt.date.today()
    builtin = {b.book.id for b in library.books if b.builtin}
    local = [item for item in library.entries() if item.book_id not in builtin]
    out: list[Finding] = []
    for item in local:
        out += _fulfils(item, corpus)
        out += _roles(item)
        out += _dates(item, as_of)
        out += _chapter(item, library)
        if isinstance(item.entry, DispatchCard):
            out += _criteria(item)
    out += _books(library)
    out += _duplicates(library, builtin)
    out += _card_references(library, local)
    out += _guardrails(library, local)
    return out


def _fulfils(item: LocatedEntry, corpus: Corpus) -> list[Finding]:
    entry, requirements = item.entry, corpus.requirements
    if not entry.fulfils:
        return [
            item.finding(
                ("id",),
                "fulfils-empty",
                tr(
                    f"{entry.id} viser ikke til noe krav; legg til `fulfils:` med krav-id-ene prosedyren oppfyller",
                    f"{entry.id} names no requirement; add `fulfils:` with the requirement ids it implements",
                ),
                severity=Severity.warning,
            )
        ]
    out = []
    for index, requirement_id in enumerate(entry.fulfils):
        requirement = requirements.get(requirement_id)
        if requirement is None:
            line, column = item.doc.position(("fulfils", index))
            out.append(
                unknown_id_finding(
                    item.doc.display, line, column, requirement_id, requirements, code="unknown-requirement"
                )
            )
        elif requirement.status is Status.retired:
            out.append(
                item.finding(
                    ("fulfils", index),
                    "fulfils-retired",
                    tr(
                        f"{entry.id} viser til det utgåtte kravet {requirement_id}; vis til kravet som erstatter det",
                        f"{entry.id} fulfils retired requirement {requirement_id}; cite its successor",
                    ),
                    severity=Severity.warning,
                )
            )
    return out


def _unknown_role(item: LocatedEntry, loc: tuple, role: str, *, key: bool = False) -> Finding:
    hint = did_you_mean(role, ROLES)
    return item.finding(
        loc,
        "unknown-role",
        tr(
            f"ukjent rolle '{role}'{hint}; tillatt: {', '.join(ROLES)}",
            f"unknown role '{role}'{hint}; allowed: {', '.join(ROLES)}",
        ),
        key=key,
    )


def _roles(item: LocatedEntry) -> list[Finding]:
    entry = item.entry
    out = []
    if isinstance(entry, Procedure):
        out += [
            _unknown_role(item, ("responsibility", i, "role"), d.role)
            for i, d in enumerate(entry.responsibility)
            if d.role not in ROLES
        ]
        for i, step in enumerate(entry.steps):
            if step.role is None:
                out.append(
                    item.finding(
                        ("steps", i),
                        "step-no-role",
                        tr(
                            f"steg {i + 1} sier ikke hvem som gjør det; legg til `role:` ({', '.join(ROLES)})",
                            f"step {i + 1} names nobody to act; add `role:` ({', '.join(ROLES)})",
                        ),
                    )
                )
            elif step.role not in ROLES:
                out.append(_unknown_role(item, ("steps", i, "role"), step.role))
    else:
        for urgency in URGENCY_LETTERS:
            out += [
                _unknown_role(item, ("response", urgency, role), role, key=True)
                for role in getattr(entry.response, urgency)
                if role not in ROLES
            ]
    return out


def _dates(item: LocatedEntry, as_of: dt.date) -> list[Finding]:
    entry = item.entry
    out = []
    if entry.approved_on > entry.valid_from:
        out.append(
            item.finding(
                ("approved_on",),
                "approved-after-valid",
                tr(
                    f"godkjent {entry.approved_on} er senere enn gyldig fra {entry.valid_from}; "
                    "et dokument må være godkjent før det gjelder",
                    f"approved on {entry.approved_on} is later than valid from {entry.valid_from}; "
                    "a document must be approved before it applies",
                ),
            )
        )
    due = entry.next_review()
    if due < as_of:
        out.append(
            item.finding(
                ("review_interval_months",),
                "review-overdue",
                tr(
                    f"{entry.id} skulle vært revidert {due} (godkjent {entry.approved_on}, "
                    f"revisjon hver {entry.review_interval_months}. måned)",
                    f"{entry.id} was due for review on {due} (approved {entry.approved_on}, "
                    f"review every {entry.review_interval_months} months)",
                ),
                severity=Severity.warning,
            )
        )
    return out


def _chapter(item: LocatedEntry, library: Library) -> list[Finding]:
    book = library.book(item.book_id)
    base = library.book(book.book.extends) if book and book.book.extends else None
    known = [c.id for b in (book, base) if b for c in b.book.chapters]
    if item.entry.chapter in known:
        return []
    hint = did_you_mean(item.entry.chapter, known)
    return [
        item.finding(
            ("chapter",),
            "unknown-chapter",
            tr(
                f"kapittelet '{item.entry.chapter}' finnes ikke i boken '{item.book_id}'{hint}; "
                f"kapitler: {', '.join(known)}",
                f"chapter '{item.entry.chapter}' is not in book '{item.book_id}'{hint}; chapters: {', '.join(known)}",
            ),
        )
    ]


def _criteria(item: LocatedEntry) -> list[Finding]:
    card = item.entry
    assert isinstance(card, DispatchCard)
    out = []
    for urgency, letter in URGENCY_LETTERS.items():
        for i, criterion in enumerate(getattr(card.criteria, urgency)):
            code_letter, number, _ = criterion.code.split(".")
            loc = ("criteria", urgency, i, "code")
            if int(number) != card.number:
                out.append(
                    item.finding(
                        loc,
                        "criterion-card-mismatch",
                        tr(
                            f"kriteriet {criterion.code} hører til kort {number}, men dette er kort {card.number:02d}; "
                            f"skriv {code_letter}.{card.number:02d}.{criterion.code[-2:]}",
                            f"criterion {criterion.code} belongs to card {number}, but this is card {card.number:02d}; "
                            f"write {code_letter}.{card.number:02d}.{criterion.code[-2:]}",
                        ),
                    )
                )
            if code_letter != letter:
                out.append(
                    item.finding(
                        loc,
                        "criterion-urgency-mismatch",
                        tr(
                            f"kriteriet {criterion.code} står under {urgency}, der kodene begynner med {letter} "
                            "(rød A, gul H, grønn V)",
                            f"criterion {criterion.code} is listed under {urgency}, where codes start with {letter} "
                            "(red A, yellow H, green V)",
                        ),
                    )
                )
    return out


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
            tr(f"kort {number:02d} finnes ikke i prosedyrebøkene", f"card {number:02d} is in none of the books"),
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
                    ),
                    key=True,
                )
            )
    return out
