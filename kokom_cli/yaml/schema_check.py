"""Turn pydantic validation errors into findings a YAML author can act on."""

from __future__ import annotations

import difflib
import types
import typing
from typing import Any, TypeVar

from pydantic import BaseModel, ValidationError

from kokom_cli.core.findings import Finding
from kokom_cli.core.i18n import ITEMS, plural, tr
from kokom_cli.core.suggest import did_you_mean
from kokom_cli.yaml.document import YamlDocument
from kokom_cli.yaml.reader import yaml_type_name

M = TypeVar("M", bound=BaseModel)

_ID_HINT = (
    "bruk store bokstaver og sifre skilt med '-', f.eks. AMK-SVAR-01",
    "use capital letters and digits joined by '-', e.g. AMK-SVAR-01",
    "bruk store bokstavar og siffer skilde med '-', t.d. AMK-SVAR-01",
)
_EDITION_HINT = (
    'skriv utgaven som "ÅÅÅÅ.N" i anførselstegn, f.eks. "2026.1"',
    'write the edition as "YYYY.N" in quotes, e.g. "2026.1"',
    'skriv utgåva som "ÅÅÅÅ.N" i hermeteikn, t.d. "2026.1"',
)
_PATTERN_HINTS = {
    "id": _ID_HINT,
    "links": _ID_HINT,
    "replaces": _ID_HINT,
    "fulfils": _ID_HINT,
    "since": _EDITION_HINT,
    "edition": _EDITION_HINT,
    "chapter": (
        "bruk små bokstaver, sifre og '-', f.eks. svartid",
        "use lower-case letters, digits and '-', e.g. svartid",
        "bruk små bokstavar, siffer og '-', t.d. svartid",
    ),
}


def strip_optional(annotation: Any) -> Any:
    """The type inside Annotated[...] and Optional[...]; a union of several types is returned as is."""
    while True:
        origin = typing.get_origin(annotation)
        if origin is typing.Annotated:
            annotation = typing.get_args(annotation)[0]
        elif origin in (typing.Union, types.UnionType):
            args = [a for a in typing.get_args(annotation) if a is not type(None)]
            if len(args) != 1:
                return annotation
            annotation = args[0]
        else:
            return annotation


def _unwrap(annotation: Any) -> Any:
    """The model class inside Optional[...], list[...], dict[..., ...] or Annotated[...]."""
    while True:
        annotation = strip_optional(annotation)
        origin = typing.get_origin(annotation)
        if origin in (typing.Union, types.UnionType):
            args = [a for a in typing.get_args(annotation) if a is not type(None)]
            models = [a for a in args if isinstance(a, type) and issubclass(a, BaseModel)]
            annotation = models[0] if models else args[0]
        elif origin in (list, dict):
            annotation = typing.get_args(annotation)[-1]
        else:
            return annotation


def _model_at(model: type[BaseModel], loc: tuple) -> type[BaseModel] | None:
    """The model class that owns the last part of `loc` (for "did you mean" suggestions)."""
    current: Any = model
    mapping_key = False  # the next part is a key of a `dict[str, Model]` field, not a field name
    for part in loc:
        if isinstance(part, int) or mapping_key or not (isinstance(current, type) and issubclass(current, BaseModel)):
            mapping_key = False
            continue
        fields = current.model_fields
        field = fields.get(part) or next((f for f in fields.values() if f.alias == part), None)
        if field is None:
            return current
        mapping_key = "dict[" in str(field.annotation)
        current = _unwrap(field.annotation)
    return current if isinstance(current, type) and issubclass(current, BaseModel) else None


def _field_names(model: type[BaseModel]) -> list[str]:
    return [f.alias or name for name, f in model.model_fields.items()]


def field_label(loc: tuple) -> str:
    """The field a message is about, as its author wrote it: `level`, `applies_to[1]`.

    The position already says which requirement; the last key (with any list
    index after it) is what the reader needs to find on that line.
    """
    keys = [i for i, part in enumerate(loc) if isinstance(part, str)]
    if not keys:
        return tr("(øverste nivå)", "(top level)", "(øvste nivå)") if not loc else f"[{loc[-1]}]"
    tail = loc[keys[-1] :]
    return str(tail[0]) + "".join(f"[{part}]" for part in tail[1:])


