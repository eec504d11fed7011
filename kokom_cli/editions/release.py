"""Releasing an edition: the workspace must be valid and committed; the release is recorded in kokom.yaml.

`kokom.yaml` is edited in round-trip mode (comments and layout kept): `edition`
is set to the released version and `released` gets `{version, date}`. The git
tag is for the editor to create once that change is committed.
"""

from __future__ import annotations

import datetime as dt
import re

from ruamel.yaml.comments import CommentedMap, CommentedSeq
from ruamel.yaml.scalarstring import DoubleQuotedScalarString

from kokom_cli.config import Config
from kokom_cli.core.findings import Finding, KokomError, Severity
from kokom_cli.core.i18n import tr
from kokom_cli.core.locking import LOCK_NAME
from kokom_cli.editing.changes import Change, EditSet, require_workspace
from kokom_cli.editions.opening import run_git
from kokom_cli.requirements.models import EDITION_PATTERN
from kokom_cli.workspace import CONFIG_NAME, Workspace


def _usage(message: str, path: str = "(command line)") -> KokomError:
    return KokomError(Finding(path, 0, 0, Severity.error, "usage", message))


def check_version(workspace: Workspace, version: str) -> None:
    """A well-formed version that has not been released before."""
    if not re.match(EDITION_PATTERN, version):
        raise _usage(
            tr(
                f"'{version}' er ikke et utgavenummer; skriv det som ÅÅÅÅ.N, f.eks. 2027.1",
                f"'{version}' is not an edition number; write it as YYYY.N, e.g. 2027.1",
            )
        )
    done = next((r for r in workspace.config.released if r.version == version), None)
    if done is not None:
        raise _usage(
            tr(
                f"utgave {version} ble allerede utgitt {done.date.isoformat()}; velg et nytt nummer",
                f"edition {version} was already released on {done.date.isoformat()}; choose a new number",
            )
        )


def uncommitted(workspace: Workspace) -> list[str]:
    """Files of the workspace that git does not have committed as they are (modified, staged, untracked)."""
    assert workspace.root is not None
    status = run_git(["status", "--porcelain", "--untracked-files=all", "--", "."], workspace.root)
    if status.returncode != 0:
        raise _usage(
            tr(
                "arbeidsområdet er ikke i et git-depot; utgaver holdes i git (kjør `git init` og "
                "legg inn filene først)",
                "the workspace is not in a git repository; editions are kept in git (run `git init` "
                "and commit the files first)",
            ),
            str(workspace.root),
        )
    paths = [line[3:].strip('"') for line in status.stdout.decode().splitlines() if line.strip()]
    return [p for p in paths if p.rsplit("/", 1)[-1] != LOCK_NAME]


def release_changes(workspace: Workspace, version: str, date: dt.date) -> list[Change]:
    """The change to kokom.yaml that records the release of `version` on `date`."""
    require_workspace(workspace)
    assert workspace.root is not None
    edits = EditSet()
    file = edits.open(workspace.root / CONFIG_NAME, Config)
    order = list(Config.model_fields)
    edits.set(file, ("edition",), DoubleQuotedScalarString(version), order)
    entry = CommentedMap([("version", DoubleQuotedScalarString(version)), ("date", date)])
    entry.fa.set_flow_style()
    released = file.data.get("released")
    if isinstance(released, CommentedSeq) and not released.fa.flow_style() and len(released):
        edits.append(file, ("released",), entry, blank_line=False)
    else:
        edits.set(file, ("released",), CommentedSeq([*(released or []), entry]), order)
    return edits.changes()
