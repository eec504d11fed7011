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
same data as flat tables for CSV and XLSX; `heatmap(overview)` the geometry
of the matrix for the inline SVG of `overview.html.j2`.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

from kokom_cli.assessments.evaluate import Evaluation, Outcome, evaluate, measurement_verdict
from kokom_cli.assessments.models import Service
from kokom_cli.core.findings import Finding, KokomError, Severity, display_path
from kokom_cli.core.i18n import tr
from kokom_cli.requirements.models import Level, ServiceKind

if TYPE_CHECKING:
    from kokom_cli.assessments.loading import LoadedAssessment
    from kokom_cli.requirements.corpus import Corpus
    from kokom_cli.requirements.models import CallLogMapping
    from kokom_cli.workspace import Workspace

NOT_MET = (Outcome.partial, Outcome.not_met, Outcome.contradicted, Outcome.unanswered)
# viridis (matplotlib), 10 stops from 0 to 1: perceptually uniform, colour-blind safe, lightness rises steadily
VIRIDIS = ("#440154", "#482878", "#3e4a89", "#31688e", "#26828e", "#1f9e89", "#35b779", "#6dcd59", "#b4de2c", "#fde725")


@dataclass
class Folder:
    """What `load_folder` found: services by id, assessments that loaded, files that failed, files skipped."""

    root: Path
    services: dict[str, tuple[Service, Path]] = field(default_factory=dict)
    assessments: list[LoadedAssessment] = field(default_factory=list)
    failed: dict[str, list[Finding]] = field(default_factory=dict)  # display path -> findings
    skipped: list[str] = field(default_factory=list)
    warnings: list[Finding] = field(default_factory=list)

    @property
    def findings(self) -> list[Finding]:
        return [f for found in self.failed.values() for f in found] + self.warnings


def _role(path: Path, data: Any) -> str | None:
    if isinstance(data, dict) and "people" in data and "answers" not in data:
        return None  # competence (issue 16): a staff register, personal data, not part of the roll-up
    if path.parent.name == "services":
        return "service"
    if path.parent.name == "assessments":
        return "assessment"
    if isinstance(data, dict):
        if "answers" in data or "service" in data:
            return "assessment"
        if "kind" in data:
            return "service"
    return None


def yaml_files(folder: Path) -> list[Path]:
    """Every .yaml/.yml file under `folder`, sorted; hidden folders and kokom.yaml left out."""
    out = []
    for path in folder.rglob("*"):
        if path.suffix not in (".yaml", ".yml") or path.name == "kokom.yaml" or not path.is_file():
            continue
        if any(part.startswith(".") for part in path.relative_to(folder).parts):
            continue
        out.append(path)
    return sorted(out)


def load_folder(folder: Path, workspace: Workspace, corpus: Corpus, *, kind: ServiceKind | None = None) -> Folder:
    """Load and check every service and assessment under `folder`. KokomError only when the folder is unusable."""
    from kokom_cli.assessments.loading import check_document
    from kokom_cli.yaml.reader import load_yaml
    from kokom_cli.yaml.schema_check import check_model

    if not folder.is_dir():
        raise KokomError(
            Finding(str(folder), 0, 0, Severity.error, "folder-missing", tr("mappen finnes ikke", "no such folder"))
        )
    corpus_errors = [f for f in corpus.findings if f.severity is Severity.error]
    if corpus_errors:
        raise KokomError(corpus_errors)
    out = Folder(folder)
    for path in yaml_files(folder):
        display = display_path(path)
        try:
            doc = load_yaml(path, display)
            role = _role(path, doc.data)
            if role is None:
                out.skipped.append(display)
                continue
            if role == "service":
                service, findings = check_model(doc, Service)
                if findings:
                    raise KokomError(findings)
                if kind is None or service.kind is kind:
                    _add_service(out, service, path, doc)
                continue
            loaded = check_document(doc, workspace, corpus)
        except KokomError as exc:
            out.failed[display] = exc.findings
            continue
        if kind is None or loaded.service.kind is kind:
            out.assessments.append(loaded)
            out.services.setdefault(loaded.service.id, (loaded.service, loaded.service_path))
    return out


