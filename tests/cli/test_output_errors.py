"""The one error guard: a closed pipe, a full disk and refused XML each end in one clear line (or quietly)."""

from __future__ import annotations

import errno
import io
import os
import subprocess
import sys
import zipfile

import pytest
from conftest import ROOT

from kokom_cli.cli.main import app


def test_a_closed_pipe_ends_quietly():
    proc = subprocess.Popen(
        [sys.executable, "-m", "kokom_cli", "requirements", "list", "--json"],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        cwd=ROOT,
    )
    proc.stdout.close()  # the reader is gone before the first write, as `| head` after its lines
    _, err = proc.communicate(timeout=60)
    assert b"kokom: intern" not in err and b"Traceback" not in err and b"BrokenPipe" not in err, err
    assert proc.returncode == 0


def test_diff_into_head_ends_quietly(tmp_path):
    import shutil

    old = ROOT / "tests" / "data" / "editing" / "ws"
    new = tmp_path / "ny"
    shutil.copytree(old, new)
    for path in (new / "requirements").glob("*.yaml"):
        path.write_text(path.read_text(encoding="utf-8").replace("title: ", "title: Endret "), encoding="utf-8")
    script = f"{sys.executable} -m kokom_cli diff {old} {new} | head -c 1 >/dev/null; echo ${{PIPESTATUS[0]}}"
    result = subprocess.run(["bash", "-c", script], cwd=tmp_path, capture_output=True, timeout=60)
    assert b"kokom: intern" not in result.stderr and b"Traceback" not in result.stderr, result.stderr
    direct = subprocess.run([sys.executable, "-m", "kokom_cli", "diff", str(old), str(new)], capture_output=True)
    assert direct.stdout.count(b"\n") > 1, "the diff has more than the one byte head reads"


def test_a_full_disk_is_one_line_naming_the_file(runner, tmp_path, monkeypatch):
    real_fdopen = os.fdopen

    class Full(io.RawIOBase):
        def writable(self):
            return True

        def write(self, data):
            raise OSError(errno.ENOSPC, os.strerror(errno.ENOSPC))

    def fdopen(fd, mode="r", *args, **kwargs):
        if "w" in mode:
            os.close(fd)
            return io.BufferedWriter(Full())
        return real_fdopen(fd, mode, *args, **kwargs)

    monkeypatch.setattr(os, "fdopen", fdopen)
    out = tmp_path / "h.html"
    result = runner.invoke(app, ["render", "handbook", "-o", str(out)])
    assert result.exit_code == 2
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1 and "kokom: intern" not in lines[0], lines
    assert str(out) in lines[0] and "error io-error" in lines[0] and "ENOSPC" in lines[0]
    assert not out.exists() and [p for p in tmp_path.iterdir()] == []


XML_BOMB = (
    '<?xml version="1.0"?><!DOCTYPE lolz [<!ENTITY lol "lol">'
    + "".join(f'<!ENTITY lol{i} "{("&lol" + (str(i - 1) if i > 1 else "") + ";") * 10}">' for i in range(1, 10))
    + ']><workbook xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main">&lol9;</workbook>'
)
XXE = (
    '<?xml version="1.0"?><!DOCTYPE x [<!ENTITY xxe SYSTEM "file:///etc/passwd">]>'
    '<workbook xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main">&xxe;</workbook>'
)


def _xlsx_with_workbook(xml: str) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as z:
        z.writestr(
            "[Content_Types].xml",
            '<?xml version="1.0"?><Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">'
            '<Override PartName="/xl/workbook.xml" ContentType="application/vnd.openxmlformats-officedocument.'
            'spreadsheetml.sheet.main+xml"/></Types>',
        )
        z.writestr(
            "_rels/.rels",
            '<?xml version="1.0"?><Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">'
            '<Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/'
            'officeDocument" Target="xl/workbook.xml"/></Relationships>',
        )
        z.writestr("xl/workbook.xml", xml)
    return buffer.getvalue()


@pytest.mark.parametrize("xml", [XML_BOMB, XXE], ids=["billion-laughs", "external-entity"])
def test_hostile_xml_in_a_workbook_is_one_clear_line(runner, tmp_path, xml):
    xlsx = tmp_path / "skjema.xlsx"
    xlsx.write_bytes(_xlsx_with_workbook(xml))
    out = tmp_path / "ny.yaml"
    result = runner.invoke(app, ["assess", "import", str(xlsx), "-o", str(out)])
    assert result.exit_code == 2, result.stderr
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1 and "kokom: intern" not in lines[0] and "Traceback" not in result.stderr, lines
    assert "skjema.xlsx" in lines[0] and "root:x:0:0" not in result.output
    assert not out.exists()
