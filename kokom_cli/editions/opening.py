"""Opening an edition to compare: a workspace folder, or a git revision of the current repository."""

from __future__ import annotations

import re
import subprocess
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from kokom_cli.core.findings import Finding, KokomError, Severity
from kokom_cli.core.i18n import tr
from kokom_cli.requirements.models import EDITION_PATTERN, Config
from kokom_cli.workspace import CONFIG_NAME, Workspace, load_config, open_workspace


def _usage(spec: str, message: str) -> KokomError:
    return KokomError(Finding(spec, 0, 0, Severity.error, "edition-unknown", message))


# The repository is received, so its own configuration is hostile: no filter, textconv, fsmonitor,
# hook, pager, external diff or credential helper of it may run. Command-line settings override the
# repository's; the system and global configuration are not read (they are the advisor's, but nothing
# kokom runs needs them). kokom only runs plumbing that never applies filters: rev-parse, ls-tree,
# ls-files, cat-file (without --filters/--textconv), hash-object --no-filters.
_SAFE_GIT = (
    "-c", "core.fsmonitor=false",
    "-c", "core.hooksPath=/dev/null",
    "-c", "core.pager=cat",
    "-c", "core.untrackedCache=false",
    "-c", "core.sshCommand=false",
    "-c", "credential.helper=",
    "-c", "diff.external=",
    "-c", "protocol.allow=never",
    "--no-pager",
)  # fmt: skip
_DROPPED_ENV = ("GIT_EXTERNAL_DIFF", "GIT_PAGER", "GIT_ASKPASS", "SSH_ASKPASS", "GIT_SSH", "GIT_SSH_COMMAND")


def git_environment() -> dict[str, str]:
    """The environment kokom runs git in: no system or global configuration, no pager, no prompts."""
    import os

    env = {k: v for k, v in os.environ.items() if k not in _DROPPED_ENV and not k.startswith("GIT_CONFIG")}
    env.update(
        GIT_CONFIG_NOSYSTEM="1",
        GIT_CONFIG_GLOBAL=os.devnull,
        GIT_OPTIONAL_LOCKS="0",
        GIT_TERMINAL_PROMPT="0",
        GIT_PAGER="cat",
        PAGER="cat",
        GIT_ATTR_NOSYSTEM="1",
    )
    return env


def run_git(args: list[str], cwd: Path, *, stdin: bytes | None = None) -> subprocess.CompletedProcess:
    """Run git plumbing with the repository's configuration unable to run commands (see _SAFE_GIT)."""
    try:
        return subprocess.run(
            ["git", *_SAFE_GIT, *args],
            cwd=cwd,
            input=stdin,
            stdin=None if stdin is not None else subprocess.DEVNULL,
            capture_output=True,
            check=False,
            env=git_environment(),
        )
    except FileNotFoundError:
        raise _usage(
            "git",
            tr(
                "git er ikke installert; oppgi mapper i stedet for revisjoner",
                "git is not installed; give folders instead of revisions",
            ),
        ) from None


def git_tree(spec: str, paths: list[str], top: Path) -> list[tuple[str, str, str]]:
    """(mode, object id, path) of every file under `paths` at revision `spec` (paths relative to `top`)."""
    listed = run_git(["ls-tree", "-r", "-z", "--full-tree", spec, "--", *paths], top)
    if listed.returncode != 0:
        raise _usage(
            spec,
            tr(
                f"git ls-tree {spec} feilet: {listed.stderr.decode(errors='replace').strip()}",
                f"git ls-tree {spec} failed: {listed.stderr.decode(errors='replace').strip()}",
            ),
        )
    entries = []
    for record in listed.stdout.split(b"\0"):
        if not record:
            continue
        meta, _, name = record.partition(b"\t")
        mode, _kind, oid = meta.decode().split(" ")
        entries.append((mode, oid, name.decode("utf-8", errors="surrogateescape")))
    return entries


def git_blobs(oids: list[str], top: Path) -> dict[str, bytes]:
    """The contents of the blobs `oids`, read with `git cat-file --batch` (which never runs a filter)."""
    if not oids:
        return {}
    unique = list(dict.fromkeys(oids))
    batch = run_git(["cat-file", "--batch"], top, stdin="".join(f"{oid}\n" for oid in unique).encode())
    out, pos, blobs = batch.stdout, 0, {}
    for oid in unique:
        end = out.index(b"\n", pos)
        header = out[pos:end].decode().split(" ")
        pos = end + 1
        if len(header) != 3:  # "<oid> missing"
            continue
        size = int(header[2])
        blobs[oid] = out[pos : pos + size]
        pos += size + 1
    return blobs


def _extract(spec: str, paths: list[str], top: Path, dest: Path) -> None:
    """Write the regular files under `paths` at `spec` into `dest` (symlinks and submodules are left out)."""
    entries = [(mode, oid, name) for mode, oid, name in git_tree(spec, paths, top) if mode in ("100644", "100755")]
    blobs = git_blobs([oid for _, oid, _ in entries], top)
    for _, oid, name in entries:
        parts = name.split("/")
        if any(part in ("", ".", "..") for part in parts) or oid not in blobs:
            continue
        target = dest.joinpath(*parts)
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_bytes(blobs[oid])


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
    `procedures/` at the top of the repository) are read with `git ls-tree`
    and `git cat-file --batch` (no filter of the repository runs) into a
    temporary folder, which is removed afterwards.
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
    with tempfile.TemporaryDirectory(prefix="kokom-edition-") as tmp:
        _extract(spec, present, top, Path(tmp))
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
        if spec == current.config.edition:
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
