"""Writes the fictional staff registers of the three example services (run from anywhere; deterministic).

Every person is invented. Together the registers give every outcome the
competence check knows: rules met by everyone, partly, by nobody, a course
that ran out, one that runs out soon, doctors with and without a backup, and
a completion before the start date (a warning).
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path

HERE = Path(__file__).resolve().parent
_FIRST = (
    "Kari Ola Ingrid Per Sigrid Lars Hanne Jonas Marte Eirik Silje Anders Nora Håkon Tone Emil Liv Sander Eva Martin"
)
FIRST = _FIRST.split()
_LAST = "Fjeldstad Bakke Lunde Haugland Strand Myhre Solberg Dahl Vik Moen Berge Aas Tangen Nygård Holm Eide"
LAST = _LAST.split()


def name(i: int) -> str:
    return f"{FIRST[i % len(FIRST)]} {LAST[(i * 7 + 3) % len(LAST)]}"


def course(cid: str, day: dt.date) -> str:
    return f"      - {{course: {cid}, date: {day.isoformat()}}}"


def person(pid: str, who: str, role: str, start: dt.date, courses: list[tuple[str, dt.date]], **extra) -> str:
    lines = [f"  - id: {pid}", f"    name: {who}", f"    role: {role}", f"    start: {start.isoformat()}"]
    for key, value in extra.items():
        text = (
            f"[{', '.join(value)}]"
            if isinstance(value, list)
            else str(value).lower()
            if isinstance(value, bool)
            else value
        )
        lines.append(f"    {key}: {text}")
    lines.append("    courses:" if courses else "    courses: []")
    lines += [course(c, d) for c, d in courses]
    return "\n".join(lines)


def d(text: str) -> dt.date:
    return dt.date.fromisoformat(text)


def operator(
    i: int,
    start: dt.date,
    *,
    training: bool = True,
    bachelor: bool = True,
    samtrening: str | None,
    nodnett: str = "nodnett-lvs",
) -> tuple[dict, list]:
    courses = [("nodnett-elaering", start), (nodnett, start + dt.timedelta(days=7))]
    if training:
        courses.append(("operatoropplaering", start + dt.timedelta(days=60)))
    if samtrening:
        courses.append(("samtrening", d(samtrening)))
    extra = {
        "education": ["bachelor-helse" if bachelor else "annen"],
        "authorisation": "sykepleier",
        "clinical_practice": True,
    }
    return extra, courses


def fjordby() -> list[str]:
    out = []
    for i in range(10):
        start = d("2016-03-01") + dt.timedelta(days=170 * i)
        extra, courses = operator(
            i, start, bachelor=i != 4, samtrening="2026-05-12", nodnett="nodnett-annen" if i == 7 else "nodnett-lvs"
        )
        out.append(person(f"FJ-{i + 1:02d}", name(i), "lvs-operator", start, courses, **extra))
    doctors = [  # (clinical months, shifts, gp months, specialist, backup)
        dict(clinical_months=140, legevakt_shifts=300, specialist_general_practice=True),
        dict(clinical_months=34, legevakt_shifts=52, gp_months=0),
        dict(clinical_months=14, legevakt_shifts=9, gp_months=0, backup="FJ-15"),
        dict(clinical_months=20, legevakt_shifts=12, gp_months=0),
    ]
    for j, extra in enumerate(doctors):
        start = d("2021-08-15") + dt.timedelta(days=200 * j)
        courses = [
            ("nodnett-elaering", start),
            ("nodnett-lege", start),
            ("akuttmedisin", d("2022-03-10") if j < 2 else start + dt.timedelta(days=90)),
            ("vold-overgrep", start + dt.timedelta(days=30)),
        ]
        out.append(
            person(
                f"FJ-{11 + j}",
                name(10 + j),
                "lege-i-vakt",
                start,
                courses,
                education=["medisin"],
                authorisation="lege",
                **extra,
            )
        )
    start = d("2012-01-02")
    courses = [
        ("nodnett-elaering", d("2015-02-01")),
        ("nodnett-lege", d("2015-02-01")),
        ("akuttmedisin", d("2019-11-20")),
        ("vold-overgrep", d("2020-01-14")),
    ]
    out.append(
        person(
            "FJ-15",
            name(14),
            "bakvakt",
            start,
            courses,
            education=["medisin"],
            authorisation="lege",
            specialist_general_practice=True,
            clinical_months=170,
            legevakt_shifts=400,
            gp_months=110,
        )
    )
    for k in range(3):
        start = d("2019-05-01") + dt.timedelta(days=300 * k)
        courses = [
            ("nodnett-elaering", start),
            ("nodnett-annen", start),
            ("akuttmedisin", start + dt.timedelta(days=40)),
        ]
        if k != 2:
            courses.append(("vold-overgrep", start + dt.timedelta(days=50)))
        courses.append(("samtrening", d("2025-05-06")))  # ran out in May 2026
        if k == 0:
            courses.insert(0, ("akuttmedisin", d("2018-10-02")))  # from an earlier job: before the start date
        out.append(
            person(
                f"FJ-{16 + k}",
                name(15 + k),
                "legevakt-personell",
                start,
                courses,
                education=["bachelor-helse"],
                authorisation="sykepleier",
            )
        )
    return out


def storby() -> list[str]:
    out = []
    for i in range(32):
        new = i >= 29
        start = d("2026-08-03") if new else d("2012-09-01") + dt.timedelta(days=130 * i)
        samtrening = None if new else ("2026-01-20" if i % 10 == 0 else "2026-03-19")
        extra, courses = operator(i, start, training=not new, samtrening=samtrening)
        out.append(person(f"ST-{i + 1:03d}", name(i + 3), "lvs-operator", start, courses, **extra))
    return out


def nordvik() -> list[str]:
    out = []
    for i in range(31):
        role = "ressurskoordinator" if i >= 24 else "amk-operator"
        start = d("2014-01-06") + dt.timedelta(days=150 * i)
        if i >= 27:
            start = d("2026-02-02")
        courses = [
            ("nodnett-elaering", start),
            ("nodnett-amk", start + dt.timedelta(days=14)),
            ("samtrening", d("2026-04-22")),
        ]
        if i not in (3, 11, 19, 27, 28, 29, 30):
            courses.append(("plivo", max(start, d("2015-09-01")) + dt.timedelta(days=21)))
        out.append(
            person(
                f"NV-{i + 1:02d}",
                name(i + 5),
                role,
                start,
                courses,
                education=["bachelor-helse"],
                authorisation="sykepleier",
            )
        )
    return out


def write(service: str, people: list[str], note: str) -> None:
    path = HERE / service / "assessments" / "personale" / f"{service}.yaml"
    path.parent.mkdir(parents=True, exist_ok=True)
    head = (
        "# yaml-language-server: $schema=../../../../schema/staff_register.schema.json\n"
        f"# Personalregister for {service}. Alle personer er oppdiktet. {note}\n"
        "# Laget av examples/make_staff_registers.py.\n"
        f"service: {service}\nupdated: 2026-10-01\npeople:\n"
    )
    path.write_text(head + "\n".join(people) + "\n", encoding="utf-8")


if __name__ == "__main__":
    write("lvs-fjordby", fjordby(), "Legevaktsentralen og legevakten deler vaktliste.")
    write("lvs-storby", storby(), "Tre operatører begynte i august 2026.")
    write("amk-nordvik", nordvik(), "Sju operative mangler PLIVO.")
