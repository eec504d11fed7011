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
from dataclasses import dataclass, replace
from pathlib import Path, PurePosixPath, PureWindowsPath

from kokom_cli.assessments.applicability import Applicability, applicability, listed
from kokom_cli.assessments.evaluate import Evaluation, add_months, evaluate
from kokom_cli.assessments.models import Assessment, Service
from kokom_cli.calllog.verdict import Claimed, Measurement, from_typed
from kokom_cli.config import CallLogMapping
from kokom_cli.core.findings import Finding, KokomError, Severity, display_path
from kokom_cli.core.i18n import tr
from kokom_cli.core.suggest import did_you_mean
from kokom_cli.requirements.corpus import Corpus, unknown_id_finding
from kokom_cli.requirements.models import Chapter, Indicator, Requirement
from kokom_cli.workspace import Workspace
from kokom_cli.yaml.reader import YamlDocument, load_yaml
from kokom_cli.yaml.schema_check import check_model

MAX_SUGGESTED = 50  # unknown ids per file that get a "did you mean"
MAX_NAME_BYTES = 255  # one file or folder name (NAME_MAX on Linux and macOS)
MAX_PATH_BYTES = 4096
_CONTROL = re.compile(r"[\x00-\x1f\x7f]")
_GLOB = re.compile(r"[*?\[\]{}]")


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
    return list({resolved(p) or p: p for p in out}.values())


def known_lines(corpus: Corpus) -> set[str]:
    """Every phone line the requirements name: in a metric's `lines` or a condition's `lines_any`."""
    out: set[str] = set()
    for req in corpus.requirements.values():
        if req.metric is not None:
            out.update(req.metric.lines)
        if req.conditions is not None and req.conditions.lines_any:
            out.update(req.conditions.lines_any)
    return out


def line_findings(service: Service, doc: YamlDocument, corpus: Corpus) -> list[Finding]:
    """A service's lines that no requirement knows (a misspelt `lokal` would silently be measured as nothing)."""
    known = known_lines(corpus)
    if not known:
        return []
    return [
        doc.finding(
            ("lines", index),
            "service-line-unknown",
            tr(
                f"ukjent linje '{line}'{did_you_mean(line, sorted(known))} "
                f"(kravene kjenner: {', '.join(sorted(known))})",
                f"unknown line '{line}'{did_you_mean(line, sorted(known))} (the requirements know: "
                f"{', '.join(sorted(known))})",
            ),
        )
        for index, line in enumerate(service.lines)
        if line not in known
    ]


def service_root(assessment_path: Path, within: Path | None = None) -> Path:
    """The folder an assessment's service file must be in: the one holding the assessment's folder.

    `<service>/assessments/x.yaml` may name `<service>/services/x.yaml` (or anything under `<service>/`);
    when a received folder `within` is being read, never a file above it.
    """
    root = Path(os.path.normpath(assessment_path.absolute().parent.parent))
    if within is not None:
        limit = Path(os.path.normpath(within.absolute()))
        if not root.is_relative_to(limit):
            root = limit
    return root


def _service_outside(doc: YamlDocument, loc: tuple, written: str, why: str, base: Path) -> KokomError:
    return KokomError(
        doc.finding(
            loc,
            "path-outside",
            tr(
                f"tjenestefilen '{written}' {why}; den må ligge i {display_path(base)} eller under den",
                f"the service file '{written}' {why}; it must be in {display_path(base)} or below it",
            ),
        )
    )


