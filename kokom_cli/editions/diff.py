"""What changed between two editions, classed by its effect on compliance.

An edition is a workspace folder or a git revision of the current repository
(`open_edition`). `diff_editions` compares their requirements and procedures:
added, removed, renamed (a new requirement whose `replaces` names one that is
retired or gone) and changed field by field. Every change has a class:

- tightening: bør → skal; a stricter threshold (fewer seconds, a higher
  share, more lines measured); wider applicability (more kinds of service,
  looser conditions); a stronger verification; more or fresher evidence; a
  new requirement (skal or bør); a retired requirement brought back;
- relaxing: the opposite, and a removed or retired requirement;
- editorial: wording, sources, links and other text only.

A change that only touches wording is editorial unless the new edition's
`change_note` (new or changed since the old edition) states another class:
that is how an editor marks a substantive change of text.

Procedures are compared the same way: a new one tightens, a removed one
relaxes; more steps, duties or criteria tighten, fewer relax; a shorter
review interval tightens; the rest is editorial.
"""

from __future__ import annotations

import subprocess
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from kokom_cli.core.findings import Finding, KokomError, Severity
from kokom_cli.core.i18n import tr
from kokom_cli.requirements.models import ChangeClass, Config, Requirement, Status
from kokom_cli.workspace import CONFIG_NAME, Workspace, load_config, open_workspace

TIGHTENING, RELAXING, EDITORIAL = ChangeClass.tightening, ChangeClass.relaxing, ChangeClass.editorial


@dataclass(frozen=True)
class FieldChange:
    field: str
    old: Any
    new: Any
    change_class: ChangeClass
    reason: str

    def as_json(self) -> dict:
        return {
            "field": self.field,
            "old": self.old,
            "new": self.new,
            "class": self.change_class.value,
            "reason": self.reason,
        }


@dataclass(frozen=True)
class ItemChange:
    """One requirement or procedure that was added, removed, renamed or changed."""

    kind: str  # "requirement" | "procedure"
    id: str
    title: str
    change_class: ChangeClass
    reason: str
    fields: list[FieldChange] = field(default_factory=list)
    replaces: str | None = None  # for a rename: the old id
    level: str | None = None
    stated: bool = False  # the class comes from the editor's change_note

    def as_json(self) -> dict:
        data = {
            "kind": self.kind,
            "id": self.id,
            "title": self.title,
            "class": self.change_class.value,
            "reason": self.reason,
        }
        if self.level:
            data["level"] = self.level
        if self.replaces:
            data["replaces"] = self.replaces
        if self.fields:
            data["fields"] = [f.as_json() for f in self.fields]
        if self.stated:
            data["stated"] = True
        return data


@dataclass
class EditionDiff:
    old: str
    new: str
    added: list[ItemChange] = field(default_factory=list)
    removed: list[ItemChange] = field(default_factory=list)
    changed: list[ItemChange] = field(default_factory=list)
    renamed: list[ItemChange] = field(default_factory=list)
    findings: list[Finding] = field(default_factory=list)  # problems loading either edition

    def items(self) -> list[ItemChange]:
        return [*self.added, *self.removed, *self.renamed, *self.changed]

    def by_id(self, kind: str = "requirement") -> dict[str, ItemChange]:
        """Each changed id of `kind` (the new id of a rename, the id of a removal) -> its change."""
        return {item.id: item for item in self.items() if item.kind == kind}

    def summary(self) -> dict[str, int]:
        out = {c.value: 0 for c in ChangeClass}
        for item in self.items():
            out[item.change_class.value] += 1
        return out

    def as_json(self) -> dict:
        return {
            "old": self.old,
            "new": self.new,
            "added": [i.as_json() for i in self.added],
            "removed": [i.as_json() for i in self.removed],
            "changed": [i.as_json() for i in self.changed],
            "renamed": [i.as_json() for i in self.renamed],
            "summary": self.summary(),
        }


def class_label(change_class: ChangeClass) -> str:
    return {
        TIGHTENING: tr("skjerping", "tightening"),
        RELAXING: tr("lemping", "relaxing"),
        EDITORIAL: tr("redaksjonell", "editorial"),
    }[change_class]


def _overall(classes: list[ChangeClass]) -> ChangeClass:
    """Tightening wins (the service must look again), then relaxing, else editorial."""
    return TIGHTENING if TIGHTENING in classes else RELAXING if RELAXING in classes else EDITORIAL


# --- field rules ------------------------------------------------------------------------------

_VERIFICATION_RANK = {"attestation": 0, "document": 1, "inspection": 2, "metric": 2}


