"""Rendering books and reports: Jinja2 templates to HTML, WeasyPrint to PDF, safely.

The API other renderers reuse (handbook, procedure books, self-assessment
report, national overview):

    render_html(template_name, context, *, workspace, lang, templates_dir=None) -> str
        One self-contained HTML page. The template also gets `lang`, `labels`
        (from labels.yaml, the chosen language) and `kokom_version`.
    write_html(html, out_path) -> None
        Atomic write.
    write_pdf(html, out_path, *, workspace, templates_dir=None, variant=None,
              attachments=None, progress=None) -> list[str]
        Lays out `html` with WeasyPrint and writes the PDF atomically. `variant`
        is None, "pdf/ua-1" or "pdf/a-3u"; `attachments` is a list of
        (file name, bytes) embedded in the PDF; `progress(message)` is called
        for each WeasyPrint step. Returns WeasyPrint's warnings.
    template_dirs(workspace, templates_dir=None) -> list[Path]
        Where templates are looked up: the override first, then the built-in folder.
    RenderError
        A render that failed (bad template, refused resource): the CLI exits 1; a template that
        tries to leave the sandbox or its folder: exit 2.

Templates extend `base.html.j2` (blocks `doc_title`, `running_title`, `body`;
the context needs `title`, `edition`, `date`) and may import `macros.html.j2`.
Filters: `markdown` (sanitised HTML), `date_label`, `percent`, `duration`
(seconds as "10 sekunder"/"2 minutter"), `css_string` (a label inside CSS).
A command that publishes a document calls `kokom_cli.cli.publishing.publish`,
which parses --format/--lang/--templates/--pdf-variant, shows progress and
maps failures to exit codes.

Safety (in `errors`, `resources`, `markdown`, `sandbox` and `pdf` beside this module): every template
is autoescaped and sandboxed, undefined names are
errors, data is never compiled as a template. The sandbox is an allow-list
(`publish.sandbox`): templates read fields of records, items of mappings and
call macros, filters and the reading methods of plain values; attributes of
classes, underscore names, `str.format` and every other callable are refused,
and `cycler`, `joiner` and `namespace` are not given. A template file (or
labels.yaml) that is a symlink out of its folder is refused, and a
`templates:` folder must lie inside the workspace. Markdown goes through
markdown-it-py's `js-default` preset (raw HTML off) and then the nh3
allow-list. WeasyPrint fetches only `data:` URLs and regular files inside the
workspace's asset folder and the template folders (checked after
percent-decoding and resolving symlinks); any other resource fails the
render. Images in Markdown are read from the asset folder (paths relative to
it) and inlined, so the HTML stays one file.
"""

from __future__ import annotations

import datetime as dt
import os
from pathlib import Path
from typing import TYPE_CHECKING, Any

from kokom_cli.core.findings import display_path
from kokom_cli.core.i18n import tr
from kokom_cli.core.numbers import count, percent
from kokom_cli.publish.errors import RenderError, outside_message, render_error
from kokom_cli.publish.markdown import markdown_converter
from kokom_cli.publish.pdf import PDF_VARIANTS, write_pdf
from kokom_cli.publish.resources import confined, template_dirs
from kokom_cli.publish.sandbox import TemplateOutside, confined_loader, sandbox_class

if TYPE_CHECKING:
    from kokom_cli.workspace import Workspace

__all__ = ["PDF_VARIANTS", "RenderError", "render_html", "template_dirs", "write_html", "write_pdf"]

LABELS_FILE = "labels.yaml"


def load_labels(dirs: list[Path], lang: str) -> dict:
    """The labels of `lang`: the built-in labels.yaml, overridden key by key by the template override's
    (a group such as `kinds:` is merged too, so an override may name only the labels it changes)."""
    from kokom_cli.core.findings import KokomError
    from kokom_cli.yaml.reader import load_yaml

    labels: dict = {}
    for folder in reversed(dirs):
        path = folder / LABELS_FILE
        if not os.path.lexists(path):
            continue
        if not confined(path, folder):
            raise render_error(display_path(path), "template-outside", outside_message(), exit_code=2)
        try:
            data = load_yaml(path, display_path(path)).data
        except KokomError as exc:
            raise RenderError(exc.findings) from None
        chosen = data.get(lang) if isinstance(data, dict) else None
        if not isinstance(chosen, dict):
            raise render_error(
                display_path(path),
                "labels-missing",
                tr(
                    f"mangler etiketter for språket '{lang}'",
                    f"has no labels for language '{lang}'",
                    f"manglar etikettar for språket '{lang}'",
                ),
            )
        for key, value in chosen.items():
            merged = isinstance(value, dict) and isinstance(labels.get(key), dict)
            labels[key] = {**labels[key], **value} if merged else value
    return labels


def _css_string(value: Any):
    """A CSS string literal (with quotes) that cannot close the string, the rule or the <style> element."""
    from markupsafe import Markup

    out = "".join(ch if ch.isalnum() or ch in " .,:;!?()-–" else f"\\{ord(ch):x} " for ch in str(value))
    return Markup(f'"{out}"')