def _add_service(out: Folder, service: Service, path: Path, doc) -> None:
    known = out.services.get(service.id)
    if known is not None and known[1].resolve() != path.resolve():
        out.warnings.append(
            doc.finding(
                ("id",),
                "service-duplicate",
                tr(
                    f"tjenesten '{service.id}' er også beskrevet i {display_path(known[1])}; den første brukes",
                    f"the service '{service.id}' is also described in {display_path(known[1])}; the first one is used",
                ),
                severity=Severity.warning,
            )
        )
        return
    out.services[service.id] = (service, path)


# --- the overview ------------------------------------------------------------------------------


@dataclass(frozen=True)
class Cell:
    met: int
    total: int

    @property
    def share(self) -> float:
        return self.met / self.total

    def as_json(self) -> dict:
        return {"met": self.met, "total": self.total, "share": round(self.share, 4)}


@dataclass
class ServiceRow:
    """One service in the overview: its latest evaluation, the one before (if any), its matrix row."""

    service: Service
    evaluation: Evaluation
    path: str
    previous: Evaluation | None
    cells: dict[str, Cell | None]
    total: Cell | None


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
            line = {
                "service": row.service.id,
                "name": row.service.name,
                "kind": row.service.kind.value,
                "period": row.evaluation.assessment.period,
            }
            for slug, _ in self.chapters:
                cell = row.cells.get(slug)
                line[slug] = round(cell.share, 4) if cell else None
            summary = row.evaluation.summary
            line.update(
                skal_share=round(row.total.share, 4) if row.total else None,
                skal_met=summary["skal_met"],
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
        slot = counts.setdefault(r.chapter.chapter, [0, 0])
        slot[0] += r.outcome is Outcome.met
        slot[1] += 1
    cells = {slug: Cell(met, total) for slug, (met, total) in counts.items()}
    met, total = sum(c.met for c in cells.values()), sum(c.total for c in cells.values())
    return cells, (Cell(met, total) if total else None)


def _evaluate(
    loaded: LoadedAssessment, as_of: dt.date, mapping: CallLogMapping | None, problems: list[Finding]
) -> Evaluation:
    """Evaluate with measured figures; a call log that cannot be read is a problem, the answers then stand."""
    from kokom_cli.assessments.loading import measurements

    try:
        measured = measurements(loaded, mapping)
    except KokomError as exc:
        problems.extend(exc.findings)
        measured = {}
    from kokom_cli.competence.assessment import assessment_verdicts  # competence (issue 16), as in assess check

    a, requirements = loaded.assessment, {req.id: req for req, _, _ in loaded.items}
    competence = assessment_verdicts(loaded.folder, a.staff_register, a.service, None, requirements, as_of=as_of)
    return evaluate(
        loaded.items,
        loaded.service,
        loaded.assessment,
        as_of=as_of,
        measurements=measured,
        missing_files=loaded.missing_files,
        competence=competence,
    )


def _service_order(service: Service) -> tuple:
    """Services by kind (in the order of ServiceKind), then by name."""
    return (list(ServiceKind).index(service.kind), service.name.casefold(), service.id)


def _order(loaded: LoadedAssessment) -> tuple:
    return (loaded.assessment.period, loaded.assessment.date, loaded.doc.display)


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
    rows: list[ServiceRow] = []
    for service_id in sorted(by_service, key=lambda s: _service_order(folder.services[s][0])):
        history = sorted(by_service[service_id], key=_order)
        per_period: dict[str, list[LoadedAssessment]] = {}
        for loaded in history:
            per_period.setdefault(loaded.assessment.period, []).append(loaded)
        for period, same in per_period.items():
            if len(same) > 1:
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
                        ),
                    )
                )
        history = [same[-1] for same in per_period.values()]
        current = history[-1]
        evaluation = _evaluate(current, as_of, mapping, notes)
        previous = _evaluate(history[-2], as_of, mapping, notes) if len(history) > 1 else None
        cells, total = _cells(evaluation)
        rows.append(ServiceRow(evaluation.service, evaluation, current.doc.display, previous, cells, total))
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
        most_not_met=_most_not_met(rows),
        overdue=_overdue(rows, as_of),
        disputed=_disputed(rows),
        answer_times=_answer_times(rows),
        changes=_changes(rows),
        failed=folder.failed,
        notes=notes,
        skipped=folder.skipped,
    )


