"""A big book laid out in parts on the machine's cores, then joined into one PDF.

The handbook page (built-in templates only) is cut as text into parts: the front matter
(cover and contents), the chapters in groups of about equal size, and each appendix. Every
part is a whole HTML page of its own, laid out by WeasyPrint in a worker process
(`part_worker`), and the PDFs are joined by `pdfjoin`. What ties the parts together:

- Page numbers in the text. A part's page count does not depend on the numbers printed in
  it, except in the contents and the index: the style sheets' `target-counter(attr(href), page)`
  becomes `attr(data-kokom-page)` and those links get the number as an attribute. Round one
  lays out every part, the numbered ones with placeholder numbers of the same width (for
  their page count); round two lays out the numbered ones again with the real numbers taken
  from the other parts' anchors. If a page count changed, round two runs again.
- "Side X av Y": the margin boxes that print `counter(page)` or `counter(pages)` are left
  out of the parts and laid out in a document of empty pages with the same page names, one
  per page of the book, whose pages `pdfjoin` draws on the book's pages.
- Links to another part: `href="#id"` becomes `kokom-part:id`, which `pdfjoin` turns back
  into a link to the named destination `id` of the joined file.

`split_book` returns None for a page it cannot cut safely (another structure, page selectors
such as `:first`, other target functions); the caller then lays it out as one document.
"""

from __future__ import annotations

import html as html_lib
import os
import re
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import quote

from kokom_cli.publish.part_worker import PartResult, PartTask

NUMBER = "data-kokom-page"
TARGET_PAGE = "target-counter(attr(href), page)"
LINK_SCHEME = "kokom-part:"
MARGIN_BOXES = tuple(
    f"{side}-{where}"
    for side, places in (
        ("top", ("left-corner", "left", "center", "right", "right-corner")),
        ("bottom", ("left-corner", "left", "center", "right", "right-corner")),
        ("left", ("top", "middle", "bottom")),
        ("right", ("top", "middle", "bottom")),
    )
    for where in places
)
CHAPTER_GROUP_CHARS = 120_000  # about 60 requirements or 25 pages: parts small enough for memory
MAX_ROUNDS = 3

_STYLE = re.compile(r"<style([^>]*)>(.*?)</style>\s*", re.S)
_SECTION = re.compile(r'(?=<section class="chapter[ "])')
_SECTION_HEAD = re.compile(r'<section class="([^"]*)" id="([^"]*)"')
_ID = re.compile(r'\sid="([^"]*)"')
_HREF = re.compile(r'href="#([^"]*)"')
_MARGIN_RULE = re.compile(r"@([a-z-]+)\s*\{([^{}]*)\}")
_NUMBERED_RULE = re.compile(r"([^{}]*)\{[^{}]*target-counter\(")
_PAGE_SELECTOR = re.compile(r"@page[^{]*:(first|left|right|blank|nth)")


@dataclass
class Part:
    name: str
    body: str  # what goes between <body ...> and </body>
    numbered: bool  # holds links whose page number it prints


@dataclass
class Split:
    head: str  # from the doctype to the <body ...> tag, without style elements
    css: tuple[str, ...]
    parts: list[Part]
    numbered_boxes: tuple[str, ...]


