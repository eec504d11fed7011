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
import os
import re
from dataclasses import dataclass
from pathlib import Path, PurePosixPath, PureWindowsPath

from kokom_cli.assessments.applicability import Applicability, applicability, listed
from kokom_cli.assessments.evaluate import Evaluation, Measurement, evaluate
from kokom_cli.assessments.models import Assessment, Service
from kokom_cli.core.findings import Finding, KokomError, Severity, display_path
from kokom_cli.core.i18n import tr
from kokom_cli.requirements.corpus import Corpus, unknown_id_finding
from kokom_cli.requirements.models import CallLogMapping, Chapter, Indicator, Requirement
from kokom_cli.workspace import Workspace
from kokom_cli.yaml.reader import YamlDocument, load_yaml
from kokom_cli.yaml.schema_check import check_model


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


def load_service(path: Path) -> tuple[Service, YamlDocument]:
    doc = load_yaml(path, display_path(path))
    service, findings = check_model(doc, Service)
    if findings:
        raise KokomError(findings)
    assert service is not None
    return service, doc


def service_candidates(assessment_path: Path, service_id: str, workspace: Workspace) -> list[Path]:
    """Where `service: <id>` is looked for when no `service_file:` is given."""
    out = [assessment_path.parent.parent / "services" / f"{service_id}.yaml"]
    if workspace.root is not None:
        out.append(workspace.root / "services" / f"{service_id}.yaml")
    return list({p.resolve(): p for p in out}.values())


def _resolve_service(doc: YamlDocument, assessment: Assessment, workspace: Workspace) -> tuple[Service, Path]:
    if assessment.service_file:
        path = doc.path.parent / assessment.service_file
        if not path.is_file():
            raise KokomError(
                doc.finding(
                    ("service_file",),
                    "service-missing",
                    tr(
                        f"finner ikke tjenestefilen {assessment.service_file} (regnet fra vurderingens mappe)",
                        f"the service file {assessment.service_file} does not exist (relative to the assessment's folder)",
                    ),
                )
            )
    else:
        candidates = service_candidates(doc.path, assessment.service, workspace)
        path = next((p for p in candidates if p.is_file()), None)
        if path is None:
            tried = ", ".join(display_path(p) for p in candidates)
            raise KokomError(
                doc.finding(
                    ("service",),
                    "service-missing",
                    tr(
                        f"finner ikke tjenesten '{assessment.service}' (prøvde {tried}); legg den der, "
                        "eller oppgi `service_file:`",
                        f"cannot find service '{assessment.service}' (tried {tried}); put it there or give `service_file:`",
                    ),
                )
            )
    service, _ = load_service(path)
    if service.id != assessment.service:
        raise KokomError(
            doc.finding(
                ("service",),
                "service-mismatch",
                tr(
                    f"vurderingen gjelder '{assessment.service}', men {display_path(path)} beskriver '{service.id}'",
                    f"the assessment is for '{assessment.service}', but {display_path(path)} describes '{service.id}'",
                ),
            )
        )
    return service, path


def service_file_entry(service_path: Path, assessment_path: Path, service_id: str, workspace: Workspace) -> str | None:
    """The `service_file:` an assessment saved at `assessment_path` needs to reach `service_path`.

    None when `service: <id>` finds that file anyway (see `service_candidates`).
    """
    if any(
        p.resolve() == service_path.resolve()
        for p in service_candidates(assessment_path, service_id, workspace)
        if p.is_file()
    ):
        return None
    return Path(os.path.relpath(service_path.absolute(), assessment_path.absolute().parent)).as_posix()


