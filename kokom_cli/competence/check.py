"""Checking a staff register against the catalogue: for each rule, who meets it, who does not and why.

Pure functions: the register, the catalogue, the requirement levels and the
check day come in as arguments; nothing is read from disk or the clock.

A completion counts from its date; where the catalogue gives `valid_months`
it runs out that many months later (it still counts on that day). A rule
with `in_force` later than the check day is not checked. Reasons per person,
each with a stable code:

| code | when |
|---|---|
| `course-missing` | a required course (or every course of `any_of`) is not in the register |
| `course-expired` | the newest completion of a required course ran out before the check day |
| `education-missing` | none of the educations the rule accepts |
| `clinical-practice-missing` | the rule asks for clinical practice and the register does not say so |
| `clinical-months-short` | a doctor alone on duty: no specialist or approved GP, too few months of clinical service |
| `shifts-short` | a doctor alone on duty, not a specialist: too few legevakt shifts and too short as GP |
| `backup-missing`, `backup-unknown`, `backup-unqualified` | a doctor who does not qualify has no qualified backup |

`expiring` lists the people who meet a rule today but whose completion runs
out within `within` days.
"""

from __future__ import annotations

import calendar
import datetime as dt
from collections import Counter
from dataclasses import dataclass, field
from typing import Any

from kokom_cli.competence.loading import LoadedCatalogue
from kokom_cli.competence.models import Person, Register, Rule, RuleKind
from kokom_cli.core.i18n import tr


def add_months(day: dt.date, months: int) -> dt.date:
    """`day` moved `months` ahead, on the last day of the month when it is shorter (as assessments count age)."""
    index = day.month - 1 + months
    year, month = day.year + index // 12, index % 12 + 1
    return dt.date(year, month, min(day.day, calendar.monthrange(year, month)[1]))


@dataclass(frozen=True)
class PersonOutcome:
    index: int  # position in the register's `people` list
    person: Person
    meets: bool
    reasons: tuple[tuple[str, str], ...] = ()  # (code, message)
    expires: dt.date | None = None  # when the first completion this rule counts runs out


@dataclass
class RuleOutcome:
    rule: Rule
    level: str | None  # the requirement's level: "skal", "bør", or None when the corpus does not have it
    in_force: bool
    people: list[PersonOutcome] = field(default_factory=list)
    expiring: list[PersonOutcome] = field(default_factory=list)

    @property
    def met(self) -> int:
        return sum(p.meets for p in self.people)

    @property
    def not_met(self) -> int:
        return len(self.people) - self.met

    @property
    def share(self) -> float | None:
        return round(self.met / len(self.people), 4) if self.people else None

    @property
    def state(self) -> str:
        return coverage_state(len(self.people), self.met, self.in_force)

    def as_json(self, names: bool) -> dict:
        per_role: dict[str, dict[str, int]] = {}
        for p in self.people:
            counts = per_role.setdefault(p.person.role, {"people": 0, "met": 0, "not_met": 0, "expiring": 0})
            counts["people"] += 1
            counts["met" if p.meets else "not_met"] += 1
        for p in self.expiring:
            per_role[p.person.role]["expiring"] += 1
        data: dict[str, Any] = {
            "id": self.rule.id,
            "requirement": self.rule.requirement,
            "level": self.level,
            "state": self.state,
            "people": len(self.people),
            "met": self.met,
            "not_met": self.not_met,
            "share": self.share,
            "expiring": len(self.expiring),
            "per_role": per_role,
            "reasons": dict(Counter(code for p in self.people for code, _ in p.reasons)),
        }
        if names:
            data["who"] = [_person_json(p) for p in self.people]
        return data


def _person_json(p: PersonOutcome) -> dict:
    return {
        "id": p.person.id,
        "name": p.person.name,
        "role": p.person.role,
        "meets": p.meets,
        "reasons": [{"code": c, "message": m} for c, m in p.reasons],
        "expires": p.expires.isoformat() if p.expires else None,
    }


def coverage_state(people: int, met: int, in_force: bool = True) -> str:
    """How far a rule (or a requirement) is met by the people it covers: met, partial, not_met, no_staff,
    or not_in_force; from the counts alone, so a register and the counts a pack carries agree."""
    if not in_force:
        return "not_in_force"
    if not people:
        return "no_staff"
    return "met" if met == people else ("not_met" if met == 0 else "partial")


