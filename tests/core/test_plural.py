"""Counts and their words: singular for exactly one, in nb, nn and en."""

from __future__ import annotations

import pytest

from kokom_cli.core.i18n import DAYS, due_in, plural, set_language


@pytest.mark.parametrize(
    ("lang", "n", "expected"),
    [("nb", 1, "1 dag"), ("nb", 2, "2 dager"), ("nb", 0, "0 dager"), ("nn", 1, "1 dag"), ("nn", 3, "3 dagar"),
     ("en", 1, "1 day"), ("en", 5, "5 days"), ("nb", 3862, "3\u00a0862 dager"), ("en", 3862, "3,862 days")],
)  # fmt: skip
def test_plural(lang, n, expected) -> None:
    set_language(lang)
    assert plural(n, *DAYS) == expected


def test_nynorsk_falls_back_to_bokmal_without_its_forms() -> None:
    set_language("nn")
    assert plural(1, ("tjeneste", "tjenester"), ("service", "services")) == "1 tjeneste"


@pytest.mark.parametrize(
    ("lang", "days", "expected"),
    [("nb", 0, "i dag"), ("nb", 1, "om 1 dag"), ("nb", -1, "forfalt for 1 dag siden"), ("nb", 4, "om 4 dager"),
     ("en", 1, "in 1 day"), ("en", -3, "overdue by 3 days")],
)  # fmt: skip
def test_due_in(lang, days, expected) -> None:
    set_language(lang)
    assert due_in(days) == expected


def test_tr_gives_nynorsk_where_a_message_has_it_and_bokmal_otherwise() -> None:
    from kokom_cli.core.i18n import set_language, tr

    try:
        set_language("nn")
        assert tr("ikke målt", "not measured", "ikkje målt") == "ikkje målt"
        assert tr("ikke målt", "not measured") == "ikke målt", "no nynorsk given: bokmål"
        set_language("nb")
        assert tr("ikke målt", "not measured", "ikkje målt") == "ikke målt"
        set_language("en")
        assert tr("ikke målt", "not measured", "ikkje målt") == "not measured"
    finally:
        set_language("nb")


def test_assess_check_summary_in_nynorsk(runner) -> None:
    from conftest import EXAMPLES

    from kokom_cli.cli.main import app

    fjordby = EXAMPLES / "lvs-fjordby" / "assessments" / "lvs-fjordby-2026.yaml"
    result = runner.invoke(app, ["--lang", "nn", "assess", "check", str(fjordby), "--as-of", "2026-12-01"])
    assert result.exit_code == 1
    assert "Ikkje i orden:" in result.stdout and "ikkje oppfylt" in result.stdout
    assert "Ikke i orden" not in result.stdout
