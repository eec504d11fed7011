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
A command that publishes a document calls `kokom_cli.cli.render_cmd.publish`,
which parses --format/--lang/--templates/--pdf-variant, shows progress and
maps failures to exit codes.

Safety: every template is autoescaped and sandboxed, undefined names are
errors, data is never compiled as a template. The sandbox is an allow-list
(see `_sandbox_class`): templates read fields of records, items of mappings and
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

import base64
import datetime as dt
import gc
import logging
import mimetypes
import os
import re
import stat
from collections.abc import Callable, Iterable
from pathlib import Path
from typing import TYPE_CHECKING, Any
from urllib.parse import unquote, urlsplit
from urllib.request import url2pathname

from kokom_cli.core.findings import Finding, KokomError, Severity, display_path
from kokom_cli.core.i18n import tr
from kokom_cli.core.numbers import count, percent

if TYPE_CHECKING:
    from kokom_cli.workspace import Workspace

LABELS_FILE = "labels.yaml"
PDF_VARIANTS = ("pdf/ua-1", "pdf/a-3u")
MAX_RESOURCE_BYTES = 20 * 1024 * 1024
IMAGE_TYPES = {
    ".png": "image/png",
    ".jpg": "image/jpeg",
    ".jpeg": "image/jpeg",
    ".gif": "image/gif",
    ".webp": "image/webp",
}
_DATA_IMAGE = re.compile(r"^data:image/(png|jpeg|gif|webp);base64,[A-Za-z0-9+/=\s]*$")
_LINK = re.compile(r"^(https?:|mailto:|#)", re.I)
# Text that Markdown leaves as plain paragraphs: letters, digits and punctuation with no Markdown
# or HTML meaning, no leading or trailing spaces on a line, no line that could start a list.
_NOT_PLAIN_CHAR = re.compile(r"[^\w ,.;:?()'\"/%§–—’‘“”«»°\n-]|_")
_NOT_PLAIN_LINE = re.compile(r"^(?:[ -]|\d+[.)])| $", re.M)
_IMG_WITHOUT_SRC = re.compile(r'<img(?![^>]*\ssrc=)[^>]*?\salt="([^"]*)"[^>]*>|<img(?![^>]*\ssrc=)[^>]*>')


class RenderError(KokomError):
    """A render that failed; carries its findings. Exit 1 for a template or resource problem, 2 for a
    template that tried to leave the sandbox or its folder."""

    def __init__(self, findings: list[Finding] | Finding, exit_code: int = 1):
        super().__init__(findings, exit_code=exit_code)


def _error(path: Any, code: str, message: str, line: int = 0, exit_code: int = 1) -> RenderError:
    return RenderError(Finding(str(path), line, 0, Severity.error, code, message), exit_code)


def _outside_message() -> str:
    return tr(
        "er en symbolsk lenke som peker ut av malmappen; den følges ikke (legg filen selv i malmappen)",
        "is a symbolic link pointing out of the templates folder; it is not followed (put the file itself "
        "in the templates folder)",
    )


def _confined(path: Path, folder: Path) -> bool:
    """True when `path` (which exists) resolves to a regular file inside `folder`."""
    return safe_file(path, [folder.resolve()]) is not None


# --- where templates and resources may come from ------------------------------------------


