"""The Jinja2 sandbox templates run in: an allow-list, and template folders that cannot be left.

Templates read fields of records, items of mappings, and call macros, filters
and the reading methods of plain values; attributes of classes, underscore
names, `str.format` and every other callable are refused, and `cycler`,
`joiner` and `namespace` are not given. A template file that is a symbolic
link out of its folder is refused.
"""

from __future__ import annotations

import datetime as dt
import os
from pathlib import Path
from typing import Any

from kokom_cli.publish.resources import confined

# Methods of kokom's own classes that templates may call (plain instance methods, no side effects).
TEMPLATE_METHODS = frozenset({"next_review"})
# Methods of plain data (text, numbers, dates, lists, mappings) that templates may call: they only read.
_PLAIN_TYPES = (str, int, float, bool, list, tuple, dict, dt.date, dt.time, dt.timedelta)
_REFUSED_NAMES = frozenset({"format", "format_map", "mro", "fromkeys", "maketrans"})
# The globals a template gets besides lang, labels and kokom_version; cycler, joiner and namespace are
# not needed by the built-in templates and are gone.
_GLOBALS = ("range", "dict", "lipsum")


_FIELDS_OF: dict[type, frozenset[str]] = {}


def _record_fields(cls: type) -> frozenset[str]:
    """The data fields of a record class: pydantic fields, dataclass fields, an enum member's name and value."""
    found = _FIELDS_OF.get(cls)
    if found is None:
        import dataclasses
        from enum import Enum

        from pydantic import BaseModel

        if issubclass(cls, BaseModel):
            names = set(cls.model_fields) | set(cls.model_computed_fields)
        elif dataclasses.is_dataclass(cls):
            names = {f.name for f in dataclasses.fields(cls)}
        elif issubclass(cls, Enum):
            names = {"name", "value"}
        else:
            names = set()
        found = _FIELDS_OF[cls] = frozenset(n for n in names if not n.startswith("_"))
    return found


def _is_record(obj: Any) -> bool:
    import dataclasses
    from enum import Enum

    from pydantic import BaseModel

    return isinstance(obj, BaseModel | Enum) or dataclasses.is_dataclass(obj)


def _own_method(value: Any, name: str) -> bool:
    """A plain method of kokom's own code, bound to an instance, named in TEMPLATE_METHODS."""
    import types

    if name not in TEMPLATE_METHODS or not isinstance(value, types.MethodType):
        return False
    owner = value.__self__
    return not isinstance(owner, type) and type(owner).__module__.startswith("kokom_cli.")


def _own_property(cls: type, name: str) -> bool:
    """A property (or cached property) of kokom's own code: derived data, such as a summary."""
    import functools

    for klass in cls.__mro__:
        if name in klass.__dict__:
            found = klass.__dict__[name]
            return klass.__module__.startswith("kokom_cli.") and isinstance(found, property | functools.cached_property)
    return False


def _plain_method(value: Any) -> bool:
    """A method bound to a plain value (not to its class), other than the ones refused by name."""
    import types

    if not isinstance(value, types.BuiltinMethodType | types.MethodType):
        return False
    owner = getattr(value, "__self__", None)
    return (
        not isinstance(owner, type)
        and isinstance(owner, _PLAIN_TYPES)
        and getattr(value, "__name__", "") not in _REFUSED_NAMES
    )


def _attribute_allowed(obj: Any, attr: str, value: Any) -> bool | None:
    """The sandbox's attribute rule; None leaves the decision to Jinja's own check."""
    import types

    from jinja2.runtime import BlockReference, LoopContext, Macro

    if attr.startswith("_") or attr in _REFUSED_NAMES or isinstance(obj, type):
        return False
    if isinstance(value, type) or isinstance(obj, types.ModuleType):
        return False
    if _is_record(obj):
        if attr in _record_fields(type(obj)) or _own_method(value, attr):
            return True
        return _own_property(type(obj), attr) and not callable(value)
    if callable(value) and not isinstance(value, Macro | BlockReference):
        return _plain_method(value) or _own_method(value, attr) or isinstance(obj, LoopContext)
    return None


