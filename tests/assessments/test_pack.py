"""`kokom assess pack` and reading packs: the layout and manifest, the same results as the folder, hostile packs."""

from __future__ import annotations

import hashlib
import json
import os
import re
import shutil
import stat
import tempfile
import zipfile
from pathlib import Path

import pytest
import yaml
from conftest import EXAMPLES

from kokom_cli import __version__
from kokom_cli.cli.main import app

EXAMPLE = EXAMPLES / "lvs-fjordby"
ASSESSMENT = EXAMPLE / "assessments" / "lvs-fjordby-2026.yaml"
AS_OF = ["--as-of", "2026-11-01"]
EVIDENCE = "lvs-fjordby/assessments/vedlegg/beredskapsplan.md"
COUNTS = "lvs-fjordby/assessments/lvs-fjordby-2026.personaltal.json"


@pytest.fixture(autouse=True)
def _own_temp(tmp_path, monkeypatch):
    """Unpacking goes to a temporary folder of the test's own, so that "nothing left behind" can be seen."""
    scratch = tmp_path / "scratch"
    scratch.mkdir()
    monkeypatch.setattr(tempfile, "tempdir", str(scratch))
    yield
    assert list(scratch.iterdir()) == []  # every unpacked folder removed, refused or not


def _pack(runner, out: Path, *args: str):
    return runner.invoke(app, ["assess", "pack", str(ASSESSMENT), "-o", str(out), *args])


@pytest.fixture
def pack(runner, tmp_path) -> Path:
    out = tmp_path / "fjordby.zip"
    result = _pack(runner, out)
    assert result.exit_code == 0, result.output
    return out


def _entries(path: Path) -> dict[str, bytes]:
    with zipfile.ZipFile(path) as zf:
        return {info.filename: zf.read(info) for info in zf.infolist()}


def _write(path: Path, entries: dict[str, bytes], links: tuple[str, ...] = ()) -> Path:
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as zf:
        for name, data in entries.items():
            info = zipfile.ZipInfo(name)
            info.compress_type = zipfile.ZIP_DEFLATED
            info.external_attr = ((stat.S_IFLNK | 0o777) if name in links else (stat.S_IFREG | 0o644)) << 16
            zf.writestr(info, data)
    return path


def _manifest(entries: dict[str, bytes]) -> dict:
    return json.loads(entries["manifest.json"])


def test_pack_layout_manifest_and_no_staff_register(pack, runner, tmp_path):
    entries = _entries(pack)
    manifest = _manifest(entries)
    assert manifest["service"] == "lvs-fjordby"
    assert manifest["edition"] == "2027.1"
    assert manifest["kokom_version"] == __version__
    assert manifest["assessment"] == "lvs-fjordby/assessments/lvs-fjordby-2026.yaml"
    assert {
        "lvs-fjordby/services/lvs-fjordby.yaml",
        "lvs-fjordby/assessments/lvs-fjordby-2026.yaml",
        "lvs-fjordby/assessments/vedlegg/svartid-2026.csv",
        EVIDENCE,
    } <= set(entries)
    for entry in manifest["files"]:
        data = entries[entry["path"]]
        assert entry["size"] == len(data)
        assert entry["sha256"] == hashlib.sha256(data).hexdigest()
    assert set(entries) == {e["path"] for e in manifest["files"]} | {"manifest.json"}
    assert not [name for name in entries if "personale" in name]
    register = (EXAMPLE / "assessments" / "personale" / "lvs-fjordby.yaml").read_bytes()
    assert all(data != register for data in entries.values())
    assert manifest["withheld"] == ["personale/lvs-fjordby.yaml"]
    # in its place the register's counts: no name, no person's id, from any file of the pack
    assert manifest["register_counts"] == COUNTS
    counts = json.loads(entries[COUNTS])
    assert counts["service"] == "lvs-fjordby" and counts["people"] > 0 and counts["requirements"]
    people = yaml.safe_load(register)["people"]
    for data in entries.values():
        text = data.decode("utf-8", "replace")
        assert not [p for p in people if p["name"] in text or re.search(rf"\b{p['id']}\b", text)]
    again = tmp_path / "again.zip"
    assert _pack(runner, again).exit_code == 0
    assert again.read_bytes() == pack.read_bytes()  # the same files make the same pack


def test_pack_refuses_an_existing_file_and_a_link_without_force(pack, runner, tmp_path):
    before = pack.read_bytes()
    result = _pack(runner, pack)
    assert result.exit_code == 2
    assert "file-exists" in result.stderr and len(result.stderr.splitlines()) == 1
    link = tmp_path / "link.zip"
    link.symlink_to(tmp_path / "elsewhere.zip")
    result = _pack(runner, link)
    assert result.exit_code == 2 and "output-symlink" in result.stderr
    assert not (tmp_path / "elsewhere.zip").exists()
    pack.write_bytes(b"old")
    assert _pack(runner, pack, "--force").exit_code == 0
    assert pack.read_bytes() == before


def _results(runner, target: Path) -> dict:
    result = runner.invoke(app, ["assess", "check", str(target), "--json", *AS_OF])
    assert result.exit_code == 1, result.output  # the example has unmet skal requirements
    return {r["id"]: r for r in json.loads(result.stdout)["results"]}


def test_check_a_pack_as_the_folder(pack, runner):
    """The register is never packed, but its counts are: the pack's verdicts are the folder's."""
    folder, packed = _results(runner, ASSESSMENT), _results(runner, pack)
    assert folder.keys() == packed.keys()
    by_register = {rid for rid, r in folder.items() if any("Personalregisteret:" in d["message"] for d in r["details"])}
    assert len(by_register) >= 3
    assert all(folder[rid]["outcome"] == packed[rid]["outcome"] for rid in folder)
    assert all(folder[rid]["reasons"] == packed[rid]["reasons"] for rid in folder)
    for rid in by_register:
        assert any("Personalregisteret (tall fra pakken, per 2026-" in d["message"] for d in packed[rid]["details"])


