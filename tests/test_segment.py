"""letopis's razdel tokens are razdel's (nlp/segment.py)."""

import random
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
        "(ФНС), «Нур Отан»: 2024), 3,5 и 3. Yahoo! yahoo!! Хорошо!",  # words and numbers beside marks
        "1,2,3 а,б 1.2.3 а.б 1/2 а/б 1\\2 а_1 1_а x-1 1-x",  # marks between words and numbers
    ],
)
def test_tokens_are_razdels(text: str) -> None:
    assert [(token.start, token.stop, token.text) for token in tokenize(text)] == _razdel(text)


@pytest.mark.parametrize("path", sorted(SAMPLES.glob("*.txt")), ids=lambda path: path.name)
def test_tokens_of_an_article_are_razdels(path: Path) -> None:
    text = path.read_text(encoding="utf-8")
    assert [(token.start, token.stop, token.text) for token in tokenize(text)] == _razdel(text)


def test_random_strings_of_words_numbers_and_marks_are_tokenised_as_razdel_does() -> None:
    pieces = [*"аБвxY1.,!?-–—_/\\:;()«»\"'…*@#%ΔσЖ ", "yahoo", "Yahoo", "кто", "3,5", ":)", "..."]
    rng = random.Random(3)
    for _ in range(5000):
        text = "".join(rng.choice(pieces) for _ in range(rng.randint(0, 25)))
        assert [(token.start, token.stop, token.text) for token in tokenize(text)] == _razdel(text), text