def _callable_allowed(obj: Any, global_functions: list) -> bool:
    """The sandbox's call rule: macros, loop.cycle/changed, plain methods, own methods, some globals."""
    import types

    from jinja2.runtime import BlockReference, LoopContext, Macro

    if isinstance(obj, Macro | BlockReference):
        return True
    if isinstance(obj, types.MethodType) and isinstance(obj.__self__, LoopContext):
        return obj.__name__ in ("cycle", "changed")
    if _plain_method(obj) or _own_method(obj, getattr(obj, "__name__", "")):
        return True
    return any(obj is function for function in global_functions)


def sandbox_class():
    """The sandbox templates run in: an allow-list of what a template may read and call.

    A template may read the fields of kokom's records (pydantic models, dataclasses) and the
    properties their classes define, the `name` and `value` of an enum member, items of mappings and
    lists, and call: its macros, the globals range/dict/lipsum, `loop.cycle`/`loop.changed`, the
    reading methods of plain data (`str.startswith`, `dict.items`, `date.isoformat`...) and the
    methods in TEMPLATE_METHODS (filters and tests are not calls from the template's side). Everything
    else is refused with a SecurityError: any attribute of a class or type (`Model.parse_raw`,
    `model.model_validate_json`, `x.__class__`...), any name starting with an underscore, any method
    of a model other than TEMPLATE_METHODS, any method bound to a class, `str.format`/`format_map`
    (the `format` filter remains), and any other callable.
    """
    from jinja2.exceptions import SecurityError
    from jinja2.sandbox import ImmutableSandboxedEnvironment

    dict_attributes = frozenset(dir(dict))

    class Sandbox(ImmutableSandboxedEnvironment):
        """The immutable sandbox narrowed to an allow-list (see `_sandbox_class`).

        Fast paths: `mapping.key` on a dict for a key that is not a dict method, and
        `record.field` on a model, dataclass or enum member, return the value without the
        generic checks (they halve the time of a 5,000-requirement handbook).
        """

        def getattr(self, obj, attribute):
            kind = type(obj)
            if kind is dict:
                if attribute not in dict_attributes and attribute in obj:
                    return obj[attribute]
            elif attribute in _record_fields(kind):
                try:
                    return getattr(obj, attribute)
                except AttributeError:
                    pass
            return super().getattr(obj, attribute)

        def unsafe_undefined(self, obj, attribute):
            # at once, not when the value is printed: `xs|map(attribute='parse_raw')|list` must fail too
            raise SecurityError(f"access to attribute {attribute!r} of {type(obj).__name__!r} object is unsafe.")

        def wrap_str_format(self, value):
            return None  # str.format and format_map are refused outright (see is_safe_attribute)

        def is_safe_attribute(self, obj, attr, value):
            allowed = _attribute_allowed(obj, attr, value)
            return super().is_safe_attribute(obj, attr, value) if allowed is None else allowed

        def is_safe_callable(self, obj):
            allowed = _callable_allowed(obj, [self.globals.get(name) for name in _GLOBALS])
            return allowed and super().is_safe_callable(obj)

    return Sandbox


class TemplateOutside(Exception):
    """A template file that is a symlink out of its folder (or not a regular file)."""

    def __init__(self, path: Path):
        self.path = path
        super().__init__(str(path))


def confined_loader(base: type, folder: Path):
    """A FileSystemLoader over `folder` that refuses a template whose file is a symlink leaving it."""
    from jinja2.loaders import split_template_path

    class ConfinedLoader(base):
        def get_source(self, environment, template):
            path = folder.joinpath(*split_template_path(template))
            if os.path.lexists(path) and not confined(path, folder):
                raise TemplateOutside(path)
            return super().get_source(environment, template)

    return ConfinedLoader(str(folder))
