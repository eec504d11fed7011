"""The assessment YAML an import writes: `assessment_yaml` and `assessment_data` (the exact round trip)."""

from __future__ import annotations

from enum import Enum
from typing import TYPE_CHECKING, Any

import yaml

from kokom_cli.assessments.models import Assessment

if TYPE_CHECKING:
    pass


class _Dumper(yaml.SafeDumper):
    pass


_Dumper.add_multi_representer(Enum, lambda dumper, value: dumper.represent_str(value.value))
# an empty answer is written `ID:` as people write it (and as ruamel.yaml writes it back), not `ID: null`
_Dumper.add_representer(type(None), lambda dumper, _value: dumper.represent_scalar("tag:yaml.org,2002:null", ""))
_Dumper.add_representer(
    str,
    lambda dumper, value: dumper.represent_scalar(
        "tag:yaml.org,2002:str", value, style="|" if "\n" in value and not value.endswith(" ") else None
    ),
)


def assessment_yaml(data: dict[str, Any], order: list[str] | None = None) -> str:
    """An assessment's YAML text from its plain data (or `assessment_data`): answers in `order`, last."""
    data = dict(data)
    answers = data.pop("answers", {})
    if order is not None:
        rank = {req_id: index for index, req_id in enumerate(order)}
        answers = dict(sorted(answers.items(), key=lambda item: rank.get(item[0], len(rank))))
    data["answers"] = answers
    # no folding of long lines: every kokom edit (verify, a merged import) can then write the file back as it is
    return yaml.dump(data, Dumper=_Dumper, allow_unicode=True, sort_keys=False, width=10**6)


def assessment_data(assessment: Assessment) -> dict[str, Any]:
    """The plain data `assessment_yaml` writes for a model: what is not a default, answers as they are."""
    data = assessment.model_dump(mode="python", exclude_defaults=True, exclude={"answers"})
    data["answers"] = {
        req_id: None if answer is None else answer.model_dump(mode="python", exclude_defaults=True)
        for req_id, answer in assessment.answers.items()
    }
    return data