@dataclass
class CompetenceReport:
    service: str
    as_of: dt.date
    within_days: int
    people: int
    roles: dict[str, int]
    rules: list[RuleOutcome]

    @property
    def passed(self) -> bool:
        """Every skal rule in force is met by everyone it covers."""
        return all(r.not_met == 0 for r in self.rules if r.level == "skal" and r.in_force)

    def as_json(self, names: bool = False) -> dict:
        checked = [r for r in self.rules if r.in_force and r.people]
        return {
            "service": self.service,
            "as_of": self.as_of.isoformat(),
            "within_days": self.within_days,
            "names": names,
            "people": self.people,
            "roles": self.roles,
            "summary": {
                "rules": len(checked),
                "rules_met": sum(r.state == "met" for r in checked),
                "skal_not_met": sorted({r.rule.requirement for r in checked if r.level == "skal" and r.not_met}),
                "expiring": sum(len(r.expiring) for r in checked),
                "passed": self.passed,
            },
            "rules": [r.as_json(names) for r in self.rules],
        }


class _Judge:
    """Per-person facts computed once (newest completion per course) and the doctor thresholds."""

    def __init__(self, register: Register, cat: LoadedCatalogue, as_of: dt.date):
        self.cat, self.as_of = cat, as_of
        self.latest: list[dict[str, dt.date]] = []
        for person in register.people:
            newest: dict[str, dt.date] = {}
            for done in person.courses:
                if done.date > newest.get(done.course, dt.date.min):
                    newest[done.course] = done.date
            self.latest.append(newest)
        self.by_id = {p.id: p for p in register.people}
        rules = cat.catalogue.rules
        self.alone = next((r for r in rules if r.kind is RuleKind.doctor_alone), None)
        self.experience = next((r for r in rules if r.kind is RuleKind.doctor_experience), None)

    def course_name(self, course: str) -> str:
        found = self.cat.courses.get(course)
        return found.name if found else course

    def course(self, index: int, course: str) -> tuple[bool, dt.date | None, tuple[str, str] | None]:
        """(counts today, when it runs out, the reason when it does not count)."""
        done = self.latest[index].get(course)
        if done is None:
            return (
                False,
                None,
                (
                    "course-missing",
                    tr(f"mangler {self.course_name(course)}", f"no {course}", f"manglar {self.course_name(course)}"),
                ),
            )
        months = self.cat.courses[course].valid_months if course in self.cat.courses else None
        if months is None:
            return True, None, None
        ends = add_months(done, months)
        if ends < self.as_of:
            message = tr(
                f"{self.course_name(course)} gikk ut {ends} (fullført {done}, gjelder {months} måneder)",
                f"{course} ran out on {ends} (completed {done}, counts {months} months)",
                f"{self.course_name(course)} gjekk ut {ends} (fullført {done}, gjeld {months} månader)",
            )
            return False, ends, ("course-expired", message)
        return True, ends, None

    def qualification(self, index: int, person: Person, rule: Rule) -> PersonOutcome:
        reasons, ends = [], []
        for course in rule.courses:
            ok, until, why = self.course(index, course)
            reasons += [why] if why else []
            ends += [until] if ok and until else []
        if rule.any_of:
            options = [self.course(index, c) for c in rule.any_of]
            valid = [until for ok, until, _ in options if ok]
            if valid and None not in valid:
                ends.append(max(u for u in valid if u is not None))
            if not valid:
                names = ", ".join(self.course_name(c) for c in rule.any_of)
                reasons.append(
                    (
                        "course-missing",
                        tr(
                            f"mangler ett av: {names}",
                            f"none of: {', '.join(rule.any_of)}",
                            f"manglar eitt av: {names}",
                        ),
                    )
                )
        if rule.education and not set(person.education) & set(rule.education):
            names = " eller ".join(self.cat.educations[e].name for e in rule.education if e in self.cat.educations)
            reasons.append(
                (
                    "education-missing",
                    tr(f"mangler utdanning: {names}", "education missing", f"manglar utdanning: {names}"),
                )
            )
        if rule.clinical_practice and person.clinical_practice is not True:
            message = tr(
                "registeret sier ikke at hen har nødvendig klinisk praksis",
                "no clinical practice recorded",
                "registeret seier ikkje at hen har naudsynt klinisk praksis",
            )
            reasons.append(("clinical-practice-missing", message))
        return PersonOutcome(index, person, not reasons, tuple(reasons), min(ends) if ends else None)

    def alone_reason(self, person: Person) -> tuple[str, str] | None:
        if person.specialist_general_practice or person.approved_gp:
            return None
        need = self.alone.min_clinical_months if self.alone and self.alone.min_clinical_months else None
        months = person.clinical_months or 0
        if need is not None and months >= need:
            return None
        return "clinical-months-short", tr(
            f"{months} av {need} måneder klinisk tjeneste, og verken spesialist i allmennmedisin eller godkjent "
            "allmennlege",
            f"{months} of {need} months of clinical service, and neither a specialist nor an approved GP",
            f"{months} av {need} månader klinisk teneste, og verken spesialist i allmennmedisin eller godkjend "
            "allmennlege",
        )

    def experience_reason(self, person: Person) -> tuple[str, str] | None:
        rule = self.experience
        if person.specialist_general_practice or rule is None:
            return None
        shifts, months = person.legevakt_shifts or 0, person.gp_months or 0
        if shifts >= (rule.min_legevakt_shifts or 0) or months >= (rule.min_gp_months or 0):
            return None
        return "shifts-short", tr(
            f"{shifts} av {rule.min_legevakt_shifts} legevakter og {months} av {rule.min_gp_months} måneder "
            "som allmennlege",
            f"{shifts} of {rule.min_legevakt_shifts} legevakt shifts and {months} of {rule.min_gp_months} months as GP",
            f"{shifts} av {rule.min_legevakt_shifts} legevakter og {months} av {rule.min_gp_months} månader "
            "som allmennlege",
        )

    def qualifies_alone(self, person: Person) -> bool:
        return self.alone_reason(person) is None and self.experience_reason(person) is None

    def backup(self, index: int, person: Person) -> PersonOutcome:
        if person.backup is None:
            why = (
                "backup-missing",
                tr(
                    "fyller ikke kravene for å ha vakt alene, og har ingen bakvakt",
                    "no backup",
                    "fyller ikkje krava for å ha vakt åleine, og har ingen bakvakt",
                ),
            )
        elif person.backup not in self.by_id:
            why = (
                "backup-unknown",
                tr(
                    f"bakvakten {person.backup} står ikke i registeret",
                    "backup not listed",
                    f"bakvakta {person.backup} står ikkje i registeret",
                ),
            )
        elif not self.qualifies_alone(self.by_id[person.backup]):
            why = (
                "backup-unqualified",
                tr(
                    f"bakvakten {person.backup} fyller ikke kravene",
                    "backup unqualified",
                    f"bakvakta {person.backup} fyller ikkje krava",
                ),
            )
        else:
            return PersonOutcome(index, person, True)
        return PersonOutcome(index, person, False, (why,))


