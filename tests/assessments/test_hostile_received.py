"""Hostile received folders: one bad file is listed with its reason, every other service is still shown.

Each case builds a copy of the three example services in tmp_path, spoils one
of them the way an attacker (or an unlucky export) would, and runs `kokom` in a
child process so that time and memory can be measured and no traceback can
hide behind an in-process runner.
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from hostile import SERVICES, assessment, bounded, received, snapshot

AS_OF = "2026-12-01"


def overview(folder: Path) -> tuple[int, dict, str]:
    """`kokom overview FOLDER --format json`: exit code, the document, stderr."""
    run = bounded(["overview", str(folder), "--format", "json", "--as-of", AS_OF], folder.parent)
    assert "Traceback" not in run.stderr and "kokom: intern" not in run.stderr, run.stderr
    return run.returncode, json.loads(run.stdout) if run.stdout.strip() else {}, run.stderr


def shown(doc: dict) -> set[str]:
    return {s["service"] for s in doc.get("services", [])}


def failed(doc: dict) -> dict[str, list[str]]:
    return {f["path"]: [x["code"] for x in f["findings"]] for f in doc.get("failed_files", [])}


def spoil(path: Path, old: str, new: str) -> None:
    text = path.read_text(encoding="utf-8")
    assert old in text, old
    path.write_text(text.replace(old, new, 1), encoding="utf-8")


# --- many unknown ids ----------------------------------------------------------------------------


def test_ten_thousand_unknown_ids_are_reported_quickly(tmp_path: Path) -> None:
    folder = received(tmp_path)
    path = assessment(folder, "lvs-storby")
    extra = "".join(f"  ZZ-UKJENT-{i:05d}:\n    status: met\n" for i in range(10_000))
    spoil(path, "answers:\n", "answers:\n" + extra)
    run = bounded(["assess", "check", str(path), "--as-of", AS_OF], tmp_path)
    assert run.returncode == 2, run.stderr
    lines = run.stderr.splitlines()
    assert sum("unknown-id" in line for line in lines) == 10_000
    assert "ZZ-UKJENT-09999" in lines[-1] and ":20" in lines[-1], "each at its own line number"
    assert run.seconds < 10 and run.max_rss_mb < 300, (run.seconds, run.max_rss_mb)
    code, doc, _ = overview(folder)
    assert code == 1 and shown(doc) == {"lvs-fjordby", "amk-nordvik"}
    assert set(failed(doc)[str(path.relative_to(tmp_path))]) == {"unknown-id"}


# --- one bad file: listed with its reason, the others still shown ---------------------------------

EVIDENCE = "vedlegg/svartidsrapport-2026-q3.md, date: 2026-10-05, kind"


def _nul(folder: Path) -> None:
    spoil(assessment(folder, "lvs-storby"), EVIDENCE, '"vedlegg/a\\0b.md", date: 2026-10-05, kind')


def _long_name(folder: Path) -> None:
    spoil(assessment(folder, "lvs-storby"), EVIDENCE, f"vedlegg/{'a' * 300}.md, date: 2026-10-05, kind")


def _loop(folder: Path) -> None:
    vedlegg = assessment(folder, "lvs-storby").parent / "vedlegg"
    (vedlegg / "ring1").symlink_to("ring2")
    (vedlegg / "ring2").symlink_to("ring1")
    spoil(assessment(folder, "lvs-storby"), EVIDENCE, "vedlegg/ring1, date: 2026-10-05, kind")


def _far_date(folder: Path) -> None:
    spoil(assessment(folder, "lvs-storby"), EVIDENCE, "vedlegg/svartidsrapport-2026-q3.md, date: 9999-12-31, kind")


@pytest.mark.parametrize(
    ("make", "code"),
    [(_nul, "path-invalid"), (_long_name, "path-invalid"), (_loop, "path-invalid"), (_far_date, "evidence-future")],
    ids=["nul-byte", "name-over-255-bytes", "symlink-loop", "date-9999-12-31"],
)
def test_one_unusable_evidence_entry_is_one_line_and_the_others_are_shown(tmp_path: Path, make, code) -> None:
    folder = received(tmp_path)
    make(folder)
    before = snapshot(tmp_path)
    path = assessment(folder, "lvs-storby")
    check = bounded(["assess", "check", str(path), "--as-of", AS_OF], tmp_path)
    assert check.returncode == 2 and "kokom: intern" not in check.stderr, check.stderr
    [line] = check.stderr.splitlines()
    assert f"error {code}:" in line and line.startswith(str(path.relative_to(tmp_path))), line
    validate = bounded(["assess", "validate", str(folder)], tmp_path)
    assert validate.returncode == 1 and code in validate.stderr, validate.stderr
    exit_code, doc, _ = overview(folder)
    assert exit_code == 1 and shown(doc) == {"lvs-fjordby", "amk-nordvik"}
    assert failed(doc) == {str(path.relative_to(tmp_path)): [code]}
    assert snapshot(tmp_path) == before, "nothing written"


# --- confinement and identity ----------------------------------------------------------------------

SECRET = "HEMMELIG-TJENESTENAVN"


def _secret_service(tmp_path: Path) -> Path:
    """A valid service file outside the received folder, for lvs-storby, with a name that must never show."""
    secret = tmp_path / "privat" / "lvs-storby.yaml"
    secret.parent.mkdir()
    real = tmp_path / "mottatt" / "lvs-storby" / "services" / "lvs-storby.yaml"
    secret.write_text(real.read_text(encoding="utf-8").replace("Storby legevaktsentral", SECRET), encoding="utf-8")
    return secret


@pytest.mark.parametrize("how", ["absolute", "dotdot"])
def test_service_file_outside_the_folder_is_not_read(tmp_path: Path, how: str) -> None:
    folder = received(tmp_path)
    secret = _secret_service(tmp_path)
    written = str(secret) if how == "absolute" else "../../../privat/lvs-storby.yaml"
    path = assessment(folder, "lvs-storby")
    spoil(path, "service: lvs-storby\n", f"service: lvs-storby\nservice_file: {written}\n")
    check = bounded(["assess", "check", str(path), "--as-of", AS_OF], tmp_path)
    assert check.returncode == 2 and "error path-outside:" in check.stderr and SECRET not in check.stderr
    assert len(check.stderr.splitlines()) == 1, check.stderr
    exit_code, doc, stderr = overview(folder)
    assert exit_code == 1 and shown(doc) == {"lvs-fjordby", "amk-nordvik"}
    assert failed(doc) == {str(path.relative_to(tmp_path)): ["path-outside"]}
    assert SECRET not in json.dumps(doc) + stderr


def test_assessment_cannot_borrow_another_services_file(tmp_path: Path) -> None:
    """From lvs-fjordby/assessments/, `service_file:` may not reach into lvs-storby/."""
    folder = received(tmp_path)
    evil = folder / "lvs-fjordby" / "assessments" / "storby-2027.yaml"
    text = assessment(folder, "lvs-storby").read_text(encoding="utf-8")
    evil.write_text(
        text.replace(
            "service: lvs-storby\n", "service: lvs-storby\nservice_file: ../../lvs-storby/services/lvs-storby.yaml\n"
        ).replace('period: "2026"', 'period: "2027"'),
        encoding="utf-8",
    )
    exit_code, doc, _ = overview(folder)
    assert exit_code == 1 and shown(doc) == set(SERVICES)
    assert failed(doc) == {str(evil.relative_to(tmp_path)): ["path-outside"]}
    assert {s["service"]: s["period"] for s in doc["services"]}["lvs-storby"] == "2026"


def test_second_description_of_a_service_is_a_conflict_not_a_replacement(tmp_path: Path) -> None:
    """A folder `aaa/` describing lvs-storby again (read first) with a later period replaces nothing."""
    folder = received(tmp_path)
    fake = folder / "aaa"
    (fake / "services").mkdir(parents=True)
    (fake / "assessments").mkdir()
    real_service = folder / "lvs-storby" / "services" / "lvs-storby.yaml"
    (fake / "services" / "lvs-storby.yaml").write_text(
        real_service.read_text(encoding="utf-8").replace("Storby legevaktsentral", "Falsk sentral"), encoding="utf-8"
    )
    text = assessment(folder, "lvs-storby").read_text(encoding="utf-8")
    text = text.replace('period: "2026"', 'period: "2027"').replace("vedlegg/", "")
    (fake / "assessments" / "lvs-storby-2027.yaml").write_text(text, encoding="utf-8")
    exit_code, doc, _ = overview(folder)
    assert exit_code == 1 and shown(doc) == {"lvs-fjordby", "amk-nordvik"}
    conflicts = failed(doc)
    assert set(conflicts) == {
        "mottatt/aaa/assessments/lvs-storby-2027.yaml",
        str(assessment(folder, "lvs-storby").relative_to(tmp_path)),
    }
    assert all(codes == ["service-conflict"] for codes in conflicts.values())
    assert "Falsk sentral" not in json.dumps(doc["services"]) + json.dumps(doc["not_assessed"])


def test_symlinked_service_file_leaving_the_folder_is_not_followed(tmp_path: Path) -> None:
    folder = received(tmp_path)
    secret = _secret_service(tmp_path)
    link = folder / "lvs-storby" / "services" / "lvs-storby.yaml"
    link.unlink()
    link.symlink_to(secret)
    exit_code, doc, stderr = overview(folder)
    assert exit_code == 1 and shown(doc) == {"lvs-fjordby", "amk-nordvik"}
    assert failed(doc) == {
        str(link.relative_to(tmp_path)): ["path-outside"],
        str(assessment(folder, "lvs-storby").relative_to(tmp_path)): ["path-outside"],
    }
    assert SECRET not in json.dumps(doc) + stderr


def _log(calls: int) -> str:
    rows = [f"{i},116117,2026-09-01T10:00:00+02:00,2026-09-01T10:00:30+02:00\n" for i in range(calls)]
    return "call_id,line,offered_at,answered_at\n" + "".join(rows)


@pytest.mark.parametrize("written", ["~/anrop.csv", "$HOME/anrop.csv", "vedlegg/*.csv"])
def test_call_log_paths_are_never_expanded(tmp_path: Path, monkeypatch, written: str) -> None:
    folder = received(tmp_path)
    home = tmp_path / "hjem"
    home.mkdir()
    (home / "anrop.csv").write_text(_log(7), encoding="utf-8")
    monkeypatch.setenv("HOME", str(home))
    path = assessment(folder, "lvs-fjordby")
    spoil(path, "call_logs: [vedlegg/svartid-2026.csv]", f'call_logs: ["{written}"]')
    # a decoy inside the folder with the literal name, so that only expansion could make a difference
    decoy = path.parent / written.replace("*", "x")
    decoy.parent.mkdir(parents=True, exist_ok=True)
    decoy.write_text(_log(3), encoding="utf-8")
    check = bounded(["assess", "check", str(path), "--as-of", AS_OF], path.parent)
    assert " 7 anrop" not in check.stdout + check.stderr
    if written.startswith("$"):  # a folder literally named "$HOME", inside the folder: read as written
        assert " 3 anrop" in check.stdout, check.stdout
    else:
        assert check.returncode == 2 and len(check.stderr.splitlines()) == 1, check.stderr
        assert "path-outside" in check.stderr or "calllog-pattern" in check.stderr
    exit_code, doc, _ = overview(folder)
    assert {"lvs-storby", "amk-nordvik"} <= shown(doc) and exit_code == (0 if written.startswith("$") else 1)
