"""letopis's razdel tokens are razdel's (nlp/segment.py)."""

from pathlib import Path

import pytest
import razdel

from letopis.nlp.segment import tokenize

SAMPLES = Path(__file__).parent.parent / "samples"


def _razdel(text: str) -> list[tuple[int, int, str]]:
    return [(token.start, token.stop, token.text) for token in razdel.tokenize(text)]


@pytest.mark.parametrize(
    "text",
    [
        "",
        "   ",
        "Москва",
        "Сергей Лавров провёл переговоры с Антони Блинкеном в Женеве.",
        "кто-то, что-нибудь - то, Нью -Йорк, Азиатско- Тихоокеанский",  # dashes, with and without spaces
        "Рост 3,5% за 2011-2020 гг., доля 1/2 и 3.14; СИЗО-6, А-1.",  # numbers, fractions, hyphens
        "Что?! Нет... Ну и ну!!! --- ***",  # punctuation runs
        ":-) ;) =((( :(",  # smileys
        "Yahoo! yahoo!",
        "ΔP и Δσ, mβж",  # other characters next to letters
        "«Нур Отан» (ФНС) [1] {x} „цитата“ 'a'",
        "snake_case и _под_",
        "т.е. т.д. и т.п. г.Москва",
        "строка\n\nновая\u00a0строка\u2009тонко",
    ],
)
def test_tokens_are_razdels(text: str) -> None:
    assert [(token.start, token.stop, token.text) for token in tokenize(text)] == _razdel(text)


@pytest.mark.parametrize("path", sorted(SAMPLES.glob("*.txt")), ids=lambda path: path.name)
def test_tokens_of_an_article_are_razdels(path: Path) -> None:
    text = path.read_text(encoding="utf-8")
    assert [(token.start, token.stop, token.text) for token in tokenize(text)] == _razdel(text)
