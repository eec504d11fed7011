"""Which requirements apply to a service: by service kind, status, and the requirement's `conditions`.

A requirement applies when it is active, lists the service's kind in
`applies_to`, and every condition it states holds for the service. A
condition on an attribute the service file leaves out (no `population:`)
is taken to hold: a requirement is never dropped on missing data.
"""

from __future__ import annotations

from dataclasses import dataclass

from kokom_cli.assessments.models import Service
from kokom_cli.core.i18n import tr
from kokom_cli.core.numbers import count
from kokom_cli.requirements.models import Requirement, Status


@dataclass(frozen=True)
class Applicability:
    """Whether a requirement applies; when not, a stable `code` and the reason in words."""

    applies: bool
    code: str | None = None
    reason: str | None = None


APPLIES = Applicability(True)


def applicability(requirement: Requirement, service: Service) -> Applicability:
    if requirement.status is Status.retired:
        return Applicability(False, "retired", tr("kravet er utgått", "the requirement is retired", "kravet er utgått"))
    if service.kind not in requirement.applies_to:
        kinds = ", ".join(k.value for k in requirement.applies_to)
        return Applicability(
            False,
            "other-kind",
            tr(
                f"gjelder {kinds}, ikke {service.kind.value}",
                f"applies to {kinds}, not {service.kind.value}",
                f"gjeld {kinds}, ikkje {service.kind.value}",
            ),
        )
    cond = requirement.conditions
    if cond is None:
        return APPLIES
    if cond.lines_any is not None and not set(cond.lines_any) & set(service.lines):
        wanted, has = ", ".join(cond.lines_any), ", ".join(service.lines) or "-"
        return Applicability(
            False,
            "condition-lines",
            tr(
                f"gjelder bare tjenester som svarer på {wanted}; tjenesten svarer på {has}",
                f"applies only to services answering {wanted}; this service answers {has}",
                f"gjeld berre tenester som svarar på {wanted}; tenesta svarar på {has}",
            ),
        )
    population = service.population
    if population is not None and cond.population_min is not None and population < cond.population_min:
        return Applicability(
            False,
            "condition-population",
            tr(
                f"gjelder fra {count(cond.population_min)} innbyggere; tjenesten dekker {count(population)}",
                f"applies from {count(cond.population_min)} inhabitants; this service covers {count(population)}",
                f"gjeld frå {count(cond.population_min)} innbyggjarar; tenesta dekkjer {count(population)}",
            ),
        )
    if population is not None and cond.population_max is not None and population > cond.population_max:
        return Applicability(
            False,
            "condition-population",
            tr(
                f"gjelder opp til {count(cond.population_max)} innbyggere; tjenesten dekker {count(population)}",
                f"applies up to {count(cond.population_max)} inhabitants; this service covers {count(population)}",
                f"gjeld opp til {count(cond.population_max)} innbyggjarar; tenesta dekkjer {count(population)}",
            ),
        )
    return APPLIES


def listed(result: Applicability) -> bool:
    """Whether a check shows the requirement: it applies, or it is of the service's kind but a condition excludes it."""
    return result.applies or (result.code or "").startswith("condition-")
