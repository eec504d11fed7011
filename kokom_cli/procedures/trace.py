"""Traceability between the requirements and the procedure books.

`trace_matrix(corpus, books)` is the one place that answers "which procedures
fulfil this requirement?"; `kokom trace` prints it and the handbook renderer
draws its traceability appendix from it.
"""

from __future__ import annotations

from dataclasses import asdict, dataclass, field

from kokom_cli.procedures.books import Library, load_books
from kokom_cli.requirements.corpus import Corpus
from kokom_cli.requirements.models import ServiceKind, Status

__all__ = ["Citation", "ProcedureRef", "TraceMatrix", "TraceRow", "load_books", "trace_matrix"]


@dataclass(frozen=True)
class ProcedureRef:
    """A procedure or dispatch card as the matrix names it."""

    id: str
    title: str
    book: str  # book id
    kind: str  # "procedure" | "dispatch_card"


@dataclass(frozen=True)
class TraceRow:
    """One requirement and the procedures that fulfil it (in book and chapter order)."""

    requirement_id: str
    title: str
    level: str  # "skal" | "bør"
    status: str  # "active" | "retired"
    applies_to: list[str]
    procedures: list[ProcedureRef]
    in_scope: bool  # the requirement applies to a kind of service that one of the books applies to

    @property
    def covered(self) -> bool:
        return bool(self.procedures)


@dataclass(frozen=True)
class Citation:
    """A procedure citing a requirement that is unknown or retired."""

    procedure: ProcedureRef
    requirement_id: str
    problem: str  # "unknown" | "retired"


@dataclass
class TraceMatrix:
    """The requirement <-> procedure matrix.

    `rows`: every requirement of the corpus, in chapter order.
    `uncovered`: the ids of active requirements that no procedure fulfils.
    `citations`: procedures citing unknown or retired requirement ids.
    """

    rows: list[TraceRow] = field(default_factory=list)
    uncovered: list[str] = field(default_factory=list)
    citations: list[Citation] = field(default_factory=list)

    def as_json(self) -> dict:
        return {
            "requirements": [asdict(r) | {"covered": r.covered} for r in self.rows],
            "uncovered": self.uncovered,
            "citations": [asdict(c) for c in self.citations],
        }


def trace_matrix(corpus: Corpus, books: Library) -> TraceMatrix:
    """Build the matrix from a loaded requirements corpus and the loaded procedure books.

    Uses each entry as it applies (a local copy replaces the national entry it
    extends), so a procedure is listed once per requirement it fulfils.
    """
    requirements = corpus.requirements
    fulfilled_by: dict[str, list[ProcedureRef]] = {}
    matrix = TraceMatrix()
    for item in books.effective().values():
        entry = item.entry
        ref = ProcedureRef(id=entry.id, title=entry.title, book=item.book_id, kind=entry.kind)
        for requirement_id in dict.fromkeys(entry.fulfils):
            requirement = requirements.get(requirement_id)
            if requirement is None:
                matrix.citations.append(Citation(ref, requirement_id, "unknown"))
                continue
            if requirement.status is Status.retired:
                matrix.citations.append(Citation(ref, requirement_id, "retired"))
            fulfilled_by.setdefault(requirement_id, []).append(ref)
    kinds: set[ServiceKind] = {k for b in books.books for k in b.book.applies_to}
    for requirement in requirements.values():
        row = TraceRow(
            requirement_id=requirement.id,
            title=requirement.title,
            level=requirement.level.value,
            status=requirement.status.value,
            applies_to=[k.value for k in requirement.applies_to],
            procedures=fulfilled_by.get(requirement.id, []),
            in_scope=bool(kinds.intersection(requirement.applies_to)),
        )
        matrix.rows.append(row)
        if not row.covered and requirement.status is Status.active:
            matrix.uncovered.append(requirement.id)
    return matrix