def _most_not_met(rows: list[ServiceRow]) -> list[dict]:
    stats: dict[str, dict] = {}
    for row in rows:
        for r in row.evaluation.results:
            if r.outcome is Outcome.not_applicable:
                continue
            req = r.requirement
            entry = stats.setdefault(
                req.id,
                {
                    "requirement": req.id,
                    "title": req.title,
                    "level": req.level.value,
                    "chapter": r.chapter.title if r.chapter else None,
                    "applies": 0,
                    "not_met_total": 0,
                    **{o.value: 0 for o in NOT_MET},
                    "services": [],
                },
            )
            entry["applies"] += 1
            if r.outcome in NOT_MET:
                entry[r.outcome.value] += 1
                entry["not_met_total"] += 1
                entry["services"].append(row.service.id)
    chosen = [e for e in stats.values() if e["not_met_total"]]
    for e in chosen:
        e["share_not_met"] = round(e["not_met_total"] / e["applies"], 4)
    return sorted(chosen, key=lambda e: (-e["not_met_total"], e["level"] != Level.skal.value, e["requirement"]))


def _overdue(rows: list[ServiceRow], as_of: dt.date) -> list[dict]:
    out = []
    for row in rows:
        found = [r for r in row.evaluation.results if r.has("action-overdue")]
        for r in sorted(found, key=lambda r: (r.answer.action.due, r.requirement.id)):
            action = r.answer.action
            out.append(
                {
                    "service": row.service.id,
                    "name": row.service.name,
                    "requirement": r.requirement.id,
                    "title": r.requirement.title,
                    "level": r.requirement.level.value,
                    "outcome": r.outcome.value,
                    "what": action.what,
                    "responsible": action.responsible,
                    "due": action.due.isoformat(),
                    "days_overdue": (as_of - action.due).days,
                }
            )
    return out


def _disputed(rows: list[ServiceRow]) -> list[dict]:
    out = []
    for row in rows:
        for r in row.evaluation.results:
            if not r.has("disputed"):
                continue
            answer, check = r.answer, r.answer.verification
            out.append(
                {
                    "service": row.service.id,
                    "name": row.service.name,
                    "requirement": r.requirement.id,
                    "title": r.requirement.title,
                    "level": r.requirement.level.value,
                    "status": answer.status.value if answer.status else r.outcome.value,
                    "advisor_status": check.status.value,
                    "advisor": check.by,
                    "date": check.date.isoformat(),
                    "comment": check.comment,
                }
            )
    return out


def _answer_times(rows: list[ServiceRow]) -> list[dict]:
    out = []
    for row in rows:
        for r in row.evaluation.results:
            m, spec = r.measurement, r.requirement.metric
            if m is None or spec is None:
                continue
            met, figure = measurement_verdict(spec, m)
            out.append(
                {
                    "service": row.service.id,
                    "name": row.service.name,
                    "requirement": r.requirement.id,
                    "indicator": spec.indicator.value,
                    "lines": ", ".join(spec.lines),
                    "calls": m.calls,
                    "share": m.share,
                    "max_wait_seconds": m.max_wait_seconds,
                    "threshold_seconds": spec.threshold_seconds,
                    "required_share": spec.required_share,
                    "met": met,
                    "source": m.source,
                    "figure": figure,
                }
            )
    return out


def _changes(rows: list[ServiceRow]) -> list[dict]:
    out = []
    for row in rows:
        if row.previous is None:
            continue
        before, now = row.previous.summary, row.evaluation.summary
        was_met = {r.requirement.id for r in row.previous.results if r.outcome is Outcome.met}
        is_met = {r.requirement.id for r in row.evaluation.results if r.outcome is Outcome.met}
        applies = {r.requirement.id for r in row.evaluation.results if r.outcome is not Outcome.not_applicable}
        delta = None if now["score"] is None or before["score"] is None else round(now["score"] - before["score"], 3)
        out.append(
            {
                "service": row.service.id,
                "name": row.service.name,
                "previous_period": row.previous.assessment.period,
                "period": row.evaluation.assessment.period,
                "score_before": before["score"],
                "score": now["score"],
                "score_change": delta,
                "skal_met_before": before["skal_met"],
                "skal_total_before": before["skal_total"],
                "skal_met": now["skal_met"],
                "skal_total": now["skal_total"],
                "newly_met": sorted(is_met - was_met),
                "no_longer_met": sorted((was_met - is_met) & applies),
            }
        )
    return out


