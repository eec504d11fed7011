"""The rules that class one changed field as tightening, relaxing or editorial (see `editions.diff`)."""

from __future__ import annotations

from typing import Any

from kokom_cli.core.i18n import tr
from kokom_cli.requirements.models import ChangeClass

TIGHTENING, RELAXING, EDITORIAL = ChangeClass.tightening, ChangeClass.relaxing, ChangeClass.editorial


def overall(classes: list[ChangeClass]) -> ChangeClass:
    """Tightening wins (the service must look again), then relaxing, else editorial."""
    return TIGHTENING if TIGHTENING in classes else RELAXING if RELAXING in classes else EDITORIAL


_VERIFICATION_RANK = {"attestation": 0, "document": 1, "inspection": 2, "metric": 2}


def _set_change(old: list | None, new: list | None, more: str, fewer: str) -> tuple[ChangeClass, str]:
    old_set, new_set = set(old or []), set(new or [])
    if new_set - old_set:
        return TIGHTENING, f"{more}: {', '.join(sorted(new_set - old_set))}"
    if old_set - new_set:
        return RELAXING, f"{fewer}: {', '.join(sorted(old_set - new_set))}"
    return EDITORIAL, tr("samme innhold, ny rekkefølge", "same items, new order", "same innhald, ny rekkjefølgje")


def _stricter(old: Any, new: Any, lower_is_stricter: bool, what: str) -> tuple[ChangeClass, str]:
    if old is None or new is None:
        stricter = (new is None) != lower_is_stricter  # no bound is the loosest for a minimum
    else:
        stricter = new < old if lower_is_stricter else new > old
    return (TIGHTENING if stricter else RELAXING), f"{what}: {old} → {new}"


def requirement_field(path: str, old: Any, new: Any) -> tuple[ChangeClass, str]:
    """The class of one changed field of a requirement, and why."""
    if path == "level":
        return (TIGHTENING if new == "skal" else RELAXING), f"{old} → {new}"
    if path == "status":
        return (
            (RELAXING, tr("kravet er utgått", "the requirement is retired", "kravet er utgått"))
            if new == "retired"
            else (TIGHTENING, tr("kravet gjelder igjen", "the requirement applies again", "kravet gjeld igjen"))
        )
    if path == "applies_to":
        return _set_change(
            old,
            new,
            tr("gjelder nå også", "now also applies to", "gjeld no òg"),
            tr("gjelder ikke lenger", "no longer applies to", "gjeld ikkje lenger"),
        )
    if path == "conditions" or path.startswith("conditions."):
        return _conditions_field(path, old, new)
    if path == "metric" or path.startswith("metric."):
        return _metric_field(path, old, new)
    if path == "verification":
        step = _VERIFICATION_RANK.get(new, 0) - _VERIFICATION_RANK.get(old, 0)
        return (RELAXING if step < 0 else TIGHTENING), tr(
            f"verifisering: {old} → {new}", f"verification: {old} → {new}", f"verifisering: {old} → {new}"
        )
    if path == "evidence":
        return _evidence(old or [], new or [])
    return EDITORIAL, _wording(path)


def _conditions_field(path: str, old: Any, new: Any) -> tuple[ChangeClass, str]:
    if path == "conditions":  # conditions added narrow the requirement; removed widen it
        return (
            (
                TIGHTENING,
                tr(
                    "vilkårene er fjernet: gjelder flere",
                    "conditions removed: applies more widely",
                    "vilkåra er fjerna: gjeld fleire",
                ),
            )
            if new is None
            else (
                RELAXING,
                tr("nye vilkår: gjelder færre", "new conditions: applies to fewer", "nye vilkår: gjeld færre"),
            )
        )
    if path == "conditions.lines_any":
        if old is None or new is None:
            return (
                (TIGHTENING, tr("gjelder alle linjer", "applies to every line", "gjeld alle linjer"))
                if new is None
                else (
                    RELAXING,
                    tr("gjelder bare noen linjer", "applies to some lines only", "gjeld berre nokre linjer"),
                )
            )
        return _set_change(
            old,
            new,
            tr("gjelder også linje", "also applies to line", "gjeld òg linje"),
            tr("gjelder ikke lenger linje", "no longer applies to line", "gjeld ikkje lenger linje"),
        )
    if path == "conditions.population_min":
        return _stricter(old, new, True, tr("minste folketall", "minimum population", "minste folketal"))
    if path == "conditions.population_max":
        return _stricter(old, new, False, tr("største folketall", "maximum population", "største folketal"))
    return EDITORIAL, _wording(path)