def inside_folder(doc: YamlDocument, loc: tuple, written: str, folder: Path) -> Finding | None:
    """A finding when `written` (a path relative to `folder`) could reach outside `folder`."""
    why = None
    if PurePosixPath(written).is_absolute() or PureWindowsPath(written).is_absolute() or PureWindowsPath(written).drive:
        why = tr("er en absolutt sti", "is an absolute path")
    elif ".." in re.split(r"[\\/]", written):
        why = tr("går opp med '..'", "goes up with '..'")
    elif not (folder / written).resolve().is_relative_to(folder.resolve()):
        why = tr("peker (via en symbolsk lenke) ut av mappen", "points (through a symbolic link) out of the folder")
    if why is None:
        return None
    return doc.finding(
        loc,
        "path-outside",
        tr(
            f"stien '{written}' {why}; filer må ligge i vurderingens mappe ({display_path(folder)}) eller under den",
            f"the path '{written}' {why}; files must be in the assessment's folder ({display_path(folder)}) or below it",
        ),
    )


def _answer_findings(doc: YamlDocument, assessment: Assessment, corpus: Corpus, service: Service) -> list[Finding]:
    """Unknown ids, answers and waivers for requirements that do not apply, misplaced measurements."""
    known = corpus.requirements
    out: list[Finding] = []

    def check_id(req_id: str, loc: tuple, *, key: bool) -> Requirement | None:
        req = known.get(req_id)
        if req is None:
            line, column = doc.position(loc, key=key)
            out.append(unknown_id_finding(doc.display, line, column, req_id, known))
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
                            ),
                            key=True,
                        )
                    )
            continue
        if answer.measured is not None and answer.call_logs is not None:
            out.append(
                doc.finding(
                    (*where, "measured"),
                    "measured-twice",
                    tr(
                        "oppgi enten `measured:` eller `call_logs:`, ikke begge",
                        "give `measured:` or `call_logs:`, not both",
                    ),
                    key=True,
                )
            )
        elif answer.measured is not None:
            needed = "max_wait_seconds" if req.metric.indicator is Indicator.max_wait else "share"
            if getattr(answer.measured, needed) is None:
                out.append(
                    doc.finding(
                        (*where, "measured"),
                        "measured-incomplete",
                        tr(
                            f"{req_id} måler {req.metric.indicator.value}: oppgi `{needed}:`",
                            f"{req_id} measures {req.metric.indicator.value}: give `{needed}:`",
                        ),
                    )
                )
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
                    ),
                )
            )
        seen.add(waiver.requirement)
        check_id(waiver.requirement, loc, key=False)
    return out


def _path_findings(doc: YamlDocument, assessment: Assessment) -> tuple[list[Finding], frozenset[str]]:
    folder = doc.path.parent
    out, missing = [], set()
    for req_id, answer in assessment.answers.items():
        if answer is None:
            continue
        for index, ev in enumerate(answer.evidence):
            if ev.file is None:
                continue
            problem = inside_folder(doc, ("answers", req_id, "evidence", index, "file"), ev.file, folder)
            if problem:
                out.append(problem)
            elif not (folder / ev.file).is_file():
                missing.add(ev.file)
        for index, written in enumerate(answer.call_logs or []):
            out.append(_call_log_finding(doc, ("answers", req_id, "call_logs", index), written, folder))
    for index, written in enumerate(assessment.call_logs):
        out.append(_call_log_finding(doc, ("call_logs", index), written, folder))
    if assessment.staff_register:  # competence (issue 16): the register stays inside the folder; missing = not measured
        out.append(inside_folder(doc, ("staff_register",), assessment.staff_register, folder))
    return [f for f in out if f], frozenset(missing)


def _call_log_finding(doc: YamlDocument, loc: tuple, written: str, folder: Path) -> Finding | None:
    problem = inside_folder(doc, loc, written, folder)
    if problem is None and not (folder / written).is_file():
        problem = doc.finding(
            loc,
            "calllog-missing",
            tr(
                f"anropsloggen {written} finnes ikke (regnet fra vurderingens mappe)",
                f"the call log {written} does not exist (relative to the assessment's folder)",
            ),
        )
    return problem


