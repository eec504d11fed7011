"""Carrying a self-assessment forward to a new edition of the requirements.

Per answered requirement, by the classified diff between the two editions:

- unchanged, or changed editorially only: the answer is kept as it is;
- renamed (`replaces`): the answer moves to the new id, kept or reset by the
  class of the rename;
- relaxed, where the answer was `met`: kept (what met the stricter
  requirement meets the milder one);
- otherwise tightened or relaxed (a substantive change, e.g. a new
  threshold): the answer is reset for re-assessment: `status` emptied, the advisor's
  verification removed, and the old status and justification kept in
  `justification` as a note (the assessment format has no other free-text
  place for it); evidence, action, measured figures and call logs stay, since
  they are still facts about the service;
- removed or retired, or no longer applying to the service: dropped (and
  listed), with its waiver;
- requirements new to the service in the new edition are added unanswered.

The file is rewritten in round-trip mode, so comments and layout of the kept
answers survive. `edition:` is set to the new edition.
"""

from __future__ import annotations

import io
from dataclasses import dataclass, field
from pathlib import Path

from ruamel.yaml.comments import CommentedMap, CommentedSeq
from ruamel.yaml.scalarstring import DoubleQuotedScalarString

from kokom_cli.assessments.applicability import applicability
from kokom_cli.assessments.loading import LoadedAssessment, check_document, load_assessment
from kokom_cli.assessments.models import Assessment
from kokom_cli.core.findings import KokomError, display_path
from kokom_cli.core.i18n import tr
from kokom_cli.editions.diff import EDITORIAL, RELAXING, EditionDiff, ItemChange, class_label, diff_editions
from kokom_cli.editions.opening import edition_workspace, tag_name
from kokom_cli.requirements.corpus import Corpus, workspace_corpus
from kokom_cli.requirements.models import ChangeClass, Requirement
from kokom_cli.workspace import Workspace
from kokom_cli.yaml.reader import load_yaml, parse_yaml
from kokom_cli.yaml.roundtrip import remove_key, rename_key, round_trip_load
from kokom_cli.yaml.schema_check import check_model


@dataclass(frozen=True)
class Reset:
    id: str
    change_class: ChangeClass
    reason: str
    old_status: str | None


@dataclass(frozen=True)
class Dropped:
    id: str
    reason: str


@dataclass
class Migration:
    """What the migration did, and the new assessment's text."""

    old_edition: str
    new_edition: str
    text: str = ""
    kept: list[str] = field(default_factory=list)
    kept_editorial: list[str] = field(default_factory=list)
    kept_relaxed: list[str] = field(default_factory=list)  # relaxed requirements that were met
    reset: list[Reset] = field(default_factory=list)
    renamed: list[tuple[str, str]] = field(default_factory=list)
    dropped: list[Dropped] = field(default_factory=list)
    added: list[str] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)  # what to do next, for the person running the migration

    def as_json(self) -> dict:
        return {
            "from": self.old_edition,
            "to": self.new_edition,
            "kept": self.kept,
            "kept_editorial": self.kept_editorial,
            "kept_relaxed": self.kept_relaxed,
            "reset": [
                {"id": r.id, "class": r.change_class.value, "reason": r.reason, "old_status": r.old_status}
                for r in self.reset
            ],
            "renamed": [{"old": old, "new": new} for old, new in self.renamed],
            "dropped": [{"id": d.id, "reason": d.reason} for d in self.dropped],
            "added": self.added,
        }


def _note(old_edition: str, status: str | None, justification: str | None) -> str:
    said = tr(
        f"Tidligere svar (utgave {old_edition}): {status or tr('ubesvart', 'unanswered', 'usvart')}.",
        f"Earlier answer (edition {old_edition}): {status or tr('ubesvart', 'unanswered', 'usvart')}.",
        f"Tidlegare svar (utgåve {old_edition}): {status or tr('ubesvart', 'unanswered', 'usvart')}.",
    )
    return f"{said} {justification.strip()}" if justification else said


