"""`kokom diff`: added, removed, renamed and changed requirements and procedures, each classed."""

from __future__ import annotations

import copy
import json
from pathlib import Path

import pytest
import yaml
from conftest import git

from kokom_cli.cli.main import app
from kokom_cli.editions.diff import diff_editions
from kokom_cli.workspace import open_workspace

BASE = [
    {
        "id": "TST-SVAR-01",
        "title": "90 % innen 10 sekunder",
        "text": "Svar raskt.",
        "level": "skal",
        "applies_to": ["amk"],
        "source": [{"title": "Forskriften"}],
        "verification": "metric",
        "metric": {"indicator": "answered_within", "lines": ["113"], "threshold_seconds": 10, "required_share": 0.9},
        "since": "2026.1",
    },
    {
        "id": "TST-OPPF-01",
        "title": "Egen oppfølging",
        "text": "Følg opp svartiden.",
        "level": "bør",
        "applies_to": ["amk"],
        "source": [{"title": "Veileder"}],
        "verification": "attestation",
        "since": "2026.1",
    },
    {
        "id": "TST-DOK-01",
        "title": "Rutine",
        "text": "Ha en rutine.",
        "level": "skal",
        "applies_to": ["amk", "legevaktsentral"],
        "source": [{"title": "Veileder"}],
        "verification": "document",
        "evidence": [{"kind": "document", "description": "Rutinen.", "max_age_months": 24}],
        "since": "2026.1",
    },
]

PROCEDURE = {
    "id": "PROS-TST-01",
    "title": "Mottak",
    "chapter": "mottak",
    "version": "1.0",
    "prepared_by": "Ola",
    "approved_by": "Kari",
    "approved_on": "2026-01-10",
    "valid_from": "2026-02-01",
    "review_interval_months": 12,
    "fulfils": ["TST-DOK-01"],
    "purpose": "Svare.",
    "scope": "113.",
    "responsibility": [{"role": "medisinsk_operator", "duty": "Svarer."}],
    "steps": [{"text": "Svar.", "role": "medisinsk_operator"}],
    "deviations": "Meld avvik.",
}
BOOK = {
    "id": "tst",
    "title": "Bok",
    "owner": "Redaksjonen",
    "applies_to": ["amk"],
    "edition": "2026.1",
    "chapters": [{"id": "mottak", "title": "Mottak"}],
}


def write_workspace(
    root: Path, requirements: list[dict], procedures: list[dict] | None = None, edition: str = "2026.1"
) -> Path:
    (root / "requirements").mkdir(parents=True, exist_ok=True)
    (root / "kokom.yaml").write_text(f'edition: "{edition}"\n')
    chapter = {"chapter": "test", "title": "Test", "order": 1, "requirements": requirements}
    (root / "requirements" / "01-test.yaml").write_text(yaml.safe_dump(chapter, allow_unicode=True, sort_keys=False))
    if procedures is not None:
        book = root / "procedures" / "tst"
        book.mkdir(parents=True, exist_ok=True)
        (book / "book.yaml").write_text(yaml.safe_dump(BOOK, allow_unicode=True, sort_keys=False))
        for entry in procedures:
            (book / f"{entry['id'].lower()}.yaml").write_text(
                yaml.safe_dump(entry, allow_unicode=True, sort_keys=False)
            )
    return root


def changed(tmp_path: Path, edit, procedures_old=None, procedures_new=None):
    """Diff BASE against a copy of it changed by `edit(requirements)`."""
    new = copy.deepcopy(BASE)
    edit(new)
    old_ws = open_workspace(write_workspace(tmp_path / "old", BASE, procedures_old))
    new_ws = open_workspace(write_workspace(tmp_path / "new", new, procedures_new))
    return diff_editions(old_ws, new_ws)


def only_change(diff):
    items = diff.items()
    assert len(items) == 1, [i.as_json() for i in items]
    return items[0]