def _limit_message(kind: str, ctx: dict) -> str | None:
    """Norwegian/English wording for pydantic's bound errors."""
    limit = next(iter(ctx.values()), None) if ctx else None
    words = {
        "greater_than": ("må være større enn", "must be greater than", "må vere større enn"),
        "greater_than_equal": ("må være minst", "must be at least", "må vere minst"),
        "less_than": ("må være mindre enn", "must be less than", "må vere mindre enn"),
        "less_than_equal": ("må være høyst", "must be at most", "må vere høgst"),
        "too_short": ("må ha minst", "must have at least", "må ha minst"),
        "string_too_short": ("kan ikke være tom", "must not be empty", "kan ikkje vere tom"),
    }.get(kind)
    if words is None:
        return None
    if kind == "string_too_short":
        return tr(*words)
    if kind == "too_short":
        limit = ctx.get("min_length")
        counted = plural(limit, *ITEMS) if isinstance(limit, int) else limit
        return f"{tr(*words)} {counted}"
    return f"{tr(*words)} {limit}"


Message = tuple[str, str, bool]  # (code, message, point at the key rather than the value)

# pydantic error types -> what was expected, in words (nb, en, nn)
_EXPECTED: dict[frozenset[str], tuple[str, str, str]] = {
    frozenset({"model_type", "model_attributes_type", "dict_type"}): (
        "en mapping (nøkkel: verdi)",
        "a mapping (key: value)",
        "ein mapping (nøkkel: verdi)",
    ),
    frozenset({"list_type"}): ("en liste", "a list", "ei liste"),
    frozenset({"int_type", "int_parsing", "float_type", "float_parsing", "int_from_float"}): (
        "et tall",
        "a number",
        "eit tal",
    ),
    frozenset({"bool_type", "bool_parsing"}): ("true eller false", "true or false", "true eller false"),
}


def _message(error: dict, model: type[BaseModel], doc: YamlDocument, loc: tuple, prefix: tuple) -> Message:
    """(code, message, point_at_key) for one pydantic error; `loc` is relative to `model`."""
    kind = error["type"]
    name = next((p for p in reversed(loc) if isinstance(p, str)), "")
    found = _shape_message(kind, name, model, loc) or _value_message(error, kind, name, doc, loc, prefix)
    if found:
        return found
    return _type_message(error, kind, field_label(loc))


def _shape_message(kind: str, name: str, model: type[BaseModel], loc: tuple) -> Message | None:
    """A field that is missing or not known."""
    if name == "source" and kind in {"missing", "too_short"}:
        return (
            "source-missing",
            tr(
                "hvert krav må vise til kilden sin (lovparagraf eller veileder, med adresse): "
                "legg til en `source:`-liste med title, ref og url",
                "every requirement must cite its source (law paragraph or guideline, with address): "
                "add a `source:` list with title, ref and url",
                "kvart krav må vise til kjelda si (lovparagraf eller rettleiar, med adresse): "
                "legg til ei `source:`-liste med title, ref og url",
            ),
            False,
        )
    if kind == "missing":
        return (
            "schema-missing",
            tr(
                f"mangler det påkrevde feltet '{loc[-1]}'; legg det til",
                f"missing required field '{loc[-1]}'; add it",
                f"manglar det påkravde feltet '{loc[-1]}'; legg det til",
            ),
            False,
        )
    if kind == "extra_forbidden":
        owner = _model_at(model, loc[:-1])
        names = _field_names(owner) if owner else []
        hint = did_you_mean(str(loc[-1]), names) or (
            tr(
                f"; tillatte felt: {', '.join(names)}",
                f"; allowed fields: {', '.join(names)}",
                f"; tillatne felt: {', '.join(names)}",
            )
            if names
            else ""
        )
        return (
            "schema-unknown-field",
            tr(f"ukjent felt '{loc[-1]}'{hint}", f"unknown field '{loc[-1]}'{hint}", f"ukjent felt '{loc[-1]}'{hint}"),
            True,
        )
    return None


