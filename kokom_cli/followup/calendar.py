"""The follow-up list as an iCalendar file (RFC 5545), for a calendar to subscribe to.

All-day events; the UID of each item is stable (see `DueItem.uid`), so a
re-export updates the events a calendar already has instead of adding copies.
The person responsible is named in the description; no attendee or e-mail
address is ever made up.
"""

from __future__ import annotations

import datetime as dt

from kokom_cli.core.i18n import tr
from kokom_cli.followup.due import DueItem

KIND_LABELS = {
    "action": ("Tiltak", "Action", "Tiltak"),
    "waiver": ("Unntak", "Waiver", "Unntak"),
    "evidence": ("Dokumentasjon", "Evidence", "Dokumentasjon"),
    "review": ("Revisjon", "Review", "Revisjon"),
}


def kind_label(kind: str) -> str:
    return tr(*KIND_LABELS[kind]) if kind in KIND_LABELS else kind


def calendar_bytes(items: list[DueItem], *, title: str, stamp: dt.datetime) -> bytes:
    """The items as one VCALENDAR. `stamp` is DTSTAMP for every event (when the export was made, in UTC)."""
    from icalendar import Calendar, Event

    cal = Calendar()
    cal.add("prodid", "-//kokom//oppfølging//NO")
    cal.add("version", "2.0")
    cal.add("calscale", "GREGORIAN")
    cal.add("x-wr-calname", title)
    for item in items:
        event = Event()
        event.add("uid", item.uid)
        event.add("dtstamp", stamp)
        event.add("dtstart", item.date)
        event.add("dtend", item.date + dt.timedelta(days=1))
        event.add("summary", f"{kind_label(item.kind)} {item.ref}: {item.title}")
        lines = [
            tr(
                f"Ansvarlig: {item.responsible or tr('ikke oppgitt', 'not given', 'ikkje oppgitt')}",
                f"Responsible: {item.responsible or tr('ikke oppgitt', 'not given', 'ikkje oppgitt')}",
                f"Ansvarleg: {item.responsible or tr('ikke oppgitt', 'not given', 'ikkje oppgitt')}",
            ),
            tr(f"Tjeneste: {item.service}", f"Service: {item.service}", f"Teneste: {item.service}")
            if item.service
            else "",
            tr(f"Fra: {item.source}", f"From: {item.source}", f"Frå: {item.source}"),
        ]
        event.add("description", "\n".join(line for line in lines if line))
        event.add("transp", "TRANSPARENT")
        cal.add_component(event)
    return cal.to_ical()
