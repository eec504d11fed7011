"""The national overview: every service and assessment in a folder, compared across services.

`load_folder(folder, workspace, corpus, kind=None)` reads every YAML file under
`folder` (recursively; hidden folders and `kokom.yaml` left out): files in a
folder named `services` are services, files in a folder named `assessments`
are assessments, and any other file is told by its keys (`answers` or
`service:` make an assessment, `kind:` a service; anything else is skipped and
listed). Each file is loaded and checked exactly as `kokom assess check` does
(`assessments.check_document`); a file that fails is kept in `failed` with its
findings and the rest go on. This is all `kokom assess validate` does.

`build_overview(folder, as_of=..., mapping=...)` evaluates, for each service,
its latest assessment (by period, then date) and the one before it, measuring
call logs through `assessments.measurements` (a log that cannot be read is an
error among the `notes`; the answers are then taken as written), and gathers:

- the service × chapter matrix: the share of the applicable skal requirements
  whose outcome is met (None where a chapter has none for the service), with
  the share over all chapters;
- the requirements most often not met: per requirement, across the services it
  applies to, how many are not met in full (partial, not met, contradicted,
  unanswered);
- overdue actions (reason `action-overdue`) and disputed answers (`disputed`);
- answer-time figures: every measured metric requirement, with its threshold
  and verdict (`evaluate.measurement_verdict`);
- the change since the previous period when a service has two.

`Overview.as_json()` is the `--format json` document; `Overview.tables()` the
same data as flat tables; `publish.overview` draws the heatmap and writes the
tables as CSV and XLSX.

A matrix cell counts the skal requirements *in order*: met, or not met but
validly waived (as `assess check` counts them; a waived requirement is never
0 %, and it is left out of "most often not met"). A requirement whose call log
cannot be read is `unmeasured`: its cell says so, and the overview lists the
log as an error. Each call log is read once per run, into one DuckDB connection
(`measurements` with one `calllog.memo.RunMemo` for the whole overview).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from dataclasses import dataclass
from typing import TYPE_CHECKING

from kokom_cli.assessments.evaluate import evaluate
from kokom_cli.assessments.folder import Folder, load_folder, yaml_files
from kokom_cli.assessments.models import Service
from kokom_cli.assessments.overview_lists import (
    NOT_MET,
    answer_times,
    changes,
    competence_coverage,
    competence_table,
    disputed,
    most_not_met,
    overdue,
)
from kokom_cli.assessments.results import Evaluation, Outcome
from kokom_cli.calllog.memo import RunMemo
from kokom_cli.core.findings import Finding, Severity, display_path
from kokom_cli.core.i18n import tr
from kokom_cli.requirements.models import Level, ServiceKind

__all__ = ["NOT_MET", "Folder", "Overview", "build_overview", "check_call_logs", "load_folder", "yaml_files"]

if TYPE_CHECKING:
    from kokom_cli.assessments.loading import LoadedAssessment
    from kokom_cli.config import CallLogMapping


# --- the overview ------------------------------------------------------------------------------


@dataclass(frozen=True)
class Cell:
    """Skal requirements in one chapter (or all) for one service: met, waived (in order), unmeasured, in all."""

    met: int
    total: int
    waived: int = 0
    unmeasured: int = 0

    @property
    def in_order(self) -> int:
        return self.met + self.waived

    @property
    def share(self) -> float:
        return self.in_order / self.total

    @property
    def state(self) -> str:
        return "unmeasured" if self.unmeasured else "waived" if self.waived else "share"

    def as_json(self) -> dict:
        return {
            "met": self.met,
            "waived": self.waived,
            "unmeasured": self.unmeasured,
            "total": self.total,
            "share": round(self.share, 4),
            "state": self.state,
        }


@dataclass
class ServiceRow:
    """One service in the overview: its latest evaluation, the one before (if any), its matrix row."""

    service: Service
    evaluation: Evaluation
    path: str
    previous: Evaluation | None
    cells: Mapping[str, Cell | None]  # None: no applicable skal requirement of that chapter
    total: Cell | None
    register: dict | None = None  # the staff register's counts per rule (`RegisterReading.coverage`), no names


@dataclass
class Overview:
    folder: str
    as_of: dt.date
    edition: str
    kind: ServiceKind | None
    chapters: list[tuple[str, str]]  # (slug, title) of the matrix columns
    rows: list[ServiceRow]
    not_assessed: list[tuple[Service, str]]
    most_not_met: list[dict]
    overdue: list[dict]
    disputed: list[dict]
    answer_times: list[dict]
    changes: list[dict]
    competence: list[dict]  # per service, per competence rule: how many staff meet it (counts only)
    failed: dict[str, list[Finding]]  # files that could not be read -> why
    notes: list[Finding]  # everything else: a service described twice, two assessments of one period, call logs
    skipped: list[str]

    @property
    def problems(self) -> list[Finding]:
        """Every error and warning, files that failed first."""
        return [f for found in self.failed.values() for f in found] + self.notes

    @property
    def has_errors(self) -> bool:
        return any(f.severity is Severity.error for f in self.problems)

    def as_json(self) -> dict:
        return {
            "folder": self.folder,
            "as_of": self.as_of.isoformat(),
            "edition": self.edition,
            "kind": self.kind.value if self.kind else None,
            "chapters": [{"chapter": slug, "title": title} for slug, title in self.chapters],
            "services": [_service_json(row) for row in self.rows],
            "not_assessed": [
                {"service": s.id, "name": s.name, "kind": s.kind.value, "path": p} for s, p in self.not_assessed
            ],
            "most_not_met": self.most_not_met,
            "overdue_actions": self.overdue,
            "disputed": self.disputed,
            "answer_times": self.answer_times,
            "competence": self.competence,
            "changes": self.changes,
            "failed_files": [
                {"path": path, "findings": [f.as_json() for f in found]} for path, found in self.failed.items()
            ],
            "notes": [f.as_json() for f in self.notes],
            "skipped": self.skipped,
        }

    def tables(self) -> dict[str, list[dict]]:
        """The same data as flat tables (section -> rows of column -> value; lists are joined on output)."""
        matrix = []
        for row in self.rows:
            line: dict[str, object] = {
                "service": row.service.id,
                "name": row.service.name,
                "kind": row.service.kind.value,
                "period": row.evaluation.assessment.period,
            }
            for slug, _ in self.chapters:
                cell = row.cells.get(slug)
                line[slug] = (
                    tr("ikke målt", "not measured", "ikkje målt")
                    if cell and cell.unmeasured
                    else round(cell.share, 4)
                    if cell
                    else None
                )
            summary = row.evaluation.summary
            line.update(
                skal_share=round(row.total.share, 4) if row.total else None,
                skal_met=summary["skal_met"],
                skal_waived=row.total.waived if row.total else 0,
                skal_unmeasured=row.total.unmeasured if row.total else 0,
                skal_total=summary["skal_total"],
                bor_met=summary["bor_met"],
                bor_total=summary["bor_total"],
                score=summary["score"],
                path=row.path,
            )
            matrix.append(line)
        return {
            "matrix": matrix,
            "most_not_met": self.most_not_met,
            "overdue_actions": self.overdue,
            "disputed": self.disputed,
            "answer_times": self.answer_times,
            "competence": competence_table(self.competence),
            "changes": self.changes,
            "not_assessed": [
                {"service": s.id, "name": s.name, "kind": s.kind.value, "path": p} for s, p in self.not_assessed
            ],
            "problems": [f.as_json() for f in self.problems],
        }


def _service_json(row: ServiceRow) -> dict:
    assessment = row.evaluation.assessment
    return {
        "service": row.service.id,
        "name": row.service.name,
        "kind": row.service.kind.value,
        "period": assessment.period,
        "date": assessment.date.isoformat(),
        "path": row.path,
        "previous_period": row.previous.assessment.period if row.previous else None,
        "summary": row.evaluation.summary,
        "chapters": {slug: cell.as_json() if cell else None for slug, cell in row.cells.items()},
        "skal": row.total.as_json() if row.total else None,
    }


def _cells(evaluation: Evaluation) -> tuple[dict[str, Cell], Cell | None]:
    counts: dict[str, list[int]] = {}
    for r in evaluation.results:
        if r.requirement.level is not Level.skal or r.outcome is Outcome.not_applicable or r.chapter is None:
            continue
        slot = counts.setdefault(r.chapter.chapter, [0, 0, 0, 0])
        slot[0] += r.outcome is Outcome.met
        slot[1] += 1
        slot[2] += r.waived
        slot[3] += r.outcome is Outcome.unmeasured and not r.waived
    cells = {slug: Cell(*counts) for slug, counts in counts.items()}
    if not cells:
        return cells, None
    total = Cell(*(sum(getattr(c, f) for c in cells.values()) for f in ("met", "total", "waived", "unmeasured")))
    return cells, total


def log_problems(loaded: LoadedAssessment, measured: dict) -> list[Finding]:
    """An error for each metric requirement whose call log cannot be read (it is unmeasured, never met)."""
    out = []
    for req_id, m in measured.items():
        if m.error is None:
            continue
        answer = loaded.assessment.answers.get(req_id)
        loc: tuple[str, ...] = (
            ("answers", req_id, "call_logs") if answer is not None and answer.call_logs else ("call_logs",)
        )
        if answer is None and not loaded.assessment.call_logs:
            loc = ("answers", req_id)
        out.append(
            loaded.doc.finding(
                loc,
                "calllog-unmeasured",
                tr(
                    f"{req_id} er ikke målt: {m.error}",
                    f"{req_id} is not measured: {m.error}",
                    f"{req_id} er ikkje målt: {m.error}",
                ),
            )
        )
    return out


def check_call_logs(folder: Folder, mapping: CallLogMapping | None) -> list[Finding]:
    """`assess validate`: every referenced call log read once; the unreadable ones as errors."""
    from kokom_cli.assessments.loading import measurements

    with RunMemo() as memo:
        return [f for loaded in folder.assessments for f in log_problems(loaded, measurements(loaded, mapping, memo))]


def _evaluate(
    loaded: LoadedAssessment, as_of: dt.date, mapping: CallLogMapping | None, problems: list[Finding], memo: RunMemo
) -> tuple[Evaluation, dict | None]:
    """Evaluate with measured figures; a call log that cannot be read is an error, its requirements unmeasured.
    With it, the staff register's counts per rule of the requirements that apply (None without a register)."""
    from kokom_cli.assessments.loading import measurements

    measured = measurements(loaded, mapping, memo)
    problems.extend(log_problems(loaded, measured))
    from kokom_cli.competence.assessment import read_assessment_register  # the register decides, as in assess check

    a, requirements = loaded.assessment, {req.id: req for req, _, _ in loaded.items}
    reading = read_assessment_register(
        loaded.folder, a.staff_register, a.service, None, requirements, as_of=as_of, assessment=loaded.doc.path
    )
    competence = reading.verdicts if reading else {}
    register = None
    if reading is not None:
        applies = {req.id for req, _, applicable in loaded.items if applicable.applies}
        register = reading.coverage()
        register["rules"] = [r for r in register["rules"] if r["requirement"] in applies]
    return evaluate(
        loaded.items,
        loaded.service,
        loaded.assessment,
        as_of=as_of,
        measurements=measured,
        missing_files=loaded.missing_files,
        competence=competence,
    ), register


