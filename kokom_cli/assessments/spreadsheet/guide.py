"""The text of the form's «Veiledning» sheet: how to fill in the workbook, in the current language."""

from __future__ import annotations

from kokom_cli.assessments.models import Assessment, Service
from kokom_cli.assessments.spreadsheet.form import ANSWERS, FORM, WAIVERS, status_labels
from kokom_cli.core.i18n import tr
from kokom_cli.requirements.models import EvidenceKind


def help_lines(service: Service, assessment: Assessment, count: int) -> list[str]:
    labels = status_labels()
    return [
        tr(f"Egenvurdering: {service.name}", f"Self-assessment: {service.name}", f"Eigenvurdering: {service.name}"),
        "",
        tr(
            f"Tjeneste: {service.id} ({service.kind.value}). Utgave {assessment.edition} av de nasjonale kravene: "
            f"{count} krav gjelder denne tjenesten, ett per rad i arket «{ANSWERS}».",
            f"Service: {service.id} ({service.kind.value}). Edition {assessment.edition} of the national requirements: "
            f"{count} requirements apply to this service, one per row in the sheet '{ANSWERS}'.",
            f"Teneste: {service.id} ({service.kind.value}). Utgåve {assessment.edition} av dei nasjonale krava: "
            f"{count} krav gjeld denne tenesta, eitt per rad i arket «{ANSWERS}».",
        ),
        "",
        tr("Slik fyller du ut:", "How to fill it in:", "Slik fyller du ut:"),
        tr(
            f"1. Arket «{FORM}»: periode, hvem som vurderer og dato.",
            f"1. Sheet '{FORM}': period, who assesses, and the date.",
            f"1. Arket «{FORM}»: periode, kven som vurderer og dato.",
        ),
        tr(
            f"2. Arket «{ANSWERS}»: velg status i nedtrekkslisten for hvert krav: "
            + ", ".join(labels.values())
            + ". Tom status betyr ikke besvart.",
            f"2. Sheet '{ANSWERS}': choose a status from the drop-down for each requirement: "
            + ", ".join(labels.values())
            + ". An empty status means unanswered.",
            f"2. Arket «{ANSWERS}»: vel status i nedtrekkslista for kvart krav: "
            + ", ".join(labels.values())
            + ". Tom status tyder ikkje svart på.",
        ),
        tr(
            "3. Skriv en begrunnelse. Delvis oppfylt, ikke oppfylt og ikke relevant krever begrunnelse.",
            "3. Write a justification. Partly met, not met and not applicable need one.",
            "3. Skriv ei grunngiving. Delvis oppfylt, ikkje oppfylt og ikkje relevant krev grunngiving.",
        ),
        tr(
            "4. Dokumentasjon: én linje per dokument, dato først, så «fil:» og stien (regnet fra mappen der "
            "vurderingsfilen lagres) eller «tekst:» og en beskrivelse. Art kan stå i parentes etter datoen:",
            "4. Evidence: one line per item, the date first, then 'file:' and the path (relative to the folder the "
            "assessment file is saved in) or 'text:' and a description. A kind may follow the date in brackets:",
            "4. Dokumentasjon: éi linje per dokument, dato først, så «fil:» og stien (rekna frå mappa der "
            "vurderingsfila blir lagra) eller «tekst:» og ei skildring. Art kan stå i parentes etter datoen:",
        ),
        tr(
            "     2026-09-30 fil: vedlegg/svartid-2026.csv",
            "     2026-09-30 file: attachments/answer-times-2026.csv",
            "     2026-09-30 fil: vedlegg/svartid-2026.csv",
        ),
        tr(
            "     2026-10-07 (record) tekst: Svartidsrapporten gjennomgått i ledermøtet.",
            "     2026-10-07 (record) text: Answer-time report reviewed by the management meeting.",
            "     2026-10-07 (record) tekst: Svartidsrapporten gjennomgått i leiarmøtet.",
        ),
        tr(
            "   Arter: " + ", ".join(k.value for k in EvidenceKind) + ". En tekst over flere linjer: "
            "start hver ny linje med to mellomrom.",
            "   Kinds: " + ", ".join(k.value for k in EvidenceKind) + ". A text over several lines: "
            "start each further line with two spaces.",
            "   Arter: " + ", ".join(k.value for k in EvidenceKind) + ". Ein tekst over fleire linjer: "
            "start kvar ny linje med to mellomrom.",
        ),
        tr(
            "5. Tiltak: fyll ut tiltak, ansvarlig og frist (en dato) sammen, eller ingen av dem. Et skal-krav "
            "som ikke er oppfylt, trenger et tiltak.",
            "5. Action: fill in action, responsible and due date (a date) together, or none of them. A skal "
            "requirement that is not met needs an action.",
            "5. Tiltak: fyll ut tiltak, ansvarleg og frist (ein dato) saman, eller ingen av dei. Eit skal-krav "
            "som ikkje er oppfylt, treng eit tiltak.",
        ),
        tr(
            "6. Målekrav (svartid): oppgi anropslogger (CSV-filer, én per linje) eller de målte tallene. "
            "Andelen skrives som prosent (90 %) eller som et tall mellom 0 og 1.",
            "6. Measured requirements (answer time): give call logs (CSV files, one per line) or the measured "
            "figures. The share is a percentage (90 %) or a number between 0 and 1.",
            "6. Målekrav (svartid): oppgi anropsloggar (CSV-filer, éi per linje) eller dei målte tala. "
            "Delen skriv du som prosent (90 %) eller som eit tal mellom 0 og 1.",
        ),
        tr(
            "7. Rådgiverkolonnene fylles ut av den nasjonale rådgiveren.",
            "7. The advisor columns are for the national advisor.",
            "7. Rådgjevarkolonnane blir fylte ut av den nasjonale rådgjevaren.",
        ),
        tr(
            f"8. Arket «{WAIVERS}»: godkjente unntak, ett per rad.",
            f"8. Sheet '{WAIVERS}': approved waivers, one per row.",
            f"8. Arket «{WAIVERS}»: godkjende unntak, eitt per rad.",
        ),
        "",
        tr(
            "Ikke endre krav-ID-ene, ikke slett eller flytt rader, og ikke skriv utenfor skjemaet: alt dette blir "
            "meldt som feil ved innlesing. Datoer skrives som datoer (ÅÅÅÅ-MM-DD). Formler leses ikke.",
            "Do not change the requirement ids, do not delete or move rows, and do not write outside the form: "
            "reading it back reports all of these. Dates are dates (YYYY-MM-DD). Formulas are not read.",
            "Ikkje endre krav-ID-ane, ikkje slett eller flytt rader, og ikkje skriv utanfor skjemaet: alt dette blir "
            "meldt som feil ved innlesing. Datoar skriv du som datoar (ÅÅÅÅ-MM-DD). Formlar blir ikkje lesne.",
        ),
        "",
        tr(
            "Les inn det utfylte skjemaet med:",
            "Read the filled-in form back with:",
            "Les inn det utfylte skjemaet med:",
        ),
        tr(
            "     kokom assess import skjema.xlsx -o vurdering.yaml",
            "     kokom assess import form.xlsx -o assessment.yaml",
            "     kokom assess import skjema.xlsx -o vurdering.yaml",
        ),
        tr(
            "og kontroller det med: kokom assess check vurdering.yaml",
            "and check it with: kokom assess check assessment.yaml",
            "og kontroller det med: kokom assess check vurdering.yaml",
        ),
    ]
