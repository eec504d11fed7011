"""Loading a service and an assessment, and checking the assessment against the corpus before evaluation.

Everything that makes an assessment unreadable is collected into one
KokomError (exit 2), each finding at its position: schema errors, another
edition, a service file that cannot be found or names another id, unknown
requirement ids (with "did you mean"), answers or waivers for requirements
that do not apply to the service, measured values that do not fit the
requirement, and file paths that leave the assessment's folder (`../`,
absolute paths, symlinks pointing outside).
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, replace
from pathlib import Path
from typing import TYPE_CHECKING

from kokom_cli.assessments.applicability import Applicability, applicability, listed
from kokom_cli.assessments.evaluate import add_months, evaluate
from kokom_cli.assessments.models import Assessment, Service
from kokom_cli.assessments.paths import path_findings
from kokom_cli.assessments.results import Evaluation
from kokom_cli.assessments.services import (
    line_findings,
    resolve_service,
)
from kokom_cli.calllog.verdict import Claimed, Measurement, from_typed
from kokom_cli.config import CallLogMapping
from kokom_cli.core.findings import Finding, KokomError, Severity, display_path
from kokom_cli.core.i18n import tr
from kokom_cli.requirements.corpus import Corpus, unknown_id_finding
from kokom_cli.requirements.models import Chapter, Indicator, Requirement
from kokom_cli.workspace import Workspace
from kokom_cli.yaml.document import YamlDocument
from kokom_cli.yaml.reader import load_yaml
from kokom_cli.yaml.schema_check import check_model

if TYPE_CHECKING:
    from kokom_cli.calllog.memo import RunMemo

MAX_SUGGESTED = 50  # unknown ids per file that get a "did you mean"


@dataclass
class LoadedAssessment:
    """An assessment that passed every input check, with its service and the requirements of its kind."""

    assessment: Assessment
    doc: YamlDocument
    service: Service
    service_path: Path
    items: list[tuple[Requirement, Chapter | None, Applicability]]
    call_logs: dict[str, list[Path]]  # metric requirement id -> call-log files
    missing_files: frozenset[str]  # evidence files, as written, that do not exist

    @property
    def folder(self) -> Path:
        return self.doc.path.parent


def _measured_findings(doc: YamlDocument, req: Requirement, answer, where: tuple) -> list[Finding]:
    """A typed figure must give what the requirement measures."""
    out: list[Finding] = []
    if answer.measured is not None and req.metric is not None:
        needed = "max_wait_seconds" if req.metric.indicator is Indicator.max_wait else "share"
        if getattr(answer.measured, needed) is None:
            out.append(
                doc.finding(
                    (*where, "measured"),
                    "measured-incomplete",
                    tr(
                        f"{req.id} måler {req.metric.indicator.value}: oppgi `{needed}:`",
                        f"{req.id} measures {req.metric.indicator.value}: give `{needed}:`",
                        f"{req.id} måler {req.metric.indicator.value}: oppgi `{needed}:`",
                    ),
                )
            )
    return out


def _answer_findings(doc: YamlDocument, assessment: Assessment, corpus: Corpus, service: Service) -> list[Finding]:
    """Unknown ids, answers and waivers for requirements that do not apply, misplaced measurements."""
    known = corpus.requirements
    out: list[Finding] = []
    unknown = 0

    def check_id(req_id: str, loc: tuple, *, key: bool) -> Requirement | None:
        nonlocal unknown
        req = known.get(req_id)
        if req is None:
            line, column = doc.position(loc, key=key)
            unknown += 1  # "did you mean" helps with a few typos; past that it only costs time
            out.append(unknown_id_finding(doc.display, line, column, req_id, known if unknown <= MAX_SUGGESTED else ()))
            return None
        applies = applicability(req, service)
        if not applies.applies:
            out.append(
                doc.finding(
                    loc,
                    "not-applicable-answer",
                    tr(
                        f"{req_id} gjelder ikke {service.id} ({applies.reason}); fjern det",
                        f"{req_id} does not apply to {service.id} ({applies.reason}); remove it",
                        f"{req_id} gjeld ikkje {service.id} ({applies.reason}); fjern det",
                    ),
                    key=key,
                )
            )
            return None
        return req

    for req_id, answer in assessment.answers.items():
        req = check_id(req_id, ("answers", req_id), key=True)
        if req is None or answer is None:
            continue
        where = ("answers", req_id)
        if req.metric is None:
            for name in ("measured", "call_logs"):
                if getattr(answer, name) is not None:
                    out.append(
                        doc.finding(
                            (*where, name),
                            "not-a-metric",
                            tr(
                                f"{req_id} måles ikke (verification: {req.verification.value}); fjern `{name}:`",
                                f"{req_id} is not measured (verification: {req.verification.value}); remove `{name}:`",
                                f"{req_id} blir ikkje målt (verification: {req.verification.value}); fjern `{name}:`",
                            ),
                            key=True,
                        )
                    )
            continue
        out += _measured_findings(doc, req, answer, where)
    seen: set[str] = set()
    for index, waiver in enumerate(assessment.waivers):
        loc = ("waivers", index, "requirement")
        if waiver.requirement in seen:
            out.append(
                doc.finding(
                    loc,
                    "waiver-duplicate",
                    tr(
                        f"{waiver.requirement} har allerede et unntak; slå dem sammen",
                        f"{waiver.requirement} already has a waiver; merge them",
                        f"{waiver.requirement} har allereie eit unntak; slå dei saman",
                    ),
                )
            )
        seen.add(waiver.requirement)
        check_id(waiver.requirement, loc, key=False)
    return out


def _date_findings(doc: YamlDocument, assessment: Assessment) -> list[Finding]:
    """Evidence dated more than a year after the assessment itself (such as 9999-12-31), and a waiver that expires
    before it was approved, are typing errors."""
    out, latest = [], add_months(assessment.date, 12)
    for req_id, answer in assessment.answers.items():
        for index, ev in enumerate(answer.evidence if answer else []):
            if ev.date > latest:
                out.append(
                    doc.finding(
                        ("answers", req_id, "evidence", index, "date"),
                        "evidence-future",
                        tr(
                            f"dokumentasjonen er datert {ev.date.isoformat()}, mer enn et år etter "
                            f"vurderingens dato ({assessment.date.isoformat()}); rett datoen",
                            f"the evidence is dated {ev.date.isoformat()}, more than a year after the "
                            f"assessment's date ({assessment.date.isoformat()}); correct the date",
                            f"dokumentasjonen er datert {ev.date.isoformat()}, meir enn eitt år etter "
                            f"datoen for vurderinga ({assessment.date.isoformat()}); rett datoen",
                        ),
                    )
                )
    for index, waiver in enumerate(assessment.waivers):
        if waiver.approved_on is not None and waiver.expires < waiver.approved_on:
            out.append(
                doc.finding(
                    ("waivers", index, "expires"),
                    "waiver-expires-before-approval",
                    tr(
                        f"unntaket går ut {waiver.expires}, før det ble godkjent ({waiver.approved_on}); "
                        "rett en av datoene",
                        f"the waiver expires on {waiver.expires}, before it was approved ({waiver.approved_on}); "
                        "correct one of the dates",
                        f"unntaket går ut {waiver.expires}, før det blei godkjent ({waiver.approved_on}); "
                        "rett ein av datoane",
                    ),
                )
            )
    return out


def _call_logs(assessment: Assessment, items, folder: Path) -> dict[str, list[Path]]:
    """Metric requirement id -> its call-log files: the answer's own, else the assessment's. Logs always win over
    a typed `measured:` figure, which is then only shown beside them."""
    out = {}
    for req, _, applies in items:
        if req.metric is None or not applies.applies:
            continue
        answer = assessment.answers.get(req.id)
        files = answer.call_logs if answer and answer.call_logs is not None else assessment.call_logs
        if files:  # absolute, so that nothing down the line can read a leading '~' as a home folder
            out[req.id] = [folder.absolute() / f for f in files]
    return out


def load_assessment(path: Path, workspace: Workspace, corpus: Corpus) -> LoadedAssessment:
    """Read and cross-check an assessment. Raises KokomError with every problem found."""
    return check_document(load_yaml(path, display_path(path)), workspace, corpus)


def _mismatch_message(display: str, assessed: str, current: str) -> str:
    """What to do when an assessment's edition is not the workspace's: migrate it, or move the workspace on."""
    if tuple(int(x) for x in assessed.split(".")) > tuple(int(x) for x in current.split(".")):
        return tr(
            f"vurderingen er for utgave {assessed}, men kravene er utgave {current}; sett `national:` i "
            f"kokom.yaml til utgave {assessed} (f.eks. rev: edition-{assessed})",
            f"the assessment is for edition {assessed}, but the requirements are edition {current}; point "
            f"`national:` in kokom.yaml at edition {assessed} (e.g. rev: edition-{assessed})",
            f"vurderinga er for utgåve {assessed}, men krava er utgåve {current}; set `national:` i "
            f"kokom.yaml til utgåve {assessed} (t.d. rev: edition-{assessed})",
        )
    return tr(
        f"vurderingen er for utgave {assessed}, men kravene er utgave {current}; "
        f"før svarene over med `kokom assess migrate {display} --to {current}`",
        f"the assessment is for edition {assessed}, but the requirements are edition {current}; "
        f"carry the answers over with `kokom assess migrate {display} --to {current}`",
        f"vurderinga er for utgåve {assessed}, men krava er utgåve {current}; "
        f"før svara over med `kokom assess migrate {display} --to {current}`",
    )


def check_document(
    doc: YamlDocument, workspace: Workspace, corpus: Corpus, *, within: Path | None = None
) -> LoadedAssessment:
    """`load_assessment` for a document already read, e.g. one about to be written at `doc.path`.

    `within` is the received folder being read (by `kokom overview`): the service file is never looked for above it.
    """
    assessment, findings = check_model(doc, Assessment)
    if findings:
        raise KokomError(findings)
    assert assessment is not None
    if corpus.findings and any(f.severity is Severity.error for f in corpus.findings):
        raise KokomError([f for f in corpus.findings if f.severity is Severity.error])
    if assessment.edition != workspace.edition:
        findings.append(
            doc.finding(
                ("edition",),
                "edition-mismatch",
                _mismatch_message(doc.display, assessment.edition, workspace.edition),
            )
        )
    service, service_path = resolve_service(doc, assessment, workspace, within)
    findings += line_findings(service, load_yaml(service_path, display_path(service_path)), corpus)
    findings += _answer_findings(doc, assessment, corpus, service)
    findings += _date_findings(doc, assessment)
    path_problems, missing = path_findings(doc, assessment)
    findings += path_problems
    if findings:
        raise KokomError(sorted(findings, key=lambda f: (f.line, f.column)))
    items = [(item.requirement, item.chapter, applicability(item.requirement, service)) for item in corpus.located]
    items = [item for item in items if listed(item[2])]
    return LoadedAssessment(
        assessment, doc, service, service_path, items, _call_logs(assessment, items, doc.path.parent), missing
    )


def measurements(
    loaded: LoadedAssessment, mapping: CallLogMapping | None = None, memo: RunMemo | None = None
) -> dict[str, Measurement]:
    """Figures for every metric requirement: from its call logs when it has any (a typed figure then shown beside
    them), else as typed into the answer (claimed). A log that cannot be read gives an `error` measurement.
    `memo` is shared across assessments in one run so each log is read once."""
    from kokom_cli.calllog.metrics import measure_requirements

    jobs = [(req, loaded.call_logs[req.id]) for req, _, _ in loaded.items if req.metric and req.id in loaded.call_logs]
    from_logs = measure_requirements(jobs, mapping, memo) if jobs else {}
    out = {}
    for req, _, _ in loaded.items:
        if req.metric is None:
            continue
        answer = loaded.assessment.answers.get(req.id)
        typed = answer.measured if answer is not None else None
        if req.id in from_logs:
            m = from_logs[req.id]
            if typed is not None:
                m = replace(m, claimed=Claimed.typed(typed.calls, typed.share, typed.max_wait_seconds))
            out[req.id] = m
        elif typed is not None:
            out[req.id] = from_typed(req.metric, typed.calls, typed.share, typed.max_wait_seconds)
    return out


def check_assessment(path: Path, workspace: Workspace, corpus: Corpus, *, as_of: dt.date) -> Evaluation:
    """Load, cross-check, measure and evaluate one assessment file."""
    loaded = load_assessment(path, workspace, corpus)
    from kokom_cli.competence.assessment import (
        assessment_verdicts,
    )  # the staff register decides competence requirements

    a = loaded.assessment
    competence = assessment_verdicts(
        loaded.folder, a.staff_register, a.service, workspace, corpus.requirements, as_of=as_of, assessment=path
    )
    return evaluate(
        loaded.items,
        loaded.service,
        loaded.assessment,
        as_of=as_of,
        measurements=measurements(loaded, workspace.config.call_log),
        missing_files=loaded.missing_files,
        competence=competence,
    )