def _set_change(old: list | None, new: list | None, more: str, fewer: str) -> tuple[ChangeClass, str]:
    old_set, new_set = set(old or []), set(new or [])
    if new_set - old_set:
        return TIGHTENING, f"{more}: {', '.join(sorted(new_set - old_set))}"
    if old_set - new_set:
        return RELAXING, f"{fewer}: {', '.join(sorted(old_set - new_set))}"
    return EDITORIAL, tr("samme innhold, ny rekkefølge", "same items, new order")


def _stricter(old: Any, new: Any, lower_is_stricter: bool, what: str) -> tuple[ChangeClass, str]:
    if old is None or new is None:
        stricter = (new is None) != lower_is_stricter  # no bound is the loosest for a minimum
    else:
        stricter = new < old if lower_is_stricter else new > old
    return (TIGHTENING if stricter else RELAXING), f"{what}: {old} → {new}"


def _requirement_field(path: str, old: Any, new: Any) -> tuple[ChangeClass, str]:
    """The class of one changed field of a requirement, and why."""
    if path == "level":
        return (TIGHTENING if new == "skal" else RELAXING), f"{old} → {new}"
    if path == "status":
        return (
            (RELAXING, tr("kravet er utgått", "the requirement is retired"))
            if new == "retired"
            else (TIGHTENING, tr("kravet gjelder igjen", "the requirement applies again"))
        )
    if path == "applies_to":
        return _set_change(
            old, new, tr("gjelder nå også", "now also applies to"), tr("gjelder ikke lenger", "no longer applies to")
        )
    if path == "conditions":  # conditions added narrow the requirement; removed widen it
        return (
            (TIGHTENING, tr("vilkårene er fjernet: gjelder flere", "conditions removed: applies more widely"))
            if new is None
            else (RELAXING, tr("nye vilkår: gjelder færre", "new conditions: applies to fewer"))
        )
    if path == "conditions.lines_any":
        if old is None or new is None:
            return (
                (TIGHTENING, tr("gjelder alle linjer", "applies to every line"))
                if new is None
                else (RELAXING, tr("gjelder bare noen linjer", "applies to some lines only"))
            )
        return _set_change(
            old,
            new,
            tr("gjelder også linje", "also applies to line"),
            tr("gjelder ikke lenger linje", "no longer applies to line"),
        )
    if path == "conditions.population_min":
        return _stricter(old, new, True, tr("minste folketall", "minimum population"))
    if path == "conditions.population_max":
        return _stricter(old, new, False, tr("største folketall", "maximum population"))
    if path == "metric":
        return (
            (TIGHTENING, tr("ny målbar terskel", "a new measured threshold"))
            if old is None
            else (RELAXING, tr("den målbare terskelen er fjernet", "the measured threshold is removed"))
        )
    if path == "metric.threshold_seconds":
        return _stricter(old, new, True, tr("terskel i sekunder", "threshold in seconds"))
    if path == "metric.required_share":
        return _stricter(old, new, False, tr("andel som kreves", "required share"))
    if path == "metric.lines":
        return _set_change(
            old,
            new,
            tr("måler også linje", "also measures line"),
            tr("måler ikke lenger linje", "no longer measures line"),
        )
    if path == "metric.indicator":
        return TIGHTENING, tr(f"målemetode: {old} → {new}", f"indicator: {old} → {new}")
    if path == "verification":
        step = _VERIFICATION_RANK.get(new, 0) - _VERIFICATION_RANK.get(old, 0)
        return (RELAXING if step < 0 else TIGHTENING), tr(
            f"verifisering: {old} → {new}", f"verification: {old} → {new}"
        )
    if path == "evidence":
        return _evidence(old or [], new or [])
    return EDITORIAL, _wording(path)


def _wording(path: str) -> str:
    return tr(f"redaksjonell endring i {path}", f"editorial change to {path}")


def _evidence(old: list[dict], new: list[dict]) -> tuple[ChangeClass, str]:
    if len(new) != len(old):
        return (
            (TIGHTENING, tr("mer dokumentasjon kreves", "more evidence is expected"))
            if len(new) > len(old)
            else (RELAXING, tr("mindre dokumentasjon kreves", "less evidence is expected"))
        )
    classes = []
    for before, after in zip(old, new, strict=False):
        if before.get("kind") != after.get("kind"):
            classes.append(TIGHTENING)
        age_old, age_new = before.get("max_age_months"), after.get("max_age_months")
        if age_old != age_new:
            classes.append(_stricter(age_old, age_new, True, "")[0])
    overall = _overall(classes)
    return overall, {
        TIGHTENING: tr("strengere krav til dokumentasjon", "stricter evidence"),
        RELAXING: tr("mildere krav til dokumentasjon", "milder evidence"),
        EDITORIAL: tr("ordlyd i dokumentasjonskrav", "wording of the evidence"),
    }[overall]


