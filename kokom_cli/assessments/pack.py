"""`kokom assess pack`: a self-assessment as one zip file a service can send, with a SHA-256 manifest.

The pack holds the assessment, its service file, and the evidence files and
call logs it names, each at the place the assessment's paths expect, so that
the unpacked tree is a folder `kokom overview` reads:

    <service-id>/services/<id>.yaml             (or where `service_file:` points, under <service-id>/)
    <service-id>/assessments/<file>.yaml
    <service-id>/assessments/<evidence and call logs, as written>
    manifest.json                               format, kokom's version, service, edition, period,
                                                and the SHA-256 and size of every file

The staff register (`staff_register:`, and anything under `personale/`) is
personal data and never packed; the manifest lists it as `withheld`. In its
place the pack carries its counts, without names, beside the assessment
(`<assessment>.personaltal.json`, see `competence.counts`), so the advisor's
check still decides the competence requirements. Every
path is confined as `kokom assess check` confines it (`paths`, `services`): the
assessment must load before it is packed. Reading a pack back is `unpack`.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
import posixpath
import stat
import zipfile
from dataclasses import dataclass, field
from pathlib import Path
from typing import BinaryIO

from kokom_cli import __version__
from kokom_cli.assessments.loading import LoadedAssessment, load_assessment
from kokom_cli.assessments.paths import is_file, resolved
from kokom_cli.competence.counts import counts_path
from kokom_cli.core.atomic import refuse_existing, refuse_symlink, write_atomic_with
from kokom_cli.core.findings import KokomError
from kokom_cli.core.i18n import tr
from kokom_cli.requirements.corpus import Corpus
from kokom_cli.workspace import Workspace

MANIFEST = "manifest.json"
FORMAT = "kokom-pack"
FORMAT_VERSION = 1
REGISTER_FOLDER = "personale"  # staff registers live here by convention: never packed
CHUNK = 1 << 20
_DATE = (1980, 1, 1, 0, 0, 0)  # the same files give the same pack, byte for byte


@dataclass
class PackResult:
    """What `pack_assessment` wrote."""

    out: Path
    service: str
    files: list[dict] = field(default_factory=list)  # the manifest's entries
    withheld: list[str] = field(default_factory=list)  # as written in the assessment
    counts: str | None = None  # the register's counts, in the pack in its place (None: no register, or unreadable)
    missing: list[str] = field(default_factory=list)  # named by the assessment, not on disk, not packed

    @property
    def size(self) -> int:
        return sum(entry["size"] for entry in self.files)


def _written(loaded: LoadedAssessment) -> list[str]:
    """Every file the assessment names (evidence, call logs), in order, once each."""
    a = loaded.assessment
    out: list[str] = []
    for answer in a.answers.values():
        if answer is None:
            continue
        out += [ev.file for ev in answer.evidence if ev.file is not None]
        out += answer.call_logs or []
    out += a.call_logs
    return list(dict.fromkeys(out))


def _withheld(written: str, loaded: LoadedAssessment) -> bool:
    """The staff register, or a file under `personale/`: personal data stays with the service."""
    name = posixpath.normpath(written)
    if name.split("/")[0] == REGISTER_FOLDER:
        return True
    register = loaded.assessment.staff_register
    if register is None:
        return False
    if name == posixpath.normpath(register):
        return True
    real, real_register = resolved(loaded.folder / written), resolved(loaded.folder / register)
    return real is not None and real == real_register


def members(loaded: LoadedAssessment, result: PackResult) -> list[tuple[str, Path]]:
    """(name in the zip, file on disk) for everything packed; withheld and missing files noted in `result`."""
    sid = loaded.service.id
    doc_path = loaded.doc.path
    if loaded.assessment.service_file:  # confined to the service root by `resolve_service`: mirrored below <sid>/
        inside = posixpath.normpath(f"assessments/{loaded.assessment.service_file}")
    else:
        inside = f"services/{sid}.yaml"
    out = {f"{sid}/assessments/{doc_path.name}": doc_path, f"{sid}/{inside}": loaded.service_path}
    if register := loaded.assessment.staff_register:
        result.withheld.append(register)
    for written in _written(loaded):
        if _withheld(written, loaded):
            result.withheld.append(written)
        elif not is_file(loaded.folder / written):
            result.missing.append(written)
        else:
            out.setdefault(f"{sid}/assessments/{posixpath.normpath(written)}", loaded.folder / written)
    result.withheld = list(dict.fromkeys(result.withheld))
    for name in out:
        if "\\" in name:
            raise KokomError.at(
                loaded.doc.display,
                "path-invalid",
                tr(
                    f"stien '{name}' har en omvendt skråstrek; skriv stier med / så pakken kan leses overalt",
                    f"the path '{name}' has a backslash; write paths with / so the pack reads the same everywhere",
                    f"stien '{name}' har ein omvend skråstrek; skriv stiar med / så pakken kan lesast overalt",
                ),
            )
    return sorted(out.items())


def _entry(name: str) -> zipfile.ZipInfo:
    """A regular file, compressed, with a fixed date: the same files give the same pack, byte for byte."""
    info = zipfile.ZipInfo(name, date_time=_DATE)
    info.external_attr = (stat.S_IFREG | 0o644) << 16
    info.compress_type = zipfile.ZIP_DEFLATED
    return info


def _add(zf: zipfile.ZipFile, name: str, source: Path) -> dict:
    """Copy `source` into the zip as `name`, hashing exactly the bytes written."""
    digest, size = hashlib.sha256(), 0
    with source.open("rb") as src, zf.open(_entry(name), "w", force_zip64=source.stat().st_size > 1 << 30) as dst:
        while chunk := src.read(CHUNK):
            digest.update(chunk)
            size += len(chunk)
            dst.write(chunk)
    return {"path": name, "sha256": digest.hexdigest(), "size": size}


def _counts(loaded: LoadedAssessment, workspace: Workspace, corpus: Corpus, as_of: dt.date) -> bytes | None:
    """The staff register as counts (`competence.counts`), for the advisor to decide competence requirements."""
    from kokom_cli.competence.assessment import read_assessment_register
    from kokom_cli.competence.counts import register_counts

    a = loaded.assessment
    reading = read_assessment_register(
        loaded.folder, a.staff_register, a.service, workspace, corpus.requirements, as_of=as_of
    )
    if reading is None or reading.report is None:
        return None  # no register, or one that cannot be read: the advisor sees the requirements unmeasured
    return register_counts(reading, a.service, as_of)


def _add_bytes(zf: zipfile.ZipFile, name: str, data: bytes) -> dict:
    zf.writestr(_entry(name), data)
    return {"path": name, "sha256": hashlib.sha256(data).hexdigest(), "size": len(data)}


def pack_assessment(
    path: Path,
    workspace: Workspace,
    corpus: Corpus,
    out: Path,
    *,
    force: bool = False,
    as_of: dt.date | None = None,
) -> PackResult:
    """Check the assessment as `assess check` does, then write its pack to `out` atomically.

    Refused (KokomError, nothing written): an output that is a symbolic link or exists (unless `force`),
    an assessment that does not load. The staff register is never packed; its counts as of `as_of` (default
    today) are, without names (`competence.counts`).
    """
    refuse_symlink(out, force=force)
    refuse_existing(out, force=force)
    loaded = load_assessment(path, workspace, corpus)
    result = PackResult(out, loaded.service.id)
    files = members(loaded, result)
    counts = _counts(loaded, workspace, corpus, as_of or dt.date.today())
    if counts is not None:
        result.counts = f"{loaded.service.id}/assessments/{counts_path(loaded.doc.path).name}"

    def fill(handle: BinaryIO) -> None:
        with zipfile.ZipFile(handle, "w", compression=zipfile.ZIP_DEFLATED) as zf:
            result.files = [_add(zf, name, source) for name, source in files]
            if counts is not None and result.counts is not None:
                result.files.append(_add_bytes(zf, result.counts, counts))
            manifest = {
                "format": FORMAT,
                "format_version": FORMAT_VERSION,
                "kokom_version": __version__,
                "service": loaded.service.id,
                "edition": loaded.assessment.edition,
                "period": loaded.assessment.period,
                "assessment": files_name(loaded),
                "withheld": result.withheld,
                "register_counts": result.counts,
                "files": result.files,
            }
            _add_bytes(zf, MANIFEST, (json.dumps(manifest, ensure_ascii=False, indent=2) + "\n").encode("utf-8"))

    if out.parent != Path(""):
        out.parent.mkdir(parents=True, exist_ok=True)
    write_atomic_with(out, fill, force=force)  # a failed read or write: one line from the CLI's guard
    return result


def files_name(loaded: LoadedAssessment) -> str:
    """The assessment's name inside its pack."""
    return f"{loaded.service.id}/assessments/{loaded.doc.path.name}"
