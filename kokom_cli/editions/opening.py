"""Opening an edition to compare: a workspace folder, or a git revision of the current repository."""

from __future__ import annotations

import io
import re
import subprocess
import tarfile
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from kokom_cli.config import Config
from kokom_cli.core.findings import Finding, KokomError, Severity
from kokom_cli.core.i18n import tr
from kokom_cli.requirements.models import EDITION_PATTERN
from kokom_cli.workspace import CONFIG_NAME, Workspace, load_config, open_workspace


def _usage(spec: str, message: str) -> KokomError:
    return KokomError(Finding(spec, 0, 0, Severity.error, "edition-unknown", message))


def run_git(args: list[str], cwd: Path) -> subprocess.CompletedProcess:
    try:
        return subprocess.run(["git", *args], cwd=cwd, capture_output=True, check=False)
    except FileNotFoundError:
        raise _usage(
            "git",
            tr(
                "git er ikke installert; oppgi mapper i stedet for revisjoner",
                "git is not installed; give folders instead of revisions",
            ),
        ) from None


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
    `procedures/` at the top of the repository) are read with `git archive`
    into a temporary folder, which is removed afterwards.
    """
    folder = Path(spec)
    if folder.is_dir():
        if not (folder / CONFIG_NAME).is_file():
            raise _usage(
                spec,
                tr(
                    f"mappen '{spec}' er ikke et arbeidsområde (den har ingen {CONFIG_NAME})",
                    f"the folder '{spec}' is not a workspace (it has no {CONFIG_NAME})",
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
            ),
        )
    archive = run_git(["archive", "--format=tar", spec, "--", *present], top)
    if archive.returncode != 0:
        raise _usage(
            spec,
            tr(
                f"git archive {spec} feilet: {archive.stderr.decode().strip()}",
                f"git archive {spec} failed: {archive.stderr.decode().strip()}",
            ),
        )
    with tempfile.TemporaryDirectory(prefix="kokom-edition-") as tmp:
        with tarfile.open(fileobj=io.BytesIO(archive.stdout)) as tar:
            tar.extractall(tmp, filter="data")
        copy_root = Path(tmp).resolve() / prefix
        config = Config()
        if current.root is not None:  # that revision's settings, with the folders read above
            config = load_config(copy_root / CONFIG_NAME) if (copy_root / CONFIG_NAME).is_file() else current.config
            config = config.model_copy(
                update={"requirements": current.config.requirements, "procedures": current.config.procedures}
            )
        yield Workspace(root=copy_root, config=config)


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
    if re.match(EDITION_PATTERN, spec) and not Path(spec).is_dir():
        if spec == current.edition:
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