@pytest.mark.parametrize(
    "index, path, value, expected",
    [
        (1, ("level",), "skal", "tightening"),
        (0, ("level",), "bør", "relaxing"),
        (0, ("metric", "threshold_seconds"), 8, "tightening"),
        (0, ("metric", "threshold_seconds"), 20, "relaxing"),
        (0, ("metric", "required_share"), 0.95, "tightening"),
        (0, ("metric", "required_share"), 0.8, "relaxing"),
        (0, ("metric", "lines"), ["113", "local"], "tightening"),
        (1, ("applies_to",), ["amk", "legevakt"], "tightening"),
        (2, ("applies_to",), ["amk"], "relaxing"),
        (1, ("verification",), "document", "tightening"),
        (2, ("verification",), "attestation", "relaxing"),
        (2, ("evidence", 0, "max_age_months"), 12, "tightening"),
        (2, ("evidence", 0, "max_age_months"), 36, "relaxing"),
        (2, ("evidence", 0, "description"), "Den skriftlige rutinen.", "editorial"),
        (1, ("text",), "Følg opp svartiden hver måned.", "editorial"),
        (1, ("title",), "Egen oppfølging av svartid", "editorial"),
        (1, ("source",), [{"title": "Ny veileder", "url": "https://example.org"}], "editorial"),
        (1, ("status",), "retired", "relaxing"),
        (1, ("conditions",), {"population_min": 50000}, "relaxing"),
    ],
)
def test_each_field_change_is_classed(tmp_path: Path, index, path, value, expected) -> None:
    def edit(reqs):
        target = reqs[index]
        for part in path[:-1]:
            target = target[part]
        target[path[-1]] = value

    item = only_change(changed(tmp_path, edit))
    assert item.id == BASE[index]["id"] and item.change_class.value == expected
    assert item in changed(tmp_path / "again", edit).changed


def test_wider_conditions_tighten(tmp_path: Path) -> None:
    base = copy.deepcopy(BASE)
    base[1]["conditions"] = {"population_min": 50000, "lines_any": ["116117"]}
    old_ws = open_workspace(write_workspace(tmp_path / "old", base))
    base[1]["conditions"] = {"population_min": 20000, "lines_any": ["116117"]}
    new_ws = open_workspace(write_workspace(tmp_path / "new", base))
    item = only_change(diff_editions(old_ws, new_ws))
    assert item.change_class.value == "tightening" and item.fields[0].field == "conditions.population_min"


def test_a_new_skal_requirement_tightens_and_a_removed_one_relaxes(tmp_path: Path) -> None:
    def edit(reqs):
        added = copy.deepcopy(reqs[2])
        added["id"] = "TST-DOK-02"
        reqs.append(added)
        del reqs[1]

    diff = changed(tmp_path, edit)
    assert [(i.id, i.change_class.value) for i in diff.added] == [("TST-DOK-02", "tightening")]
    assert [(i.id, i.change_class.value) for i in diff.removed] == [("TST-OPPF-01", "relaxing")]
    assert diff.changed == [] and diff.renamed == []


def test_change_note_states_the_class_of_a_wording_change(tmp_path: Path) -> None:
    def edit(reqs):
        reqs[1]["text"] = "Følg opp svartiden hver uke, og skriv avvik."
        reqs[1]["change_note"] = {"class": "tightening", "text": "Oppfølgingen skal nå skje hver uke."}

    item = only_change(changed(tmp_path, edit))
    assert item.change_class.value == "tightening" and item.stated
    assert item.reason == "Oppfølgingen skal nå skje hver uke."


def test_an_old_change_note_does_not_class_a_later_wording_change(tmp_path: Path) -> None:
    base = copy.deepcopy(BASE)
    base[1]["change_note"] = {"class": "tightening", "text": "Fra forrige utgave."}
    old_ws = open_workspace(write_workspace(tmp_path / "old", base))
    base[1]["text"] = "Ny ordlyd."
    new_ws = open_workspace(write_workspace(tmp_path / "new", base))
    item = only_change(diff_editions(old_ws, new_ws))
    assert item.change_class.value == "editorial" and not item.stated