def _comment_before(mapping: CommentedMap, key: str, text: str, indent: int) -> None:
    mapping.yaml_set_comment_before_after_key(key, before=text, indent=indent)


@dataclass
class _Carry:
    """One migration under way: the round-trip answers being rewritten, and what was done to each."""

    loaded: LoadedAssessment
    out: Migration
    answers: CommentedMap
    waivers: list
    indent: int

    def drop_reason(self, old_id: str, new_id: str, req: Requirement | None) -> str | None:
        """Why the answer to `old_id` cannot be carried (removed, no longer applying, a clash), or None."""
        if req is None:
            return tr("kravet er fjernet", "the requirement is removed", "kravet er fjerna")
        applies = applicability(req, self.loaded.service)
        if not applies.applies:
            return applies.reason
        if new_id != old_id and new_id in self.answers:
            return tr(
                f"erstattet av {new_id}, som alt er besvart",
                f"replaced by {new_id}, which is answered already",
                f"erstatta av {new_id}, som alt er svart på",
            )
        return None

    def drop(self, old_id: str, why: str) -> None:
        remove_key(self.answers, old_id)
        self.out.dropped.append(Dropped(old_id, why))
        for waiver in [w for w in self.waivers if isinstance(w, dict) and w.get("requirement") == old_id]:
            self.waivers.remove(waiver)

    def rename(self, old_id: str, new_id: str) -> None:
        rename_key(self.answers, old_id, new_id)
        self.out.renamed.append((old_id, new_id))
        for waiver in self.waivers:
            if isinstance(waiver, dict) and waiver.get("requirement") == old_id:
                waiver["requirement"] = new_id

    def carry(self, old_id: str, new_id: str, change: ItemChange | None) -> None:
        """Keep the answer, or reset it for re-assessment, by the class of the change."""
        old = self.loaded.assessment.answers.get(old_id)
        status = old.status.value if old and old.status else None
        if change is None:
            self.out.kept.append(new_id)
        elif change.change_class is EDITORIAL:
            self.out.kept_editorial.append(new_id)
        elif change.change_class is RELAXING and status == "met":
            self.out.kept_relaxed.append(new_id)
        else:
            self.reset(new_id, change, status, old.justification if old else None)

    def reset(self, new_id: str, change: ItemChange, status: str | None, justification: str | None) -> None:
        answer = self.answers[new_id]
        if isinstance(answer, CommentedMap):
            answer["status"] = None
            answer["justification"] = _note(self.out.old_edition, status, justification)
            if "verification" in answer:
                remove_key(answer, "verification")
        label, edition = class_label(change.change_class), self.out.new_edition
        _comment_before(
            self.answers,
            new_id,
            tr(
                f"Vurder på nytt (utgave {edition}): {label}: {change.reason}",
                f"Assess again (edition {edition}): {label}: {change.reason}",
                f"Vurder på nytt (utgåve {edition}): {label}: {change.reason}",
            ),
            self.indent,
        )
        self.out.reset.append(Reset(new_id, change.change_class, change.reason, status))

    def add_new(self, old_corpus: Corpus, new_corpus: Corpus) -> None:
        """A blank answer, in corpus order, for every requirement that applies now and did not before."""
        service, order = self.loaded.service, [item.requirement.id for item in new_corpus.located]
        for position, req_id in enumerate(order):
            req, before = new_corpus.requirements[req_id], old_corpus.requirements.get(req_id)
            if req_id in self.answers or not applicability(req, service).applies:
                continue
            if before is not None and applicability(before, service).applies:
                continue  # applied before and was left unanswered: not ours to add
            blank = CommentedMap([("status", None), ("justification", None), ("evidence", CommentedSeq())])
            blank["evidence"].fa.set_flow_style()
            earlier = [k for k in order[:position] if k in self.answers]
            at = list(self.answers).index(earlier[-1]) + 1 if earlier else len(self.answers)
            self.answers.insert(at, req_id, blank)
            _comment_before(
                self.answers,
                req_id,
                tr(
                    f"Nytt krav i utgave {self.out.new_edition} ({req.level.value}): {req.title}",
                    f"New in edition {self.out.new_edition} ({req.level.value}): {req.title}",
                    f"Nytt krav i utgåve {self.out.new_edition} ({req.level.value}): {req.title}",
                ),
                self.indent,
            )
            self.out.added.append(req_id)


