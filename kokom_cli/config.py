"""`kokom.yaml`: the workspace configuration and the call-log column mapping it may hold.

Kept apart from `kokom_cli.workspace` so that finding a workspace imports no
pydantic; only opening one does.
"""

from __future__ import annotations

import datetime as dt
from typing import Literal

from pydantic import Field

from kokom_cli.requirements.models import Edition, NonEmptyText, Strict


class CallLogMapping(Strict):
    """How to read a telephony export whose columns differ from kokom's call-log CSV."""

    call_id: str = "call_id"
    line: str = "line"
    offered_at: str = "offered_at"
    answered_at: str = "answered_at"
    ended_at: str | None = "ended_at"
    timestamp_format: str | None = Field(None, description="strftime format; ISO 8601 when empty.")
    timezone: str = Field("Europe/Oslo", description="Time zone of timestamps written without offset.")
    line_names: dict[str, str] = Field(default_factory=dict, description="Export line name -> kokom line name.")


class ReleasedEdition(Strict):
    version: Edition
    date: dt.date


class Config(Strict):
    """`kokom.yaml` at the root of a workspace."""

    title: NonEmptyText = "Nasjonale krav til medisinsk nødmeldetjeneste"
    edition: Edition = "2026.1"
    language: Literal["nb", "nn", "en"] = "nb"
    requirements: str = "requirements"
    procedures: str = "procedures"
    templates: str | None = None
    assets: str = "assets"
    call_log: CallLogMapping | None = None
    released: list[ReleasedEdition] = Field(default_factory=list)