def test_a_change_note_does_not_override_a_measured_class(tmp_path: Path) -> None:
    def edit(reqs):
        reqs[0]["metric"]["threshold_seconds"] = 20
        reqs[0]["change_note"] = {"class": "editorial", "text": "Bare ordlyd."}

    assert only_change(changed(tmp_path, edit)).change_class.value == "relaxing"


def test_rename_through_replaces(tmp_path: Path) -> None:
    def edit(reqs):
        successor = copy.deepcopy(reqs[0])
        successor.update(id="TST-SVAR-02", replaces=["TST-SVAR-01"])
        successor["metric"]["threshold_seconds"] = 8
        reqs[0]["status"] = "retired"
        reqs.append(successor)

    diff = changed(tmp_path, edit)
    assert diff.added == [] and diff.removed == [] and diff.changed == []
    (item,) = diff.renamed
    assert (item.replaces, item.id, item.change_class.value) == ("TST-SVAR-01", "TST-SVAR-02", "tightening")
    assert [f.field for f in item.fields] == ["metric.threshold_seconds"]


def test_rename_with_the_old_one_deleted_and_no_other_change_is_editorial(tmp_path: Path) -> None:
    def edit(reqs):
        reqs[1].update(id="TST-OPPF-02", replaces=["TST-OPPF-01"])

    (item,) = changed(tmp_path, edit).renamed
    assert item.change_class.value == "editorial" and item.fields == []


def test_procedures_added_removed_and_changed(tmp_path: Path) -> None:
    more_steps = copy.deepcopy(PROCEDURE)
    more_steps["steps"].append({"text": "Dokumenter.", "role": "medisinsk_operator"})
    more_steps["version"] = "1.1"
    added = copy.deepcopy(PROCEDURE)
    added.update(id="PROS-TST-02", title="Ny")
    diff = changed(tmp_path, lambda reqs: None, [PROCEDURE], [more_steps, added])
    assert [(i.id, i.change_class.value) for i in diff.added] == [("PROS-TST-02", "tightening")]
    (item,) = diff.changed
    assert item.kind == "procedure" and item.change_class.value == "tightening"
    assert {f.field: f.change_class.value for f in item.fields} == {"version": "editorial", "steps": "tightening"}
    gone = changed(tmp_path / "gone", lambda reqs: None, [PROCEDURE], [])
    assert [(i.id, i.kind, i.change_class.value) for i in gone.removed] == [("PROS-TST-01", "procedure", "relaxing")]


def test_a_procedures_change_note_states_what_a_reworded_step_means(tmp_path: Path) -> None:
    """Without a note a changed text is editorial; the procedure's new change_note states its class and why."""
    reworded = copy.deepcopy(PROCEDURE)
    reworded["steps"][0]["text"] = reworded["steps"][0]["text"] + " innen ett minutt"
    (plain,) = changed(tmp_path / "plain", lambda reqs: None, [PROCEDURE], [reworded]).changed
    assert plain.change_class.value == "editorial" and not plain.stated
    noted = copy.deepcopy(reworded)
    noted["change_note"] = {"class": "tightening", "text": "Steget har fått en frist."}
    (item,) = changed(tmp_path / "noted", lambda reqs: None, [PROCEDURE], [noted]).changed
    assert (item.change_class.value, item.stated, item.reason) == ("tightening", True, "Steget har fått en frist.")
    unchanged_note = changed(tmp_path / "same", lambda reqs: None, [noted], [noted])
    assert unchanged_note.changed == []  # a note from an earlier edition states nothing new


