"""A staff register as YAML text (`register_yaml`): what `kokom competence import` writes.

Only what is not a default is written, in the model's field order, so a
register read back from the text is equal to the one written.
"""

from __future__ import annotations

import yaml

from kokom_cli.competence.models import Register


class _Dumper(yaml.SafeDumper):
    pass


_Dumper.add_representer(
    str,
    lambda dumper, value: dumper.represent_scalar(
        "tag:yaml.org,2002:str", value, style="|" if "\n" in value and value == value.strip() else None
    ),
)


def register_data(register: Register) -> dict:
    """The plain data `register_yaml` writes."""
    return register.model_dump(mode="python", exclude_defaults=True)


def register_yaml(register: Register, *, source: str | None = None) -> str:
    """The register's YAML text, with a comment saying where it came from."""
    head = [f"# Personalregister for {register.service}. Personopplysninger: blir i tjenestens arbeidsområde."]
    if source:
        head.append("# Lest fra " + " ".join(source.split()) + " med `kokom competence import`.")
    body = yaml.dump(register_data(register), Dumper=_Dumper, allow_unicode=True, sort_keys=False, width=100)
    return "\n".join(head) + "\n" + body
