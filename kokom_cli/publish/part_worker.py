"""One part of a book laid out by WeasyPrint, in a worker process of `publish.parts`.

A task is a whole HTML page without its `<style>` elements; the style sheets come as texts and
are parsed once per process (every part of a book shares them), then given to WeasyPrint as
user style sheets. That is the same cascade for the built-in templates: they have no
presentational attributes and no `!important` inline styles, the only author styles left.
A result carries no WeasyPrint object, only what the parent needs: the page count, the page
of every anchor, the page names and the PDF bytes. Failures come back as text (the fetcher's
exception class is local to `fetcher_class` and does not pickle).
"""

from __future__ import annotations

import gc
import logging
import os
import pickle
from dataclasses import dataclass, field
from pathlib import Path


@dataclass
class PartTask:
    name: str
    html: str
    css: tuple[str, ...]
    base_url: str
    roots: list[Path]
    write: bool = True  # False: lay out only, for the page count


@dataclass
class PartResult:
    name: str
    pages: int = 0
    anchors: dict[str, int] = field(default_factory=dict)  # id -> page index in the part (first box)
    page_names: list[str] = field(default_factory=list)
    pdf: bytes | None = None
    warnings: list[str] = field(default_factory=list)
    refused: list[str] = field(default_factory=list)
    error: str | None = None


_SHEETS: dict[tuple[str, str], object] = {}
_KEEP: list[object] = []


def warm_up() -> None:
    """Pool initializer: import WeasyPrint, find the fonts and lay out a small page while the parent
    process is still templating; then keep what is alive out of the cycle collector's sight."""
    import weasyprint

    weasyprint.HTML(string='<p style="font-family: DejaVu Sans">Side 1 av 2</p>').write_pdf()
    gc.collect()
    gc.freeze()


def render_in_child(task: PartTask) -> PartResult:
    """`render_part` in a process forked for this one task, from this warmed-up worker: the part's
    memory goes back when the process ends, and its pages are never freed one by one (that takes
    a fifth of a part's time)."""
    read, write = os.pipe()
    pid = os.fork()
    if pid == 0:  # pragma: no cover - the child leaves by os._exit, coverage cannot see it
        os.close(read)
        try:
            result = render_part(task)
        except BaseException as exc:
            result = PartResult(task.name, error=f"{type(exc).__name__}: {exc}")
        with os.fdopen(write, "wb") as out:
            pickle.dump(result, out, protocol=pickle.HIGHEST_PROTOCOL)
        os._exit(0)
    os.close(write)
    with os.fdopen(read, "rb") as source:
        data = source.read()
    os.waitpid(pid, 0)
    if not data:
        return PartResult(task.name, error="the layout process ended without a result")
    return pickle.loads(data)


def _sheets(texts: tuple[str, ...], base_url: str, fetcher) -> list:
    from weasyprint import CSS

    found = []
    for text in texts:
        key = (text, base_url)
        if key not in _SHEETS:
            _SHEETS[key] = CSS(string=text, base_url=base_url, url_fetcher=fetcher)
        found.append(_SHEETS[key])
    return found


class _Collect(logging.Handler):
    def __init__(self, sink: list[str]):
        super().__init__(logging.WARNING)
        self.sink = sink

    def emit(self, record: logging.LogRecord) -> None:
        self.sink.append(record.getMessage())


def render_part(task: PartTask) -> PartResult:
    """Lay out one part (and write its PDF unless `task.write` is False)."""
    import weasyprint

    from kokom_cli.publish.resources import fetcher_class

    fetcher_type, refused_class = fetcher_class()
    fetcher = fetcher_type(task.roots)
    result = PartResult(task.name)
    handler = _Collect(result.warnings)
    logger = logging.getLogger("weasyprint")
    logger.addHandler(handler)
    thresholds = gc.get_threshold()
    gc.set_threshold(50_000, 20, 20)
    try:
        html = weasyprint.HTML(string=task.html, base_url=task.base_url, url_fetcher=fetcher)
        document = html.render(stylesheets=_sheets(task.css, task.base_url, fetcher))
        del html
        result.pages = len(document.pages)
        for index, page in enumerate(document.pages):
            for name in page.anchors:
                result.anchors.setdefault(name, index)
            page_type = getattr(getattr(page, "_page_box", None), "page_type", None)
            result.page_names.append(getattr(page_type, "name", "") or "")
        if task.write:
            result.pdf = document.write_pdf()
        _KEEP.append(document)  # see render_in_child
    except refused_class:
        pass
    except Exception as exc:
        result.error = f"{type(exc).__name__}: {exc}"
    finally:
        gc.set_threshold(*thresholds)
        logger.removeHandler(handler)
    result.refused = list(fetcher.refused)
    return result