# --- the heatmap -------------------------------------------------------------------------------


def viridis(share: float) -> str:
    """The viridis colour of a share from 0 to 1, interpolated between the 10 stops."""
    position = min(max(share, 0.0), 1.0) * (len(VIRIDIS) - 1)
    low = min(int(position), len(VIRIDIS) - 2)
    t = position - low
    a, b = (tuple(int(c[i : i + 2], 16) for i in (1, 3, 5)) for c in (VIRIDIS[low], VIRIDIS[low + 1]))
    return "#" + "".join(f"{round(x + (y - x) * t):02x}" for x, y in zip(a, b, strict=False))


def ink_for(fill: str) -> str:
    """Black or white text, whichever reads better on `fill` (by relative luminance, WCAG)."""

    def channel(c: int) -> float:
        c = c / 255
        return c / 12.92 if c <= 0.03928 else ((c + 0.055) / 1.055) ** 2.4

    r, g, b = (channel(int(fill[i : i + 2], 16)) for i in (1, 3, 5))
    luminance = 0.2126 * r + 0.7152 * g + 0.0722 * b
    return "#000000" if (luminance + 0.05) / 0.05 >= 1.05 / (luminance + 0.05) else "#ffffff"


def _wrap(text: str, width: int) -> list[str]:
    """At most three lines of at most `width` characters; longer words are hyphenated."""
    words = []
    for word in text.split():
        while len(word) > width:
            words.append(word[: width - 1] + "-")
            word = word[width - 1 :]
        words.append(word)
    lines: list[str] = []
    for word in words:
        if lines and len(lines[-1]) + 1 + len(word) <= width:
            lines[-1] += " " + word
        else:
            lines.append(word)
    if len(lines) > 3:
        lines = [*lines[:2], " ".join(lines[2:])[: width - 1] + "…"]
    return lines or [""]


def _short(text: str, width: int) -> str:
    return text if len(text) <= width else text[: width - 1] + "…"


LABEL_WIDTH, CELL_WIDTH, CELL_HEIGHT, HEAD_LINE = 240, 92, 28, 14


def heatmap(overview: Overview, *, rows_per_figure: int = 40) -> list[dict]:
    """The matrix as SVG geometry, split into figures of at most `rows_per_figure` services (for page breaks).

    Each figure: width, height, columns (x, lines of the heading), rows (y, label, full name, cells with
    x, fill, ink, text and a description). The template draws it; no markup is built here.
    """
    columns = [(slug, title) for slug, title in overview.chapters] + [("_total", tr("Alle kapitler", "All chapters"))]
    head_lines = max((len(_wrap(title, 16)) for _, title in columns), default=1)
    head = head_lines * HEAD_LINE + 10
    heads = [
        {
            "x": LABEL_WIDTH + i * CELL_WIDTH + (8 if slug == "_total" else 0) + CELL_WIDTH / 2,
            "lines": _wrap(title, 16),
            "total": slug == "_total",
        }
        for i, (slug, title) in enumerate(columns)
    ]
    width = LABEL_WIDTH + len(columns) * CELL_WIDTH + 8
    figures = []
    for start in range(0, len(overview.rows), rows_per_figure):
        chunk = overview.rows[start : start + rows_per_figure]
        drawn = []
        for index, row in enumerate(chunk):
            y = head + index * CELL_HEIGHT
            cells = []
            for i, (slug, title) in enumerate(columns):
                cell = row.total if slug == "_total" else row.cells.get(slug)
                x = LABEL_WIDTH + i * CELL_WIDTH + (8 if slug == "_total" else 0)
                if cell is None:
                    cells.append(
                        {
                            "x": x,
                            "fill": "#ffffff",
                            "ink": "#4a4a4a",
                            "text": "–",
                            "empty": True,
                            "description": tr(
                                f"{row.service.name}, {title}: ingen skal-krav gjelder",
                                f"{row.service.name}, {title}: no skal requirement applies",
                            ),
                        }
                    )
                    continue
                fill = viridis(cell.share)
                percent = f"{cell.share * 100:.0f} %"
                cells.append(
                    {
                        "x": x,
                        "fill": fill,
                        "ink": ink_for(fill),
                        "text": percent,
                        "empty": False,
                        "description": tr(
                            f"{row.service.name}, {title}: {cell.met} av {cell.total} skal-krav oppfylt ({percent})",
                            f"{row.service.name}, {title}: {cell.met} of {cell.total} skal requirements met "
                            f"({percent})",
                        ),
                    }
                )
            drawn.append(
                {
                    "y": y,
                    "label": _short(row.service.name, 30),
                    "name": row.service.name,
                    "period": row.evaluation.assessment.period,
                    "cells": cells,
                }
            )
        figures.append(
            {
                "width": width,
                "height": head + len(chunk) * CELL_HEIGHT + 2,
                "head": head,
                "columns": heads,
                "rows": drawn,
                "cell_width": CELL_WIDTH,
                "cell_height": CELL_HEIGHT,
                "first": start + 1,
                "last": start + len(chunk),
            }
        )
    return figures


