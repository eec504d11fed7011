"""Reading files of a git revision without letting the repository run anything.

git is how the national centre hands editions to the local services: a
revision of a repository on disk (a clone, a USB stick, a shared folder).
kokom never fetches. The repository may come from someone else, so git runs
with no system or global config, with `core.fsmonitor` and hooks switched off,
and files are read as blobs (`ls-tree` + `cat-file --batch`): no checkout and
no `git archive`, so no clean/smudge filter or attribute runs. Only regular
files are written; symlinks and submodules in the tree are skipped.
"""

from __future__ import annotations

import os
import subprocess
from pathlib import Path, PurePosixPath

from kokom_cli.core.findings import KokomError
from kokom_cli.core.i18n import tr

# Command-line settings override the repository's own: no filter, textconv, fsmonitor, hook, pager,
# external diff or credential helper of it may run. kokom only runs plumbing that never applies
# filters: rev-parse, ls-tree, ls-files, cat-file (without --filters/--textconv), hash-object --no-filters.
SAFE_OPTIONS = (
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
MAX_TREE_BYTES = 200 * 1024 * 1024


def git_env() -> dict[str, str]:
    """No system or global configuration (they are the advisor's, and nothing kokom runs needs them), no
    pager, no prompts, no lazy fetch; every GIT_* variable of the caller is dropped."""
    env = {k: v for k, v in os.environ.items() if not k.startswith("GIT_") and k not in ("SSH_ASKPASS", "PAGER")}
    env.update(
        GIT_CONFIG_NOSYSTEM="1",
        GIT_CONFIG_GLOBAL=os.devnull,
        GIT_ATTR_NOSYSTEM="1",
        GIT_OPTIONAL_LOCKS="0",
        GIT_TERMINAL_PROMPT="0",
        GIT_NO_LAZY_FETCH="1",
        GIT_PAGER="cat",
        PAGER="cat",
    )
    return env


def run_git(args: list[str], cwd: Path, *, stdin: bytes | None = None) -> subprocess.CompletedProcess:
    """git with the safe options, in `cwd`; KokomError (exit 2) when git is not installed."""
    try:
        return subprocess.run(
            ["git", *SAFE_OPTIONS, *args],
            cwd=cwd,
            input=stdin,
            stdin=None if stdin is not None else subprocess.DEVNULL,
            capture_output=True,
            check=False,
            env=git_env(),
        )
    except FileNotFoundError:
        raise KokomError.at(
            "git",
            "git-missing",
            tr(
                "git er ikke installert; oppgi en mappe i stedet for en git-revisjon",
                "git is not installed; give a folder instead of a git revision",
                "git er ikkje installert; oppgi ei mappe i staden for ein git-revisjon",
            ),
        ) from None


def resolve_commit(repo: Path, rev: str) -> str | None:
    """The commit id `rev` names in `repo`, or None."""
    if rev.startswith("-"):
        return None
    done = run_git(["rev-parse", "--verify", "--quiet", "--end-of-options", f"{rev}^{{commit}}"], repo)
    return done.stdout.decode().strip() or None if done.returncode == 0 else None


def read_blob(repo: Path, commit: str, path: str) -> bytes | None:
    done = run_git(["cat-file", "blob", f"{commit}:{path}"], repo)
    return done.stdout if done.returncode == 0 else None


def _safe_relative(name: str) -> PurePosixPath | None:
    pure = PurePosixPath(name)
    if pure.is_absolute() or any(part in ("", ".", "..", ".git") for part in pure.parts):
        return None
    return pure


def extract(repo: Path, commit: str, folders: list[str], dest: Path) -> list[str]:
    """Write the regular files under `folders` (paths in the tree) of `commit` into `dest`; the paths written."""
    wanted = [f.strip("/") for f in folders if f.strip("/")]
    if not wanted:
        return []
    listing = run_git(["ls-tree", "-r", "-z", "--full-tree", commit, "--", *wanted], repo)
    if listing.returncode != 0:
        return []
    blobs: list[tuple[str, PurePosixPath]] = []
    for record in listing.stdout.split(b"\0"):
        if not record:
            continue
        meta, _, name = record.partition(b"\t")
        mode, kind, oid = meta.decode().split()
        relative = _safe_relative(name.decode("utf-8", "surrogateescape"))
        if kind == "blob" and mode in ("100644", "100755") and relative is not None:
            blobs.append((oid, relative))
    if not blobs:
        return []
    batch = run_git(["cat-file", "--batch"], repo, stdin="".join(f"{oid}\n" for oid, _ in blobs).encode())
    if batch.returncode != 0:
        return []
    data, offset, total, written = batch.stdout, 0, 0, []
    for _oid, relative in blobs:
        end = data.index(b"\n", offset)
        size = int(data[offset:end].split()[2])
        body = data[end + 1 : end + 1 + size]
        offset = end + 1 + size + 1
        total += size
        if total > MAX_TREE_BYTES:
            break
        target = dest.joinpath(*relative.parts)
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_bytes(body)
        written.append(relative.as_posix())
    return written


def git_tree(spec: str, paths: list[str], top: Path) -> list[tuple[str, str, str]]:
    """(mode, object id, path) of every file under `paths` at revision `spec` (paths relative to `top`)."""
    listed = run_git(["ls-tree", "-r", "-z", "--full-tree", spec, "--", *paths], top)
    if listed.returncode != 0:
        raise KokomError.at(
            spec,
            "edition-unknown",
            tr(
                f"git ls-tree {spec} feilet: {listed.stderr.decode(errors='replace').strip()}",
                f"git ls-tree {spec} failed: {listed.stderr.decode(errors='replace').strip()}",
                f"git ls-tree {spec} feila: {listed.stderr.decode(errors='replace').strip()}",
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