def environment(workspace: Workspace, lang: str, templates_dir: Path | None = None):
    """A sandboxed Jinja2 environment over the template folders, autoescaping every template."""
    from jinja2 import ChoiceLoader, FileSystemLoader, StrictUndefined

    from kokom_cli import __version__

    dirs = template_dirs(workspace, templates_dir)
    labels = load_labels(dirs, lang)
    env = sandbox_class()(
        loader=ChoiceLoader([confined_loader(FileSystemLoader, d) for d in dirs]),
        autoescape=True,
        undefined=StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
        auto_reload=False,
    )
    from markupsafe import Markup

    convert = markdown_converter(workspace.assets_dir)
    env.filters["markdown"] = lambda text: Markup(convert(str(text))) if text else Markup("")
    env.filters["css_string"] = _css_string
    env.filters["percent"] = _percent_filter(lang, None)
    env.filters["percent0"] = _percent_filter(lang, 0)
    env.filters["count"] = lambda n: _in_language(lang, count, n)
    env.filters["date_label"] = lambda day: _date_label(day, labels)
    env.filters["duration"] = lambda seconds: _duration(seconds, labels)
    # each item by its name in `names` (a mapping from the labels), else as it is: line ids -> words
    env.filters["named"] = lambda items, names: [names.get(item, item) for item in items]
    for name in ("cycler", "joiner", "namespace"):
        env.globals.pop(name, None)
    env.globals.update(lang=lang, labels=labels, kokom_version=__version__)
    return env


def _in_language(lang: str, function, *args):
    """A core.numbers function in the language of the page being rendered."""
    from kokom_cli.core.i18n import language, set_language

    before = language()
    set_language(lang)  # nb, nn or en; anything else falls back to bokmål
    try:
        return function(*args)
    finally:
        set_language(before)


def _percent_filter(lang: str, decimals: int | None):
    """`percent`: a share as 80 % (as few decimals as it has, up to one); `percent0`: rounded to whole percent."""

    def fmt(share) -> str:
        if share is None:
            return "–"
        places = decimals if decimals is not None else (0 if float(share * 100).is_integer() else 1)
        return _in_language(lang, percent, share, places)

    return fmt


def _date_label(day: dt.date, labels: dict) -> str:
    return labels["date_format"] % {"day": day.day, "month": labels["months"][day.month - 1], "year": day.year}


def _duration(seconds: int, labels: dict) -> str:
    if seconds >= 60 and seconds % 60 == 0:
        return f"{seconds // 60} {labels['minutes']}"
    return f"{seconds} {labels['seconds']}"


def render_html(
    template_name: str, context: dict, *, workspace: Workspace, lang: str, templates_dir: Path | None = None
) -> str:
    """Render one template to a self-contained HTML page. Raises RenderError for template problems."""
    from jinja2 import TemplateError, TemplateNotFound, TemplateSyntaxError
    from jinja2.exceptions import SecurityError

    env = environment(workspace, lang, templates_dir)
    try:
        return env.get_template(template_name).render(context)
    except TemplateNotFound as exc:
        raise render_error(
            template_name,
            "template-missing",
            tr(
                f"fant ikke malen '{exc.name}' i malmappene",
                f"template '{exc.name}' not found",
                f"fann ikkje malen '{exc.name}' i malmappene",
            ),
        ) from None
    except TemplateOutside as exc:
        raise render_error(display_path(exc.path), "template-outside", outside_message(), exit_code=2) from None
    except SecurityError as exc:
        path, line = _template_position(exc, template_name)
        raise render_error(
            path,
            "template-unsafe",
            tr(
                f"malen prøver å bruke noe som ikke er tillatt i maler, og blir ikke laget: {exc}",
                f"the template tries to use something templates may not use, and is not rendered: {exc}",
                f"malen prøver å bruke noko som ikkje er tillate i malar, og blir ikkje laga: {exc}",
            ),
            line,
            exit_code=2,
        ) from None
    except TemplateSyntaxError as exc:
        raise render_error(
            display_path(exc.filename or template_name), "template-syntax", str(exc.message), exc.lineno or 0
        ) from None
    except (TemplateError, ArithmeticError, LookupError, TypeError, ValueError) as exc:
        # a template's own mistake (`{{ 1 / 0 }}`, `{{ '%d'|format('x') }}`): one line at its position
        path, line = _template_position(exc, template_name)
        message = str(exc) if isinstance(exc, TemplateError) else f"{type(exc).__name__}: {exc}"
        raise render_error(path, "template-error", message, line) from None


def _template_position(exc: BaseException, fallback: str) -> tuple[str, int]:
    """The innermost template file and line in a Jinja traceback."""
    found = (fallback, 0)
    tb = exc.__traceback__
    while tb is not None:
        filename = tb.tb_frame.f_code.co_filename
        if filename.endswith((".j2", ".css", ".html")):
            found = (display_path(filename), tb.tb_lineno)
        tb = tb.tb_next
    return found


def write_html(html: str, out_path: Path, *, force: bool = False) -> None:
    from kokom_cli.core.atomic import write_text_atomic

    write_text_atomic(out_path, html, force=force)
