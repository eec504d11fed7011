"""What an edit names on the command line: a field path checked against the file's model, and a typed value."""

from __future__ import annotations

import re
import typing
from typing import Any

from pydantic import BaseModel
from ruamel.yaml.error import YAMLError

from kokom_cli.core.findings import KokomError
from kokom_cli.core.i18n import tr
from kokom_cli.core.suggest import did_you_mean
from kokom_cli.yaml.roundtrip import round_trip_yaml
from kokom_cli.yaml.schema_check import strip_optional

Loc = tuple[str | int, ...]


def usage(message: str) -> KokomError:
    return KokomError.at("(command line)", "usage", message)


def parse_path(text: str) -> Loc:
    """`metric.threshold_seconds` or `source.0.title` (also `source[0].title`) as a location."""
    parts = [p for p in re.split(r"[.\[\]]+", text.strip()) if p]
    if not parts:
        raise usage(tr("feltnavnet er tomt", "the field name is empty", "feltnamnet er tomt"))
    return tuple(int(p) if p.isdigit() else p for p in parts)


def dotted(loc: Loc) -> str:
    return ".".join(str(p) for p in loc)


def model_fields(model: type[BaseModel]) -> dict[str, Any]:
    """Field name as written in YAML (the alias where there is one) -> field info, in model order."""
    return {(info.alias or name): info for name, info in model.model_fields.items()}


def field_type(model: type[BaseModel], loc: Loc) -> Any:
    """The type a value at `loc` must have, or a usage error for a field the model does not have."""
    current: Any = model
    for index, part in enumerate(loc):
        base = strip_optional(current)
        origin = typing.get_origin(base)
        here = dotted(loc[: index + 1])
        if origin is list:
            if not isinstance(part, int):
                raise usage(
                    tr(
                        f"'{dotted(loc[:index])}' er en liste; velg et element med nummer, f.eks. "
                        f"{dotted(loc[:index])}.0",
                        f"'{dotted(loc[:index])}' is a list; pick an item by number, e.g. {dotted(loc[:index])}.0",
                        f"'{dotted(loc[:index])}' er ei liste; vel eit element med nummer, t.d. "
                        f"{dotted(loc[:index])}.0",
                    )
                )
            current = typing.get_args(base)[0]
        elif origin is dict:
            current = typing.get_args(base)[1]
        elif isinstance(base, type) and issubclass(base, BaseModel) and isinstance(part, str):
            fields = model_fields(base)
            if part not in fields:
                raise usage(
                    tr(
                        f"ukjent felt '{here}'{did_you_mean(part, fields)}; tillatte felt: {', '.join(fields)}",
                        f"unknown field '{here}'{did_you_mean(part, fields)}; allowed fields: {', '.join(fields)}",
                        f"ukjent felt '{here}'{did_you_mean(part, fields)}; tillatne felt: {', '.join(fields)}",
                    )
                )
            current = fields[part].annotation
        else:
            raise usage(
                tr(
                    f"ukjent felt '{here}': '{dotted(loc[:index]) or part}' har ingen underfelt",
                    f"unknown field '{here}': '{dotted(loc[:index]) or part}' has no sub-fields",
                    f"ukjent felt '{here}': '{dotted(loc[:index]) or part}' har ingen underfelt",
                )
            )
    return strip_optional(current)


def expects_text(annotation: Any) -> bool:
    return isinstance(annotation, type) and issubclass(annotation, str)


def parse_value(text: str, as_text: bool) -> Any:
    """A value given on the command line.

    For a text field the value is the text as typed (quotes around it are
    removed); anything else is read as YAML, so `10` is a number and
    `[amk, legevakt]` a list. An empty value, `null` or `~` removes an optional
    field.
    """
    stripped = text.strip()
    if stripped in ("", "null", "~"):
        return None
    if as_text and stripped[0] not in "'\"":
        return text
    try:
        value = round_trip_yaml().load(text)
    except YAMLError as exc:
        if as_text:
            return text
        problem = getattr(exc, "problem", None) or str(exc).splitlines()[0]
        raise usage(
            tr(
                f"verdien '{text}' er ikke gyldig YAML: {problem}",
                f"the value '{text}' is not valid YAML: {problem}",
                f"verdien '{text}' er ikkje gyldig YAML: {problem}",
            )
        ) from None
    return text if as_text and not isinstance(value, str) else value