def _service_order(service: Service) -> tuple:
    """Services by kind (in the order of ServiceKind), then by name."""
    return (list(ServiceKind).index(service.kind), service.name.casefold(), service.id)


def _order(loaded: LoadedAssessment) -> tuple:
    return (loaded.assessment.period, loaded.assessment.date, loaded.doc.display)


def _service_row(
    assessments: list[LoadedAssessment],
    as_of: dt.date,
    mapping: CallLogMapping | None,
    notes: list[Finding],
    memo: RunMemo,
) -> ServiceRow:
    """One service's row: its latest assessment (one per period, the latest dated) evaluated, and the one before."""
    history = sorted(assessments, key=_order)
    per_period: dict[str, list[LoadedAssessment]] = {}
    for loaded in history:
        per_period.setdefault(loaded.assessment.period, []).append(loaded)
    for period, same in per_period.items():
        if len(same) > 1:
            service_id = same[-1].service.id
            names = ", ".join(h.doc.display for h in same)
            notes.append(
                Finding(
                    same[-1].doc.display,
                    0,
                    0,
                    Severity.warning,
                    "period-twice",
                    tr(
                        f"{service_id} har {len(same)} vurderinger for perioden {period} ({names}); den med senest "
                        "dato brukes",
                        f"{service_id} has {len(same)} assessments for the period {period} ({names}); the one with "
                        "the latest date is used",
                        f"{service_id} har {len(same)} vurderingar for perioden {period} ({names}); den med "
                        "seinast dato blir brukt",
                    ),
                )
            )
    history = [same[-1] for same in per_period.values()]
    current = history[-1]
    evaluation, register = _evaluate(current, as_of, mapping, notes, memo)
    previous = _evaluate(history[-2], as_of, mapping, [], memo)[0] if len(history) > 1 else None
    cells, total = _cells(evaluation)
    return ServiceRow(evaluation.service, evaluation, current.doc.display, previous, cells, total, register)


