"""Opening an edition to compare: a workspace folder, or a git revision of the current repository."""

from __future__ import annotations

import re
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from kokom_cli.config import Config
from kokom_cli.core import gitread
from kokom_cli.core.findings import Finding, KokomError, Severity
from kokom_cli.core.gitread import run_git
from kokom_cli.core.i18n import tr
from kokom_cli.requirements.models import EDITION_PATTERN
from kokom_cli.workspace import CONFIG_NAME, Workspace, load_config, open_workspace


def _usage(spec: str, message: str) -> KokomError:
    return KokomError(Finding(spec, 0, 0, Severity.error, "edition-unknown", message))


def _inside(path: Path, top: Path) -> str | None:
    try:
        return path.resolve().relative_to(top).as_posix()
    except ValueError:
        return None


@contextmanager
def open_edition(spec: str, current: Workspace, start: Path | None = None) -> Iterator[Workspace]:
    """The edition named by `spec`: a workspace folder, else a git revision of the current repository.

    For a revision, the workspace's `kokom.yaml` and its requirements and
    procedures folders (without a workspace: `requirements/` and
    `procedures/` at the top of the repository) are read as blobs
    (`core.gitread`: no checkout, no filters, no hooks) into a temporary folder, which is removed afterwards.
    """
    folder = Path(spec)
    if folder.is_dir():
        if not (folder / CONFIG_NAME).is_file():
            raise _usage(
                spec,
                tr(
                    f"mappen '{spec}' er ikke et arbeidsområde (den har ingen {CONFIG_NAME})",
                    f"the folder '{spec}' is not a workspace (it has no {CONFIG_NAME})",
                    f"mappa '{spec}' er ikkje eit arbeidsområde (ho har ingen {CONFIG_NAME})",
                ),
            )
        yield open_workspace(folder)
        return
    base = current.root or (start or Path.cwd())
    top_run = run_git(["rev-parse", "--show-toplevel"], base)
    if top_run.returncode != 0:
        raise _usage(
            spec,
            tr(
                f"'{spec}' er verken en mappe eller en git-revisjon (og {base} er ikke i et git-depot)",
                f"'{spec}' is neither a folder nor a git revision (and {base} is not in a git repository)",
                f"'{spec}' er verken ei mappe eller ein git-revisjon (og {base} er ikkje i eit git-depot)",
            ),
        )
    top = Path(top_run.stdout.decode().strip()).resolve()
    if run_git(["rev-parse", "--verify", "--quiet", f"{spec}^{{commit}}"], top).returncode != 0:
        raise _usage(
            spec,
            tr(
                f"'{spec}' er verken en mappe eller en kjent git-revisjon; sjekk navnet med "
                "`git log --oneline` eller `git tag`",
                f"'{spec}' is neither a folder nor a known git revision; check the name with "
                "`git log --oneline` or `git tag`",
                f"'{spec}' er verken ei mappe eller ein kjend git-revisjon; sjekk namnet med "
                "`git log --oneline` eller `git tag`",
            ),
        )
    root = current.root if current.root is not None else top
    prefix = _inside(root, top)
    if prefix is None:
        raise _usage(
            spec,
            tr(
                f"arbeidsområdet {root} ligger utenfor git-depotet {top}",
                f"the workspace {root} is outside the git repository {top}",
                f"arbeidsområdet {root} ligg utanfor git-depotet {top}",
            ),
        )
    wanted = [
        (root / CONFIG_NAME) if current.root else None,
        root / current.config.requirements,
        root / current.config.procedures,
    ]
    paths = [p for p in (_inside(w, top) for w in wanted if w is not None) if p is not None]
    present = [p for p in paths if run_git(["cat-file", "-e", f"{spec}:{p}"], top).returncode == 0]
    requirements_path = _inside(root / current.config.requirements, top)
    if requirements_path not in present:
        raise _usage(
            spec,
            tr(
                f"revisjonen '{spec}' har ingen kravmappe {requirements_path}",
                f"revision '{spec}' has no requirements folder {requirements_path}",
                f"revisjonen '{spec}' har inga kravmappe {requirements_path}",
            ),
        )
    with tempfile.TemporaryDirectory(prefix="kokom-edition-") as tmp:
        gitread.extract(top, spec_commit(top, spec), present, Path(tmp))
        copy_root = Path(tmp).resolve() / prefix
        config = Config()
        if current.root is not None:  # that revision's settings, with the folders read above
            config = load_config(copy_root / CONFIG_NAME) if (copy_root / CONFIG_NAME).is_file() else current.config
            config = config.model_copy(
                update={"requirements": current.config.requirements, "procedures": current.config.procedures}
            )
        yield Workspace(root=copy_root, config=config)


