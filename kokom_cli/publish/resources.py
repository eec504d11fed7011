"""Where templates and resources may come from: the template folders, the workspace's assets, nothing else.

WeasyPrint fetches only `data:` URLs and regular files inside the workspace's
asset folder and the template folders, checked after percent-decoding and
resolving symbolic links; any other resource fails the render.
"""

from __future__ import annotations

import mimetypes
import os
import stat
from collections.abc import Iterable
from pathlib import Path
from typing import TYPE_CHECKING
from urllib.parse import urlsplit
from urllib.request import url2pathname

from kokom_cli.core.findings import display_path
from kokom_cli.core.i18n import tr
from kokom_cli.publish.errors import render_error

if TYPE_CHECKING:
    from kokom_cli.workspace import Workspace

MAX_RESOURCE_BYTES = 20 * 1024 * 1024
IMAGE_TYPES = {
    ".png": "image/png",
    ".jpg": "image/jpeg",
    ".jpeg": "image/jpeg",
    ".gif": "image/gif",
    ".webp": "image/webp",
}


def confined(path: Path, folder: Path) -> bool:
    """True when `path` (which exists) resolves to a regular file inside `folder`."""
    return safe_file(path, [folder.resolve()]) is not None


def template_dirs(workspace: Workspace, templates_dir: Path | None = None) -> list[Path]:
    """The template folders, most specific first: --templates, kokom.yaml `templates:`, built-in."""
    dirs = []
    if templates_dir is not None:
        dirs.append(templates_dir.resolve())
    elif workspace.config.templates is not None and workspace.root is not None:
        if not workspace.templates_dir.is_relative_to(workspace.root.resolve()):
            raise render_error(
                "kokom.yaml",
                "templates-outside",
                tr(
                    f"templates: '{workspace.config.templates}' ligger utenfor arbeidsområdet; "
                    "malmappen må ligge i arbeidsområdet",
                    f"templates: '{workspace.config.templates}' is outside the workspace; "
                    "the templates folder must be inside it",
                    f"templates: '{workspace.config.templates}' ligg utanfor arbeidsområdet; "
                    "malmappa må liggje i arbeidsområdet",
                ),
                exit_code=2,
            )
        dirs.append(workspace.templates_dir)
    builtin = workspace.builtin_templates_dir.resolve()
    dirs.append(builtin)
    for folder in dirs[:-1]:
        if not folder.is_dir():
            raise render_error(
                display_path(folder),
                "templates-missing",
                tr("malmappen finnes ikke", "the templates folder does not exist", "malmappa finst ikkje"),
            )
    return list(dict.fromkeys(dirs))


def resource_roots(workspace: Workspace, templates_dir: Path | None = None) -> list[Path]:
    """Folders WeasyPrint may read from: the workspace's asset folder and the template folders."""
    roots = template_dirs(workspace, templates_dir)
    if workspace.assets_dir is not None:
        roots.append(workspace.assets_dir)
    return roots


def safe_file(path: str | Path, roots: Iterable[Path]) -> Path | None:
    """`path` resolved (symlinks followed) if it is a regular file inside one of `roots`, else None."""
    try:
        resolved = Path(path).resolve(strict=True)
        if not stat.S_ISREG(resolved.stat().st_mode):
            return None
    except (OSError, RuntimeError, ValueError):
        return None
    return resolved if any(resolved.is_relative_to(root) for root in roots) else None


def read_safe_file(path: Path) -> bytes:
    """Read a file that `safe_file` accepted, refusing it if it changed into something else meanwhile."""
    fd = os.open(path, os.O_RDONLY | getattr(os, "O_NOFOLLOW", 0))
    with os.fdopen(fd, "rb") as handle:
        info = os.fstat(handle.fileno())
        if not stat.S_ISREG(info.st_mode) or info.st_size > MAX_RESOURCE_BYTES:
            raise OSError(f"not a regular file of at most {MAX_RESOURCE_BYTES} bytes")
        return handle.read(MAX_RESOURCE_BYTES)


def fetcher_class():
    from weasyprint.urls import FatalURLFetchingError, URLFetcher, URLFetcherResponse

    class RefusedResource(FatalURLFetchingError):
        """Stops WeasyPrint at once (it lets only this kind of exception through)."""

    class SafeFetcher(URLFetcher):
        """Fetches `data:` URLs and regular files inside `roots`; refuses and records everything else.

        Never opens a network connection: http, https, ftp and all other schemes are refused.
        """

        def __init__(self, roots: list[Path]):
            super().__init__(allowed_protocols={"data"}, allow_redirects=False, timeout=1)
            self.roots = roots
            self.refused: list[str] = []

        def fetch(self, url, headers=None):
            scheme = url.split(":", 1)[0].lower() if ":" in url else ""
            if scheme == "data":
                return super().fetch(url, headers)
            if scheme == "file":
                parts = urlsplit(url)
                path = safe_file(url2pathname(parts.path), self.roots) if parts.netloc in ("", "localhost") else None
                if path is not None:
                    try:
                        body = read_safe_file(path)
                    except OSError:
                        pass
                    else:
                        kind = mimetypes.guess_type(path.name)[0] or "application/octet-stream"
                        return URLFetcherResponse(url, body=body, headers={"Content-Type": kind})
            self.refused.append(url)
            raise RefusedResource(url)

    return SafeFetcher, RefusedResource


def refused_message(urls: list[str]) -> str:
    shown = ", ".join(u if len(u) < 120 else u[:117] + "..." for u in dict.fromkeys(urls))
    return tr(
        f"siden viser til en ressurs utenfor arbeidsområdets ressursmappe og malmappene, eller på nettet; "
        f"bare data:-adresser og filer i de mappene kan brukes: {shown}",
        f"the page refers to a resource outside the workspace's asset folder and the template folders, "
        f"or on the network; only data: URLs and files in those folders may be used: {shown}",
        f"sida viser til ein ressurs utanfor ressursmappa til arbeidsområdet og malmappene, eller på nettet; "
        f"berre data:-adresser og filer i dei mappene kan brukast: {shown}",
    )
