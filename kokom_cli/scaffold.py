"""`kokom init`: a new national workspace (a copy of the corpus to edit, under git) or a local one.

A local workspace is `kokom.yaml` naming the national edition it builds on,
`services/`, `assessments/` and a commented call-log mapping. The edition is
opened before anything is written, so a name that does not resolve leaves
the folder as it was.
"""

from __future__ import annotations

import shutil
from pathlib import Path

from kokom_cli.core.findings import KokomError
from kokom_cli.core.i18n import tr
from kokom_cli.core.locking import LOCK_NAME

GITIGNORE = f"{LOCK_NAME}\n"

LOCAL_TEMPLATE = """\
# kokom.yaml: en lokal tjenestes arbeidsområde (a local service's workspace)
title: {title}
language: nb
# Den nasjonale utgaven arbeidsområdet bygger på: builtin (den som følger med kokom),
# {{folder: ../nasjonalt}} eller {{git: ../krav.git, rev: edition-2027.1}}.
national: {national}
{prefix}# Egne krav (valgfritt) ligger i requirements/, egne prosedyrebøker (extends:) i procedures/.
#
# Kolonnene i telefonieksporten, når de ikke heter som i kokoms anropslogg-CSV:
# call_log:
#   call_id: Samtale-ID
#   line: Kø
#   offered_at: Tilbudt
#   answered_at: Besvart
#   ended_at: Avsluttet
#   timestamp_format: "%d.%m.%Y %H:%M:%S"
#   timezone: Europe/Oslo
#   line_names: {{"Legevakt 116117": "116117"}}
"""


def _refuse_existing(folder: Path) -> None:
    from kokom_cli.workspace import CONFIG_NAME

    if (folder / CONFIG_NAME).exists():
        raise KokomError.at(
            str(folder / CONFIG_NAME),
            "usage",
            tr(
                "her finnes allerede et arbeidsområde; velg en annen mappe",
                "there is a workspace here already; choose another folder",
                "her finst det allereie eit arbeidsområde; vel ei anna mappe",
            ),
        )


def national_source(spec: str, folder: Path) -> str:
    """The YAML of `national:` for `--edition SPEC`: builtin, a folder, or REPOSITORY@REVISION."""
    import json

    if spec == "builtin":
        return "builtin"
    repo, at, rev = spec.rpartition("@")
    if at and repo:
        return f"{{git: {json.dumps(_relative(Path(repo), folder))}, rev: {json.dumps(rev)}}}"
    return f"{{folder: {json.dumps(_relative(Path(spec), folder))}}}"


def _relative(path: Path, folder: Path) -> str:
    import os

    return Path(os.path.relpath(path.resolve(), folder.resolve())).as_posix()


def init_local(folder: Path, edition: str, *, title: str, prefix: str | None) -> list[Path]:
    """Write a local workspace into `folder`, after checking that `edition` opens. The paths written."""
    from kokom_cli.config import Config
    from kokom_cli.national import open_national
    from kokom_cli.workspace import CONFIG_NAME
    from kokom_cli.yaml.reader import parse_yaml
    from kokom_cli.yaml.schema_check import check_model

    _refuse_existing(folder)
    text = LOCAL_TEMPLATE.format(
        title=title,
        national=national_source(edition, folder),
        prefix=f"local_prefix: {prefix}\n" if prefix else "# local_prefix: FJORD   # id-prefiks for egne krav\n",
    )
    doc = parse_yaml(text.encode(), folder / CONFIG_NAME, CONFIG_NAME)
    config, findings = check_model(doc, Config)
    if findings or config is None:
        raise KokomError(findings)
    open_national(folder.resolve(), config)  # KokomError (exit 2) before anything is written
    folder.mkdir(parents=True, exist_ok=True)
    written = []
    for sub in ("services", "assessments"):
        (folder / sub).mkdir(exist_ok=True)
        written.append(folder / sub)
    (folder / CONFIG_NAME).write_text(text, encoding="utf-8")
    written.append(folder / CONFIG_NAME)
    if not (folder / ".gitignore").exists():
        (folder / ".gitignore").write_text(GITIGNORE, encoding="utf-8")
        written.append(folder / ".gitignore")
    return written


def init_national(folder: Path, *, title: str, edition: str) -> list[Path]:
    """Write a national workspace into `folder`: the built-in corpus to edit, under git. The paths written."""
    from kokom_cli.core.gitread import run_git
    from kokom_cli.workspace import CONFIG_NAME, builtin_dir

    _refuse_existing(folder)
    for name in ("requirements", "procedures"):
        if (folder / name).exists():
            raise KokomError.at(
                str(folder / name),
                "usage",
                tr(
                    "mappen finnes allerede; velg en tom mappe",
                    "the folder exists already; choose an empty folder",
                    "mappa finst allereie; vel ei tom mappe",
                ),
            )
    folder.mkdir(parents=True, exist_ok=True)
    written = []
    for name in ("requirements", "procedures"):
        shutil.copytree(builtin_dir(name), folder / name)
        written.append(folder / name)
    (folder / CONFIG_NAME).write_text(
        f"# kokom.yaml: det nasjonale kravarbeidsområdet (the national workspace)\n"
        f'title: {title}\nedition: "{edition}"\nlanguage: nb\nrequirements: requirements\nprocedures: procedures\n',
        encoding="utf-8",
    )
    written.append(folder / CONFIG_NAME)
    (folder / ".gitignore").write_text(GITIGNORE, encoding="utf-8")
    written.append(folder / ".gitignore")
    if not (folder / ".git").exists():
        run_git(["init", "-q"], folder)
    return written