def _service_path(doc: YamlDocument, assessment: Assessment, workspace: Workspace, base: Path) -> Path:
    """The service file an assessment names or implies, confined to `base` (the workspace's own is trusted)."""
    if assessment.service_file:
        problem = path_problem(assessment.service_file, doc.path.parent, base, allow_up=True)
        if problem is not None:
            raise _service_outside(doc, ("service_file",), assessment.service_file, problem[1], base)
        path = doc.path.parent / assessment.service_file
        if not is_file(path):
            raise KokomError(
                doc.finding(
                    ("service_file",),
                    "service-missing",
                    tr(
                        f"finner ikke tjenestefilen {assessment.service_file} (regnet fra vurderingens mappe)",
                        f"the service file {assessment.service_file} does not exist "
                        "(relative to the assessment's folder)",
                    ),
                )
            )
        return path
    candidates = service_candidates(doc.path, assessment.service, workspace)
    path = next((p for p in candidates if is_file(p)), None)
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
    trusted = workspace.root is not None and path == workspace.root / "services" / path.name
    real = resolved(path)
    if not trusted and (real is None or not real.is_relative_to(resolved(base) or base)):
        why = tr("peker (via en symbolsk lenke) ut av mappen", "points (through a symbolic link) out of the folder")
        raise _service_outside(doc, ("service",), display_path(path), why, base)
    return path


def _resolve_service(
    doc: YamlDocument, assessment: Assessment, workspace: Workspace, within: Path | None = None
) -> tuple[Service, Path]:
    path = _service_path(doc, assessment, workspace, service_root(doc.path, within))
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


def resolved(path: Path) -> Path | None:
    """`path` with every symbolic link followed, or None when that cannot be done (a loop, a name too long)."""
    try:
        return path.resolve()
    except (OSError, RuntimeError, ValueError):
        return None


def is_file(path: Path) -> bool:
    """`path.is_file()`, False (never an exception) for names the system cannot even look up."""
    try:
        return path.is_file()
    except (OSError, ValueError):
        return False


def path_problem(written: str, start: Path, base: Path, *, allow_up: bool = False) -> tuple[str, str] | None:
    """(code, reason in words) when `written`, a path relative to `start`, may not be followed; else None.

    Paths in received files are taken literally: never expanded (`~`, `$VAR`), never followed out of `base`
    (absolute paths, `..` — refused outright unless `allow_up`, else only past `base` —, symbolic links that
    leave it), and names the system cannot open (control characters such as NUL, names over 255 bytes,
    symbolic links in a loop) are refused with a reason rather than an exception.
    """
    parts = re.split(r"[\\/]", written)
    if _CONTROL.search(written):
        return "path-invalid", tr(
            "har et kontrolltegn (for eksempel en NUL-byte) i navnet", "has a control character (such as NUL) in it"
        )
    if len(written.encode()) > MAX_PATH_BYTES or any(len(p.encode()) > MAX_NAME_BYTES for p in parts):
        return "path-invalid", tr(
            f"har et navn over {MAX_NAME_BYTES} byte (eller er over {MAX_PATH_BYTES} byte i alt)",
            f"has a name over {MAX_NAME_BYTES} bytes (or is over {MAX_PATH_BYTES} bytes in all)",
        )
    if PurePosixPath(written).is_absolute() or PureWindowsPath(written).is_absolute() or PureWindowsPath(written).drive:
        return "path-outside", tr("er en absolutt sti", "is an absolute path")
    if parts[0].startswith("~"):
        return "path-outside", tr(
            "begynner med '~'; kokom tolker ikke stier (hjemmemappe, miljøvariabler)",
            "starts with '~'; kokom does not expand paths (home folder, environment variables)",
        )
    up = tr("går opp med '..'", "goes up with '..'")
    if ".." in parts and not allow_up:
        return "path-outside", up
    base_abs = Path(os.path.normpath(base.absolute()))
    if not Path(os.path.normpath(start.absolute() / written)).is_relative_to(base_abs):
        return "path-outside", up
    real, real_base = resolved(start / written), resolved(base)
    if real is None or real_base is None:
        return "path-invalid", tr(
            "kan ikke følges (symbolske lenker i ring?)", "cannot be followed (symbolic links in a loop?)"
        )
    if not real.is_relative_to(real_base):
        return "path-outside", tr(
            "peker (via en symbolsk lenke) ut av mappen", "points (through a symbolic link) out of the folder"
        )
    return None


