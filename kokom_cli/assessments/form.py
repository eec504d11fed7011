"""A blank self-assessment form for one service: exactly the requirements that apply, explained in comments.

The form is written as text (not through a YAML dumper) so every requirement
gets its title, level, threshold and expected evidence as comments above its
answer. Answers carried over from an earlier assessment (`--from`) are dumped
as YAML under their requirement; the advisor's verification is not carried
(it belonged to the earlier review), nor are call logs (a new period needs
new logs). Evidence paths are carried as written: keep the new form in the
same folder as the earlier one.
"""

from __future__ import annotations

import datetime as dt
import os
from enum import Enum
from pathlib import Path
from typing import Any

import yaml

from kokom_cli.assessments.applicability import applicability
from kokom_cli.assessments.models import Assessment, Service
from kokom_cli.core.i18n import tr
from kokom_cli.requirements.corpus import Corpus
from kokom_cli.requirements.models import Indicator, Requirement


def _one_line(text: str) -> str:
    return " ".join(text.split())


def _plain(value: Any) -> Any:
    """Model data as plain YAML values: enums as their text, dates kept as dates."""
    if isinstance(value, Enum):
        return value.value
    if isinstance(value, dict):
        return {k: _plain(v) for k, v in value.items()}
    if isinstance(value, list):
        return [_plain(v) for v in value]
    return value


def _comments(req: Requirement) -> list[str]:
    lines = [f"# {req.id} ({req.level.value}): {_one_line(req.title)}"]
    if req.metric is not None:
        m = req.metric
        lines_txt = ", ".join(m.lines)
        if m.indicator is Indicator.max_wait:
            rule = tr(
                f"ingen anrop venter mer enn {m.threshold_seconds} s på {lines_txt}",
                f"no call waits longer than {m.threshold_seconds} s on {lines_txt}",
                f"ingen anrop ventar meir enn {m.threshold_seconds} s på {lines_txt}",
            )
            example = "measured: {max_wait_seconds: 0, calls: 0}"
        else:
            share = f"{m.required_share * 100:g} %"
            rule = tr(
                f"minst {share} besvart innen {m.threshold_seconds} s på {lines_txt}",
                f"at least {share} answered within {m.threshold_seconds} s on {lines_txt}",
                f"minst {share} svart innan {m.threshold_seconds} s på {lines_txt}",
            )
            example = "measured: {share: 0.0, calls: 0}"
        lines.append(tr(f"#   Målekrav: {rule}.", f"#   Measured: {rule}.", f"#   Målekrav: {rule}."))
        lines.append(
            tr(
                f"#   Oppgi call_logs: [vedlegg/anrop.csv] eller {example}",
                f"#   Give call_logs: [vedlegg/anrop.csv] or {example}",
                f"#   Oppgi call_logs: [vedlegg/anrop.csv] eller {example}",
            )
        )
    if req.evidence:
        lines.append(tr("#   Forventet dokumentasjon:", "#   Expected evidence:", "#   Venta dokumentasjon:"))
        lines += [f"#     - {e.in_words()}" for e in req.evidence]
    return lines


def _answer_block(req: Requirement, previous: Assessment | None) -> list[str]:
    answer = previous.answers.get(req.id) if previous else None
    if answer is None:
        return [
            f"{req.id}:",
            "  status:",
            "  justification:",
            "  evidence: []",
            tr(
                "  # action: {what: ..., responsible: ..., due: ÅÅÅÅ-MM-DD}",
                "  # action: {what: ..., responsible: ..., due: YYYY-MM-DD}",
                "  # action: {what: ..., responsible: ..., due: ÅÅÅÅ-MM-DD}",
            ),
        ]
    data = _plain(answer.model_dump(exclude_none=True, exclude={"verification", "call_logs"}))
    return yaml.safe_dump({req.id: data}, allow_unicode=True, sort_keys=False, width=10**6).rstrip("\n").split("\n")


