"""Reading YAML safely and fast, with positions on demand.

Why this shape: a round-trip parse that keeps every value's position is about
ten times slower than libyaml's safe loader. Most runs find nothing, so kokom
loads with the C safe loader and only when a finding needs a position does it
compose the node tree of that one file (also in C) to look the position up.

Everything hostile is refused with a finding that names file, line and column:
bad encoding, NUL bytes, tabs, duplicate keys, unknown tags, several documents,
empty files, files over the size cap, alias bombs and absurd nesting.
"""

from __future__ import annotations

import datetime as dt
import re
from pathlib import Path
from typing import Any

import yaml

from kokom_cli.core.findings import Finding, KokomError, Severity
from kokom_cli.core.i18n import tr
from kokom_cli.yaml.document import YamlDocument
from kokom_cli.yaml.problems import problem_nb, problem_nn

MAX_FILE_BYTES = 8 * 1024 * 1024
MAX_EXPANDED_NODES = 1_000_000
MAX_DEPTH = 100

_Loader = getattr(yaml, "CSafeLoader", yaml.SafeLoader)
_SUSPICIOUS_NESTING = re.compile(r"^ {200,}\S|[\[{]{50,}", re.M)


class _DuplicateKey(yaml.MarkedYAMLError):
    pass


class _BadDate(yaml.MarkedYAMLError):
    pass


class _StrictLoader(_Loader):  # type: ignore[misc, valid-type]
    """libyaml's safe loader, refusing duplicate keys and reporting bad dates with a position."""

    def construct_mapping(self, node, deep=False):
        if isinstance(node, yaml.MappingNode):
            keys = [k.value for k, _ in node.value if isinstance(k, yaml.ScalarNode)]
            if len(keys) != len(set(keys)):
                seen: set[str] = set()
                for key_node, _ in node.value:
                    if isinstance(key_node, yaml.ScalarNode) and key_node.value != "<<":
                        if key_node.value in seen:
                            raise _DuplicateKey(
                                problem=tr(
                                    f"nøkkelen '{key_node.value}' står to ganger",
                                    f"duplicate key '{key_node.value}'",
                                    f"nøkkelen '{key_node.value}' står to gonger",
                                ),
                                problem_mark=key_node.start_mark,
                            )
                        seen.add(key_node.value)
        return super().construct_mapping(node, deep=deep)

    def construct_yaml_timestamp(self, node):
        try:
            return super().construct_yaml_timestamp(node)
        except ValueError:
            raise _BadDate(
                problem=tr(
                    f"'{node.value}' er ikke en gyldig dato",
                    f"'{node.value}' is not a real date",
                    f"'{node.value}' er ikkje ein gyldig dato",
                ),
                problem_mark=node.start_mark,
            ) from None


_StrictLoader.add_constructor("tag:yaml.org,2002:timestamp", _StrictLoader.construct_yaml_timestamp)
_StrictLoader.add_constructor("tag:yaml.org,2002:map", _StrictLoader.construct_yaml_map)


def _line_col(text: str, index: int) -> tuple[int, int]:
    line = text.count("\n", 0, index) + 1
    column = index - (text.rfind("\n", 0, index) + 1) + 1
    return line, column


def _fail(display: str, line: int, column: int, code: str, message: str) -> KokomError:
    return KokomError(Finding(display, line, column, Severity.error, code, message))


def _decode(raw: bytes, display: str) -> str:
    nul = raw.find(b"\x00")
    if nul >= 0:
        prefix = raw[:nul].decode("utf-8", "replace")
        line, column = _line_col(prefix, len(prefix))
        raise _fail(
            display,
            line,
            column,
            "yaml-nul-byte",
            tr(
                "filen inneholder en NUL-byte; den er binær eller skadet: lagre den på nytt som UTF-8-tekst",
                "the file contains a NUL byte; it is binary or corrupted: save it again as UTF-8 text",
                "fila inneheld ein NUL-byte; ho er binær eller skadd: lagre ho på nytt som UTF-8-tekst",
            ),
        )
    try:
        return raw.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        prefix = raw[: exc.start].decode("utf-8", "replace")
        line, column = _line_col(prefix, len(prefix))
        raise _fail(
            display,
            line,
            column,
            "yaml-encoding",
            tr(
                f"byte 0x{raw[exc.start]:02x} er ikke UTF-8; lagre filen som UTF-8 "
                "(i Excel/Notisblokk: «Lagre som» og velg UTF-8)",
                f"byte 0x{raw[exc.start]:02x} is not UTF-8; save the file as UTF-8 "
                "(in Excel/Notepad: 'Save as' and choose UTF-8)",
                f"byte 0x{raw[exc.start]:02x} er ikkje UTF-8; lagre fila som UTF-8 "
                "(i Excel/Notisblokk: «Lagre som» og vel UTF-8)",
            ),
        ) from None


