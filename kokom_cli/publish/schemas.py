"""JSON Schemas for every kind of file kokom reads, generated from the models."""

from __future__ import annotations

import json
from pathlib import Path

from pydantic import BaseModel

from kokom_cli.assessments.models import Assessment, Service
from kokom_cli.competence.counts import RegisterCounts
from kokom_cli.competence.models import Catalogue, Register
from kokom_cli.config import Config
from kokom_cli.core.atomic import write_text_atomic
from kokom_cli.procedures.models import Book, DispatchCard, Procedure
from kokom_cli.requirements.models import Chapter


def file_models() -> dict[str, type[BaseModel]]:
    """File kind -> model. Other modules add their kinds here as they grow."""
    return {
        "config": Config,
        "chapter": Chapter,
        "service": Service,
        "assessment": Assessment,
        "book": Book,
        "procedure": Procedure,
        "dispatch_card": DispatchCard,
        "competence_catalogue": Catalogue,
        "staff_register": Register,
        "register_counts": RegisterCounts,
    }


def schema_for(name: str, model: type[BaseModel]) -> dict:
    schema = model.model_json_schema(by_alias=True)
    schema["$schema"] = "https://json-schema.org/draft/2020-12/schema"
    schema["$id"] = f"{name}.schema.json"
    return schema


def write_schemas(folder: Path) -> list[Path]:
    folder.mkdir(parents=True, exist_ok=True)
    written = []
    for name, model in file_models().items():
        path = folder / f"{name}.schema.json"
        write_text_atomic(path, json.dumps(schema_for(name, model), ensure_ascii=False, indent=2) + "\n")
        written.append(path)
    return written