def test_cli_json_per_the_contract(runner, tmp_path: Path) -> None:
    old = write_workspace(tmp_path / "old", BASE)
    new_reqs = copy.deepcopy(BASE)
    new_reqs[1]["level"] = "skal"
    new = write_workspace(tmp_path / "new", new_reqs)
    result = runner.invoke(app, ["diff", str(old), str(new), "--json"])
    assert result.exit_code == 0, result.output
    data = json.loads(result.stdout)
    assert {"added", "removed", "changed", "renamed"} <= set(data)
    (item,) = data["changed"]
    assert item["id"] == "TST-OPPF-01" and item["class"] == "tightening"
    assert item["fields"] == [
        {"field": "level", "old": "bør", "new": "skal", "class": "tightening", "reason": "bør → skal"}
    ]
    text = runner.invoke(app, ["diff", str(old), str(new)])
    assert text.exit_code == 0 and "~ TST-OPPF-01  [skjerping]" in text.stdout and "level: bør → skal" in text.stdout


def test_cli_refuses_a_folder_that_is_not_a_workspace(runner, tmp_path: Path) -> None:
    old = write_workspace(tmp_path / "old", BASE)
    (tmp_path / "empty").mkdir()
    result = runner.invoke(app, ["diff", str(old), str(tmp_path / "empty")])
    assert result.exit_code == 2 and len(result.stderr.splitlines()) == 1
    assert "ikke et arbeidsområde" in result.stderr and result.stdout == ""


def test_git_revisions_of_the_current_repository(runner, tmp_path: Path, monkeypatch) -> None:
    repo = tmp_path / "repo"
    ws = write_workspace(repo / "krav", BASE)
    git(repo, "init", "-q")
    git(repo, "add", ".")
    git(repo, "commit", "-q", "-m", "2026.1")
    git(repo, "tag", "edition-2026.1")
    new_reqs = copy.deepcopy(BASE)
    new_reqs[0]["metric"]["threshold_seconds"] = 8
    write_workspace(ws, new_reqs, edition="2027.1")
    git(repo, "commit", "-q", "-am", "2027.1")
    monkeypatch.chdir(ws)
    result = runner.invoke(app, ["diff", "edition-2026.1", "HEAD", "--json"])
    assert result.exit_code == 0, result.output
    data = json.loads(result.stdout)
    assert [(i["id"], i["class"]) for i in data["changed"]] == [("TST-SVAR-01", "tightening")]
    # a revision against the working folder, with --root from elsewhere
    monkeypatch.chdir(tmp_path)
    mixed = runner.invoke(app, ["diff", "edition-2026.1", str(ws), "--root", str(ws), "--json"])
    assert json.loads(mixed.stdout)["changed"][0]["fields"][0]["new"] == 8
    unknown = runner.invoke(app, ["diff", "edition-1999.1", "HEAD", "--root", str(ws)])
    assert unknown.exit_code == 2 and len(unknown.stderr.splitlines()) == 1
    assert "edition-1999.1" in unknown.stderr and "git-revisjon" in unknown.stderr


def test_uncommitted_edits_are_warned_about_and_old_alone_compares_with_the_working_tree(
    runner, tmp_path: Path, monkeypatch
) -> None:
    repo = tmp_path / "repo"
    ws = write_workspace(repo / "krav", BASE)
    git(repo, "init", "-q")
    git(repo, "add", ".")
    git(repo, "commit", "-q", "-m", "2026.1")
    git(repo, "tag", "edition-2026.1")
    edited = copy.deepcopy(BASE)
    edited[0]["metric"]["threshold_seconds"] = 8
    write_workspace(ws, edited)  # saved, not committed
    monkeypatch.chdir(ws)
    committed = runner.invoke(app, ["diff", "edition-2026.1", "HEAD", "--json"])
    assert committed.exit_code == 0 and json.loads(committed.stdout)["changed"] == []
    assert "ikke er committet" in committed.stderr and "requirements/01-test.yaml" in committed.stderr
    assert "kokom diff edition-2026.1" in committed.stderr, "the warning says how to see the edits"
    working = runner.invoke(app, ["diff", "edition-2026.1", "--json"])
    assert working.exit_code == 0 and working.stderr == ""
    assert [(i["id"], i["class"]) for i in json.loads(working.stdout)["changed"]] == [("TST-SVAR-01", "tightening")]