def legend() -> list[dict]:
    """The colour scale, 0 to 100 % in steps of 10, for the legend under the heatmap."""
    return [
        {"share": step / 10, "fill": viridis(step / 10), "ink": ink_for(viridis(step / 10)), "text": f"{step * 10} %"}
        for step in range(11)
    ]


# --- flat outputs ------------------------------------------------------------------------------


def _cell_value(value: Any) -> Any:
    if isinstance(value, list):
        return ", ".join(str(v) for v in value)
    return value


def tables_csv(tables: dict[str, list[dict]]) -> str:
    """All tables in one CSV: a `section` column, then the union of the tables' columns in order."""
    import csv
    import io

    columns: dict[str, None] = {"section": None}
    for rows in tables.values():
        for row in rows:
            columns.update(dict.fromkeys(row))
    out = io.StringIO()
    writer = csv.DictWriter(out, fieldnames=list(columns), lineterminator="\n")
    writer.writeheader()
    for section, rows in tables.items():
        for row in rows:
            writer.writerow({"section": section, **{k: _cell_value(v) for k, v in row.items()}})
    return out.getvalue()


def tables_xlsx(tables: dict[str, list[dict]]) -> bytes:
    """One sheet per table, header row bold and frozen; the matrix's shares coloured like the heatmap."""
    import io

    from openpyxl import Workbook
    from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE
    from openpyxl.styles import Font, PatternFill

    book = Workbook()
    book.remove(book.active)
    for section, rows in tables.items():
        sheet = book.create_sheet(section[:31])
        columns = list(dict.fromkeys(k for row in rows for k in row)) or ["-"]
        sheet.append(columns)
        for cell in sheet[1]:
            cell.font = Font(bold=True)
        for row in rows:
            values = [_cell_value(row.get(c)) for c in columns]
            sheet.append([ILLEGAL_CHARACTERS_RE.sub("", v) if isinstance(v, str) else v for v in values])
            for cell, value in zip(sheet[sheet.max_row], values, strict=False):
                if isinstance(value, str):
                    cell.data_type = "s"  # user text never becomes a formula
        sheet.freeze_panes = "A2"
        if section == "matrix":
            share_columns = [
                i
                for i, c in enumerate(columns, 1)
                if c
                not in ("service", "name", "kind", "period", "path", "skal_met", "skal_total", "bor_met", "bor_total")
            ]
            for row in sheet.iter_rows(min_row=2):
                for index in share_columns:
                    cell = row[index - 1]
                    if isinstance(cell.value, (int, float)):
                        fill = viridis(cell.value)
                        cell.fill = PatternFill("solid", fgColor=fill[1:])
                        cell.font = Font(color=ink_for(fill)[1:])
                        cell.number_format = "0%"
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()