def _quoted(text: str) -> str:
    return yaml.safe_dump(text, allow_unicode=True, default_style='"', width=10**6).strip().removesuffix("...").strip()


def build_form(
    service: Service,
    service_path: Path,
    corpus: Corpus,
    edition: str,
    *,
    out_path: Path,
    today: dt.date,
    previous: Assessment | None = None,
    service_found_by_default: bool = False,
) -> str:
    """The form's text. `out_path` is where it will be saved (for the relative `service_file:`)."""
    chosen = [
        (item.requirement, item.chapter) for item in corpus.located if applicability(item.requirement, service).applies
    ]
    head = [
        tr(
            f"# Egenvurdering: {service.name} ({service.kind.value})",
            f"# Self-assessment: {service.name} ({service.kind.value})",
            f"# Eigenvurdering: {service.name} ({service.kind.value})",
        ),
        tr(
            f"# Utgave {edition} av de nasjonale kravene: {len(chosen)} krav gjelder denne tjenesten.",
            f"# Edition {edition} of the national requirements: {len(chosen)} requirements apply to this service.",
            f"# Utgåve {edition} av dei nasjonale krava: {len(chosen)} krav gjeld denne tenesta.",
        ),
        tr(
            "# For hvert krav: sett status til met (oppfylt), partial (delvis oppfylt), not_met (ikke oppfylt)",
            "# For each requirement: set status to met, partial, not_met",
            "# For kvart krav: set status til met (oppfylt), partial (delvis oppfylt), not_met (ikkje oppfylt)",
        ),
        tr(
            "# eller not_applicable (ikke relevant), og skriv en begrunnelse. Dokumentasjon er en fil",
            "# or not_applicable, and write a justification. Evidence is a file (relative to this file,",
            "# eller not_applicable (ikkje relevant), og skriv ei grunngiving. Dokumentasjon er ei fil",
        ),
        tr(
            "# (regnet fra denne filen, i samme mappe eller under) eller en tekst, alltid med dato:",
            "# in its folder or below) or a text, always with a date:",
            "# (rekna frå denne fila, i same mappe eller under) eller ein tekst, alltid med dato:",
        ),
        "#   evidence: [{file: vedlegg/rutine.pdf, date: 2026-01-15}, {text: ..., date: 2026-01-15}]",
        tr(
            "# Kontroller med: kokom assess check <denne filen>",
            "# Check with: kokom assess check <this file>",
            "# Kontroller med: kokom assess check <denne fila>",
        ),
        f"service: {service.id}",
    ]
    if not service_found_by_default:
        head.append(f"service_file: {_quoted(Path(os.path.relpath(service_path, out_path.parent)).as_posix())}")
    head += [
        f'edition: "{edition}"',
        f'period: "{today.year}"',
        "assessed_by:",
        f"date: {today.isoformat()}",
        tr(
            "# call_logs: [vedlegg/anrop.csv]   # anropslogger (CSV) for alle målekrav, regnet fra denne filen",
            "# call_logs: [vedlegg/anrop.csv]   # call logs (CSV) for every metric requirement, relative to this file",
            "# call_logs: [vedlegg/anrop.csv]   # anropsloggar (CSV) for alle målekrav, rekna frå denne fila",
        ),
    ]
    if previous is not None and previous.waivers:
        waivers = [_plain(w.model_dump(exclude_none=True)) for w in previous.waivers]
        head += (
            yaml.safe_dump({"waivers": waivers}, allow_unicode=True, sort_keys=False, width=10**6).rstrip().split("\n")
        )
    head += ["answers:" if chosen else "answers: {}", ""]
    body: list[str] = []
    current = None
    for req, chapter in chosen:
        if chapter is not None and chapter.chapter != current:
            current = chapter.chapter
            body += [f"  # ── {_one_line(chapter.title)} ──", ""]
        body += ["  " + line for line in _comments(req) + _answer_block(req, previous)] + [""]
    return "\n".join(head + body).rstrip("\n") + "\n"
