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
from kokom_cli.procedures.book_checks import library_findings
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
    out += library_findings(library, builtin, local)
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
                    f"{entry.id} viser ikkje til noko krav; legg til `fulfils:` med krav-id-ane prosedyren oppfyller",
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
                        f"{entry.id} viser til det utgåtte kravet {requirement_id}; vis til kravet som erstattar det",
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
            f"ukjend rolle '{role}'{hint}; tillate: {', '.join(ROLES)}",
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
                            f"steg {i + 1} seier ikkje kven som gjer det; legg til `role:` ({', '.join(ROLES)})",
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
                    f"godkjend {entry.approved_on} er seinare enn gyldig frå {entry.valid_from}; "
                    "eit dokument må vere godkjent før det gjeld",
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
                    f"{entry.id} skulle ha vore revidert {due} (godkjend {entry.approved_on}, "
                    f"revisjon kvar {entry.review_interval_months}. månad)",
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
                f"kapittelet '{item.entry.chapter}' finst ikkje i boka '{item.book_id}'{hint}; "
                f"kapittel: {', '.join(known)}",
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
                            f"kriteriet {criterion.code} høyrer til kort {number}, men dette er kort "
                            f"{card.number:02d}; skriv {code_letter}.{card.number:02d}.{criterion.code[-2:]}",
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
                            f"kriteriet {criterion.code} står under {urgency}, der kodane byrjar med {letter} "
                            "(raud A, gul H, grøn V)",
                        ),
                    )
                )
    return out
