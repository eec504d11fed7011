"""Markdown from YAML text to safe HTML: markdown-it-py (`js-default`, raw HTML off), then nh3's allow-list.

Images are read from the workspace's asset folder (paths relative to it) and
inlined as `data:` URLs, so the HTML stays one file; any other image source is
dropped, leaving its alt text.
"""

from __future__ import annotations

import base64
import re
from collections.abc import Callable
from pathlib import Path
from urllib.parse import unquote

from kokom_cli.publish.resources import IMAGE_TYPES, read_safe_file, safe_file

_DATA_IMAGE = re.compile(r"^data:image/(png|jpeg|gif|webp);base64,[A-Za-z0-9+/=\s]*$")

_LINK = re.compile(r"^(https?:|mailto:|#)", re.I)
# Text that Markdown leaves as plain paragraphs: letters, digits and punctuation with no Markdown
# or HTML meaning, no leading or trailing spaces on a line, no line that could start a list.
_NOT_PLAIN_CHAR = re.compile(r"[^\w ,.;:?()'\"/%§–—’‘“”«»°\n-]|_")
_NOT_PLAIN_LINE = re.compile(r"^(?:[ -]|\d+[.)])| $", re.M)
_IMG_WITHOUT_SRC = re.compile(r'<img(?![^>]*\ssrc=)[^>]*?\salt="([^"]*)"[^>]*>|<img(?![^>]*\ssrc=)[^>]*>')


def markdown_converter(assets_dir: Path | None, plain_fast_path: bool = True) -> Callable[[str], str]:
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
