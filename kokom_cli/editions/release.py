"""Releasing an edition: the workspace must be valid and committed; the release is recorded in kokom.yaml.

`kokom.yaml` is edited in round-trip mode (comments and layout kept): `edition`
is set to the released version and `released` gets `{version, date}`. The git
tag is for the editor to create once that change is committed.
"""

from __future__ import annotations

import datetime as dt
import os
import re
from pathlib import Path

from ruamel.yaml.comments import CommentedMap, CommentedSeq
from ruamel.yaml.scalarstring import DoubleQuotedScalarString

from kokom_cli.config import Config
from kokom_cli.core.findings import Finding, KokomError, Severity
from kokom_cli.core.gitread import git_tree
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
                f"'{version}' er ikkje eit utgåvenummer; skriv det som ÅÅÅÅ.N, t.d. 2027.1",
            )
        )
    done = next((r for r in workspace.config.released if r.version == version), None)
    if done is not None:
        raise _usage(
            tr(
                f"utgave {version} ble allerede utgitt {done.date.isoformat()}; velg et nytt nummer",
                f"edition {version} was already released on {done.date.isoformat()}; choose a new number",
                f"utgåve {version} blei allereie gitt ut {done.date.isoformat()}; vel eit nytt nummer",
            )
        )


def uncommitted(workspace: Workspace) -> list[str]:
    """Files of the workspace that git does not have committed as they are (modified, deleted, untracked).

    `git status` is not used: it would run the repository's fsmonitor and clean filters. Instead the
    files at HEAD (`git ls-tree`) and the files git would list (`git ls-files`, ignored ones left out)
    are compared by their blob ids, hashed without filters (`git hash-object --no-filters`).
    A file that a filter would change on commit counts as uncommitted, which errs on the safe side.
    """
    assert workspace.root is not None
    root = workspace.root
    top_run = run_git(["rev-parse", "--show-toplevel"], root)
    if top_run.returncode != 0:
        raise _usage(
            tr(
                "arbeidsområdet er ikke i et git-depot; utgaver holdes i git (kjør `git init` og "
                "legg inn filene først)",
                "the workspace is not in a git repository; editions are kept in git (run `git init` "
                "and commit the files first)",
                "arbeidsområdet er ikkje i eit git-depot; utgåver blir haldne i git (køyr `git init` og "
                "legg inn filene først)",
            ),
            str(root),
        )
    top = Path(top_run.stdout.decode().strip()).resolve()
    prefix = root.resolve().relative_to(top).as_posix()
    prefix = "" if prefix == "." else prefix + "/"
    committed: dict[str, tuple[str, str]] = {}
    if run_git(["rev-parse", "--verify", "--quiet", "HEAD^{commit}"], top).returncode == 0:
        committed = {name: (mode, oid) for mode, oid, name in git_tree("HEAD", [prefix or "."], top)}
    listed = run_git(["ls-files", "-z", "--full-name", "--cached", "--others", "--exclude-standard", "--", "."], root)
    every = set(committed) | {n for n in listed.stdout.decode("utf-8", "surrogateescape").split("\0") if n}
    names = sorted(n for n in every if n.rsplit("/", 1)[-1] != LOCK_NAME)
    on_disk = _blob_ids([n for n in names if n in committed], committed, top)
    return [n for n in names if n not in committed or on_disk.get(n) != committed[n][1]]


def _blob_ids(names: list[str], committed: dict[str, tuple[str, str]], top: Path) -> dict[str, str]:
    """Blob ids of the files `names` (relative to `top`) as they are on disk, no filter applied.

    A file that is missing, or is a symlink where git has a file (or the reverse), gets no id.
    """
    ids: dict[str, str] = {}
    regular = []
    for name in names:
        path = top / name
        if committed[name][0] == "120000":
            if path.is_symlink():
                data = os.fsencode(os.readlink(path))
                ids[name] = run_git(["hash-object", "--no-filters", "--stdin"], top, stdin=data).stdout.decode().strip()
        elif not path.is_symlink() and path.is_file():
            regular.append(name)
    if regular:
        stdin = "".join(f"{name}\n" for name in regular).encode("utf-8", "surrogateescape")
        hashed = run_git(["hash-object", "--no-filters", "--stdin-paths"], top, stdin=stdin)
        ids.update(zip(regular, hashed.stdout.decode().split(), strict=False))
    return ids


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
