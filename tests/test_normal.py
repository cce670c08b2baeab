"""Normal forms: nominative names, organisations and places (nlp/normal.py)."""

import pytest

from letopis.nlp.models import PARADIGM_READINGS, inflected_word, parses
from letopis.nlp.normal import context_cases, normalize, restore_case

PEOPLE = [
    # (surface, word before it, nominative)
    ("Аиды Балаевой", "РК", "Аида Балаева"),
    ("Аида Балаева", "подчеркнула", "Аида Балаева"),
    ("Балаевой", "с", "Балаева"),
    ("Касым-Жомарта Токаева", "Президента", "Касым-Жомарт Токаев"),
    ("Джерен Гювен Гюрес", "Казахстане", "Джерен Гювен Гюрес"),
    ("Гювен Гюрес", "отметила", "Гювен Гюрес"),
    ("Ермек Кошербаев", "отметил", "Ермек Кошербаев"),
    ("Кошербаева", "министра", "Кошербаев"),
    ("Владимира Путина", "президента", "Владимир Путин"),
    ("Сергея Лаврова", "министра", "Сергей Лавров"),
    ("Марии Захаровой", "представителя", "Мария Захарова"),
    ("Сергею Шойгу", "министру", "Сергей Шойгу"),
    ("Дмитрием Медведевым", "с", "Дмитрий Медведев"),
    ("John Smith", "с", "John Smith"),
]

ORGANISATIONS_AND_PLACES = [
    (
        "Национальной комиссии по делам женщин и семейно-демографической политике",
        "ORG",
        "председателя",
        "Национальная комиссия по делам женщин и семейно-демографической политике",
    ),
    ("Страновой команды ООН", "ORG", "планы", "Страновая команда ООН"),
    ("Структуры «ООН-Женщины»", "ORG", "офиса", "Структура «ООН-Женщины»"),
    (
        "Странового офиса Структуры «ООН-Женщины»",
        "ORG",
        "представителем",
        "Страновой офис Структуры «ООН-Женщины»",
    ),
    (
        "Центральноазиатского координационного офиса",
        "ORG",
        "главой",
        "Центральноазиатский координационный офис",
    ),
    ("Министерства иностранных дел", "ORG", "главы", "Министерство иностранных дел"),
    (
        "Азиатско-Тихоокеанского центра цифровых решений устойчивого развития",
        "ORG",
        "создании",
        "Азиатско-Тихоокеанский центр цифровых решений устойчивого развития",
    ),
    ("Регионального центра ООН", "ORG", "развитию", "Региональный центр ООН"),
    ("Международной водной организации", "ORG", "создании", "Международная водная организация"),
    ("Организации Объединенных Наций", "ORG", "уставу", "Организация Объединенных Наций"),
    ("Государственной думы", "ORG", "депутат", "Государственная дума"),
    ("Минкультуры", "ORG", "ссылкой", "Минкультуры"),
    ("ЭСКАТО", "ORG", "эгидой", "ЭСКАТО"),
    ("Kazpravda.kz", "ORG", "сообщает", "Kazpravda.kz"),
    ("Центральной Азии", "LOC", "для", "Центральная Азия"),
    ("Казахстане", "LOC", "в", "Казахстан"),
    ("Алматы", "LOC", "в", "Алматы"),
    ("Республики Казахстан", "LOC", "Президента", "Республика Казахстан"),
    ("Москве", "LOC", "в", "Москва"),
    ("США", "LOC", "из", "США"),
]


@pytest.mark.parametrize(("surface", "before", "expected"), PEOPLE)
def test_person_names_go_to_the_nominative(surface: str, before: str, expected: str) -> None:
    assert normalize(surface, "PER", context_cases(before)) == expected


@pytest.mark.parametrize(("surface", "type", "before", "expected"), ORGANISATIONS_AND_PLACES)
def test_head_and_agreeing_adjectives_go_to_the_nominative(
    surface: str, type: str, before: str, expected: str
) -> None:
    assert normalize(surface, type, context_cases(before)) == expected


@pytest.mark.parametrize(
    ("original", "new", "expected"),
    [
        ("Аиды", "аида", "Аида"),
        ("ООН", "оон", "ООН"),
        ("Азиатско-Тихоокеанского", "азиатско-тихоокеанский", "Азиатско-Тихоокеанский"),
        ("комиссии", "комиссия", "комиссия"),
    ],
)
def test_restore_case_copies_capitalisation(original: str, new: str, expected: str) -> None:
    assert restore_case(original, new) == expected


# `inflected_word` makes pymorphy3's choice of form once per paradigm, from pymorphy3's own paradigm
# tables: it must give what `Parse.inflect` gives. Real words of official news, of each kind of
# reading (dictionary words; surnames guessed by a dictionary word's ending; words of other readings,
# left to pymorphy3), in every grammeme set the stages ask for.
INFLECTED_WORDS = (
    "министерства комиссии Президентом послу делам женщин Организации Объединённых Наций Ермека "
    "Кошербаева Аиды Балаевой Токаеву Мирзиёева Бектеновой Жакупова Высшего Верховного "
    "национальной Государственным иностранных Республики Казахстан Нур-Султане Астаны уполномоченного"
).split()
GRAMMEME_SETS = [
    {"nomn", "sing"},
    {"nomn"},
    {"gent"},
    {"gent", "sing", "masc"},
    {"gent", "sing", "femn"},
    {"gent", "plur"},
    {"nomn", "sing", "neut"},
    {"loct"},
]


@pytest.mark.parametrize("grammemes", GRAMMEME_SETS, ids=lambda g: ",".join(sorted(g)))
def test_inflected_word_is_pymorphys_inflection(grammemes: set[str]) -> None:
    readings = []
    for word in INFLECTED_WORDS:
        for parse in parses(word.lower()):
            theirs = parse.inflect(set(grammemes))
            assert inflected_word(parse, frozenset(grammemes)) == (theirs.word if theirs else None), (
                word,
                parse.tag,
            )
            readings.append(tuple(type(method[0]) for method in parse.methods_stack))
    by_paradigm = [reading in PARADIGM_READINGS for reading in readings]
    assert set(PARADIGM_READINGS) <= set(readings) and not all(by_paradigm)  # both paths were taken
