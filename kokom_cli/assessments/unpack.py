"""Reading a pack (`kokom assess pack`): unpacked safely into a temporary folder, checked against its manifest.

`kokom overview` and `kokom assess check|validate` read a pack as they read a
folder: `opened_assessment` and `opened_folder` unpack it into a temporary
folder (removed afterwards), show its files as `<pack>.zip/<name>`, and hand on
the folder. Nothing is ever written outside that folder, and nothing is read
from a pack that is not exactly what its manifest says:

- refused before anything is written (`pack-unsafe`): names that are absolute,
  climb with `..`, have control characters or backslashes, appear twice;
  symbolic links, device files and other special entries; encrypted entries.
- refused after unpacking (`pack-mismatch`, `pack-too-large`), the folder
  removed: a file whose SHA-256 or size differs, a file not in the manifest, a
  manifest file missing from the pack, a file that unpacks to more than the
  manifest's size (each entry is streamed with that size as its cap; the sizes
  in the zip's own headers are never trusted).

Each refusal is one line naming the files, exit 2.
"""

from __future__ import annotations

import contextlib
import hashlib
import json
import os
import shutil
import stat
import tempfile
import zipfile
from collections.abc import Iterator
from pathlib import Path
from typing import Literal

from pydantic import BaseModel, ConfigDict, Field, ValidationError

from kokom_cli.assessments.pack import CHUNK, MANIFEST
from kokom_cli.assessments.paths import path_problem, resolved
from kokom_cli.core.findings import Finding, KokomError, display_alias, display_path
from kokom_cli.core.i18n import tr

MAX_MANIFEST_BYTES = 4 << 20
MAX_PACK_BYTES = 2 << 30  # everything a pack may unpack to, by its manifest
MAX_ENTRIES = 10_000


class PackedFile(BaseModel):
    model_config = ConfigDict(extra="forbid")
    path: str = Field(min_length=1)
    sha256: str = Field(pattern=r"^[0-9a-f]{64}$")
    size: int = Field(ge=0)


class Manifest(BaseModel):
    model_config = ConfigDict(extra="ignore")  # later versions may add fields
    format: Literal["kokom-pack"]
    format_version: int
    kokom_version: str
    service: str
    edition: str
    period: str | None = None
    assessment: str
    withheld: list[str] = []
    files: list[PackedFile]


def is_pack(path: Path) -> bool:
    return path.suffix.lower() == ".zip" and not path.is_dir()


def _refused(pack: Path, code: str, message: str) -> KokomError:
    return KokomError.at(display_path(pack), code, message)


def _listing(problems: list[tuple[str, str]]) -> str:
    shown = [f"{name.encode('unicode_escape').decode('ascii')} ({why})" for name, why in problems[:20]]
    more = len(problems) - len(shown)
    return "; ".join(shown) + (tr(f"; og {more} til", f"; and {more} more", f"; og {more} til") if more > 0 else "")


def _entry_problem(info: zipfile.ZipInfo, target: Path) -> str | None:
    """Why this entry may not be unpacked into `target`, or None."""
    mode = info.external_attr >> 16
    kind = stat.S_IFMT(mode)
    if stat.S_ISLNK(mode):
        return tr("en symbolsk lenke", "a symbolic link", "ei symbolsk lenkje")
    if kind not in (0, stat.S_IFREG, stat.S_IFDIR):
        return tr(
            "en enhetsfil eller annen spesialfil",
            "a device file or other special file",
            "ei einingsfil eller anna spesialfil",
        )
    if info.flag_bits & 0x1:
        return tr("kryptert", "encrypted", "kryptert")
    name = info.filename
    if "\\" in name:
        return tr(
            "har en omvendt skråstrek i navnet", "has a backslash in its name", "har ein omvend skråstrek i namnet"
        )
    problem = path_problem(name.rstrip("/") or "/", target, target)
    return problem[1] if problem else None


def _manifest(zf: zipfile.ZipFile, pack: Path) -> Manifest:
    def invalid(why: str) -> KokomError:
        return _refused(
            pack,
            "pack-invalid",
            tr(
                f"ikke en pakke fra `kokom assess pack`: {why}",
                f"not a pack made by `kokom assess pack`: {why}",
                f"ikkje ein pakke frå `kokom assess pack`: {why}",
            ),
        )

    try:
        with zf.open(MANIFEST) as handle:
            raw = handle.read(MAX_MANIFEST_BYTES + 1)
    except KeyError:
        raise invalid(tr(f"{MANIFEST} mangler", f"{MANIFEST} is missing", f"{MANIFEST} manglar")) from None
    if len(raw) > MAX_MANIFEST_BYTES:
        raise invalid(tr(f"{MANIFEST} er for stor", f"{MANIFEST} is too large", f"{MANIFEST} er for stor"))
    try:
        return Manifest.model_validate(json.loads(raw.decode("utf-8")))
    except (UnicodeDecodeError, json.JSONDecodeError, ValidationError) as exc:
        first = str(exc).splitlines()[0] if not isinstance(exc, ValidationError) else _first_error(exc)
        raise invalid(
            tr(
                f"{MANIFEST} kan ikke leses ({first})",
                f"{MANIFEST} cannot be read ({first})",
                f"{MANIFEST} kan ikkje lesast ({first})",
            )
        ) from None


