"""Click's and Typer's own words (Usage, Options, Error, Missing argument, ...) in the user's language.

Typer ≥ 0.16 carries its own copy of click (`typer._click`); from about 0.20 that copy writes its
words as plain English literals, not through gettext, so a gettext catalogue alone cannot reach
them. This module therefore holds one small catalogue, English text → (bokmål, nynorsk), and
puts it in at the few places those words are made:

- the names Typer (and a stand-alone click) marks with gettext (`_` in their modules), looked up
  when the text is shown;
- the help option's text, the usage prefix, and how an error is shown (`Error: `, `Try ... for
  help.`), where the message itself goes through the same catalogue, exact text first, then the
  patterns for messages that carry a name or a value (`No such option: --x`).

The language is `core.i18n.language()` when the text is shown: the root command sets it from the
command line and KOKOM_LANG before parsing (`KokomGroup.main`), so `--lang en` and CliRunner
invocations are covered as well as the installed `kokom`. English text passes through unchanged.
"""

from __future__ import annotations

import importlib
import re
from typing import Any

from kokom_cli.core.i18n import language

# English (the msgid as click or Typer writes it) → (bokmål, nynorsk).
WORDS: dict[str, tuple[str, str]] = {
    "Usage: ": ("Bruk: ", "Bruk: "),
    "Usage:": ("Bruk:", "Bruk:"),
    "Options": ("Valg", "Val"),
    "Commands": ("Kommandoer", "Kommandoar"),
    "Arguments": ("Argumenter", "Argument"),
    "Show this message and exit.": ("Vis denne hjelpen og avslutt.", "Vis denne hjelpa og avslutt."),
    "Error: ": ("Feil: ", "Feil: "),
    "Error": ("Feil", "Feil"),
    "Try '{command} {option}' for help.": (
        "Prøv '{command} {option}' for hjelp.",
        "Prøv '{command} {option}' for hjelp.",
    ),
    "Missing command.": ("Mangler kommando.", "Manglar kommando."),
    "No such command {name!r}.": ("Ukjent kommando {name!r}.", "Ukjend kommando {name!r}."),
    "Aborted!": ("Avbrutt!", "Avbrote!"),
    "Aborted.": ("Avbrutt.", "Avbrote."),
    "required": ("påkrevd", "påkravd"),
    "default: {default}": ("standard: {default}", "standard: {default}"),
    "env var: {var}": ("miljøvariabel: {var}", "miljøvariabel: {var}"),
    "(dynamic)": ("(dynamisk)", "(dynamisk)"),
    "(deprecated) ": ("(utgått) ", "(utgått) "),
    "Repeat for confirmation": ("Gjenta for å bekrefte", "Gjenta for å stadfeste"),
    "The value you entered was invalid.": ("Verdien du skrev inn, er ugyldig.", "Verdien du skreiv inn, er ugyldig."),
    "The two entered values do not match.": ("De to verdiene er ikke like.", "Dei to verdiane er ikkje like."),
    "invalid input": ("ugyldig inndata", "ugyldige inndata"),
    "Value must be an iterable.": ("Verdien må være en liste.", "Verdien må vere ei liste."),
    "unknown error": ("ukjent feil", "ukjend feil"),
}

# Messages with a name or a value in them: an English pattern → (bokmål, nynorsk) replacements.
# Groups named `inner` are themselves translated (an "Invalid value for" wraps another message).
PATTERNS: list[tuple[re.Pattern[str], str, str]] = [
    (re.compile(r"No such option:? (\S+)(?: (?P<inner>.+))?", re.S), r"Ukjent valg: \1", r"Ukjend val: \1"),
    (re.compile(r"\(Possible options: (.+)\)"), r"(Mulige valg: \1)", r"(Moglege val: \1)"),
    (re.compile(r"Did you mean (.+)\?"), r"Mente du \1?", r"Meinte du \1?"),
    (re.compile(r"Missing argument (.+)\.(.*)"), r"Mangler argumentet \1.\2", r"Manglar argumentet \1.\2"),
    (re.compile(r"Missing option (.+)\.(.*)"), r"Mangler valget \1.\2", r"Manglar valet \1.\2"),
    (re.compile(r"Missing parameter:? (.+)"), r"Mangler parameteren \1", r"Manglar parameteren \1"),
    (re.compile(r"Option (.+) requires an argument\."), r"Valget \1 må ha en verdi.", r"Valet \1 må ha ein verdi."),
    (
        re.compile(r"Option (.+) requires (\d+) arguments\."),
        r"Valget \1 må ha \2 verdier.",
        r"Valet \1 må ha \2 verdiar.",
    ),
    (
        re.compile(r"Option (.+) does not take a value\."),
        r"Valget \1 tar ingen verdi.",
        r"Valet \1 tek ingen verdi.",
    ),
    (
        re.compile(r"Got unexpected extra arguments? ?(?:\(s\))? \((.+)\)"),
        r"Ukjent tillegg på kommandolinjen: \1",
        r"Ukjend tillegg på kommandolinja: \1",
    ),
    (
        re.compile(r"Argument (.+) takes (\d+) values\."),
        r"Argumentet \1 tar \2 verdier.",
        r"Argumentet \1 tek \2 verdiar.",
    ),
    (re.compile(r"Invalid value for (.+?): (?P<inner>.+)", re.S), r"Ugyldig verdi for \1: ", r"Ugyldig verdi for \1: "),
    (re.compile(r"Invalid value: (?P<inner>.+)", re.S), r"Ugyldig verdi: ", r"Ugyldig verdi: "),
    (
        re.compile(r"(?:Value )?(.+) is not a valid (.+)\."),
        r"\1 er ikke en gyldig verdi (\2).",
        r"\1 er ikkje ein gyldig verdi (\2).",
    ),
    (
        re.compile(r"Input should be a valid integer.*", re.S),
        "må være et heltall",
        "må vere eit heiltal",
    ),
    (re.compile(r"Input should be a valid number.*", re.S), "må være et tall", "må vere eit tal"),
    (
        re.compile(r"Input should be greater than or equal to (\S+)"),
        r"må være større enn eller lik \1",
        r"må vere større enn eller lik \1",
    ),
    (
        re.compile(r"Input should be less than or equal to (\S+)"),
        r"må være mindre enn eller lik \1",
        r"må vere mindre enn eller lik \1",
    ),
    (re.compile(r"(.+) is not one of (.+)\."), r"\1 er ikke en av \2.", r"\1 er ikkje ein av \2."),
    (
        re.compile(r"Could not open file (.+?): (?P<inner>.+)", re.S),
        r"Kunne ikke åpne filen \1: ",
        r"Kunne ikkje opne fila \1: ",
    ),
]


