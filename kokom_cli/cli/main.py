"""The `kokom` command. Imports only Typer at start-up; each command loads what it needs."""

from __future__ import annotations

from typing import Annotated

import typer

from kokom_cli import __version__
from kokom_cli.cli.click_words import root_group
from kokom_cli.core.i18n import htr


def _completion_arguments_in_our_language():
    """Typer's --install-completion and --show-completion, with help in the user's language.

    Typer gives no way to word these two options, so its factory is wrapped once, here.
    """
    import typer.main

    typer_factory = typer.main.get_install_completion_arguments

    def worded():
        install, show = typer_factory()
        words = {
            install: htr(
                "Installer fullføring (tab) for dette skallet.",
                "Install completion for the current shell.",
                "Installer fullføring (tab) for dette skalet.",
            ),
            show: htr(
                "Vis fullføringsskriptet for dette skallet, for å kopiere eller tilpasse det.",
                "Show completion for the current shell, to copy it or customize the installation.",
                "Vis fullføringsskriptet for dette skalet, for å kopiere eller tilpasse det.",
            ),
        }
        for param, text in words.items():
            if "help" in vars(param):  # an option (Typer's own click, vendored or not)
                vars(param)["help"] = text
        return install, show

    typer.main.get_install_completion_arguments = worded


_completion_arguments_in_our_language()

app = typer.Typer(
    name="kokom",
    cls=root_group(),
    help=htr(
        "Nasjonale krav og prosedyrebøker for medisinsk nødmeldetjeneste: valider, vurder, publiser.",
        "National requirements and procedure books for the medical emergency call service: validate, assess, publish.",
        "Nasjonale krav og prosedyrebøker for medisinsk naudmeldeteneste: valider, vurder, publiser.",
    ),
    no_args_is_help=True,
    pretty_exceptions_enable=False,
    add_completion=True,
    rich_markup_mode=None,
)


def _version(value: bool) -> None:
    if value:
        print(f"kokom {__version__}")
        raise typer.Exit(0)


@app.callback()
def main(
    version: Annotated[
        bool,
        typer.Option(
            "--version",
            callback=_version,
            is_eager=True,
            help=htr("Vis versjonen og avslutt.", "Show the version and exit.", "Vis versjonen og avslutt."),
        ),
    ] = False,
    lang: Annotated[
        str,
        typer.Option(
            "--lang",
            envvar="KOKOM_LANG",
            help=htr(
                "Språk for meldinger og etiketter: nb (standard), nn eller en.",
                "Language of messages and labels: nb (default), nn or en.",
                "Språk for meldingar og etikettar: nb (standard), nn eller en.",
            ),
        ),
    ] = "nb",
) -> None:
    from kokom_cli.core.i18n import set_language

    set_language(lang)


def _register() -> None:
    from kokom_cli.cli import requirements_cmd, validate_cmd

    validate_cmd.register(app)
    app.add_typer(requirements_cmd.app, name="requirements")
    from kokom_cli.cli import procedures_cmd, trace_cmd

    app.add_typer(procedures_cmd.app, name="procedures")
    trace_cmd.register(app)
    from kokom_cli.cli import edit_cmd

    edit_cmd.register(requirements_cmd.app, procedures_cmd.app)
    from kokom_cli.cli import diff_cmd

    diff_cmd.register(app)
    from kokom_cli.cli import edition_cmd

    app.add_typer(edition_cmd.app, name="edition")
    from kokom_cli.cli import render_cmd

    app.add_typer(render_cmd.app, name="render")
    from kokom_cli.cli import assess_cmd

    app.add_typer(assess_cmd.app, name="assess")
    from kokom_cli.cli import migrate_cmd

    migrate_cmd.register(assess_cmd.app)
    from kokom_cli.cli import todo_cmd

    todo_cmd.register(assess_cmd.app)
    from kokom_cli.cli import verify_cmd

    verify_cmd.register(assess_cmd.app)
    from kokom_cli.cli import pack_cmd

    pack_cmd.register(assess_cmd.app)
    from kokom_cli.cli import spreadsheet_cmd

    spreadsheet_cmd.register(assess_cmd.app)
    from kokom_cli.cli import overview_cmd

    overview_cmd.register(app, assess_cmd.app)
    from kokom_cli.cli import metrics_cmd

    metrics_cmd.register(app)
    from kokom_cli.cli import due_cmd

    due_cmd.register(app)
    from kokom_cli.cli import init_cmd

    init_cmd.register(app)
    from kokom_cli.cli import competence_cmd

    app.add_typer(competence_cmd.app, name="competence")


_register()


# The cycle collector's first threshold: a kokom run is short, allocates millions of objects (parsed YAML,
# models, findings) and frees few, so at Python's default (700) the collector walks the growing heap again and
# again for nothing: 45 % of the CPU time of `assess validate` over 2,000 assessments (bench/README.md).
COLLECT_EVERY = 50_000


def run() -> None:
    import gc
    import sys

    if sys.argv[1:] == ["--version"]:  # answered before Typer builds every command (start-up budget)
        print(f"kokom {__version__}")
        return
    _, middle, oldest = gc.get_threshold()
    gc.set_threshold(COLLECT_EVERY, middle, oldest)
    app()
