"""The language of messages and labels: Norwegian bokmål by default, nynorsk or English on request.

Messages are written at their call site in every language, `tr("bokmål", "English", "nynorsk")`,
so a reader of the code sees them all and none can go missing. Nynorsk labels
come from the templates; a message gives its nynorsk as the third argument and,
where it has none, falls back to bokmål.
"""

from __future__ import annotations

import os
import sys
from contextvars import ContextVar

LANGUAGES = ("nb", "nn", "en")
_language: ContextVar[str] = ContextVar("kokom_language", default=os.environ.get("KOKOM_LANG", "nb"))  # noqa: B039 (a str, read once)


def set_language(language: str) -> None:
    _language.set(language if language in LANGUAGES else "nb")


def language() -> str:
    return _language.get()


def tr(nb: str, en: str, nn: str | None = None) -> str:
    """The message in the current language (nynorsk: `nn`, else bokmål)."""
    lang = _language.get()
    if lang == "en":
        return en
    return nn if lang == "nn" and nn is not None else nb


def help_language(argv: list[str] | None = None) -> str:
    """The language of `--help`: `--lang en` on the command line, else KOKOM_LANG; bokmål otherwise.

    Help is built when the commands are declared, before Typer parses anything, so this looks
    at the raw command line once, at import time.
    """
    chosen = os.environ.get("KOKOM_LANG", "nb")
    args = sys.argv[1:] if argv is None else argv
    for i, arg in enumerate(args):
        if arg == "--lang" and i + 1 < len(args):
            chosen = args[i + 1]
        elif arg.startswith("--lang="):
            chosen = arg.removeprefix("--lang=")
    return chosen if chosen in LANGUAGES else "nb"


_HELP_LANGUAGE = help_language()


def htr(nb: str, en: str, nn: str | None = None) -> str:
    """Help text (commands, options, arguments) in the language of `help_language()`."""
    if _HELP_LANGUAGE == "en":
        return en
    return nn if _HELP_LANGUAGE == "nn" and nn is not None else nb


def plural(n: int, nb: tuple[str, str], en: tuple[str, str], nn: tuple[str, str] | None = None) -> str:
    """A count and its word, singular for exactly one: `plural(1, ("tjeneste", "tjenester"),
    ("service", "services"))` is "1 tjeneste", "1 service" or, with `nn`, "1 teneste"; thousands are
    grouped ("3 862 anrop", "3,862 calls").
    Without nynorsk forms, nynorsk uses the bokmål ones, as `tr` does."""
    from kokom_cli.core.numbers import count  # numbers reads the language from here

    lang = _language.get()
    forms = en if lang == "en" else nn if lang == "nn" and nn is not None else nb
    return f"{count(n)} {forms[0] if abs(n) == 1 else forms[1]}"


DAYS = (("dag", "dager"), ("day", "days"), ("dag", "dagar"))


def due_in(days: int) -> str:
    """When something falls due, from today: "i dag", "om 1 dag", "forfalt for 3 dager siden"."""
    if days == 0:
        return tr("i dag", "today", "i dag")
    counted = plural(abs(days), *DAYS)
    return (
        tr(f"om {counted}", f"in {counted}", f"om {counted}")
        if days > 0
        else tr(f"forfalt for {counted} siden", f"overdue by {counted}", f"forfalt for {counted} sidan")
    )


# Words counted in more than one place: (bokmål), (English), (nynorsk) forms, for `plural`.
ITEMS = (("element", "elementer"), ("item", "items"), ("element", "element"))