def build_overview(
    folder: Folder,
    *,
    as_of: dt.date,
    edition: str,
    kind: ServiceKind | None = None,
    mapping: CallLogMapping | None = None,
) -> Overview:
    """Evaluate the latest assessment of each service (and the one before it) and gather the overview."""
    by_service: dict[str, list[LoadedAssessment]] = {}
    for loaded in folder.assessments:
        by_service.setdefault(loaded.service.id, []).append(loaded)
    notes = list(folder.warnings)
    with RunMemo() as memo:  # every call log is read once in the run, into one DuckDB connection
        rows = [
            _service_row(by_service[service_id], as_of, mapping, notes, memo)
            for service_id in sorted(by_service, key=lambda s: _service_order(folder.services[s][0]))
        ]
    slugs = {slug for row in rows for slug in row.cells}
    chapters, seen = [], set()
    for row in rows:
        for r in row.evaluation.results:
            if r.chapter is not None and r.chapter.chapter in slugs and r.chapter.chapter not in seen:
                seen.add(r.chapter.chapter)
                chapters.append((r.chapter.chapter, r.chapter.title, r.chapter.order))
    chapters.sort(key=lambda c: (c[2], c[0]))
    for row in rows:
        row.cells = {slug: row.cells.get(slug) for slug, _, _ in chapters}
    assessed = set(by_service)
    not_assessed = sorted(
        ((s, display_path(p)) for sid, (s, p) in folder.services.items() if sid not in assessed),
        key=lambda pair: _service_order(pair[0]),
    )
    return Overview(
        folder=display_path(folder.root),
        as_of=as_of,
        edition=edition,
        kind=kind,
        chapters=[(slug, title) for slug, title, _ in chapters],
        rows=rows,
        not_assessed=not_assessed,
        most_not_met=most_not_met(rows),
        overdue=overdue(rows, as_of),
        disputed=disputed(rows),
        answer_times=answer_times(rows),
        changes=changes(rows),
        competence=competence_coverage(rows),
        failed=folder.failed,
        notes=notes,
        skipped=folder.skipped,
    )
