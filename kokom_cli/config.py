"""`kokom.yaml`: the workspace configuration and the call-log column mapping it may hold.

Kept apart from `kokom_cli.workspace` so that finding a workspace imports no
pydantic; only opening one does.
"""

from __future__ import annotations

import datetime as dt
from typing import Annotated, Literal

from pydantic import Field, StringConstraints

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
    test_call: str | None = Field(
        None,
        description="Column that flags test calls (any value but empty, 0, false, no, nei); left out by metrics "
        "with `exclude: {test_calls: true}`.",
    )


class ReleasedEdition(Strict):
    version: Edition
    date: dt.date


class NationalFolder(Strict):
    """The national edition as a folder on disk (a national workspace), relative to kokom.yaml."""

    folder: NonEmptyText


class NationalGit(Strict):
    """The national edition as a revision (usually the tag `edition-<number>`) of a git repository on disk."""

    git: NonEmptyText = Field(description="Path of the repository, relative to kokom.yaml; read with git, no network.")
    rev: NonEmptyText = Field(description="Tag or revision, e.g. edition-2027.1.")


NationalSource = Literal["builtin"] | NationalFolder | NationalGit


class Config(Strict):
    """`kokom.yaml` at the root of a workspace."""

    title: NonEmptyText = "Nasjonale krav til medisinsk nødmeldetjeneste"
    edition: Edition = "2027.1"
    language: Literal["nb", "nn", "en"] = "nb"
    requirements: str = "requirements"
    procedures: str = "procedures"
    templates: str | None = None
    assets: str = "assets"
    call_log: CallLogMapping | None = None
    released: list[ReleasedEdition] = Field(default_factory=list)
    national: NationalSource | None = Field(
        None,
        description="For a local workspace: the national edition it builds on (builtin, {folder: ...} or "
        "{git: ..., rev: ...}). Without it the workspace is a national one and edits its own corpus.",
    )
    local_prefix: Annotated[str, StringConstraints(pattern=r"^[A-ZÆØÅ][A-ZÆØÅ0-9]*$")] | None = Field(
        None, description="For a local workspace: the id prefix of its own requirements, e.g. FJORD (FJORD-...)."
    )