def split_book(page: str) -> Split | None:
    """The parts of a handbook page, or None when it cannot be cut safely."""
    head_end = page.find("</head>")
    body = page.find("<body", head_end)
    main = page.find('<main id="main"', body)
    main_close = page.rfind("</main>")
    body_close = page.rfind("</body>")
    if min(head_end, body, main, main_close, body_close) < 0 or page.count("<main") != 1:
        return None
    body_end = page.index(">", body) + 1
    main_end = page.index(">", main) + 1
    sheets = [(attrs, text) for attrs, text in _STYLE.findall(page[:head_end])]
    css = tuple(text for attrs, text in sheets if "media" not in attrs or 'media="print"' in attrs)
    all_css = "\n".join(css)
    numbered_boxes = _numbered_boxes(all_css)
    classes = _numbered_classes(all_css)
    if numbered_boxes is None or classes is None or _PAGE_SELECTOR.search(all_css):
        return None
    pieces = _SECTION.split(page[main_end:main_close])
    if pieces[0].strip() or len(pieces) < 3:
        return None
    sections = []
    for piece in pieces[1:]:
        found = _SECTION_HEAD.match(piece)
        if found is None:
            return None
        sections.append((found.group(2), piece, "appendix" in found.group(1).split()))
    if len({name for name, _, _ in sections}) != len(sections):
        return None
    head = _STYLE.sub("", page[:head_end]) + page[head_end:body_end]
    open_main, tail = page[main:main_end], page[main_close:body_close]

    def needs_numbers(text: str) -> bool:
        return any(re.search(rf'class="(?:[^"]* )?{re.escape(c)}[" ]', text) for c in classes)

    front = page[body_end:main]
    parts = [Part("front", front, needs_numbers(front))]
    chapters = [(name, text) for name, text, appendix in sections if not appendix]
    for group in _groups([text for _, text in chapters]):
        names = [chapters[i][0] for i in group]
        text = "".join(chapters[i][1] for i in group)
        parts.append(Part(names[0], open_main + text + "</main>", needs_numbers(text)))
    for name, text, appendix in sections:
        if appendix:
            parts.append(Part(name, open_main + text + "</main>", needs_numbers(text)))
    parts[-1].body = parts[-1].body.removesuffix("</main>") + tail
    return Split(head, css, parts, numbered_boxes)


def _numbered_boxes(css: str) -> tuple[str, ...] | None:
    """The margin boxes that print the page number or count; None if the number appears elsewhere."""
    boxes = {name for name, rule in _MARGIN_RULE.findall(css) if name in MARGIN_BOXES and "counter(page" in rule}
    inside = sum(rule.count("counter(page") for name, rule in _MARGIN_RULE.findall(css) if name in MARGIN_BOXES)
    return tuple(sorted(boxes)) if inside == css.count("counter(page") else None


def _numbered_classes(css: str) -> list[str] | None:
    """The classes whose links print a page number; None if the style sheets use other target functions."""
    if "target-text(" in css or "target-counters(" in css or css.count("target-counter(") != css.count(TARGET_PAGE):
        return None
    classes = []
    for selector in _NUMBERED_RULE.findall(css):
        found = re.findall(r"\.([\w-]+)", selector.split("}")[-1])
        if not found:
            return None
        classes.append(found[0])
    return classes