def inside_folder(doc: YamlDocument, loc: tuple, written: str, folder: Path) -> Finding | None:
    """A finding when `written` (a path relative to `folder`) could reach outside `folder` or cannot be opened."""
    problem = path_problem(written, folder, folder)
    if problem is None:
        return None
    code, why = problem
    shown = written.encode("unicode_escape").decode("ascii") if _CONTROL.search(written) else written
    if len(shown) > 80:
        shown = shown[:60] + "…" + shown[-15:]
    return doc.finding(
        loc,
        code,
        tr(
            f"stien '{shown}' {why}; filer må ligge i vurderingens mappe ({display_path(folder)}) eller under den",
            f"the path '{shown}' {why}; files must be in the assessment's folder ({display_path(folder)}) or below it",
        ),
    )


def _measured_findings(doc: YamlDocument, req: Requirement, answer, where: tuple) -> list[Finding]:
    """A typed figure must give what the requirement measures."""
    out: list[Finding] = []
    if answer.measured is not None:
        needed = "max_wait_seconds" if req.metric.indicator is Indicator.max_wait else "share"
        if getattr(answer.measured, needed) is None:
            out.append(
                doc.finding(
                    (*where, "measured"),
                    "measured-incomplete",
                    tr(
                        f"{req.id} måler {req.metric.indicator.value}: oppgi `{needed}:`",
                        f"{req.id} measures {req.metric.indicator.value}: give `{needed}:`",
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
            elif not is_file(folder / ev.file):
                missing.add(ev.file)
        for index, written in enumerate(answer.call_logs or []):
            out.append(_call_log_finding(doc, ("answers", req_id, "call_logs", index), written, folder))
    for index, written in enumerate(assessment.call_logs):
        out.append(_call_log_finding(doc, ("call_logs", index), written, folder))
    if assessment.staff_register:  # competence (issue 16): the register stays inside the folder; missing = not measured
        out.append(inside_folder(doc, ("staff_register",), assessment.staff_register, folder))
    return [f for f in out if f], frozenset(missing)


def _call_log_finding(doc: YamlDocument, loc: tuple, written: str, folder: Path) -> Finding | None:
    """A call log outside the folder, or a pattern, makes the assessment unreadable; a missing one leaves
    its requirements unmeasured (see `measurements`), never met."""
    problem = inside_folder(doc, loc, written, folder)
    if problem is None and _GLOB.search(written):
        problem = doc.finding(
            loc,
            "calllog-pattern",
            tr(
                f"anropsloggen '{written}' har jokertegn (* ? [ ] {{ }}); oppgi hver fil med sitt eget navn",
                f"the call log '{written}' has wildcard characters (* ? [ ] {{ }}); name each file on its own",
            ),
        )
    return problem


def _date_findings(doc: YamlDocument, assessment: Assessment) -> list[Finding]:
    """Evidence dated more than a year after the assessment itself (such as 9999-12-31) is a typing error."""
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
        )
    return tr(
        f"vurderingen er for utgave {assessed}, men kravene er utgave {current}; "
        f"før svarene over med `kokom assess migrate {display} --to {current}`",
        f"the assessment is for edition {assessed}, but the requirements are edition {current}; "
        f"carry the answers over with `kokom assess migrate {display} --to {current}`",
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
    service, service_path = _resolve_service(doc, assessment, workspace, within)
    findings += line_findings(service, load_yaml(service_path, display_path(service_path)), corpus)
    findings += _answer_findings(doc, assessment, corpus, service)
    findings += _date_findings(doc, assessment)
    path_problems, missing = _path_findings(doc, assessment)
    findings += path_problems
    if findings:
        raise KokomError(sorted(findings, key=lambda f: (f.line, f.column)))
    items = [(item.requirement, item.chapter, applicability(item.requirement, service)) for item in corpus.located]
    items = [item for item in items if listed(item[2])]
    return LoadedAssessment(
        assessment, doc, service, service_path, items, _call_logs(assessment, items, doc.path.parent), missing
    )


def measurements(
    loaded: LoadedAssessment, mapping: CallLogMapping | None = None, memo: dict | None = None
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
