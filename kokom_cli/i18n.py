"""The language of messages and labels: Norwegian bokmål by default, English on request.

Messages are written at their call site in both languages, `tr("bokmål", "English")`,
so a reader of the code sees both and neither can go missing. Nynorsk labels
come from the templates; messages fall back to bokmål for `nn`.
"""

from __future__ import annotations

import os
from contextvars import ContextVar

LANGUAGES = ("nb", "nn", "en")
_language: ContextVar[str] = ContextVar("kokom_language", default=os.environ.get("KOKOM_LANG", "nb"))


def set_language(language: str) -> None:
    _language.set(language if language in LANGUAGES else "nb")


def language() -> str:
    return _language.get()


def tr(nb: str, en: str) -> str:
    """The message in the current language."""
    return en if _language.get() == "en" else nb