def _groups(sizes_of: list[str]) -> list[list[int]]:
    """Consecutive chapters in groups of about equal size, at least two groups when there are two chapters."""
    sizes = [len(text) for text in sizes_of]
    total = sum(sizes)
    count = min(len(sizes), max(2, -(-total // CHAPTER_GROUP_CHARS)))
    groups: list[list[int]] = [[]]
    done = 0
    for index, size in enumerate(sizes):
        left = len(sizes) - index
        if groups[-1] and (done + size / 2 > total * len(groups) / count or left < count - len(groups) + 1):
            groups.append([])
        groups[-1].append(index)
        done += size
    return groups


def part_page(split: Split, part: Part, pages: dict[str, int] | None, width: int) -> str:
    """The HTML page of one part: links to other parts by scheme, page numbers as attributes.

    `pages` is the book's page of each id; None gives placeholder numbers `width` digits wide.
    """
    here = set(_ID.findall(part.body))

    def link(found: re.Match) -> str:
        target = found.group(1)
        out = found.group(0) if target in here else f'href="{LINK_SCHEME}{quote(html_lib.unescape(target), safe="")}"'
        if part.numbered:
            number = "8" * width if pages is None else pages.get(html_lib.unescape(target))
            if number is not None:
                out += f' {NUMBER}="{number}"'
        return out

    return split.head + _HREF.sub(link, part.body) + "</body></html>"


def part_css(split: Split) -> tuple[str, ...]:
    """The style sheets of a part: the book's, the page-number functions as attributes, no page-number boxes."""
    css = tuple(text.replace(TARGET_PAGE, f"attr({NUMBER})") for text in split.css)
    hide = " ".join(f"@{box} {{ content: none !important; }}" for box in split.numbered_boxes)
    return (*css, f"@page {{ {hide} }}")


def footer_page(split: Split, page_names: list[str]) -> tuple[str, tuple[str, ...]]:
    """A document of empty pages with the book's page names that shows only the page-number boxes."""
    pages = "".join(
        f'<div class="kokom-page" style="page: {name}"></div>' if name else '<div class="kokom-page"></div>'
        for name in page_names
    )
    hide = " ".join(
        f"@{box} {{ content: none !important; }}" for box in MARGIN_BOXES if box not in split.numbered_boxes
    )
    extra = f"@page {{ {hide} }} .kokom-page {{ break-before: page; }} body {{ string-set: none; }}"
    return split.head + pages + "</body></html>", (*split.css, extra)


def worker_count() -> int:
    try:
        cores = len(os.sched_getaffinity(0))
    except AttributeError:  # not on Linux
        cores = os.cpu_count() or 1
    return max(1, min(cores, 4))


def lay_out(
    split: Split, *, base_url: str, roots: list[Path], pool, progress: Callable[[str], None] | None = None
) -> tuple[list[PartResult], PartResult] | PartResult | None:
    """Every part's PDF and the page-number document, or the first part that failed, or None when
    the page counts did not settle (the caller then lays the page out as one document)."""
    css = part_css(split)

    def task(part: Part, pages: dict[str, int] | None, width: int, write: bool) -> PartTask:
        return PartTask(part.name, part_page(split, part, pages, width), css, base_url, roots, write)

    # placeholder numbers as wide as the book's last page will probably be (about 4 kB of HTML a page)
    width = len(str(max(10, sum(len(part.body) for part in split.parts) // 4000)))
    first = [
        pool.apply_async(_render, (task(part, None, width, not part.numbered),))
        for part in sorted(split.parts, key=lambda p: -len(p.body))
    ]
    by_name = {result.name: result for result in (r.get() for r in first)}
    results = [by_name[part.name] for part in split.parts]
    for result in results:
        if result.error or result.refused:
            return result
    done = 0
    for result in results:
        done += result.pages
    if progress is not None:
        progress(f"Step 5 - Creating layout - Page {done}")
    for _ in range(MAX_ROUNDS):
        pages = _book_pages(results)
        total = sum(r.pages for r in results)
        width = len(str(total))
        numbered = [(i, part) for i, part in enumerate(split.parts) if part.numbered]
        names = [name for r in results for name in r.page_names]
        footer_html, footer_css = footer_page(split, names)
        footer = pool.apply_async(_render, (PartTask("footer", footer_html, footer_css, base_url, roots),))
        again = [(i, pool.apply_async(_render, (task(part, pages, width, True),))) for i, part in numbered]
        settled = True
        for i, pending in again:
            result = pending.get()
            if result.error or result.refused:
                return result
            settled = settled and result.pages == results[i].pages
            results[i] = result
        footer_result = footer.get()
        if footer_result.error or footer_result.refused:
            return footer_result
        if settled and footer_result.pages == total:
            return results, footer_result
    return None


def _render(task: PartTask) -> PartResult:
    from kokom_cli.publish.part_worker import render_in_child

    return render_in_child(task)


def _book_pages(results: list[PartResult]) -> dict[str, int]:
    """The book's page (from 1) of every anchor, the first part's first."""
    pages: dict[str, int] = {}
    offset = 0
    for result in results:
        for name, index in result.anchors.items():
            pages.setdefault(name, offset + index + 1)
        offset += result.pages
    return pages
