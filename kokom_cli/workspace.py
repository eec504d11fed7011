"""Finding the workspace (a folder with kokom.yaml) or falling back to the built-in national corpus."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

from kokom_cli.core.findings import KokomError, display_path
from kokom_cli.core.i18n import tr

if TYPE_CHECKING:  # pydantic is imported only when a workspace is opened, not to find one
    from kokom_cli.config import Config

CONFIG_NAME = "kokom.yaml"
_PACKAGE = Path(__file__).resolve().parent


def builtin_dir(name: str) -> Path:
    """A content folder shipped with kokom: inside the wheel, or at the top of a source checkout."""
    packaged = _PACKAGE / "_data" / name
    return packaged if packaged.is_dir() else _PACKAGE.parent / name


@dataclass(frozen=True)
class Workspace:
    """Where content lives. `root` is None for the built-in national corpus."""

    root: Path | None
    config: Config
    national: Workspace | None = None  # for a local workspace: the national edition it builds on

    @property
    def builtin(self) -> bool:
        return self.root is None

    @property
    def local(self) -> bool:
        """A local service's workspace: it builds on a national edition and cannot change national text."""
        return self.national is not None

    @property
    def edition(self) -> str:
        """The edition of the national requirements this workspace sees (a local workspace: its national one)."""
        return self.national.config.edition if self.national is not None else self.config.edition

    def _folder(self, name: str | None, fallback: str) -> Path:
        if self.root is None or name is None:
            return builtin_dir(fallback)
        return (self.root / name).resolve()

    @property
    def requirements_dir(self) -> Path:
        return self._folder(self.config.requirements, "requirements")

    @property
    def procedures_dir(self) -> Path:
        return self._folder(self.config.procedures, "procedures")

    @property
    def templates_dir(self) -> Path:
        """The editor's template override if set, else the built-in templates."""
        return self._folder(self.config.templates, "templates")

    @property
    def builtin_templates_dir(self) -> Path:
        return builtin_dir("templates")

    @property
    def assets_dir(self) -> Path | None:
        return None if self.root is None else (self.root / self.config.assets).resolve()


def find_root(start: Path) -> Path | None:
    """The nearest folder at or above `start` that holds kokom.yaml, like git finds .git."""
    start = start.resolve()
    for folder in (start, *start.parents):
        if (folder / CONFIG_NAME).is_file():
            return folder
    return None


def resolve_root(root: Path | None = None, start: Path | None = None) -> Path | None:
    """The workspace folder named by --root, else found above `start`; None for the built-in corpus.

    Raises KokomError when --root names something that is not a workspace.
    """
    if root is not None:
        if not root.is_dir():
            raise KokomError.at(
                str(root),
                "workspace-missing",
                tr(
                    "--root må peke på en mappe som finnes",
                    "--root must name an existing folder",
                    "--root må peike på ei mappe som finst",
                ),
            )
        if not (root / CONFIG_NAME).is_file():
            raise KokomError.at(
                str(root),
                "workspace-missing",
                tr(
                    f"mappen har ingen {CONFIG_NAME} og er ikke et kokom-arbeidsområde "
                    f"(lag {CONFIG_NAME}, eller dropp --root for å bruke det innebygde korpuset)",
                    f"this folder has no {CONFIG_NAME}; it is not a kokom workspace "
                    f"(create {CONFIG_NAME}, or leave out --root to use the built-in corpus)",
                    f"mappa har ingen {CONFIG_NAME} og er ikkje eit kokom-arbeidsområde "
                    f"(lag {CONFIG_NAME}, eller sløyf --root for å bruke det innebygde korpuset)",
                ),
            )
        return root.resolve()
    return find_root(start or Path.cwd())


def open_workspace(root: Path | None = None, start: Path | None = None) -> Workspace:
    """Open the workspace named by --root, else the one found above `start`, else the built-in corpus.

    Raises KokomError when --root names something that is not a workspace or
    its kokom.yaml cannot be read.
    """
    from kokom_cli.config import Config

    found = resolve_root(root, start)
    if found is None:
        return Workspace(root=None, config=Config())
    config = load_config(found / CONFIG_NAME)
    if config.national is None:
        return Workspace(root=found, config=config)
    from kokom_cli.national import open_national

    return Workspace(root=found, config=config, national=open_national(found, config))


def load_config(path: Path) -> Config:
    from kokom_cli.config import Config
    from kokom_cli.yaml.reader import load_yaml
    from kokom_cli.yaml.schema_check import check_model

    doc = load_yaml(path, display_path(path))
    config, findings = check_model(doc, Config)
    if findings:
        raise KokomError(findings)
    assert config is not None
    return config