# --- "what's new" in the handbook ---------------------------------------------------------------


@pytest.fixture
def editions(tmp_path: Path) -> tuple[Path, Path]:
    new_reqs = copy.deepcopy(BASE)
    new_reqs[0]["metric"]["threshold_seconds"] = 8
    new_reqs[2]["text"] = "Ha en skriftlig rutine."
    del new_reqs[1]
    added = copy.deepcopy(BASE[2])
    added.update(id="TST-DOK-02", title="Ny rutine")
    new_reqs.append(added)
    return write_workspace(tmp_path / "old", BASE), write_workspace(tmp_path / "new", new_reqs, edition="2027.1")


def articles(html: str) -> dict[str, str]:
    """Requirement id -> the opening tag and tag line of its article."""
    import re

    return {
        m.group(2): m.group(1)
        for m in re.finditer(r'(<article class="requirement[^"]*" id="([^"]+)".*?</p>)', html, re.S)
    }


def test_handbook_marks_changes_and_adds_the_annex(runner, editions, tmp_path: Path) -> None:
    old, new = editions
    out = tmp_path / "h.html"
    result = runner.invoke(app, ["render", "handbook", "-o", str(out), "--changes-since", str(old), "--root", str(new)])
    assert result.exit_code == 0, result.output
    html = out.read_text()
    marks = articles(html)
    assert "changed change-tightening" in marks["TST-SVAR-01"] and "ENDRET · skjerping" in marks["TST-SVAR-01"]
    assert "changed change-editorial" in marks["TST-DOK-01"] and "ENDRET · redaksjonell" in marks["TST-DOK-01"]
    assert "NY · skjerping" in marks["TST-DOK-02"]
    assert "Endret siden utgave 2026.1</a>: terskel i sekunder: 10 → 8" in html
    annex = html[html.index('id="hva-er-nytt"') : html.index('id="krav-etter-tjenestetype"')]
    assert "Hva er nytt" in annex and "Fjernede krav" in annex and "TST-OPPF-01" in annex
    assert '<a href="#hva-er-nytt">Hva er nytt</a>' in html
    plain = runner.invoke(app, ["render", "handbook", "-o", str(tmp_path / "p.html"), "--root", str(new)])
    assert plain.exit_code == 0 and "hva-er-nytt" not in (tmp_path / "p.html").read_text()
    assert "changed" not in "".join(articles((tmp_path / "p.html").read_text()).values())


def test_whats_new_in_english_and_in_print(runner, editions, tmp_path: Path) -> None:
    import pypdf

    old, new = editions
    out = tmp_path / "h.pdf"
    result = runner.invoke(
        app,
        [
            "render",
            "handbook",
            "-f",
            "pdf",
            "-o",
            str(out),
            "--lang",
            "en",
            "--changes-since",
            str(old),
            "--root",
            str(new),
        ],
    )
    assert result.exit_code == 0, result.output
    text = " ".join(page.extract_text() for page in pypdf.PdfReader(out).pages)
    assert "What's new" in text and "CHANGED · tightening" in text and "NEW · tightening" in text


def test_changes_since_an_unknown_edition_is_one_line(runner, editions, tmp_path: Path) -> None:
    _, new = editions
    out = tmp_path / "h.html"
    result = runner.invoke(app, ["render", "handbook", "-o", str(out), "--changes-since", "nope", "--root", str(new)])
    assert result.exit_code == 2 and len(result.stderr.splitlines()) == 1 and "nope" in result.stderr
    assert not out.exists()