_PROCEDURE_EDITORIAL = {
    "fulfils",
    "version",
    "approved_on",
    "approved_by",
    "prepared_by",
    "valid_from",
    "title",
    "purpose",
    "scope",
    "deviations",
    "chapter",
    "example",
    "note",
    "background",
    "related",
}


def _procedure_field(path: str, old: Any, new: Any) -> tuple[ChangeClass, str]:
    if path == "review_interval_months":
        return _stricter(old, new, True, tr("revisjonsintervall (måneder)", "review interval (months)"))
    if (
        path.split(".")[0] not in _PROCEDURE_EDITORIAL
        and isinstance(old or new, list)
        and len(old or []) != len(new or [])
    ):
        return (
            (
                TIGHTENING,
                tr(
                    f"flere punkter ({len(old or [])} → {len(new or [])})",
                    f"more items ({len(old or [])} → {len(new or [])})",
                ),
            )
            if len(new or []) > len(old or [])
            else (
                RELAXING,
                tr(
                    f"færre punkter ({len(old or [])} → {len(new or [])})",
                    f"fewer items ({len(old or [])} → {len(new or [])})",
                ),
            )
        )
    return EDITORIAL, _wording(path)


# --- comparing ---------------------------------------------------------------------------------


def _flatten(data: dict, prefix: str = "") -> dict[str, Any]:
    """Nested mappings as dotted paths; lists and scalars are leaves."""
    out: dict[str, Any] = {}
    for key, value in data.items():
        path = f"{prefix}{key}"
        if isinstance(value, dict) and value:
            out |= _flatten(value, path + ".")
        else:
            out[path] = value
    return out


def _field_changes(old: dict, new: dict, rule, skip: set[str]) -> list[FieldChange]:
    out = []
    old_flat, new_flat = _flatten(old), _flatten(new)
    for path in dict.fromkeys([*old_flat, *new_flat]):
        if path.split(".")[0] in skip:
            continue
        before, after = old_flat.get(path), new_flat.get(path)
        if before == after or (before in (None, [], {}) and after in (None, [], {})):
            continue
        top = path.split(".")[0]
        if top in old and top in new and (old[top] is None or new[top] is None):
            path = top  # a whole mapping added or removed: one change, not one per sub-field
            before, after = old[top], new[top]
            if any(f.field == path for f in out):
                continue
        change_class, reason = rule(path, before, after)
        out.append(FieldChange(path, before, after, change_class, reason))
    return out


def _dump(model) -> dict:
    return model.model_dump(mode="json", by_alias=True)


def _compare_requirements(
    old: Requirement, new: Requirement, skip: set[str]
) -> tuple[list[FieldChange], ChangeClass, bool]:
    fields = _field_changes(_dump(old), _dump(new), _requirement_field, skip)
    change_class = _overall([f.change_class for f in fields])
    note = new.change_note
    stated = note is not None and note != old.change_note and change_class is EDITORIAL
    return fields, (note.change_class if stated else change_class), stated


def _reason(fields: list[FieldChange], change_class: ChangeClass, stated_text: str | None) -> str:
    if stated_text:
        return stated_text
    return "; ".join(dict.fromkeys(f.reason for f in fields if f.change_class is change_class))