def _judge_rule(judge: _Judge, register: Register, rule: Rule, level: str | None, within: int) -> RuleOutcome:
    outcome = RuleOutcome(rule, level, rule.in_force is None or rule.in_force <= judge.as_of)
    if not outcome.in_force:
        return outcome
    roles = set(rule.roles)
    for index, person in enumerate(register.people):
        if person.role not in roles:
            continue
        if rule.kind is RuleKind.qualification:
            result = judge.qualification(index, person, rule)
        elif rule.kind is RuleKind.backup_doctor:
            if judge.qualifies_alone(person) and person.backup is None:
                continue  # qualified to be alone: needs no backup
            result = judge.backup(index, person)
        else:
            if person.backup is not None:
                continue  # not alone on duty: LV-LEGE-03 covers this doctor
            reason = (
                judge.alone_reason(person) if rule.kind is RuleKind.doctor_alone else judge.experience_reason(person)
            )
            result = PersonOutcome(index, person, reason is None, (reason,) if reason else ())
        outcome.people.append(result)
    horizon = judge.as_of + dt.timedelta(days=within)
    outcome.expiring = [p for p in outcome.people if p.meets and p.expires is not None and p.expires <= horizon]
    return outcome


def check_register(
    register: Register, cat: LoadedCatalogue, levels: dict[str, str], *, as_of: dt.date, within: int = 0
) -> CompetenceReport:
    """Every rule of the catalogue against the register. `levels`: requirement id -> "skal" or "bør"."""
    judge = _Judge(register, cat, as_of)
    rules = [_judge_rule(judge, register, r, levels.get(r.requirement), within) for r in cat.catalogue.rules]
    roles = dict(Counter(p.role for p in register.people))
    return CompetenceReport(register.service, as_of, within, len(register.people), roles, rules)