def test_overview_and_validate_read_a_pack_as_the_folder(pack, runner, tmp_path):
    """The folder without its register but with its counts (what the advisor receives) and its pack give the
    same overview, the register's coverage included."""
    copy = tmp_path / "received" / "lvs-fjordby"
    shutil.copytree(EXAMPLE, copy)
    shutil.rmtree(copy / "assessments" / "personale")
    (copy / "assessments" / Path(COUNTS).name).write_bytes(_entries(pack)[COUNTS])

    def overview(target: Path) -> dict:
        result = runner.invoke(app, ["overview", str(target), "-f", "json", *AS_OF])
        assert result.exit_code == 0, result.output
        data = json.loads(result.stdout)
        for row in data["services"]:
            row.pop("path")
        return {k: v for k, v in data.items() if k != "folder"}

    from_folder = overview(copy.parent)
    assert from_folder["services"] and from_folder["answer_times"]
    [coverage] = from_folder["competence"]
    assert coverage["register"] == "read" and coverage["counted_on"] and coverage["rules"]
    assert overview(pack) == from_folder
    inbox = tmp_path / "inbox"
    inbox.mkdir()
    shutil.copy(pack, inbox / "fjordby.zip")
    assert overview(inbox) == from_folder  # a folder of packs
    result = runner.invoke(app, ["assess", "validate", str(pack)])
    assert result.exit_code == 0, result.output
    assert "1 vurdering og 1 tjeneste" in result.stderr


def _tampered(entries):
    entries[EVIDENCE] = b"X" + entries[EVIDENCE][1:]  # same size, other content
    return entries, (), "pack-mismatch", EVIDENCE


def _extra(entries):
    entries["lvs-fjordby/assessments/vedlegg/ekstra.md"] = b"ikke i manifestet"
    return entries, (), "pack-mismatch", "ekstra.md"


def _missing(entries):
    del entries[EVIDENCE]
    return entries, (), "pack-mismatch", EVIDENCE


def _zip_slip(entries):
    entries["lvs-fjordby/../../evil.txt"] = b"x"
    return entries, (), "pack-unsafe", "../../evil.txt"


def _absolute(entries):
    entries["/tmp/kokom-evil.txt"] = b"x"
    return entries, (), "pack-unsafe", "/tmp/kokom-evil.txt"


def _symlink(entries):
    entries["lvs-fjordby/assessments/vedlegg/lenke.md"] = b"/etc/passwd"
    return entries, ("lvs-fjordby/assessments/vedlegg/lenke.md",), "pack-unsafe", "lenke.md"


def _bomb(entries):
    entries[EVIDENCE] = bytes(64 << 20)  # 64 MiB of zeros, about 64 KiB packed; the manifest says 621 bytes
    return entries, (), "pack-too-large", EVIDENCE


HOSTILE = [_tampered, _extra, _missing, _zip_slip, _absolute, _symlink, _bomb]


@pytest.mark.parametrize("make", HOSTILE, ids=[m.__name__.strip("_") for m in HOSTILE])
@pytest.mark.parametrize("command", [["assess", "check"], ["overview", "-f", "json"], ["assess", "validate"]])
def test_a_hostile_pack_is_refused_in_one_line(pack, runner, tmp_path, make, command):
    entries, links, code, named = make(_entries(pack))
    bad = _write(tmp_path / "bad.zip", entries, links)
    result = runner.invoke(app, [*command, str(bad)])
    assert result.exit_code == 2, result.output
    assert result.stdout == ""
    lines = result.stderr.splitlines()
    assert len(lines) == 1, lines
    assert lines[0].startswith(f"{bad}:0:0: error {code}: ")
    assert named in lines[0]
    assert not Path("/tmp/kokom-evil.txt").exists()
    assert not (tmp_path.parent / "evil.txt").exists()
    assert sorted(p.name for p in tmp_path.iterdir()) == ["bad.zip", "fjordby.zip", "scratch"]


def test_a_refused_pack_in_a_folder_is_listed_and_the_rest_read(pack, runner, tmp_path):
    inbox = tmp_path / "inbox"
    inbox.mkdir()
    shutil.copy(pack, inbox / "fjordby.zip")
    entries, *_ = _tampered(_entries(pack))
    _write(inbox / "endret.zip", entries)
    result = runner.invoke(app, ["overview", str(inbox), "-f", "json", *AS_OF])
    assert result.exit_code == 1
    data = json.loads(result.stdout)
    assert [row["service"] for row in data["services"]] == ["lvs-fjordby"]
    assert any("pack-mismatch" in line and "endret.zip" in line for line in result.stderr.splitlines())


def test_not_a_pack(runner, tmp_path):
    junk = tmp_path / "junk.zip"
    junk.write_bytes(b"not a zip")
    result = runner.invoke(app, ["assess", "check", str(junk)])
    assert result.exit_code == 2
    assert "pack-invalid" in result.stderr and len(result.stderr.splitlines()) == 1
    no_manifest = _write(tmp_path / "plain.zip", {"a.yaml": b"x: 1\n"})
    result = runner.invoke(app, ["assess", "check", str(no_manifest)])
    assert result.exit_code == 2 and "manifest.json" in result.stderr


def test_the_temp_folder_is_shown_as_the_pack(pack, runner):
    result = runner.invoke(app, ["assess", "check", str(pack), "--json", *AS_OF])
    assert tempfile.gettempdir() not in result.stdout
    assert os.fspath(pack) in result.stdout
