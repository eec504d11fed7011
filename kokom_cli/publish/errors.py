"""Why a render failed: one error type carrying its findings and exit code (1 a template or resource problem,
2 a template that tried to leave the sandbox or its folder)."""

from __future__ import annotations

from typing import Any

from kokom_cli.core.findings import Finding, KokomError, Severity
from kokom_cli.core.i18n import tr


class RenderError(KokomError):
    """A render that failed; carries its findings. Exit 1 for a template or resource problem, 2 for a
    template that tried to leave the sandbox or its folder."""

    def __init__(self, findings: list[Finding] | Finding, exit_code: int = 1):
        super().__init__(findings, exit_code=exit_code)


def render_error(path: Any, code: str, message: str, line: int = 0, exit_code: int = 1) -> RenderError:
    return RenderError(Finding(str(path), line, 0, Severity.error, code, message), exit_code)


def outside_message() -> str:
    return tr(
        "er en symbolsk lenke som peker ut av malmappen; den følges ikke (legg filen selv i malmappen)",
        "is a symbolic link pointing out of the templates folder; it is not followed (put the file itself "
        "in the templates folder)",
        "er ei symbolsk lenkje som peikar ut av malmappa; ho blir ikkje følgd (legg sjølve fila i malmappa)",
    )