def _metric_field(path: str, old: Any, new: Any) -> tuple[ChangeClass, str]:
    if path == "metric":
        return (
            (TIGHTENING, tr("ny målbar terskel", "a new measured threshold", "ny målbar terskel"))
            if old is None
            else (
                RELAXING,
                tr(
                    "den målbare terskelen er fjernet",
                    "the measured threshold is removed",
                    "den målbare terskelen er fjerna",
                ),
            )
        )
    if path == "metric.threshold_seconds":
        return _stricter(old, new, True, tr("terskel i sekunder", "threshold in seconds", "terskel i sekund"))
    if path == "metric.required_share":
        return _stricter(old, new, False, tr("andel som kreves", "required share", "del som blir kravd"))
    if path == "metric.lines":
        return _set_change(
            old,
            new,
            tr("måler også linje", "also measures line", "måler òg linje"),
            tr("måler ikke lenger linje", "no longer measures line", "måler ikkje lenger linje"),
        )
    if path == "metric.indicator":
        return TIGHTENING, tr(f"målemetode: {old} → {new}", f"indicator: {old} → {new}", f"målemetode: {old} → {new}")
    return EDITORIAL, _wording(path)


def _wording(path: str) -> str:
    return tr(f"redaksjonell endring i {path}", f"editorial change to {path}", f"redaksjonell endring i {path}")


def _evidence(old: list[dict], new: list[dict]) -> tuple[ChangeClass, str]:
    if len(new) != len(old):
        return (
            (TIGHTENING, tr("mer dokumentasjon kreves", "more evidence is expected", "meir dokumentasjon blir kravd"))
            if len(new) > len(old)
            else (
                RELAXING,
                tr("mindre dokumentasjon kreves", "less evidence is expected", "mindre dokumentasjon blir kravd"),
            )
        )
    classes = []
    for before, after in zip(old, new, strict=False):
        if before.get("kind") != after.get("kind"):
            classes.append(TIGHTENING)
        age_old, age_new = before.get("max_age_months"), after.get("max_age_months")
        if age_old != age_new:
            classes.append(_stricter(age_old, age_new, True, "")[0])
    result = overall(classes)
    return result, {
        TIGHTENING: tr("strengere krav til dokumentasjon", "stricter evidence", "strengare krav til dokumentasjon"),
        RELAXING: tr("mildere krav til dokumentasjon", "milder evidence", "mildare krav til dokumentasjon"),
        EDITORIAL: tr("ordlyd i dokumentasjonskrav", "wording of the evidence", "ordlyd i dokumentasjonskrav"),
    }[result]


_PROCEDURE_EDITORIAL = {
    "change_note",
    "fulfils",
    "version",
    "approved_on",
    "approved_by",
    "prepared_by",
    "valid_from",
    "title",
    "purpose",
    "scope",
    "deviations",
    "chapter",
    "example",
    "note",
    "background",
    "related",
}


def procedure_field(path: str, old: Any, new: Any) -> tuple[ChangeClass, str]:
    if path == "review_interval_months":
        return _stricter(
            old,
            new,
            True,
            tr("revisjonsintervall (måneder)", "review interval (months)", "revisjonsintervall (månader)"),
        )
    if (
        path.split(".")[0] not in _PROCEDURE_EDITORIAL
        and isinstance(old or new, list)
        and len(old or []) != len(new or [])
    ):
        return (
            (
                TIGHTENING,
                tr(
                    f"flere punkter ({len(old or [])} → {len(new or [])})",
                    f"more items ({len(old or [])} → {len(new or [])})",
                    f"fleire punkt ({len(old or [])} → {len(new or [])})",
                ),
            )
            if len(new or []) > len(old or [])
            else (
                RELAXING,
                tr(
                    f"færre punkter ({len(old or [])} → {len(new or [])})",
                    f"fewer items ({len(old or [])} → {len(new or [])})",
                    f"færre punkt ({len(old or [])} → {len(new or [])})",
                ),
            )
        )
    return EDITORIAL, _wording(path)
