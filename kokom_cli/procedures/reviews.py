"""Which procedures are due for review, grouped by the owner of their book (`kokom procedures due`)."""

from __future__ import annotations

import datetime as dt

from kokom_cli.procedures.books import Library


def reviews_due(library: Library, today: dt.date, within: int) -> list[dict]:
    """Per book owner (sorted), the procedures whose next review is at most `within` days away, soonest first.

    Each item: id, title, book, next_review (ISO date), days_left (negative when
    overdue) and status (`overdue` or `due`).
    """
    owners: dict[str, list[dict]] = {}
    for item in library.effective().values():
        next_review = item.entry.next_review()
        days = (next_review - today).days
        if days > within:
            continue
        book = library.book(item.book_id)
        assert book is not None  # every effective entry comes from a loaded book
        owners.setdefault(book.book.owner, []).append(
            {
                "id": item.entry.id,
                "title": item.entry.title,
                "book": item.book_id,
                "next_review": next_review.isoformat(),
                "days_left": days,
                "status": "overdue" if days < 0 else "due",
            }
        )
    return [
        {"owner": owner, "procedures": sorted(items, key=lambda i: i["next_review"])}
        for owner, items in sorted(owners.items())
    ]
