"""`kokom service new`: a service file written from values, checked against the model before it is written."""

from __future__ import annotations

import json
from pathlib import Path

from kokom_cli.assessments.models import Service
from kokom_cli.core.atomic import refuse_existing, write_text_atomic
from kokom_cli.core.findings import KokomError, display_path
from kokom_cli.yaml.reader import parse_yaml
from kokom_cli.yaml.schema_check import check_model


def service_text(values: dict) -> str:
    """The YAML of a service file, in the order of the model; empty values are left out."""
    lines = ["# Tjenesten (the service): se `kokom schema` for feltene"]
    for name in Service.model_fields:
        value = values.get(name)
        if value in (None, "", []):
            continue
        lines.append(f"{name}: {json.dumps(value, ensure_ascii=False)}")
    return "\n".join(lines) + "\n"


def write_service(values: dict, path: Path, *, force: bool = False) -> Service:
    """Check the service and write it to `path` atomically; KokomError with every problem, nothing written."""
    refuse_existing(path, force=force)
    text = service_text(values)
    service, findings = check_model(parse_yaml(text.encode(), path, display_path(path)), Service)
    if findings or service is None:
        raise KokomError(findings)
    path.parent.mkdir(parents=True, exist_ok=True)
    write_text_atomic(path, text)
    return service