def diff_requirements(old: dict[str, Requirement], new: dict[str, Requirement], out: EditionDiff) -> None:
    renamed_old: set[str] = set()
    renamed_new: set[str] = set()
    for req in new.values():
        for gone in req.replaces:
            before = old.get(gone)
            if before is None or before.status is Status.retired:
                continue
            still = new.get(gone)
            known = old.get(req.id)
            if (still is None or still.status is Status.retired) and (known is None or gone not in known.replaces):
                fields, change_class, stated = _compare_requirements(before, req, {"id", "replaces", "status", "since"})
                note = req.change_note.text if stated and req.change_note else None
                out.renamed.append(
                    ItemChange(
                        "requirement",
                        req.id,
                        req.title,
                        change_class,
                        _reason(fields, change_class, note),
                        fields,
                        replaces=gone,
                        level=req.level.value,
                        stated=stated,
                    )
                )
                renamed_old.add(gone)
                renamed_new.add(req.id)
    for req_id, req in new.items():
        before = old.get(req_id)
        if before is None:
            if req_id in renamed_new:
                continue
            if req.status is Status.retired:
                out.added.append(
                    ItemChange(
                        "requirement",
                        req_id,
                        req.title,
                        EDITORIAL,
                        tr("lagt til som utgått", "added as retired"),
                        level=req.level.value,
                    )
                )
            else:
                out.added.append(
                    ItemChange(
                        "requirement",
                        req_id,
                        req.title,
                        TIGHTENING,
                        tr(f"nytt {req.level.value}-krav", f"new {req.level.value} requirement"),
                        level=req.level.value,
                    )
                )
            continue
        if req_id in renamed_old:
            continue
        skip = {"replaces"} if req_id in renamed_new else set()
        fields, change_class, stated = _compare_requirements(before, req, skip)
        if fields:
            note = req.change_note.text if stated and req.change_note else None
            out.changed.append(
                ItemChange(
                    "requirement",
                    req_id,
                    req.title,
                    change_class,
                    _reason(fields, change_class, note),
                    fields,
                    level=req.level.value,
                    stated=stated,
                )
            )
    for req_id, req in old.items():
        if req_id not in new and req_id not in renamed_old and req.status is not Status.retired:
            out.removed.append(
                ItemChange(
                    "requirement",
                    req_id,
                    req.title,
                    RELAXING,
                    tr("kravet er fjernet", "the requirement is removed"),
                    level=req.level.value,
                )
            )


def diff_procedures(old: dict, new: dict, out: EditionDiff) -> None:
    for entry_id, entry in new.items():
        before = old.get(entry_id)
        if before is None:
            out.added.append(
                ItemChange("procedure", entry_id, entry.title, TIGHTENING, tr("ny prosedyre", "new procedure"))
            )
            continue
        fields = _field_changes(_dump(before), _dump(entry), _procedure_field, set())
        if fields:
            change_class = _overall([f.change_class for f in fields])
            out.changed.append(
                ItemChange(
                    "procedure", entry_id, entry.title, change_class, _reason(fields, change_class, None), fields
                )
            )
    for entry_id, entry in old.items():
        if entry_id not in new:
            out.removed.append(
                ItemChange(
                    "procedure",
                    entry_id,
                    entry.title,
                    RELAXING,
                    tr("prosedyren er fjernet", "the procedure is removed"),
                )
            )


def _procedures_of(workspace: Workspace) -> tuple[dict, list[Finding]]:
    from kokom_cli.procedures.books import load_books

    library = load_books(workspace)
    entries = {}
    for book in library.books:
        if not book.builtin:
            for item in book.entries:
                entries.setdefault(item.entry.id, item.entry)
    return entries, library.findings


def diff_editions(old: Workspace, new: Workspace, old_label: str = "OLD", new_label: str = "NEW") -> EditionDiff:
    """Every difference between two editions (see the module docstring for the classes)."""
    from kokom_cli.requirements.corpus import load_corpus

    out = EditionDiff(old=old_label, new=new_label)
    old_corpus, new_corpus = load_corpus(old.requirements_dir), load_corpus(new.requirements_dir)
    out.findings += old_corpus.findings + new_corpus.findings
    diff_requirements(old_corpus.requirements, new_corpus.requirements, out)
    old_procedures, old_findings = _procedures_of(old)
    new_procedures, new_findings = _procedures_of(new)
    out.findings += old_findings + new_findings
    diff_procedures(old_procedures, new_procedures, out)
    for group in (out.added, out.removed, out.changed, out.renamed):
        group.sort(key=lambda item: (item.kind != "requirement", item.id))
    return out


# --- opening an edition: a folder or a git revision -------------------------------------------------


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


def whats_new(workspace: Workspace, since: str) -> dict:
    """The "what's new" context of the handbook: the requirement changes since the edition `since`.

    `since` is a folder or git revision (as for `kokom diff`). Returns the
    edition compared with (its number where kokom.yaml gives one), the
    changes by kind, and `by_id`: each added, changed or renamed requirement
    id -> its change, for marking the requirement in the text.
    """
    with open_edition(since, workspace) as old:
        label = old.config.edition if old.root is not None and (old.root / CONFIG_NAME).is_file() else since
        diff = diff_editions(old, workspace, label, workspace.config.edition)
    groups = {
        name: [i.as_json() | {"replaces": i.replaces} for i in getattr(diff, name) if i.kind == "requirement"]
        for name in ("added", "changed", "renamed", "removed")
    }
    by_id = {
        item["id"]: dict(item, change=name, since=label)
        for name in ("added", "changed", "renamed")
        for item in groups[name]
    }
    return {"since": label, **groups, "by_id": by_id}