def _yaml_error(exc: yaml.YAMLError, text: str, display: str) -> KokomError:
    mark = getattr(exc, "problem_mark", None) or getattr(exc, "context_mark", None)
    line, column = (mark.line + 1, mark.column + 1) if mark is not None else (1, 1)
    problem = (getattr(exc, "problem", None) or str(exc)).strip()
    if isinstance(exc, _DuplicateKey):
        return _fail(
            display,
            line,
            column,
            "yaml-duplicate-key",
            tr(
                f"{problem}: hver nøkkel kan bare stå én gang; fjern eller slå sammen den gjentatte",
                f"{problem}: each key may appear once in a mapping; remove or merge the repeated one",
                f"{problem}: kvar nøkkel kan berre stå éin gong; fjern eller slå saman den gjentekne",
            ),
        )
    if "could not determine a constructor for the tag" in problem:
        tag = problem.split("tag", 1)[1].strip().strip("'")
        return _fail(
            display,
            line,
            column,
            "yaml-unknown-tag",
            tr(
                f"ukjent YAML-tagg '{tag}'; kokom leser bare vanlige data: fjern taggen",
                f"unknown YAML tag '{tag}'; kokom reads plain data only: remove the tag",
                f"ukjend YAML-tagg '{tag}'; kokom les berre vanlege data: fjern taggen",
            ),
        )
    if "found another document" in problem or "expected a single document" in str(exc):
        return _fail(
            display,
            line,
            column,
            "yaml-multiple-documents",
            tr(
                "filen har mer enn ett YAML-dokument ('---'); ha ett dokument per fil",
                "the file holds more than one YAML document ('---'); keep one document per file",
                "fila har meir enn eitt YAML-dokument ('---'); ha eitt dokument per fil",
            ),
        )
    if mark is not None and 0 <= mark.index < len(text) and text[mark.index] == "\t":
        return _fail(
            display,
            line,
            column,
            "yaml-tab",
            tr(
                "tabulator brukt som innrykk; YAML krever mellomrom: bytt tabulatoren med mellomrom",
                "a tab character is used for indentation; YAML needs spaces: replace the tab with spaces",
                "tabulator brukt som innrykk; YAML krev mellomrom: byt ut tabulatoren med mellomrom",
            ),
        )
    if "maximum nesting depth" in problem:  # libyaml's own limit, where the installed libyaml has one
        return _fail(
            display,
            line,
            column,
            "yaml-too-deep",
            tr(
                f"dataene er nøstet for dypt (grense {MAX_DEPTH}); gjør strukturen flatere",
                f"the data is nested too deeply (limit {MAX_DEPTH}); flatten it",
                f"dataa er nøsta for djupt (grense {MAX_DEPTH}); gjer strukturen flatare",
            ),
        )
    if isinstance(exc, _BadDate):
        return _fail(
            display,
            line,
            column,
            "date-invalid",
            tr(
                f"{problem}; skriv datoer som ÅÅÅÅ-MM-DD",
                f"{problem}; write dates as YYYY-MM-DD",
                f"{problem}; skriv datoar som ÅÅÅÅ-MM-DD",
            ),
        )
    said = tr(problem_nb(problem), problem, problem_nn(problem))
    return _fail(
        display,
        line,
        column,
        "yaml-syntax",
        tr(f"YAML-syntaksfeil: {said}", f"YAML syntax error: {said}", f"YAML-syntaksfeil: {said}"),
    )


def _check_shape(data: Any, display: str) -> None:
    """Refuse alias bombs and absurd nesting before anyone walks the data.

    Sizes are memoised per object, so shared (aliased) subtrees are counted as
    often as they would be expanded without ever being expanded.
    """
    sizes: dict[int, int] = {}
    stack: list[tuple[Any, int, bool]] = [(data, 1, False)]
    while stack:
        obj, depth, done = stack.pop()
        if depth > MAX_DEPTH:
            raise _fail(
                display,
                1,
                1,
                "yaml-too-deep",
                tr(
                    f"dataene er nøstet mer enn {MAX_DEPTH} nivåer dypt; gjør strukturen flatere",
                    f"the data is nested more than {MAX_DEPTH} levels deep; flatten it",
                    f"dataa er nøsta meir enn {MAX_DEPTH} nivå djupt; gjer strukturen flatare",
                ),
            )
        children = obj.values() if isinstance(obj, dict) else obj if isinstance(obj, list) else ()
        if not children or id(obj) in sizes:
            continue
        if done:
            total = 1 + sum(sizes.get(id(c), 1) for c in children)
            if total > MAX_EXPANDED_NODES:
                raise _fail(
                    display,
                    1,
                    1,
                    "yaml-alias-bomb",
                    tr(
                        f"ankere og aliaser (&, *) blir til mer enn {MAX_EXPANDED_NODES:,} verdier; "
                        "skriv dataene ut uten aliaser",
                        f"anchors and aliases (&, *) expand to more than {MAX_EXPANDED_NODES:,} values; "
                        "write the data out without aliases",
                        f"anker og alias (&, *) blir til meir enn {MAX_EXPANDED_NODES:,} verdiar; "
                        "skriv ut dataa utan alias",
                    ),
                )
            sizes[id(obj)] = total
        else:
            stack.append((obj, depth, True))
            stack.extend((c, depth + 1, False) for c in children if id(c) not in sizes)