def spec_commit(top: Path, spec: str) -> str:
    commit = gitread.resolve_commit(top, spec)
    if commit is None:
        raise _usage(
            spec,
            tr(
                f"'{spec}' er ikke en kjent git-revisjon",
                f"'{spec}' is not a known git revision",
                f"'{spec}' er ikkje ein kjend git-revisjon",
            ),
        )
    return commit


def tag_name(version: str) -> str:
    """The git tag of a released edition."""
    return f"edition-{version}"


@contextmanager
def edition_workspace(spec: str, current: Workspace, *, hint: str | None = None) -> Iterator[Workspace]:
    """The workspace of an edition given as a number, a folder or a git revision.

    A number is the current workspace's edition, or else the git tag
    `edition-<number>` that `kokom edition release` told the editor to create.
    `hint` is added to the message when the edition cannot be opened.
    """
    if current.local:
        yield local_edition(spec, current)
        return
    if re.match(EDITION_PATTERN, spec) and not Path(spec).is_dir():
        if spec == current.edition:
            yield current
            return
        if current.builtin and spec == open_workspace(None).edition:
            yield current
            return
        spec = tag_name(spec)
    opened = False
    try:
        with open_edition(spec, current) as ws:
            opened = True
            yield ws
    except KokomError as exc:
        if opened or hint is None:
            raise
        raise KokomError(
            [Finding(f.path, f.line, f.column, f.severity, f.code, f"{f.message}; {hint}") for f in exc.findings]
        ) from None


def local_edition(spec: str, current: Workspace) -> Workspace:
    """The local workspace `current` built on another national edition, found as its kokom.yaml finds one.

    `spec` is an edition number (the installed one, or the tag `edition-<number>`
    in the repository `national: {git: ...}` names), a folder holding a national
    workspace, or a revision of that repository.
    """
    from kokom_cli.config import NationalFolder, NationalGit
    from kokom_cli.national import open_national

    assert current.root is not None
    source = current.config.national
    if re.match(EDITION_PATTERN, spec) and not Path(spec).is_dir():
        if spec == current.edition:
            return current
        if spec == open_workspace(None).edition:
            national: object = "builtin"
        elif isinstance(source, NationalGit):
            national = NationalGit(git=source.git, rev=tag_name(spec))
        elif isinstance(source, NationalFolder) and (current.root / source.folder / ".git").exists():
            national = NationalGit(git=source.folder, rev=tag_name(spec))
        else:
            raise _usage(
                spec,
                tr(
                    f"finner ikke utgave {spec}: den er ikke den installerte ({open_workspace(None).edition}), og "
                    "kokom.yaml peker ikke på et git-depot med taggen; oppgi en mappe eller installer en nyere kokom",
                    f"cannot find edition {spec}: it is not the installed one ({open_workspace(None).edition}), "
                    "and kokom.yaml names no git repository with that tag; give a folder or install a newer kokom",
                    f"finn ikkje utgåve {spec}: ho er ikkje den installerte ({open_workspace(None).edition}), og "
                    "kokom.yaml peikar ikkje på eit git-depot med taggen; oppgi ei mappe eller installer ein nyare "
                    "kokom",
                ),
            )
    elif Path(spec).is_dir():
        national = NationalFolder(folder=str(Path(spec).resolve()))
    elif isinstance(source, NationalGit):
        national = NationalGit(git=source.git, rev=spec)
    else:
        raise _usage(
            spec,
            tr(
                f"'{spec}' er verken et utgavenummer eller en mappe",
                f"'{spec}' is neither an edition number nor a folder",
                f"'{spec}' er verken eit utgåvenummer eller ei mappe",
            ),
        )
    config = current.config.model_copy(update={"national": national})
    return Workspace(current.root, config, national=open_national(current.root, config))
