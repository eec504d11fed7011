"""Asking a person for a value: a bad answer is asked again at once, with the allowed values."""

from __future__ import annotations

import sys
from collections.abc import Callable

import typer


def interactive() -> bool:
    """True when a person can answer prompts (stdin is a terminal)."""
    return sys.stdin.isatty()


def ask(
    question: str,
    *,
    choices: list[str] | None = None,
    default: str | None = None,
    many: bool = False,
    check: Callable[[str], str | None] | None = None,
) -> str | list[str]:
    """Prompt until the answer is allowed. `many`: a comma-separated list. `check` returns a problem or None."""
    from kokom_cli.core.i18n import tr

    while True:
        answer = typer.prompt(question, default=default, show_default=bool(default)).strip()
        parts = [p.strip() for p in answer.split(",") if p.strip()] if many else [answer]
        wrong = [p for p in parts if choices is not None and p not in choices]
        if choices is not None and not parts:
            wrong = [answer]
        problem = (
            tr(
                f"'{', '.join(wrong)}' er ikke tillatt; velg blant: {', '.join(choices or [])}",
                f"'{', '.join(wrong)}' is not allowed; choose from: {', '.join(choices or [])}",
                f"'{', '.join(wrong)}' er ikkje tillate; vel blant: {', '.join(choices or [])}",
            )
            if wrong
            else (check(answer) if check else None)
        )
        if problem is None:
            return parts if many else answer
        typer.echo(problem, err=True)