def migrate(
    loaded: LoadedAssessment, raw: bytes, old_corpus: Corpus, new_corpus: Corpus, diff: EditionDiff, new_edition: str
) -> Migration:
    """Carry `loaded` (checked against the old edition; `raw` is its file) forward to `new_edition`."""
    out = Migration(loaded.assessment.edition, new_edition)
    yaml, data = round_trip_load(raw, loaded.doc.display)
    changes = {item.id: item for item in diff.changed if item.kind == "requirement"}
    renames = {item.replaces: item for item in diff.renamed if item.kind == "requirement"}
    if not isinstance(data.get("answers"), CommentedMap):
        data["answers"] = CommentedMap()
    carry = _Carry(loaded, out, data["answers"], data.get("waivers") or [], yaml.map_indent or 2)
    for old_id in list(carry.answers):
        rename = renames.get(old_id)
        new_id = rename.id if rename else old_id
        why = carry.drop_reason(old_id, new_id, new_corpus.requirements.get(new_id))
        if why is not None:
            carry.drop(old_id, why)
            continue
        if new_id != old_id:
            carry.rename(old_id, new_id)
        carry.carry(old_id, new_id, rename or changes.get(old_id))
    carry.add_new(old_corpus, new_corpus)
    if "waivers" in data and carry.waivers == [] and loaded.assessment.waivers:
        remove_key(data, "waivers")  # every waiver went with its requirement
    data["edition"] = DoubleQuotedScalarString(new_edition)
    stream = io.StringIO()
    yaml.dump(data, stream)
    out.text = stream.getvalue()
    return out


def migrate_file(assessment: Path, to: str, old: str | None, current: Workspace) -> Migration:
    """Carry the assessment file to the edition `to`, and check the result against that edition.

    The assessment's own edition is `old` (a folder or git revision), else the
    tag of the edition it names. Services are looked up beside the assessment
    and in the current workspace. Nothing is written; raises KokomError when
    an edition cannot be opened or the result would not check cleanly.
    """
    doc = load_yaml(assessment, display_path(assessment))
    parsed, findings = check_model(doc, Assessment)
    if findings:
        raise KokomError(findings)
    assert parsed is not None
    old_spec = old or (parsed.edition if current.local else tag_name(parsed.edition))
    hint = tr(
        f"oppgi vurderingens utgave ({parsed.edition}) med --from MAPPE|REVISJON",
        f"give the assessment's edition ({parsed.edition}) with --from FOLDER|REVISION",
        f"oppgi utgåva til vurderinga ({parsed.edition}) med --from MAPPE|REVISJON",
    )
    with (
        edition_workspace(to, current) as new_ws,
        edition_workspace(old_spec, current, hint=None if old else hint) as old_ws,
    ):
        if new_ws.edition == parsed.edition:
            raise KokomError.at(
                "--to",
                "usage",
                tr(
                    f"vurderingen er allerede for utgave {parsed.edition}",
                    f"the assessment is for edition {parsed.edition} already",
                    f"vurderinga er allereie for utgåve {parsed.edition}",
                ),
            )
        old_corpus, new_corpus = workspace_corpus(old_ws), workspace_corpus(new_ws)
        old_here = old_ws if old_ws.local else Workspace(current.root, old_ws.config)
        new_here = new_ws if new_ws.local else Workspace(current.root, new_ws.config)
        loaded = load_assessment(assessment, old_here, old_corpus)
        diff = diff_editions(old_ws, new_ws, old_spec, to)
        result = migrate(loaded, doc.path.read_bytes(), old_corpus, new_corpus, diff, new_ws.edition)
        check_document(
            parse_yaml(result.text.encode(), assessment, display_path(assessment)),
            new_here,
            new_corpus,
        )
    return result
