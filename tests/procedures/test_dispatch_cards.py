"""Dispatch cards: key questions and advice to the caller are fields of their own, printed under their headings."""

from __future__ import annotations

import yaml
from conftest import ROOT

from kokom_cli.cli.main import app
from kokom_cli.editions.rules import EDITORIAL, TIGHTENING, procedure_field
from kokom_cli.procedures.models import DispatchCard

CARD = ROOT / "procedures" / "amk" / "kort-91-brystsmerter.yaml"


def test_the_national_cards_have_their_questions_and_advice_as_fields() -> None:
    for path in sorted((ROOT / "procedures" / "amk").glob("kort-*.yaml")):
        card = DispatchCard.model_validate(yaml.safe_load(path.read_text(encoding="utf-8")))
        assert card.key_questions and card.caller_advice, path.name
        assert "Nøkkelspørsmål" not in card.background and "Råd til innringer" not in card.background


def test_show_prints_them_under_their_headings_in_every_language(runner) -> None:
    result = runner.invoke(app, ["procedures", "show", "KORT-91"])
    assert result.exit_code == 0, result.output
    out = result.stdout
    assert out.index("Nøkkelspørsmål") < out.index("Hvor er dere?") < out.index("Råd til innringer")
    assert (
        out.index("Råd til innringer") < out.index("Legg fram pasientens faste medisiner") < out.index("Om tilstanden")
    )
    nn = runner.invoke(app, ["--lang", "nn", "procedures", "show", "KORT-91"]).stdout
    assert "Råd til innringaren" in nn
    en = runner.invoke(app, ["--lang", "en", "procedures", "show", "KORT-91"]).stdout
    assert "Key questions" in en and "Advice to the caller" in en


def test_the_procedure_book_prints_them_before_the_background(runner, tmp_path) -> None:
    out = tmp_path / "amk.html"
    result = runner.invoke(app, ["render", "procedures", "amk", "-f", "html", "-o", str(out)])
    assert result.exit_code == 0, result.output
    html = out.read_text(encoding="utf-8")
    card = html.split('id="KORT-91"', 1)[1].split("</article>", 1)[0]
    questions, advice, about = (card.index(f"<h4>{h}</h4>") for h in ("Nøkkelspørsmål", "Råd til innringer", "Om"))
    assert questions < advice < about
    assert "<li>Hvor er dere? (adresse, kommune, kjennetegn)</li>" in card[questions:advice]
    assert "<li>Lås opp døren og sørg for at noen kan ta imot ambulansen.</li>" in card[advice:about]


def test_a_new_question_tightens_a_card_and_a_reworded_one_is_editorial() -> None:
    old = ["Hvor er dere?", "Puster pasienten?"]
    assert procedure_field("key_questions", old, [*old, "Har pasienten kjent hjertesykdom?"])[0] == TIGHTENING
    assert procedure_field("key_questions", old, ["Hvor er dere nå?", "Puster pasienten?"])[0] == EDITORIAL