def _first_error(exc: ValidationError) -> str:
    error = exc.errors()[0]
    where = ".".join(str(part) for part in error["loc"])
    return f"{where}: {error['msg']}" if where else error["msg"]


def _check_entries(zf: zipfile.ZipFile, pack: Path, target: Path) -> dict[str, zipfile.ZipInfo]:
    """The file entries by name, after refusing every entry that could write outside `target`."""
    infos = zf.infolist()
    if len(infos) > MAX_ENTRIES:
        raise _refused(
            pack,
            "pack-too-large",
            tr(
                f"pakken har over {MAX_ENTRIES} filer",
                f"the pack has more than {MAX_ENTRIES} files",
                f"pakken har over {MAX_ENTRIES} filer",
            ),
        )
    unsafe, files, seen = [], {}, set()
    for info in infos:
        why = _entry_problem(info, target)
        if why is None and info.filename in seen:
            why = tr("står to ganger", "appears twice", "står to gonger")
        seen.add(info.filename)
        if why is not None:
            unsafe.append((info.filename, why))
        elif not info.is_dir() and info.filename != MANIFEST:
            files[info.filename] = info
    if unsafe:
        raise _refused(
            pack,
            "pack-unsafe",
            tr(
                f"pakken har filer som ikke kan pakkes ut trygt, og ingenting er pakket ut: {_listing(unsafe)}",
                f"the pack has entries that cannot be unpacked safely, and nothing was unpacked: {_listing(unsafe)}",
                f"pakken har filer som ikkje kan pakkast ut trygt, og ingenting er pakka ut: {_listing(unsafe)}",
            ),
        )
    return files


def _extract(
    zf: zipfile.ZipFile, info: zipfile.ZipInfo, expected: PackedFile, target: Path, oversize: set[str]
) -> str | None:
    """Unpack one entry, at most `expected.size` bytes of it; why it does not match the manifest, or None.

    A file that goes on past its size is added to `oversize` and left there: a zip bomb is never unpacked."""
    path = target / expected.path
    path.parent.mkdir(parents=True, exist_ok=True)
    digest, size = hashlib.sha256(), 0
    flags = os.O_WRONLY | os.O_CREAT | os.O_EXCL | getattr(os, "O_NOFOLLOW", 0)
    try:
        with zf.open(info) as src, os.fdopen(os.open(path, flags, 0o644), "wb") as dst:
            while chunk := src.read(min(CHUNK, expected.size + 1 - size)):
                size += len(chunk)
                if size > expected.size:
                    oversize.add(expected.path)
                    return tr(
                        f"pakkes ut til mer enn manifestets {expected.size} byte",
                        f"unpacks to more than the manifest's {expected.size} bytes",
                        f"blir pakka ut til meir enn {expected.size} byte, som manifestet seier",
                    )
                digest.update(chunk)
                dst.write(chunk)
    except (zipfile.BadZipFile, zipfile.LargeZipFile, NotImplementedError, EOFError, OSError) as exc:
        return tr(f"skadet ({exc})", f"damaged ({exc})", f"skadd ({exc})")
    if size != expected.size:
        return tr(
            f"{size} byte, manifestet sier {expected.size}",
            f"{size} bytes, the manifest says {expected.size}",
            f"{size} byte, manifestet seier {expected.size}",
        )
    if digest.hexdigest() != expected.sha256:
        return tr("SHA-256 stemmer ikke", "SHA-256 differs", "SHA-256 stemmer ikkje")
    return None