def _call_logs(assessment: Assessment, items, folder: Path) -> dict[str, list[Path]]:
    """Metric requirement id -> its call-log files: the answer's own, else the assessment's (unless measured)."""
    out = {}
    for req, _, applies in items:
        if req.metric is None or not applies.applies:
            continue
        answer = assessment.answers.get(req.id)
        files = (
            answer.call_logs
            if answer and answer.call_logs is not None
            else ([] if answer and answer.measured is not None else assessment.call_logs)
        )
        if files:
            out[req.id] = [folder / f for f in files]
    return out


def load_assessment(path: Path, workspace: Workspace, corpus: Corpus) -> LoadedAssessment:
    """Read and cross-check an assessment. Raises KokomError with every problem found."""
    return check_document(load_yaml(path, display_path(path)), workspace, corpus)


def check_document(doc: YamlDocument, workspace: Workspace, corpus: Corpus) -> LoadedAssessment:
    """`load_assessment` for a document already read, e.g. one about to be written at `doc.path`."""
    assessment, findings = check_model(doc, Assessment)
    if findings:
        raise KokomError(findings)
    assert assessment is not None
    if corpus.findings and any(f.severity is Severity.error for f in corpus.findings):
        raise KokomError([f for f in corpus.findings if f.severity is Severity.error])
    if assessment.edition != workspace.config.edition:
        findings.append(
            doc.finding(
                ("edition",),
                "edition-mismatch",
                tr(
                    f"vurderingen er for utgave {assessment.edition}, men kravene er utgave {workspace.config.edition}; "
                    "lag en ny vurdering med `kokom assess new`",
                    f"the assessment is for edition {assessment.edition}, but the requirements are edition "
                    f"{workspace.config.edition}; start a new one with `kokom assess new`",
                ),
            )
        )
    service, service_path = _resolve_service(doc, assessment, workspace)
    findings += _answer_findings(doc, assessment, corpus, service)
    path_problems, missing = _path_findings(doc, assessment)
    findings += path_problems
    if findings:
        raise KokomError(sorted(findings, key=lambda f: (f.line, f.column)))
    items = [(item.requirement, item.chapter, applicability(item.requirement, service)) for item in corpus.located]
    items = [item for item in items if listed(item[2])]
    return LoadedAssessment(
        assessment, doc, service, service_path, items, _call_logs(assessment, items, doc.path.parent), missing
    )


def measurements(loaded: LoadedAssessment, mapping: CallLogMapping | None = None) -> dict[str, Measurement]:
    """Figures for every metric requirement: measured from its call logs, else as typed into the answer."""
    out = {}
    for req, _, _ in loaded.items:
        if req.metric is None:
            continue
        answer = loaded.assessment.answers.get(req.id)
        files = loaded.call_logs.get(req.id)
        if files:
            out[req.id] = measure_call_logs(req, files, mapping)
        elif answer is not None and answer.measured is not None:
            m = answer.measured
            out[req.id] = Measurement(m.calls, m.share, m.max_wait_seconds, "assessment")
    return out


def measure_call_logs(req: Requirement, files: list[Path], mapping: CallLogMapping | None) -> Measurement:
    """The call logs' verdict on one metric requirement (KokomError when a log cannot be read)."""
    from kokom_cli.calllog.metrics import evaluate_metric

    outcome = evaluate_metric(req.metric, files, mapping, requirement_id=req.id)
    return Measurement(
        outcome.calls, outcome.measured_share, outcome.max_wait_seconds, "call_logs", outcome.met, outcome.reason
    )


def check_assessment(path: Path, workspace: Workspace, corpus: Corpus, *, as_of: dt.date) -> Evaluation:
    """Load, cross-check, measure and evaluate one assessment file."""
    loaded = load_assessment(path, workspace, corpus)
    from kokom_cli.competence.assessment import assessment_verdicts  # competence (issue 16)

    a = loaded.assessment
    competence = assessment_verdicts(
        loaded.folder, a.staff_register, a.service, workspace, corpus.requirements, as_of=as_of
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