def gettext(message: str) -> str:
    """A message marked for gettext by click or Typer, in the current language."""
    lang = language()
    if lang == "en" or message not in WORDS:
        return message
    nb, nn = WORDS[message]
    return nn if lang == "nn" else nb


def ngettext(singular: str, plural: str, n: int) -> str:
    return gettext(singular if n == 1 else plural)


def translate(message: str) -> str:
    """A finished message (names and values filled in), in the current language; unknown text as it is."""
    lang = language()
    if lang == "en" or message in ("", None):
        return message
    if message in WORDS:
        return gettext(message)
    for pattern, nb, nn in PATTERNS:
        found = pattern.fullmatch(message)
        if not found:
            continue
        text = found.expand(nn if lang == "nn" else nb)
        inner = found.group("inner") if "inner" in pattern.groupindex else None
        return f"{text.rstrip()} {translate(inner)}" if inner else text
    return message


def click_modules() -> list[Any]:
    """The click Typer uses: its own copy when it has one, else the stand-alone package."""
    try:
        base = importlib.import_module("typer._click")
        name = "typer._click"
    except ImportError:  # pragma: no cover (Typer before 0.16)
        base = importlib.import_module("click")
        name = "click"
    found = [base]
    for part in ("core", "exceptions", "formatting", "decorators", "parser", "termui", "types", "utils"):
        try:
            found.append(importlib.import_module(f"{name}.{part}"))
        except ImportError:
            continue
    return found


_installed = False


def install() -> None:
    """Put the catalogue in at every place click and Typer make their words. Idempotent."""
    global _installed
    if _installed:
        return
    _installed = True
    import typer.core

    modules = [typer.core, *click_modules()]
    for module in modules:
        if "_" in vars(module):
            module._ = gettext
        if "ngettext" in vars(module):
            module.ngettext = ngettext
    base = modules[1]
    _wrap_usage(base.formatting.HelpFormatter)
    _wrap_help_option(base.core.Command)
    _wrap_errors(base.exceptions)


def _wrap_usage(formatter: Any) -> None:
    write_usage = formatter.write_usage

    def worded(self, prog: str, args: str = "", prefix: str | None = None) -> None:
        write_usage(self, prog, args, gettext("Usage: ") if prefix is None else prefix)

    formatter.write_usage = worded


def _wrap_help_option(command: Any) -> None:
    get_help_option = command.get_help_option

    def worded(self, ctx):
        option = get_help_option(self, ctx)
        if option is not None and option.help:
            option.help = gettext("Show this message and exit.")
        return option

    command.get_help_option = worded


def _wrap_errors(exceptions: Any) -> None:
    echo = exceptions.echo if hasattr(exceptions, "echo") else importlib.import_module("typer").echo

    def show_click_exception(self, file=None) -> None:
        echo(gettext("Error: ") + translate(self.format_message()), file=file, err=file is None,
             color=getattr(self, "show_color", None))  # fmt: skip

    def show_usage_error(self, file=None) -> None:
        color = None
        hint = ""
        if self.ctx is not None and self.ctx.command.get_help_option(self.ctx) is not None:
            hint = (
                gettext("Try '{command} {option}' for help.").format(
                    command=self.ctx.command_path, option=self.ctx.help_option_names[0]
                )
                + "\n"
            )
        if self.ctx is not None:
            color = self.ctx.color
            echo(f"{self.ctx.get_usage()}\n{hint}", file=file, err=file is None, color=color)
        echo(gettext("Error: ") + translate(self.format_message()), file=file, err=file is None, color=color)

    exceptions.ClickException.show = show_click_exception
    exceptions.UsageError.show = show_usage_error


def root_group() -> type:
    """The class of kokom's root command: before parsing, the language from the command line
    (`--lang`) or KOKOM_LANG, and the catalogue in place, for `kokom` and for CliRunner alike."""
    import sys

    import typer.core

    class KokomGroup(typer.core.TyperGroup):
        def main(self, args=None, *rest, **kwargs):
            from kokom_cli.core.i18n import help_language, set_language

            set_language(help_language(list(args) if args is not None else sys.argv[1:]))
            install()
            return super().main(args, *rest, **kwargs)

    return KokomGroup
