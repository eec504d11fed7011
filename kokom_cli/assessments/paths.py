"""Paths inside files a service sends: confined to the folder they belong to, never expanded, never followed out.

A path written in an assessment (evidence, call logs, the service file) is
relative to the assessment's folder and must stay inside it: no absolute path,
no `~`, no `..` climbing out, no symbolic link leading out, no control
character, no name longer than the file system allows. A path that cannot be
followed at all (a link loop, a name too long) is a finding, never a crash.
"""

from __future__ import annotations

import os
import re
from pathlib import Path, PurePosixPath, PureWindowsPath

from kokom_cli.assessments.models import Assessment
from kokom_cli.core.findings import Finding, display_path
from kokom_cli.core.i18n import tr
from kokom_cli.yaml.document import YamlDocument

MAX_NAME_BYTES = 255  # one file or folder name (NAME_MAX on Linux and macOS)
MAX_PATH_BYTES = 4096
_CONTROL = re.compile(r"[\x00-\x1f\x7f]")
_GLOB = re.compile(r"[*?\[\]{}]")


def resolved(path: Path) -> Path | None:
    """`path` with every symbolic link followed, or None when that cannot be done (a loop, a name too long)."""
    try:
        return path.resolve()
    except (OSError, RuntimeError, ValueError):
        return None


def is_file(path: Path) -> bool:
    """`path.is_file()`, False (never an exception) for names the system cannot even look up."""
    try:
        return path.is_file()
    except (OSError, ValueError):
        return False


def path_problem(written: str, start: Path, base: Path, *, allow_up: bool = False) -> tuple[str, str] | None:
    """(code, reason in words) when `written`, a path relative to `start`, may not be followed; else None.

    Paths in received files are taken literally: never expanded (`~`, `$VAR`), never followed out of `base`
    (absolute paths, `..` — refused outright unless `allow_up`, else only past `base` —, symbolic links that
    leave it), and names the system cannot open (control characters such as NUL, names over 255 bytes,
    symbolic links in a loop) are refused with a reason rather than an exception.
    """
    parts = re.split(r"[\\/]", written)
    if _CONTROL.search(written):
        return "path-invalid", tr(
            "har et kontrolltegn (for eksempel en NUL-byte) i navnet",
            "has a control character (such as NUL) in it",
            "har eit kontrollteikn (til dømes ein NUL-byte) i namnet",
        )
    if len(written.encode()) > MAX_PATH_BYTES or any(len(p.encode()) > MAX_NAME_BYTES for p in parts):
        return "path-invalid", tr(
            f"har et navn over {MAX_NAME_BYTES} byte (eller er over {MAX_PATH_BYTES} byte i alt)",
            f"has a name over {MAX_NAME_BYTES} bytes (or is over {MAX_PATH_BYTES} bytes in all)",
            f"har eit namn over {MAX_NAME_BYTES} byte (eller er over {MAX_PATH_BYTES} byte i alt)",
        )
    if PurePosixPath(written).is_absolute() or PureWindowsPath(written).is_absolute() or PureWindowsPath(written).drive:
        return "path-outside", tr("er en absolutt sti", "is an absolute path", "er ein absolutt sti")
    if parts[0].startswith("~"):
        return "path-outside", tr(
            "begynner med '~'; kokom tolker ikke stier (hjemmemappe, miljøvariabler)",
            "starts with '~'; kokom does not expand paths (home folder, environment variables)",
            "byrjar med '~'; kokom tolkar ikkje stiar (heimemappe, miljøvariablar)",
        )
    up = tr("går opp med '..'", "goes up with '..'", "går opp med '..'")
    if ".." in parts and not allow_up:
        return "path-outside", up
    base_abs = Path(os.path.normpath(base.absolute()))
    if not Path(os.path.normpath(start.absolute() / written)).is_relative_to(base_abs):
        return "path-outside", up
    real, real_base = resolved(start / written), resolved(base)
    if real is None or real_base is None:
        return "path-invalid", tr(
            "kan ikke følges (symbolske lenker i ring?)",
            "cannot be followed (symbolic links in a loop?)",
            "kan ikkje følgjast (symbolske lenkjer i ring?)",
        )
    if not real.is_relative_to(real_base):
        return "path-outside", tr(
            "peker (via en symbolsk lenke) ut av mappen",
            "points (through a symbolic link) out of the folder",
            "peikar (via ei symbolsk lenkje) ut av mappa",
        )
    return None


def inside_folder(doc: YamlDocument, loc: tuple, written: str, folder: Path) -> Finding | None:
    """A finding when `written` (a path relative to `folder`) could reach outside `folder` or cannot be opened."""
    problem = path_problem(written, folder, folder)
    if problem is None:
        return None
    code, why = problem
    shown = written.encode("unicode_escape").decode("ascii") if _CONTROL.search(written) else written
    if len(shown) > 80:
        shown = shown[:60] + "…" + shown[-15:]
    return doc.finding(
        loc,
        code,
        tr(
            f"stien '{shown}' {why}; filer må ligge i vurderingens mappe ({display_path(folder)}) eller under den",
            f"the path '{shown}' {why}; files must be in the assessment's folder ({display_path(folder)}) or below it",
            f"stien '{shown}' {why}; filer må liggje i mappa til vurderinga ({display_path(folder)}) eller under henne",
        ),
    )


def path_findings(doc: YamlDocument, assessment: Assessment) -> tuple[list[Finding], frozenset[str]]:
    folder = doc.path.parent
    out: list[Finding | None] = []
    missing: set[str] = set()
    for req_id, answer in assessment.answers.items():
        if answer is None:
            continue
        for index, ev in enumerate(answer.evidence):
            if ev.file is None:
                continue
            problem = inside_folder(doc, ("answers", req_id, "evidence", index, "file"), ev.file, folder)
            if problem:
                out.append(problem)
            elif not is_file(folder / ev.file):
                missing.add(ev.file)
        for index, written in enumerate(answer.call_logs or []):
            out.append(_call_log_finding(doc, ("answers", req_id, "call_logs", index), written, folder))
    for index, written in enumerate(assessment.call_logs):
        out.append(_call_log_finding(doc, ("call_logs", index), written, folder))
    if assessment.staff_register:  # the register stays inside the folder; missing = not measured
        out.append(inside_folder(doc, ("staff_register",), assessment.staff_register, folder))
    return [f for f in out if f is not None], frozenset(missing)


def _call_log_finding(doc: YamlDocument, loc: tuple, written: str, folder: Path) -> Finding | None:
    """A call log outside the folder, or a pattern, makes the assessment unreadable; a missing one leaves
    its requirements unmeasured (see `measurements`), never met."""
    problem = inside_folder(doc, loc, written, folder)
    if problem is None and _GLOB.search(written):
        problem = doc.finding(
            loc,
            "calllog-pattern",
            tr(
                f"anropsloggen '{written}' har jokertegn (* ? [ ] {{ }}); oppgi hver fil med sitt eget navn",
                f"the call log '{written}' has wildcard characters (* ? [ ] {{ }}); name each file on its own",
                f"anropsloggen '{written}' har jokerteikn (* ? [ ] {{ }}); oppgi kvar fil med sitt eige namn",
            ),
        )
    return problem