def load_yaml(path: Path, display: str | None = None, *, keep_nodes: bool = False) -> YamlDocument:
    """Read one YAML file. Raises KokomError (with one finding) for anything unreadable.

    `keep_nodes`: keep the node tree the parse composed, so that positions need no second parse (see
    `parse_yaml`); the caller frees it with `YamlDocument.forget_nodes` when done with the file."""
    display = display or str(path)
    try:
        size = path.stat().st_size
        if size > MAX_FILE_BYTES:
            raise _fail(
                display,
                0,
                0,
                "yaml-too-large",
                tr(
                    f"filen er på {size:,} byte; grensen er {MAX_FILE_BYTES:,}: del den i mindre filer",
                    f"the file is {size:,} bytes; the limit is {MAX_FILE_BYTES:,}: split it into smaller files",
                    f"fila er på {size:,} byte; grensa er {MAX_FILE_BYTES:,}: del ho i mindre filer",
                ),
            )
        raw = path.read_bytes()
    except FileNotFoundError:
        raise _fail(
            display,
            0,
            0,
            "file-missing",
            tr("filen finnes ikke; sjekk stien", "no such file; check the path", "fila finst ikkje; sjekk stien"),
        ) from None
    except IsADirectoryError:
        raise _fail(
            display,
            0,
            0,
            "file-unreadable",
            tr("dette er en mappe, ikke en fil", "this is a folder, not a file", "dette er ei mappe, ikkje ei fil"),
        ) from None
    except OSError as exc:
        raise KokomError.unreadable(display, exc) from None
    return parse_yaml(raw, path, display, keep_nodes=keep_nodes)


def parse_yaml(raw: bytes, path: Path, display: str, *, keep_nodes: bool = False) -> YamlDocument:
    """Decode, parse and construct one document; `keep_nodes` keeps the composed node tree for positions.

    The tree is the one `YamlDocument.node_at` would compose again, so positions are the same. It is not
    kept when the text may hold a merge key (`<<`): constructing a merge rewrites the mapping node."""
    text = _decode(raw, display)
    if not text.strip():
        raise _fail(
            display,
            1,
            1,
            "yaml-empty",
            tr(
                "filen er tom; den må inneholde en YAML-mapping (nøkkel: verdi)",
                "the file is empty; it must hold a YAML mapping",
                "fila er tom; ho må innehalde ein YAML-mapping (nøkkel: verdi)",
            ),
        )
    loader = _StrictLoader(text)
    root = None
    try:
        root = loader.get_single_node()  # what get_single_data does, keeping the node tree
        data = loader.construct_document(root) if root is not None else None
    except yaml.YAMLError as exc:
        raise _yaml_error(exc, text, display) from None
    except RecursionError:
        raise _fail(
            display,
            1,
            1,
            "yaml-too-deep",
            tr(
                f"dataene er nøstet for dypt (grense {MAX_DEPTH}); gjør strukturen flatere",
                f"the data is nested too deeply (limit {MAX_DEPTH}); flatten it",
                f"dataa er nøsta for djupt (grense {MAX_DEPTH}); gjer strukturen flatare",
            ),
        ) from None
    finally:
        loader.dispose()
    if data is None and not re.search(r"^\s*(null|~)\s*$", text, re.M):
        raise _fail(
            display,
            1,
            1,
            "yaml-empty",
            tr(
                "filen har bare kommentarer; den må inneholde en YAML-mapping (nøkkel: verdi)",
                "the file holds only comments; it must hold a YAML mapping",
                "fila har berre kommentarar; ho må innehalde ein YAML-mapping (nøkkel: verdi)",
            ),
        )
    if "&" in text or _SUSPICIOUS_NESTING.search(text):
        _check_shape(data, display)
    keep = keep_nodes and root is not None and "<<" not in text
    return YamlDocument(path=path, display=display, text=text, data=data, _root=root if keep else None)


def yaml_type_name(value: Any) -> str:
    """How a value was read, in words a YAML author understands."""
    if isinstance(value, bool):
        return tr(
            "ja/nei-verdi (YAML leser yes, no, on, off, true, false slik)",
            "a yes/no value (YAML reads yes, no, on, off, true, false this way)",
            "ja/nei-verdi (YAML les yes, no, on, off, true, false slik)",
        )
    if isinstance(value, (int, float)):
        return tr("et tall", "a number", "eit tal")
    if isinstance(value, dt.datetime):
        return tr("dato og klokkeslett", "a date and time", "dato og klokkeslett")
    if isinstance(value, dt.date):
        return tr("en dato", "a date", "ein dato")
    if value is None:
        return tr("ingenting (tom verdi)", "nothing (an empty value)", "ingenting (tom verdi)")
    if isinstance(value, dict):
        return tr("en mapping (nøkkel: verdi)", "a mapping (key: value)", "ein mapping (nøkkel: verdi)")
    if isinstance(value, list):
        return tr("en liste", "a list", "ei liste")
    return tr("tekst", "text", "tekst")