def _value_message(error: dict, kind: str, name: str, doc: YamlDocument, loc: tuple, prefix: tuple) -> Message | None:
    """A value of the right shape that is not allowed: unquoted text, a pattern, a choice, a date."""
    ctx = error.get("ctx") or {}
    where = field_label(loc)
    value = error.get("input")
    if kind in {"string_type", "str_type"} and isinstance(value, (bool, int, float)):
        written = doc.source_text(prefix + loc) or str(value)
        return (
            "quote-value",
            tr(
                f"{where}: '{written}' ble lest som {yaml_type_name(value)}, men her skal det stå tekst; "
                f'sett det i anførselstegn: "{written}"',
                f"{where}: '{written}' was read as {yaml_type_name(value)}, but text is expected; "
                f'put it in quotes: "{written}"',
                f"{where}: '{written}' blei lese som {yaml_type_name(value)}, men her skal det stå tekst; "
                f'set det i hermeteikn: "{written}"',
            ),
            False,
        )
    if kind == "string_pattern_mismatch":
        pattern = _PATTERN_HINTS.get(
            name,
            (
                f"må passe mønsteret {ctx.get('pattern')}",
                f"it must match {ctx.get('pattern')}",
                f"må passe til mønsteret {ctx.get('pattern')}",
            ),
        )
        hint = tr(*pattern)
        return (
            "schema-value",
            tr(
                f"{where}: '{value}' er ikke gyldig her; {hint}",
                f"{where}: '{value}' is not valid here; {hint}",
                f"{where}: '{value}' er ikkje gyldig her; {hint}",
            ),
            False,
        )
    if kind in {"enum", "literal_error"}:
        expected = str(ctx.get("expected", ""))
        code = "unknown-kind" if name in {"applies_to", "kind"} else "schema-value"
        return (
            code,
            tr(
                f"{where}: '{value}' er ikke tillatt; bruk en av: {expected.replace(' or ', ' eller ')}",
                f"{where}: '{value}' is not allowed; use one of: {expected}",
                f"{where}: '{value}' er ikkje tillate; bruk ein av: {expected.replace(' or ', ' eller ')}",
            ),
            False,
        )
    if kind.startswith("date") or kind.startswith("datetime"):
        written = doc.source_text(prefix + loc) or str(value)
        return (
            "date-invalid",
            tr(
                f"{where}: '{written}' er ikke en dato; skriv den som ÅÅÅÅ-MM-DD",
                f"{where}: '{written}' is not a date; write it as YYYY-MM-DD",
                f"{where}: '{written}' er ikkje ein dato; skriv han som ÅÅÅÅ-MM-DD",
            ),
            False,
        )
    limit = _limit_message(kind, ctx)
    if limit:
        return "schema-value", f"{where}: {limit}", False
    return None


def _type_message(error: dict, kind: str, where: str) -> Message:
    """A value of the wrong type, or any other error pydantic reports (its own words)."""
    value = error.get("input")
    for kinds, words in _EXPECTED.items():
        if kind in kinds:
            wanted = tr(*words)
            return (
                "schema-type",
                tr(
                    f"{where}: her skal det stå {wanted}, men det står {yaml_type_name(value)}",
                    f"{where}: expected {wanted}, found {yaml_type_name(value)}",
                    f"{where}: her skal det stå {wanted}, men det står {yaml_type_name(value)}",
                ),
                False,
            )
    message = error["msg"].removeprefix("Value error, ")
    if kind.endswith("_type") or kind.endswith("_parsing"):
        return (
            "schema-type",
            tr(
                f"{where}: {message} (fant {yaml_type_name(value)})",
                f"{where}: {message} (found {yaml_type_name(value)})",
                f"{where}: {message} (fann {yaml_type_name(value)})",
            ),
            False,
        )
    return "schema-value", f"{where}: {message}", False


def check_model(doc: YamlDocument, model: type[M], data: Any = None, loc: tuple = ()) -> tuple[M | None, list[Finding]]:
    """Validate `data` (default: the whole document) against `model`; findings point into `doc`."""
    data = doc.data if data is None else data
    try:
        return model.model_validate(data), []
    except ValidationError as exc:
        errors = exc.errors()
        findings = []
        for error in _without_misspelt_missing(errors, model):
            full = loc + tuple(error["loc"])
            code, message, at_key = _message(error, model, doc, tuple(error["loc"]), loc)
            findings.append(doc.finding(full, code, message, key=at_key))
        return None, findings


def _without_misspelt_missing(errors: list[Any], model: type[BaseModel]) -> list[Any]:
    """Drop "missing 'title'" where the same mapping has an unknown 'titel': one typo, one finding."""
    suggested: set[tuple[tuple, str]] = set()
    for error in errors:
        if error["type"] == "extra_forbidden":
            owner = _model_at(model, error["loc"][:-1])
            close = difflib.get_close_matches(str(error["loc"][-1]), _field_names(owner), n=1) if owner else []
            suggested.update((tuple(error["loc"][:-1]), name) for name in close)
    return [e for e in errors if not (e["type"] == "missing" and (tuple(e["loc"][:-1]), e["loc"][-1]) in suggested)]
