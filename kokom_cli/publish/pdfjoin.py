"""Joining the PDFs of a book's parts (see `publish.parts`) into one file with pypdf.

The pages in order; the bookmarks of every part under one outline (titles, levels, targets);
every part's named destinations in one name tree (the first of a name wins, as in WeasyPrint),
and links to another part (`kokom-part:ID`) pointed at the destination ID; the page-number
document's page i drawn on page i as a form XObject after the page's own content; the
metadata (title, creator, dates, language) of the first part.
"""

from __future__ import annotations

import io
from urllib.parse import unquote

LINK_SCHEME = "kokom-part:"


def join(parts: list[bytes], numbers: bytes) -> bytes:
    """One PDF of `parts` in order, with `numbers`' page i drawn on page i (a page without text is skipped)."""
    from pypdf import PdfReader, PdfWriter
    from pypdf.generic import ArrayObject, DictionaryObject, NameObject, TextStringObject

    writer = PdfWriter()
    readers = [PdfReader(io.BytesIO(data)) for data in parts]
    dests: dict[str, object] = {}
    for reader in readers:
        moved = {}
        for page in reader.pages:
            new = writer.add_page(page)
            assert page.indirect_reference is not None
            moved[page.indirect_reference.idnum] = new.indirect_reference
            _point_links_at_names(new)
        for name, dest in _named_destinations(reader):
            if name not in dests:
                array = ArrayObject(dest)
                array[0] = moved[dest[0].idnum]
                dests[name] = array
        _copy_outline(writer, reader, reader.outline, None, len(writer.pages) - len(reader.pages))
    flat = ArrayObject()
    for name in sorted(dests):
        flat += [TextStringObject(name), dests[name]]
    writer._root_object[NameObject("/Names")] = DictionaryObject(
        {NameObject("/Dests"): DictionaryObject({NameObject("/Names"): flat})}
    )
    _draw_numbers(writer, PdfReader(io.BytesIO(numbers)))
    first = readers[0]
    if first.metadata:
        writer.add_metadata({key: value for key, value in first.metadata.items()})
    root = first.trailer["/Root"].get_object()
    assert isinstance(root, DictionaryObject)
    for key in ("/Lang", "/PageMode"):
        if key in root:
            writer._root_object[NameObject(key)] = root[key]
    out = io.BytesIO()
    writer.write(out)
    return out.getvalue()


def _named_destinations(reader) -> list[tuple[str, list]]:
    """(name, [page, /XYZ, x, y, zoom]) of the flat name tree WeasyPrint writes."""
    names = reader.trailer["/Root"].get("/Names")
    dests = names.get_object().get("/Dests") if names is not None else None
    flat = dests.get_object().get("/Names", []) if dests is not None else []
    return [(str(flat[i]), list(flat[i + 1].get_object())) for i in range(0, len(flat) - 1, 2)]


def _point_links_at_names(page) -> None:
    """A link annotation to `kokom-part:ID` becomes a link to the named destination ID."""
    from pypdf.generic import NameObject, TextStringObject

    for ref in page.get("/Annots", []):
        annot = ref.get_object()
        action = annot.get("/A")
        uri = action.get_object().get("/URI") if action is not None else None
        if uri is not None and str(uri).startswith(LINK_SCHEME):
            del annot["/A"]
            annot[NameObject("/Dest")] = TextStringObject(unquote(str(uri)[len(LINK_SCHEME) :]))


def _copy_outline(writer, reader, items, parent, first_page: int) -> None:
    from pypdf.generic import Fit

    last = None
    for item in items:
        if isinstance(item, list):
            if last is not None:
                _copy_outline(writer, reader, item, last, first_page)
            continue
        page = first_page + reader.get_destination_page_number(item)
        left = item.get("/Left")
        top = item.get("/Top")
        fit = Fit.xyz(left=left, top=top, zoom=0) if item.get("/Type") == "/XYZ" else Fit.fit()
        last = writer.add_outline_item(title=str(item.title), page_number=page, parent=parent, fit=fit)


def _draw_numbers(writer, numbers) -> None:
    """Draw page i of `numbers` (its page-number boxes) on page i of the book, as a form XObject."""
    from pypdf.generic import ArrayObject, DecodedStreamObject, DictionaryObject, NameObject

    save = writer._add_object(_stream(b"q\n"))
    resources = None
    for page, source in zip(writer.pages, numbers.pages, strict=True):
        data = source.get_contents().get_data() if source.get_contents() is not None else b""
        if b"BT" not in data:
            continue
        if resources is None:
            resources = source["/Resources"].get_object().clone(writer)
        form = DecodedStreamObject()
        form.set_data(data)
        form.update(
            {
                NameObject("/Type"): NameObject("/XObject"),
                NameObject("/Subtype"): NameObject("/Form"),
                NameObject("/BBox"): ArrayObject(source.mediabox),
                NameObject("/Resources"): resources,
            }
        )
        form_ref = writer._add_object(form.flate_encode())
        restore = writer._add_object(_stream(b"Q\nq /KokomPageNumber Do Q\n"))
        own = DictionaryObject(page["/Resources"].get_object())
        xobjects = DictionaryObject(own.get("/XObject", DictionaryObject()).get_object())
        xobjects[NameObject("/KokomPageNumber")] = form_ref
        own[NameObject("/XObject")] = xobjects
        page[NameObject("/Resources")] = own
        contents = page.raw_get("/Contents")
        before = list(contents.get_object()) if isinstance(contents.get_object(), list) else [contents]
        page[NameObject("/Contents")] = ArrayObject([save, *before, restore])


def _stream(data: bytes):
    from pypdf.generic import DecodedStreamObject

    stream = DecodedStreamObject()
    stream.set_data(data)
    return stream