def template_dirs(workspace: Workspace, templates_dir: Path | None = None) -> list[Path]:
    """The template folders, most specific first: --templates, kokom.yaml `templates:`, built-in."""
    dirs = []
    if templates_dir is not None:
        dirs.append(templates_dir.resolve())
    elif workspace.config.templates is not None and workspace.root is not None:
        if not workspace.templates_dir.is_relative_to(workspace.root.resolve()):
            raise _error(
                "kokom.yaml",
                "templates-outside",
                tr(
                    f"templates: '{workspace.config.templates}' ligger utenfor arbeidsområdet; "
                    "malmappen må ligge i arbeidsområdet",
                    f"templates: '{workspace.config.templates}' is outside the workspace; "
                    "the templates folder must be inside it",
                ),
                exit_code=2,
            )
        dirs.append(workspace.templates_dir)
    builtin = workspace.builtin_templates_dir.resolve()
    dirs.append(builtin)
    for folder in dirs[:-1]:
        if not folder.is_dir():
            raise _error(
                display_path(folder),
                "templates-missing",
                tr("malmappen finnes ikke", "the templates folder does not exist"),
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


def _fetcher_class():
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


# --- templates ---------------------------------------------------------------------------------


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
        if not _confined(path, folder):
            raise _error(display_path(path), "template-outside", _outside_message(), exit_code=2)
        try:
            data = load_yaml(path, display_path(path)).data
        except KokomError as exc:
            raise RenderError(exc.findings) from None
        chosen = data.get(lang) if isinstance(data, dict) else None
        if not isinstance(chosen, dict):
            raise _error(
                display_path(path),
                "labels-missing",
                tr(f"mangler etiketter for språket '{lang}'", f"has no labels for language '{lang}'"),
            )
        for key, value in chosen.items():
            merged = isinstance(value, dict) and isinstance(labels.get(key), dict)
            labels[key] = {**labels[key], **value} if merged else value
    return labels


def _markdown_converter(assets_dir: Path | None, plain_fast_path: bool = True) -> Callable[[str], str]:
    """Markdown -> sanitised HTML: markdown-it-py js-default (no raw HTML), then the nh3 allow-list."""
    import nh3
    from markdown_it import MarkdownIt

    md = MarkdownIt("js-default")
    roots = [assets_dir] if assets_dir is not None else []

    def attribute(tag: str, name: str, value: str) -> str | None:
        if tag == "a" and name == "href":
            return value if _LINK.match(value) else None
        if tag == "img" and name == "src":
            if _DATA_IMAGE.match(value):
                return value
            return _inline_asset(value, roots)
        return value

    cleaner = nh3.Cleaner(
        tags={
            "p",
            "br",
            "em",
            "strong",
            "b",
            "i",
            "s",
            "del",
            "code",
            "pre",
            "blockquote",
            "ul",
            "ol",
            "li",
            "a",
            "img",
            "table",
            "thead",
            "tbody",
            "tr",
            "th",
            "td",
            "sub",
            "sup",
            "hr",
        },
        attributes={"a": {"href", "title"}, "img": {"src", "alt", "title"}, "ol": {"start"}},
        url_schemes={"http", "https", "mailto", "data"},
        attribute_filter=attribute,
        link_rel="noopener noreferrer",
    )

    def convert(text: str) -> str:
        if plain_fast_path and not _NOT_PLAIN_CHAR.search(text) and not _NOT_PLAIN_LINE.search(text):
            # the same output as below, at a tenth of the cost (most requirement texts are plain)
            return "".join(f"<p>{p}</p>\n" for p in re.split(r"\n{2,}", text.strip("\n")) if p)
        # an image whose source was refused leaves its alt text behind
        return _IMG_WITHOUT_SRC.sub(lambda m: m.group(1) or "", cleaner.clean(md.render(text)))

    return convert


def _inline_asset(src: str, roots: list[Path]) -> str | None:
    """A `data:` URL of an image in the asset folder (`src` relative to it), or None for anything else."""
    if not roots or ":" in src or src.startswith(("/", "\\")):
        return None
    path = safe_file(roots[0] / unquote(src), roots)
    kind = IMAGE_TYPES.get(path.suffix.lower()) if path is not None else None
    if path is None or kind is None:
        return None
    try:
        data = read_safe_file(path)
    except OSError:
        return None
    return f"data:{kind};base64,{base64.b64encode(data).decode('ascii')}"


def _css_string(value: Any):
    """A CSS string literal (with quotes) that cannot close the string, the rule or the <style> element."""
    from markupsafe import Markup

    out = "".join(ch if ch.isalnum() or ch in " .,:;!?()-–" else f"\\{ord(ch):x} " for ch in str(value))
    return Markup(f'"{out}"')


# Methods of kokom's own classes that templates may call (plain instance methods, no side effects).
TEMPLATE_METHODS = frozenset({"next_review"})
# Methods of plain data (text, numbers, dates, lists, mappings) that templates may call: they only read.
_PLAIN_TYPES = (str, int, float, bool, list, tuple, dict, dt.date, dt.time, dt.timedelta)
_REFUSED_NAMES = frozenset({"format", "format_map", "mro", "fromkeys", "maketrans"})
# The globals a template gets besides lang, labels and kokom_version; cycler, joiner and namespace are
# not needed by the built-in templates and are gone.
_GLOBALS = ("range", "dict", "lipsum")


_FIELDS_OF: dict[type, frozenset[str]] = {}


def _record_fields(cls: type) -> frozenset[str]:
    """The data fields of a record class: pydantic fields, dataclass fields, an enum member's name and value."""
    found = _FIELDS_OF.get(cls)
    if found is None:
        import dataclasses
        from enum import Enum

        from pydantic import BaseModel

        if issubclass(cls, BaseModel):
            names = set(cls.model_fields) | set(cls.model_computed_fields)
        elif dataclasses.is_dataclass(cls):
            names = {f.name for f in dataclasses.fields(cls)}
        elif issubclass(cls, Enum):
            names = {"name", "value"}
        else:
            names = set()
        found = _FIELDS_OF[cls] = frozenset(n for n in names if not n.startswith("_"))
    return found


def _is_record(obj: Any) -> bool:
    import dataclasses
    from enum import Enum

    from pydantic import BaseModel

    return isinstance(obj, BaseModel | Enum) or dataclasses.is_dataclass(obj)


def _own_method(value: Any, name: str) -> bool:
    """A plain method of kokom's own code, bound to an instance, named in TEMPLATE_METHODS."""
    import types

    if name not in TEMPLATE_METHODS or not isinstance(value, types.MethodType):
        return False
    owner = value.__self__
    return not isinstance(owner, type) and type(owner).__module__.startswith("kokom_cli.")


def _own_property(cls: type, name: str) -> bool:
    """A property (or cached property) of kokom's own code: derived data, such as a summary."""
    import functools

    for klass in cls.__mro__:
        if name in klass.__dict__:
            found = klass.__dict__[name]
            return klass.__module__.startswith("kokom_cli.") and isinstance(found, property | functools.cached_property)
    return False


def _plain_method(value: Any) -> bool:
    """A method bound to a plain value (not to its class), other than the ones refused by name."""
    import types

    if not isinstance(value, types.BuiltinMethodType | types.MethodType):
        return False
    owner = getattr(value, "__self__", None)
    return (
        not isinstance(owner, type)
        and isinstance(owner, _PLAIN_TYPES)
        and getattr(value, "__name__", "") not in _REFUSED_NAMES
    )


def _attribute_allowed(obj: Any, attr: str, value: Any) -> bool | None:
    """The sandbox's attribute rule; None leaves the decision to Jinja's own check."""
    import types

    from jinja2.runtime import BlockReference, LoopContext, Macro

    if attr.startswith("_") or attr in _REFUSED_NAMES or isinstance(obj, type):
        return False
    if isinstance(value, type) or isinstance(obj, types.ModuleType):
        return False
    if _is_record(obj):
        if attr in _record_fields(type(obj)) or _own_method(value, attr):
            return True
        return _own_property(type(obj), attr) and not callable(value)
    if callable(value) and not isinstance(value, Macro | BlockReference):
        return _plain_method(value) or _own_method(value, attr) or isinstance(obj, LoopContext)
    return None


def _callable_allowed(obj: Any, global_functions: list) -> bool:
    """The sandbox's call rule: macros, loop.cycle/changed, plain methods, own methods, some globals."""
    import types

    from jinja2.runtime import BlockReference, LoopContext, Macro

    if isinstance(obj, Macro | BlockReference):
        return True
    if isinstance(obj, types.MethodType) and isinstance(obj.__self__, LoopContext):
        return obj.__name__ in ("cycle", "changed")
    if _plain_method(obj) or _own_method(obj, getattr(obj, "__name__", "")):
        return True
    return any(obj is function for function in global_functions)


def _sandbox_class():
    """The sandbox templates run in: an allow-list of what a template may read and call.

    A template may read the fields of kokom's records (pydantic models, dataclasses) and the
    properties their classes define, the `name` and `value` of an enum member, items of mappings and
    lists, and call: its macros, the globals range/dict/lipsum, `loop.cycle`/`loop.changed`, the
    reading methods of plain data (`str.startswith`, `dict.items`, `date.isoformat`...) and the
    methods in TEMPLATE_METHODS (filters and tests are not calls from the template's side). Everything
    else is refused with a SecurityError: any attribute of a class or type (`Model.parse_raw`,
    `model.model_validate_json`, `x.__class__`...), any name starting with an underscore, any method
    of a model other than TEMPLATE_METHODS, any method bound to a class, `str.format`/`format_map`
    (the `format` filter remains), and any other callable.
    """
    from jinja2.exceptions import SecurityError
    from jinja2.sandbox import ImmutableSandboxedEnvironment

    dict_attributes = frozenset(dir(dict))

    class Sandbox(ImmutableSandboxedEnvironment):
        """The immutable sandbox narrowed to an allow-list (see `_sandbox_class`).

        Fast paths: `mapping.key` on a dict for a key that is not a dict method, and
        `record.field` on a model, dataclass or enum member, return the value without the
        generic checks (they halve the time of a 5,000-requirement handbook).
        """

        def getattr(self, obj, attribute):
            kind = type(obj)
            if kind is dict:
                if attribute not in dict_attributes and attribute in obj:
                    return obj[attribute]
            elif attribute in _record_fields(kind):
                try:
                    return getattr(obj, attribute)
                except AttributeError:
                    pass
            return super().getattr(obj, attribute)

        def unsafe_undefined(self, obj, attribute):
            # at once, not when the value is printed: `xs|map(attribute='parse_raw')|list` must fail too
            raise SecurityError(f"access to attribute {attribute!r} of {type(obj).__name__!r} object is unsafe.")

        def wrap_str_format(self, value):
            return None  # str.format and format_map are refused outright (see is_safe_attribute)

        def is_safe_attribute(self, obj, attr, value):
            allowed = _attribute_allowed(obj, attr, value)
            return super().is_safe_attribute(obj, attr, value) if allowed is None else allowed

        def is_safe_callable(self, obj):
            allowed = _callable_allowed(obj, [self.globals.get(name) for name in _GLOBALS])
            return allowed and super().is_safe_callable(obj)

    return Sandbox


class _TemplateOutside(Exception):
    """A template file that is a symlink out of its folder (or not a regular file)."""

    def __init__(self, path: Path):
        self.path = path
        super().__init__(str(path))


def _confined_loader(base: type, folder: Path):
    """A FileSystemLoader over `folder` that refuses a template whose file is a symlink leaving it."""
    from jinja2.loaders import split_template_path

    class ConfinedLoader(base):
        def get_source(self, environment, template):
            path = folder.joinpath(*split_template_path(template))
            if os.path.lexists(path) and not _confined(path, folder):
                raise _TemplateOutside(path)
            return super().get_source(environment, template)

    return ConfinedLoader(str(folder))


def environment(workspace: Workspace, lang: str, templates_dir: Path | None = None):
    """A sandboxed Jinja2 environment over the template folders, autoescaping every template."""
    from jinja2 import ChoiceLoader, FileSystemLoader, StrictUndefined

    from kokom_cli import __version__

    dirs = template_dirs(workspace, templates_dir)
    labels = load_labels(dirs, lang)
    env = _sandbox_class()(
        loader=ChoiceLoader([_confined_loader(FileSystemLoader, d) for d in dirs]),
        autoescape=True,
        undefined=StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
        auto_reload=False,
    )
    from markupsafe import Markup

    convert = _markdown_converter(workspace.assets_dir)
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
    set_language("en" if lang == "en" else "nb")
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
        raise _error(
            template_name,
            "template-missing",
            tr(f"fant ikke malen '{exc.name}' i malmappene", f"template '{exc.name}' not found"),
        ) from None
    except _TemplateOutside as exc:
        raise _error(display_path(exc.path), "template-outside", _outside_message(), exit_code=2) from None
    except SecurityError as exc:
        path, line = _template_position(exc, template_name)
        raise _error(
            path,
            "template-unsafe",
            tr(
                f"malen prøver å bruke noe som ikke er tillatt i maler, og blir ikke laget: {exc}",
                f"the template tries to use something templates may not use, and is not rendered: {exc}",
            ),
            line,
            exit_code=2,
        ) from None
    except TemplateSyntaxError as exc:
        raise _error(
            display_path(exc.filename or template_name), "template-syntax", str(exc.message), exc.lineno or 0
        ) from None
    except (TemplateError, ArithmeticError, LookupError, TypeError, ValueError) as exc:
        # a template's own mistake (`{{ 1 / 0 }}`, `{{ '%d'|format('x') }}`): one line at its position
        path, line = _template_position(exc, template_name)
        message = str(exc) if isinstance(exc, TemplateError) else f"{type(exc).__name__}: {exc}"
        raise _error(path, "template-error", message, line) from None


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


# --- PDF ---------------------------------------------------------------------------------------


class _Collect(logging.Handler):
    def __init__(self, sink: Callable[[logging.LogRecord], None], level: int):
        super().__init__(level)
        self.sink = sink

    def emit(self, record: logging.LogRecord) -> None:
        self.sink(record)


def write_pdf(
    html: str,
    out_path: Path,
    *,
    workspace: Workspace,
    templates_dir: Path | None = None,
    variant: str | None = None,
    attachments: list[tuple[str, bytes]] | None = None,
    progress: Callable[[str], None] | None = None,
    force: bool = False,
) -> list[str]:
    """Lay out `html` as PDF and write it atomically; nothing is written when it fails.

    Raises RenderError when the page refers to a resource outside the allowed
    folders (or to the network), or when WeasyPrint fails. Returns WeasyPrint's
    warnings (one line each) for the caller to show.
    """
    if variant is not None and variant not in PDF_VARIANTS:
        allowed = ", ".join(PDF_VARIANTS)
        raise _error(
            "--pdf-variant",
            "usage",
            tr(
                f"ukjent PDF-variant '{variant}'; tillatt: {allowed}",
                f"unknown PDF variant '{variant}'; allowed: {allowed}",
            ),
        )
    import weasyprint

    from kokom_cli.core.atomic import write_bytes_atomic

    fetcher_class, refused_class = _fetcher_class()
    roots = resource_roots(workspace, templates_dir)
    fetcher = fetcher_class(roots)
    warnings: list[str] = []
    logger = logging.getLogger("weasyprint")
    progress_logger = logging.getLogger("weasyprint.progress")
    handlers = [(logger, _Collect(lambda r: warnings.append(r.getMessage()), logging.WARNING))]
    if progress is not None:
        handlers.append((progress_logger, _Collect(lambda r: progress(r.getMessage()), logging.INFO)))
    old_level = progress_logger.level
    progress_logger.setLevel(logging.INFO if progress is not None else logging.WARNING)
    for log, handler in handlers:
        log.addHandler(handler)
    out_display = display_path(out_path)
    try:
        document = weasyprint.HTML(string=html, base_url=roots[0].as_uri() + "/", url_fetcher=fetcher)
        del html  # parsed: a caller that passed a temporary no longer holds the text during layout
        gc.collect()  # the template engine's and the loaders' garbage, before the pages take the memory
        files = [
            weasyprint.Attachment(string=data, name=name, url_fetcher=fetcher) for name, data in (attachments or [])
        ]
        # Layout allocates millions of short-lived objects: the objects alive now (parsed tree, modules)
        # are moved out of the collector's sight and it runs less often (about 15 % of WeasyPrint's time).
        gc.freeze()
        thresholds = gc.get_threshold()
        gc.set_threshold(50_000, 20, 20)
        try:
            pdf = document.write_pdf(pdf_variant=variant, attachments=files or None)
        finally:
            gc.set_threshold(*thresholds)
            gc.unfreeze()
    except refused_class:
        pdf = None
    except Exception as exc:
        raise _error(
            out_display,
            "render-failed",
            tr(
                f"WeasyPrint kunne ikke lage PDF: {type(exc).__name__}: {exc}",
                f"WeasyPrint could not make the PDF: {type(exc).__name__}: {exc}",
            ),
        ) from None
    finally:
        for log, handler in handlers:
            log.removeHandler(handler)
        progress_logger.setLevel(old_level)
    if fetcher.refused or pdf is None:
        raise _error(out_display, "resource-refused", _refused_message(fetcher.refused))
    write_bytes_atomic(out_path, pdf, force=force)
    return warnings


def _refused_message(urls: list[str]) -> str:
    shown = ", ".join(u if len(u) < 120 else u[:117] + "..." for u in dict.fromkeys(urls))
    return tr(
        f"siden viser til en ressurs utenfor arbeidsområdets ressursmappe og malmappene, eller på nettet; "
        f"bare data:-adresser og filer i de mappene kan brukes: {shown}",
        f"the page refers to a resource outside the workspace's asset folder and the template folders, "
        f"or on the network; only data: URLs and files in those folders may be used: {shown}",
    )
