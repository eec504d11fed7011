"""`kokom diff OLD NEW`: what changed between two editions, classed by its effect on compliance."""

from __future__ import annotations

from typing import Annotated

import typer

from kokom_cli.cli.options import JsonOption, RootOption
from kokom_cli.cli.output import emit_json, guarded, print_lines, workspace
from kokom_cli.core.i18n import htr, plural

_FILES = (
    ("krav- eller prosedyrefil", "krav- eller prosedyrefiler"),
    ("requirement or procedure file", "requirement or procedure files"),
    ("krav- eller prosedyrefil", "krav- eller prosedyrefiler"),
)


def _value(value, limit: int = 70) -> str:
    """A field value on one short line: mappings by their title (or values), lists in brackets."""
    if value is None:
        return "—"
    if isinstance(value, dict):
        text = str(value.get("title") or value.get("text") or ", ".join(str(v) for v in value.values() if v))
    elif isinstance(value, list):
        text = "[" + ", ".join(_value(v, 10**6) for v in value) + "]"
    else:
        text = str(value)
    text = " ".join(text.split())
    return text if len(text) <= limit else text[: limit - 3] + "..."


def diff_lines(diff) -> list[str]:
    """The diff as text, one section per kind of change."""
    from kokom_cli.core.i18n import tr
    from kokom_cli.editions.diff import class_label

    kinds = {"requirement": tr("krav", "requirement", "krav"), "procedure": tr("prosedyre", "procedure", "prosedyre")}
    lines = [
        tr(
            f"Endringer fra {diff.old} til {diff.new}",
            f"Changes from {diff.old} to {diff.new}",
            f"Endringar frå {diff.old} til {diff.new}",
        )
    ]
    sections = [
        (tr("Lagt til", "Added", "Lagt til"), "+", diff.added),
        (tr("Fjernet", "Removed", "Fjerna"), "-", diff.removed),
        (tr("Omdøpt", "Renamed", "Omdøypt"), ">", diff.renamed),
        (tr("Endret", "Changed", "Endra"), "~", diff.changed),
    ]
    for heading, mark, items in sections:
        if not items:
            continue
        lines += ["", f"{heading} ({len(items)}):"]
        for item in items:
            name = f"{item.replaces} → {item.id}" if item.replaces else item.id
            lines.append(f"  {mark} {name}  [{class_label(item.change_class)}]  {kinds[item.kind]}: {item.title}")
            lines.append(f"      {item.reason}")
            for change in item.fields:
                lines.append(
                    f"      {change.field}: {_value(change.old)} → {_value(change.new)}"
                    f"  ({class_label(change.change_class)})"
                )
    counts = diff.summary()
    lines += [
        "",
        tr(
            f"{len(diff.added)} lagt til, {len(diff.removed)} fjernet, {len(diff.renamed)} omdøpt, "
            f"{len(diff.changed)} endret: {counts['tightening']} skjerping, {counts['relaxing']} lemping, "
            f"{counts['editorial']} redaksjonelle.",
            f"{len(diff.added)} added, {len(diff.removed)} removed, {len(diff.renamed)} renamed, "
            f"{len(diff.changed)} changed: {counts['tightening']} tightening, {counts['relaxing']} relaxing, "
            f"{counts['editorial']} editorial.",
            f"{len(diff.added)} lagt til, {len(diff.removed)} fjerna, {len(diff.renamed)} omdøypt, "
            f"{len(diff.changed)} endra: {counts['tightening']} skjerping, {counts['relaxing']} lemping, "
            f"{counts['editorial']} redaksjonelle.",
        ),
    ]
    return lines


def compute_diff(old: str, new: str | None, root):
    """Open both editions (folders or git revisions; no NEW: the working tree) and compare them."""
    from kokom_cli.core.i18n import tr
    from kokom_cli.editions.diff import diff_editions
    from kokom_cli.editions.opening import open_edition

    current = workspace(root)
    with open_edition(old, current) as old_ws:
        if new is None:
            return diff_editions(old_ws, current, old, tr("arbeidskopien", "the working tree", "arbeidskopien"))
        with open_edition(new, current) as new_ws:
            return diff_editions(old_ws, new_ws, old, new)