def unpack(pack: Path, target: Path) -> Manifest:
    """Unpack `pack` into the empty folder `target` and check it against its manifest (KokomError when refused)."""
    try:
        zf = zipfile.ZipFile(pack)
    except (zipfile.BadZipFile, zipfile.LargeZipFile, OSError, ValueError) as exc:
        raise _refused(
            pack,
            "pack-invalid",
            tr(
                f"ikke en zip-fil som kan leses ({exc})",
                f"not a readable zip file ({exc})",
                f"ikkje ei zip-fil som kan lesast ({exc})",
            ),
        ) from None
    with zf:
        files = _check_entries(zf, pack, target)
        manifest = _manifest(zf, pack)
        listed = {entry.path: entry for entry in manifest.files}
        if len(listed) != len(manifest.files):
            raise _mismatch(
                pack, [(MANIFEST, tr("nevner en fil to ganger", "names a file twice", "nemner ei fil to gonger"))]
            )
        problems = [(entry.path, why) for entry in manifest.files if (why := _name_problem(entry.path, target))]
        problems += [
            (name, tr("står ikke i manifestet", "not in the manifest", "står ikkje i manifestet"))
            for name in files
            if name not in listed
        ]
        problems += [
            (
                name,
                tr(
                    "står i manifestet, mangler i pakken",
                    "in the manifest, missing from the pack",
                    "står i manifestet, manglar i pakken",
                ),
            )
            for name in listed
            if name not in files
        ]
        if problems:
            raise _mismatch(pack, problems)
        if sum(entry.size for entry in manifest.files) > MAX_PACK_BYTES:
            raise _refused(
                pack,
                "pack-too-large",
                tr(
                    f"manifestet sier pakken er over {MAX_PACK_BYTES >> 30} GiB pakket ut",
                    f"the manifest says the pack unpacks to more than {MAX_PACK_BYTES >> 30} GiB",
                    f"manifestet seier at pakken er over {MAX_PACK_BYTES >> 30} GiB pakka ut",
                ),
            )
        oversize: set[str] = set()
        for entry in manifest.files:
            if why := _extract(zf, files[entry.path], entry, target, oversize):
                problems.append((entry.path, why))
    if problems:
        raise _mismatch(pack, problems, too_large=bool(oversize))
    return manifest


def _name_problem(name: str, target: Path) -> str | None:
    if "\\" in name or name == MANIFEST or name.endswith("/") or path_problem(name, target, target) is not None:
        return tr("ugyldig navn i manifestet", "not a valid name in the manifest", "ugyldig namn i manifestet")
    return None


def _mismatch(pack: Path, problems: list[tuple[str, str]], *, too_large: bool = False) -> KokomError:
    return _refused(
        pack,
        "pack-too-large" if too_large else "pack-mismatch",
        tr(
            f"filene stemmer ikke med pakkens manifest (endret etter pakking, eller skadet), og ingenting er lest: "
            f"{_listing(problems)}; be tjenesten om en ny pakke",
            f"the files do not match the pack's manifest (changed after packing, or damaged), and nothing was read: "
            f"{_listing(problems)}; ask the service for a new pack",
            "filene stemmer ikkje med manifestet til pakken (endra etter pakking, eller skadde), og ingenting er "
            f"lese: {_listing(problems)}; be tenesta om ein ny pakke",
        ),
    )


@contextlib.contextmanager
def unpacked(pack: Path) -> Iterator[tuple[Path, Manifest]]:
    """`pack` unpacked and checked in a temporary folder, its files shown as `<pack>/<name>`; removed after."""
    target = Path(tempfile.mkdtemp(prefix="kokom-pack-")).resolve()
    try:
        manifest = unpack(pack, target)
        with display_alias(target, display_path(pack)):
            yield target, manifest
    finally:
        shutil.rmtree(target, ignore_errors=True)


@contextlib.contextmanager
def opened_assessment(path: Path) -> Iterator[Path]:
    """The assessment to read: `path` itself, or a pack's assessment, unpacked."""
    if not is_pack(path):
        yield path
        return
    with unpacked(path) as (target, manifest):
        if manifest.assessment not in {entry.path for entry in manifest.files}:
            raise _refused(
                path,
                "pack-invalid",
                tr(
                    f"manifestets vurdering '{manifest.assessment}' er ikke i pakken",
                    f"the manifest's assessment '{manifest.assessment}' is not in the pack",
                    f"vurderinga '{manifest.assessment}' i manifestet er ikkje i pakken",
                ),
            )
        yield target / manifest.assessment


def packs_in(folder: Path) -> list[Path]:
    """Every .zip under `folder`, sorted; hidden folders and links out of `folder` left out."""
    if not folder.is_dir():
        return []
    real_root = folder.resolve()
    out = []
    for path in folder.rglob("*"):
        if path.suffix.lower() != ".zip" or any(p.startswith(".") for p in path.relative_to(folder).parts):
            continue
        real = resolved(path)
        if real is not None and real.is_relative_to(real_root) and real.is_file():
            out.append(path)
    return sorted(out)


@contextlib.contextmanager
def opened_folder(folder: Path) -> Iterator[tuple[Path, list[Path], dict[str, list[Finding]]]]:
    """(folder to read, packs unpacked from it, packs refused with their findings).

    A `.zip` is read as the folder it unpacks to (refused: KokomError); a folder is read with every pack in it,
    and a pack that is refused is listed with its finding while the rest go on, as a broken file would be.
    """
    with contextlib.ExitStack() as stack:
        if is_pack(folder):
            target, _ = stack.enter_context(unpacked(folder))
            yield target, [], {}
            return
        packs, refused = [], {}
        for pack in packs_in(folder):
            try:
                packs.append(stack.enter_context(unpacked(pack))[0])
            except KokomError as exc:
                refused[display_path(pack)] = exc.findings
        yield folder, packs, refused
