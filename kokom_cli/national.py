"""The national edition a local workspace builds on: built in, a folder, or a git revision on disk.

`kokom.yaml` of a local workspace says `national: builtin`, `national:
{folder: ../nasjonalt}` or `national: {git: ../nasjonalt.git, rev:
edition-2027.1}`. The edition is opened as a (read-only) `Workspace` of its
own. A git revision is read with `core.gitread` into the user's cache folder,
once per commit (the folder is named by the commit id and written whole
before it is renamed into place), so later commands read plain files.
"""

from __future__ import annotations

import os
import shutil
import tempfile
from pathlib import Path
from typing import TYPE_CHECKING

from kokom_cli.core.findings import Finding, KokomError, Severity
from kokom_cli.core.i18n import tr

if TYPE_CHECKING:
    from kokom_cli.config import Config
    from kokom_cli.workspace import Workspace


def _unknown(where: str, message: str) -> KokomError:
    return KokomError(Finding(where, 0, 0, Severity.error, "edition-unknown", message))


def editions_cache() -> Path:
    base = os.environ.get("XDG_CACHE_HOME") or str(Path.home() / ".cache")
    return Path(base) / "kokom" / "editions"


def describe(config: Config) -> str:
    """How kokom.yaml names the national edition, for messages: builtin, a folder, repo@rev."""
    from kokom_cli.config import NationalFolder, NationalGit

    source = config.national
    if isinstance(source, NationalFolder):
        return source.folder
    if isinstance(source, NationalGit):
        return f"{source.git}@{source.rev}"
    return tr("innebygd", "built-in", "innebygd")


def open_national(root: Path, config: Config) -> Workspace:
    """The national edition named by a local workspace's kokom.yaml (`root` is the workspace folder)."""
    from kokom_cli.config import NationalFolder, NationalGit
    from kokom_cli.workspace import CONFIG_NAME, Workspace, load_config, open_workspace

    source = config.national
    where = f"{root / CONFIG_NAME}"
    if isinstance(source, NationalFolder):
        folder = (root / source.folder).resolve()
        if not (folder / CONFIG_NAME).is_file():
            raise _unknown(
                where,
                tr(
                    f"national: folder '{source.folder}' er ikke et nasjonalt arbeidsområde (ingen {CONFIG_NAME} i "
                    f"{folder}); rett stien i {CONFIG_NAME}",
                    f"national: folder '{source.folder}' is not a national workspace (no {CONFIG_NAME} in "
                    f"{folder}); correct the path in {CONFIG_NAME}",
                    f"national: folder '{source.folder}' er ikkje eit nasjonalt arbeidsområde (ingen {CONFIG_NAME} i "
                    f"{folder}); rett stien i {CONFIG_NAME}",
                ),
            )
        return _national_only(open_workspace(folder), where)
    if isinstance(source, NationalGit):
        folder = git_edition(where, (root / source.git).resolve(), source.rev)
        config_file = folder / CONFIG_NAME
        return _national_only(Workspace(folder, load_config(config_file)), where)
    return Workspace(None, type(config)())


def _national_only(ws: Workspace, where: str) -> Workspace:
    if ws.config.national is not None:
        raise _unknown(
            where,
            tr(
                "den nasjonale utgaven er selv et lokalt arbeidsområde (den har `national:`); pek på det nasjonale",
                "the national edition is itself a local workspace (it has `national:`); name the national one",
                "den nasjonale utgåva er sjølv eit lokalt arbeidsområde (ho har `national:`); peik på det nasjonale",
            ),
        )
    return ws


def git_edition(where: str, repo: Path, rev: str) -> Path:
    """A folder holding kokom.yaml, requirements and procedures of `rev` in the repository `repo`."""
    from kokom_cli.core.gitread import extract, read_blob, resolve_commit
    from kokom_cli.workspace import CONFIG_NAME, load_config

    if not repo.is_dir():
        raise _unknown(
            where,
            tr(
                f"finner ikke git-depotet {repo} (national: git); rett stien i {CONFIG_NAME}",
                f"cannot find the git repository {repo} (national: git); correct the path in {CONFIG_NAME}",
                f"finn ikkje git-depotet {repo} (national: git); rett stien i {CONFIG_NAME}",
            ),
        )
    commit = resolve_commit(repo, rev)
    if commit is None:
        raise _unknown(
            where,
            tr(
                f"utgaven '{rev}' finnes ikke i {repo}; se `git -C {repo} tag` for utgitte utgaver, og rett "
                f"`rev:` i {CONFIG_NAME}",
                f"edition '{rev}' does not exist in {repo}; see `git -C {repo} tag` for released editions, and "
                f"correct `rev:` in {CONFIG_NAME}",
                f"utgåva '{rev}' finst ikkje i {repo}; sjå `git -C {repo} tag` for utgåver som er gitt ut, og rett "
                f"`rev:` i {CONFIG_NAME}",
            ),
        )
    cached = editions_cache() / commit
    if (cached / CONFIG_NAME).is_file():
        return cached
    if read_blob(repo, commit, CONFIG_NAME) is None:
        raise _unknown(
            where,
            tr(
                f"'{rev}' i {repo} har ingen {CONFIG_NAME} øverst; er dette det nasjonale kravdepotet?",
                f"'{rev}' in {repo} has no {CONFIG_NAME} at the top; is this the national requirements repository?",
                f"'{rev}' i {repo} har ingen {CONFIG_NAME} øvst; er dette det nasjonale kravdepotet?",
            ),
        )
    editions_cache().mkdir(parents=True, exist_ok=True)
    tmp = Path(tempfile.mkdtemp(prefix=f".{commit[:12]}-", dir=editions_cache()))
    try:
        extract(repo, commit, [CONFIG_NAME], tmp)
        national = load_config(tmp / CONFIG_NAME)
        extract(repo, commit, [national.requirements, national.procedures], tmp)
        try:
            tmp.rename(cached)
        except OSError:  # another process put it there first
            if not (cached / CONFIG_NAME).is_file():
                raise
    finally:
        shutil.rmtree(tmp, ignore_errors=True)
    return cached