def uncommitted_content(root) -> list[str]:
    """Requirement and procedure files with changes git has not committed ([] outside git or a workspace)."""
    from kokom_cli.core.findings import KokomError
    from kokom_cli.editions.release import uncommitted

    current = workspace(root)
    if current.root is None:
        return []
    try:
        changed = uncommitted(current)
    except KokomError:
        return []  # not a git repository: nothing to warn about
    folders = {current.config.requirements.strip("/") + "/", current.config.procedures.strip("/") + "/"}
    return [path for path in changed if any(f"/{folder}" in f"/{path}" for folder in folders)]


def register(app: typer.Typer) -> None:
    @app.command(
        "diff",
        help=htr(
            "Krav og prosedyrer som er lagt til, fjernet, omdøpt og endret: skjerping, lemping eller redaksjonelt.",
            "Requirements and procedures added, removed, renamed and changed: tightening, relaxing or editorial.",
            "Krav og prosedyrar som er lagde til, fjerna, omdøypte og endra: skjerping, lemping eller redaksjonelt.",
        ),
    )
    @guarded
    def diff(
        old: Annotated[
            str,
            typer.Argument(
                metavar="OLD",
                help=htr(
                    "Gammel utgave: mappen til et arbeidsområde eller en git-revisjon (tagg, gren, commit) i dette "
                    "depotet.",
                    "Old edition: a workspace folder or a git revision (tag, branch, commit) of the current "
                    "repository.",
                    "Gammal utgåve: mappa til eit arbeidsområde eller ein git-revisjon (tagg, grein, commit) i dette "
                    "depotet.",
                ),
            ),
        ],
        new: Annotated[
            str | None,
            typer.Argument(
                metavar="[NEW]",
                help=htr(
                    "Ny utgave: en mappe eller en git-revisjon. Uten NEW: arbeidskopien, med endringer som ikke er "
                    "committet.",
                    "New edition: a folder or a git revision. Without NEW: the working tree, uncommitted changes "
                    "included.",
                    "Ny utgåve: ei mappe eller ein git-revisjon. Utan NEW: arbeidskopien, med endringar som ikkje er "
                    "committa.",
                ),
            ),
        ] = None,
        root: RootOption = None,
        json_out: JsonOption = False,
    ) -> None:
        from kokom_cli.core.findings import Severity
        from kokom_cli.core.i18n import tr

        result = compute_diff(old, new, root)
        pending = uncommitted_content(root) if new is not None else []
        if pending:
            shown = ", ".join(pending[:5]) + (" …" if len(pending) > 5 else "")
            files = plural(len(pending), *_FILES)
            print_lines(
                [
                    tr(
                        f"advarsel: {files} har endringer som ikke er committet "
                        f"({shown}); de er ikke med her. `kokom diff {old}` alene sammenligner med arbeidskopien.",
                        f"warning: {files} {'has' if len(pending) == 1 else 'have'} uncommitted changes "
                        f"({shown}); they are not included. `kokom diff {old}` alone compares with the working tree.",
                        f"åtvaring: {files} har endringar som ikkje er committa "
                        f"({shown}); dei er ikkje med her. `kokom diff {old}` åleine samanliknar med arbeidskopien.",
                    )
                ],
                stderr=True,
            )
        problems = [f for f in result.findings if f.severity is Severity.error]
        if problems:
            print_lines(
                [f.render() for f in problems]
                + [
                    tr(
                        "advarsel: filene over kunne ikke leses helt; diffen viser bare det som kunne leses",
                        "warning: the files above could not be read in full; the diff shows only what could be read",
                        "åtvaring: filene over kunne ikkje lesast heilt; diffen viser berre det som kunne lesast",
                    )
                ],
                stderr=True,
            )
        if json_out:
            emit_json(result.as_json())
        else:
            print_lines(diff_lines(result))
