"""A big book laid out in parts on the machine's cores, then joined into one PDF.

The handbook page (built-in templates only) is cut as text into parts: the front matter
(cover and contents), the chapters in groups of about equal size, and each appendix. Every
part is a whole HTML page of its own, laid out by WeasyPrint in a worker process
(`part_worker`), and the PDFs are joined by `pdfjoin`. What ties the parts together:

- Page numbers in the text. A part's page count does not depend on the numbers printed in
  its margin boxes, so the chapters and appendices are laid out first. In the contents and the
  index the style sheets' `target-counter(attr(href), page)` becomes `attr(data-kokom-page)`
  and those links get the number as an attribute, from the anchors of the parts laid out
  before: the front matter is measured with placeholders first (its length moves every page),
  the index is laid out once the chapters are, the contents last. If the front matter's
  length then differs from the measured one, the page is laid out as one document.
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
    # nothing but the boxes: no background, which would cover the book's page it is drawn on
    extra = (
        f"@page {{ {hide} background: none !important; }} .kokom-page {{ break-before: page; }}"
        " html, body { background: none !important; } body { string-set: none; }"
    )
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
    """Every part's PDF and the page-number document, or the first part that failed, or None when a
    page count came out other than assumed (the caller then lays the page out as one document).

    Round one: every part without page numbers, and the first part (the front matter) with
    placeholders, for its length. Then each numbered part once the lengths of all the parts
    before its links' targets are known (the index after the chapters); the first part last,
    beside the page-number document.
    """
    css = part_css(split)
    parts = split.parts
    where = {name: i for i, part in enumerate(parts) for name in _ID.findall(part.body)}
    reach = [max([where.get(t, 0) for t in _HREF.findall(p.body)] or [0]) for p in parts]
    # placeholder numbers as wide as the book's last page will probably be (about 4 kB of HTML a page)
    width = len(str(max(10, sum(len(part.body) for part in parts) // 4000)))
    results: list[PartResult | None] = [None] * len(parts)
    lengths: list[int | None] = [None] * len(parts)
    measured: dict[int, PartResult] = {}

    def submit(i: int, pages: dict[str, int] | None, write: bool = True):
        task = PartTask(parts[i].name, part_page(split, parts[i], pages, width), css, base_url, roots, write)
        return pool.apply_async(_render, (task,))

    # the front matter's length first (the index waits for it), then the biggest parts first
    pending = {0: (submit(0, None, write=False), False)} if parts[0].numbered else {}
    for i in sorted(range(len(parts)), key=lambda i: -len(parts[i].body)):
        if not parts[i].numbered:
            pending[i] = (submit(i, None), True)
    footer = None
    while pending:
        failed = _collect(pending, results, lengths, measured)
        if failed is not None:
            return failed
        if progress is not None:
            progress(f"Step 5 - Creating layout - Page {sum(r.pages for r in results if r is not None)}")
        pages = _book_pages([r or measured.get(i) for i, r in enumerate(results)], lengths)
        new = {i: (submit(i, pages), True) for i in _ready(results, lengths, reach) if i not in pending}
        pending.update(new)
        if new and all(r is not None or pending.get(i, (0, False))[1] for i, r in enumerate(results)):
            # the last round: every length is known now (a numbered part's as measured)
            laid = [r if r is not None else measured[i] for i, r in enumerate(results)]
            html, footer_css = footer_page(split, [name for r in laid for name in r.page_names])
            footer = pool.apply_async(_render, (PartTask("footer", html, footer_css, base_url, roots),))
    done = [r for r in results if r is not None]
    if footer is None or len(done) != len(parts) or any(done[i].pages != m.pages for i, m in measured.items()):
        return None
    numbers = footer.get()
    if numbers.error or numbers.refused:
        return numbers
    return (done, numbers) if numbers.pages == sum(r.pages for r in done) else None


def _ready(results: list, lengths: list, reach: list[int]) -> list[int]:
    """The numbered parts whose numbers can be computed: all parts up to the last one their links point into
    are laid out (measured or final); the first part (the contents, which points at every other) only when
    all others are done."""
    return [
        i
        for i in range(len(results))
        if results[i] is None
        and all(n is not None for n in lengths[: reach[i] + 1])
        and (i > 0 or all(r is not None for r in results[1:]))
    ]


def _collect(pending: dict, results: list, lengths: list, measured: dict) -> PartResult | None:
    """Wait for a pending part to be done, file the results of those done; the first that failed, if one did."""
    while not any(future.ready() for future, _ in pending.values()):
        next(iter(pending.values()))[0].wait(0.005)
    for i in [i for i, (future, _) in pending.items() if future.ready()]:
        future, final = pending.pop(i)
        result = future.get()
        if result.error or result.refused:
            return result
        lengths[i] = result.pages
        if final:
            results[i] = result
        else:
            measured[i] = result
    return None


def _render(task: PartTask) -> PartResult:
    from kokom_cli.publish.part_worker import render_in_child

    return render_in_child(task)


def _book_pages(results: list[PartResult | None], lengths: list[int | None]) -> dict[str, int]:
    """The book's page (from 1) of every anchor laid out so far, the first part's first."""
    pages: dict[str, int] = {}
    offset = 0
    for result, length in zip(results, lengths, strict=True):
        for name, index in result.anchors.items() if result is not None else ():
            pages.setdefault(name, offset + index + 1)
        offset += length or 0
    return pages
