"""The advisor's verification of an answer, written into the assessment as a round-trip edit.

`verify_answer` sets `answers.<ID>.verification` (status, comment, by, date)
in the service's file, keeping its comments, order and quoting; the edited
file must still load and check against the corpus before it is written
(atomically, under a lock in the assessment's folder). An advisor who agrees
gives the service's own status; one who disputes gives another (by default
`not_met` for an answer given as met or partial).
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path

from ruamel.yaml.comments import CommentedMap

from kokom_cli.assessments.loading import check_document
from kokom_cli.assessments.models import AnswerStatus, Assessment
from kokom_cli.core.findings import KokomError, display_path
from kokom_cli.core.i18n import tr
from kokom_cli.core.locking import workspace_lock
from kokom_cli.editing.changes import Change, EditSet, write_edits
from kokom_cli.requirements.corpus import Corpus
from kokom_cli.workspace import Workspace
from kokom_cli.yaml.reader import parse_yaml


def _usage(option: str, message: str) -> KokomError:
    return KokomError.at(option, "usage", message)


def advisor_status(service_status: AnswerStatus | None, agree: bool, status: str | None) -> AnswerStatus:
    """The status the advisor records: the service's own when agreeing; another one when disputing."""
    if agree:
        if service_status is None:
            raise _usage(
                "--agree",
                tr(
                    "svaret har ingen status å være enig i",
                    "the answer has no status to agree with",
                    "svaret har ingen status å vere samd i",
                ),
            )
        if status is not None and status != service_status.value:
            raise _usage(
                "--status",
                tr(
                    "--agree tar tjenestens egen status",
                    "--agree takes the service's own status",
                    "--agree tek den eigne statusen til tenesta",
                ),
            )
        return service_status
    if status is not None:
        chosen = AnswerStatus(status)
    elif service_status in (AnswerStatus.met, AnswerStatus.partial):
        chosen = AnswerStatus.not_met
    else:
        raise _usage(
            "--status",
            tr(
                "oppgi din vurdering med --status (met, partial, not_met, not_applicable)",
                "give your own judgement with --status (met, partial, not_met, not_applicable)",
                "oppgi vurderinga di med --status (met, partial, not_met, not_applicable)",
            ),
        )
    if chosen == service_status:
        raise _usage(
            "--dispute",
            tr(
                f"tjenesten har selv svart {chosen.value}; bruk --agree",
                f"the service answered {chosen.value}; use --agree",
                f"tenesta har sjølv svart {chosen.value}; bruk --agree",
            ),
        )
    return chosen


def plan_verification(
    path: Path, req_id: str, verdict: AnswerStatus, note: str | None, by: str, day: dt.date
) -> Change:
    """The edit that records the verification of `req_id` (nothing is written)."""
    edits = EditSet()
    file = edits.open(path, Assessment)
    answers = file.data.get("answers") if isinstance(file.data, dict) else None
    if not isinstance(answers, dict) or not isinstance(answers.get(req_id), dict):
        raise KokomError.at(
            file.display,
            "verify-unanswered",
            tr(
                f"{req_id} er ikke besvart i vurderingen; det er ingenting å verifisere",
                f"{req_id} is not answered in the assessment; there is nothing to verify",
                f"{req_id} er ikkje svart på i vurderinga; det er ingenting å verifisere",
            ),
        )
    value = CommentedMap([("status", verdict.value)])
    if note:
        value["comment"] = note
    value["by"] = by
    value["date"] = day
    edits.set(
        file,
        ("answers", req_id, "verification"),
        value,
        order=["status", "justification", "evidence", "action", "verification"],
    )
    changes = edits.changes()
    if not changes:
        raise KokomError.at(
            file.display,
            "verify-unchanged",
            tr(
                "verifiseringen står der allerede",
                "the verification is there already",
                "verifiseringa står der allereie",
            ),
        )
    return changes[0]


def verify_answer(
    path: Path,
    req_id: str,
    workspace: Workspace,
    corpus: Corpus,
    *,
    agree: bool,
    status: str | None,
    note: str | None,
    by: str,
    day: dt.date,
    dry_run: bool = False,
) -> Change:
    """Record the advisor's verification of `req_id` in the assessment at `path`; the change made."""
    if path.is_symlink():
        raise KokomError.at(
            display_path(path),
            "output-symlink",
            tr(
                "vurderingen er en symbolsk lenke; kokom redigerer ikke gjennom lenker",
                "the assessment is a symbolic link; kokom does not edit through links",
                "vurderinga er ei symbolsk lenkje; kokom redigerer ikkje gjennom lenkjer",
            ),
        )
    loaded = check_document(parse_yaml(path.read_bytes(), path, display_path(path)), workspace, corpus)
    answer = loaded.assessment.answers.get(req_id)
    if req_id not in loaded.assessment.answers:
        known = [req.id for req, _, _ in loaded.items]
        from kokom_cli.core.suggest import did_you_mean

        raise KokomError.at(
            "ID",
            "unknown-requirement",
            tr(
                f"'{req_id}' er ikke besvart i vurderingen{did_you_mean(req_id, known)}",
                f"'{req_id}' is not answered in the assessment{did_you_mean(req_id, known)}",
                f"'{req_id}' er ikkje svart på i vurderinga{did_you_mean(req_id, known)}",
            ),
        )
    verdict = advisor_status(answer.status if answer else None, agree, status)
    with workspace_lock(path.parent):
        change = plan_verification(path, req_id, verdict, note, by, day)
        # the edited file must still load and check, or nothing is written
        check_document(parse_yaml(change.new, path, change.file.display), workspace, corpus)
        if not dry_run:
            write_edits([change])
    return change
