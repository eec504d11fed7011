"""libyaml's problems (its English messages) in Norwegian: bokmål and nynorsk, for the YAML reader.

A test parses a broken document for every problem libyaml reports and checks that each is listed here.
"""

from __future__ import annotations

_PROBLEMS_NB = {
    "could not find expected ':'": "fant ikke forventet ':'; sjekk at hver linje har formen nøkkel: verdi",
    "did not find expected key": "fant ikke forventet nøkkel; sjekk innrykket",
    "did not find expected node content": "fant ikke forventet innhold; sjekk innrykket",
    "found unexpected end of stream": (
        "filen slutter midt i en verdi; mangler et avsluttende anførselstegn eller en klamme?"
    ),
    "found undefined alias": "aliaset (*) viser til et anker (&) som ikke finnes",
    "found unknown escape character": "ukjent escape-tegn etter \\ i tekst med doble anførselstegn",
    "mapping values are not allowed in this context": "kolon på feil sted; sjekk innrykket, og sett tekst som "
    "inneholder ': ' i anførselstegn",
    "mapping keys are not allowed in this context": "nøkkel (?) på feil sted; sjekk innrykket",
    "block sequence entries are not allowed in this context": "listepunkt (-) på feil sted; sjekk innrykket",
    "did not find expected '-' indicator": "fant ikke forventet listepunkt (-); sjekk innrykket",
    "did not find expected ',' or ']'": "fant ikke forventet ',' eller ']'; mangler en avsluttende ]?",
    "did not find expected ',' or '}'": "fant ikke forventet ',' eller '}'; mangler en avsluttende }?",
    "did not find expected hexdecimal number": "fant ikke forventet heksadesimalt tall etter \\x, \\u eller \\U",
    "found invalid Unicode character escape code": "ugyldig Unicode-kode etter \\u eller \\U",
    "did not find expected alphabetic or numeric character": "et anker (&) eller alias (*) mangler navn",
    "did not find the expected '>'": "fant ikke forventet '>' i taggen",
    "did not find expected '!'": "fant ikke forventet '!' i taggen",
    "did not find expected tag URI": "fant ikke forventet tagg-URI",
    "did not find URI escaped octet": "fant ikke forventet %-kodet tegn i taggen",
    "found undefined tag handle": "ukjent tagg-forkortelse (!...!)",
    "found duplicate %YAML directive": "%YAML-direktivet står to ganger",
    "found duplicate %TAG directive": "%TAG-direktivet står to ganger",
    "found incompatible YAML document": "YAML-versjonen støttes ikke; bruk %YAML 1.1 eller 1.2, eller ingen",
    "found unknown directive name": "ukjent direktiv (linje som begynner med %)",
    "did not find expected version number": "fant ikke forventet versjonsnummer etter %YAML",
    "did not find expected digit or '.' character": "fant ikke forventet siffer eller '.' i versjonsnummeret",
    "did not find expected whitespace or line break": "fant ikke forventet mellomrom eller linjeskift",
    "did not find expected directive name": "fant ikke forventet navn på direktivet etter %",
    "found an indentation indicator equal to 0": "innrykket i en blokk (| eller >) kan ikke være 0",
    "found unexpected document indicator": "dokumentskille (--- eller ...) midt i en verdi; mangler et "
    "avsluttende anførselstegn?",
    "did not find expected comment or line break": "fant ikke forventet kommentar eller linjeskift",
    "did not find expected <document start>": "tekst etter slutten på verdien; sett hele verdien i anførselstegn",
    "but found another document": "filen har flere YAML-dokumenter (---); den skal ha ett",
    "found a tab character that violates indentation": "tabulator i innrykket; bruk mellomrom",
    "found a tab character where an indentation space is expected": "tabulator i innrykket; bruk mellomrom",
    "found an incorrect leading UTF-8 octet": "ugyldig UTF-8",
    "found an incorrect trailing UTF-8 octet": "ugyldig UTF-8",
    "second occurrence": "ankeret (&) står to ganger",
    "found character that cannot start any token": "et tegn som ikke kan begynne en verdi her; sett teksten i "
    "anførselstegn",
}
# Problems that name something (a tag): the English start, and the bokmål text the name follows.
_PREFIXES_NB = {"could not determine a constructor for the tag ": "taggen er ikke tillatt her: "}
# The same problems in nynorsk (same keys as the bokmål ones).
_PROBLEMS_NN = {
    "could not find expected ':'": "fann ikkje venta ':'; sjekk at kvar linje har forma nøkkel: verdi",
    "did not find expected key": "fann ikkje venta nøkkel; sjekk innrykket",
    "did not find expected node content": "fann ikkje venta innhald; sjekk innrykket",
    "found unexpected end of stream": (
        "fila sluttar midt i ein verdi; manglar eit avsluttande hermeteikn eller ei klamme?"
    ),
    "found undefined alias": "aliaset (*) viser til eit anker (&) som ikkje finst",
    "found unknown escape character": "ukjent escape-teikn etter \\ i tekst med doble hermeteikn",
    "mapping values are not allowed in this context": "kolon på feil stad; sjekk innrykket, og set tekst som "
    "inneheld ': ' i hermeteikn",
    "mapping keys are not allowed in this context": "nøkkel (?) på feil stad; sjekk innrykket",
    "block sequence entries are not allowed in this context": "listepunkt (-) på feil stad; sjekk innrykket",
    "did not find expected '-' indicator": "fann ikkje venta listepunkt (-); sjekk innrykket",
    "did not find expected ',' or ']'": "fann ikkje venta ',' eller ']'; manglar ein avsluttande ]?",
    "did not find expected ',' or '}'": "fann ikkje venta ',' eller '}'; manglar ein avsluttande }?",
    "did not find expected hexdecimal number": "fann ikkje venta heksadesimalt tal etter \\x, \\u eller \\U",
    "found invalid Unicode character escape code": "ugyldig Unicode-kode etter \\u eller \\U",
    "did not find expected alphabetic or numeric character": "eit anker (&) eller alias (*) manglar namn",
    "did not find the expected '>'": "fann ikkje venta '>' i taggen",
    "did not find expected '!'": "fann ikkje venta '!' i taggen",
    "did not find expected tag URI": "fann ikkje venta tagg-URI",
    "did not find URI escaped octet": "fann ikkje venta %-koda teikn i taggen",
    "found undefined tag handle": "ukjend tagg-forkorting (!...!)",
    "found duplicate %YAML directive": "%YAML-direktivet står to gonger",
    "found duplicate %TAG directive": "%TAG-direktivet står to gonger",
    "found incompatible YAML document": "YAML-versjonen er ikkje støtta; bruk %YAML 1.1 eller 1.2, eller ingen",
    "found unknown directive name": "ukjent direktiv (linje som byrjar med %)",
    "did not find expected version number": "fann ikkje venta versjonsnummer etter %YAML",
    "did not find expected digit or '.' character": "fann ikkje venta siffer eller '.' i versjonsnummeret",
    "did not find expected whitespace or line break": "fann ikkje venta mellomrom eller linjeskift",
    "did not find expected directive name": "fann ikkje venta namn på direktivet etter %",
    "found an indentation indicator equal to 0": "innrykket i ein blokk (| eller >) kan ikkje vere 0",
    "found unexpected document indicator": "dokumentskilje (--- eller ...) midt i ein verdi; manglar eit "
    "avsluttande hermeteikn?",
    "did not find expected comment or line break": "fann ikkje venta kommentar eller linjeskift",
    "did not find expected <document start>": "tekst etter slutten på verdien; set heile verdien i hermeteikn",
    "but found another document": "fila har fleire YAML-dokument (---); ho skal ha eitt",
    "found a tab character that violates indentation": "tabulator i innrykket; bruk mellomrom",
    "found a tab character where an indentation space is expected": "tabulator i innrykket; bruk mellomrom",
    "found an incorrect leading UTF-8 octet": "ugyldig UTF-8",
    "found an incorrect trailing UTF-8 octet": "ugyldig UTF-8",
    "second occurrence": "ankeret (&) står to gonger",
    "found character that cannot start any token": "eit teikn som ikkje kan byrje ein verdi her; set teksten i "
    "hermeteikn",
}
_PREFIXES_NN = {"could not determine a constructor for the tag ": "taggen er ikkje tillaten her: "}


def _problem_in(problem: str, problems: dict[str, str], prefixes: dict[str, str]) -> str:
    if problem in problems:
        return problems[problem]
    for start, said in prefixes.items():
        if problem.startswith(start):
            return said + problem.removeprefix(start)
    return problem


def problem_nb(problem: str) -> str:
    """libyaml's problem in bokmål; unknown ones as they are."""
    return _problem_in(problem, _PROBLEMS_NB, _PREFIXES_NB)


def problem_nn(problem: str) -> str:
    """libyaml's problem in nynorsk; unknown ones as they are."""
    return _problem_in(problem, _PROBLEMS_NN, _PREFIXES_NN)
