"""kb/names.py and kb/titles.py: how names and titles are compared across documents."""

from __future__ import annotations

import pytest

from letopis.kb.countries import countries_in, generic_name
from letopis.kb.names import (
    PersonName,
    canonical_key,
    entity_key,
    function_part,
    is_abbreviation,
    name_keys,
    parse_person,
)
from letopis.kb.parentheses import names_alike
from letopis.kb.titles import is_head_title, office_key, title_key


@pytest.mark.parametrize(
    ("alias", "parsed"),
    [
        ("Аида Балаева", PersonName("балаева", "аида", "а", None, ("аида",))),
        ("А. Балаева", PersonName("балаева", None, "а", None, ("а",))),
        ("Балаева", PersonName("балаева")),
        ("Иванов Сергей Борисович", PersonName("иванов", "сергей", "с", "б", ("сергей", "борисович"))),
        ("Сергей Борисович Иванов", PersonName("иванов", "сергей", "с", "б", ("сергей", "борисович"))),
        ("Иванов С.Б.", PersonName("иванов", None, "с", "б", ("с", "б"))),
        ("Касым-Жомарт Токаев", PersonName("токаев", "касым-жомарт", "к", None, ("касым-жомарт",))),
        ("Джерен Гювен Гюрес", PersonName("гюрес", "джерен", "д", None, ("джерен", "гювен"))),
        ("Сергей", PersonName("", "сергей", "с")),  # a first name alone: no surname to match by
    ],
)
def test_parse_person(alias: str, parsed: PersonName) -> None:
    assert parse_person(alias) == parsed


@pytest.mark.parametrize(
    ("one", "other", "rule"),
    [
        ("Аида Балаева", "Аида Балаева", "person_full_name"),
        ("А. Балаева", "Аида Балаева", "person_initials"),
        ("Иванов С.Б.", "Сергей Борисович Иванов", "person_initials"),
        ("Гювен Гюрес", "Джерен Гювен Гюрес", "person_name_subset"),
        ("Сергей Иванов", "Игорь Иванов", None),
        ("С. Иванов", "Игорь Иванов", None),
        ("Иванов С.Б.", "Сергей Иванович Иванов", None),
        ("Балаева", "Аида Балаева", None),  # a bare surname is decided by the store, not by the names
        ("Иванова", "Иван Иванов", None),
        ("Эво Моралес Эдвард Сноуден", "Эдвард Сноуден", None),  # two names run together by the tagger
        ("Джордж Уокер Буш", "Джордж Герберт Уокер Буш", None),  # the son is not the father
        ("Джордж Буш", "Джордж Герберт Уокер Буш", "person_full_name"),  # no middle name: either
        ("Джордж У. Буш", "Джордж Уокер Буш", "person_full_name"),  # a middle initial fits its name
        ("Хамад бен Джасем Аль Тани", "Хамад бен Халифа Аль Тани", None),
        ("Хамад бен Халифа Аль Тани", "Хамад бен Халиф Аль Тани", "person_full_name"),  # a letter apart
        ("Али Абдулла Салех", "Али Абдалла Салех", "person_full_name"),
        ("Ким Чен Нам", "Ким Чон Нам", "person_full_name"),
        ("Кристина Фернандес де Киршнер", "Кристина де Киршнер", "person_full_name"),  # «де» is no name
    ],
)
def test_when_two_names_can_be_one_person(one: str, other: str, rule: str | None) -> None:
    assert parse_person(one).compatible(parse_person(other)) == rule


@pytest.mark.parametrize(
    ("alias", "keys"),
    [
        (
            "МИД РК",
            {
                ("name", "мид рк", "same_lemmas"),
                ("abbreviation", "МИДРК", "abbreviation"),
                ("name", "министерство иностранный дело республика казахстан", "expanded"),
                ("name", "министерство иностранный дело казахстан", "expanded"),
            },
        ),
        (
            "Министерства иностранных дел Республики Казахстан",
            {
                ("name", "министерство иностранный дело республика казахстан", "same_lemmas"),
                ("initials", "МИДРК", "initials"),
                ("name", "министерство иностранный дело казахстан", "country_name"),
            },
        ),
        (
            "Организация Объединённых Наций",
            {("name", "организация объединить нация", "same_lemmas")},  # ООН: by abbreviations.tsv
        ),
        (
            "Структура «ООН-Женщины»",
            {("name", "структура оон-женщина", "same_lemmas"), ("name", "оон-женщина", "quoted")},
        ),
        (
            "ООН-Женщины (UN Women)",
            {
                ("name", "оон-женщина un women", "same_lemmas"),
                ("name", "оон-женщина", "parenthetical"),
                ("name", "un women", "parenthetical"),
            },
        ),
        (
            "Страновой офис Структуры «ООН-Женщины»",
            {("name", "страновой офис структура оон-женщина", "same_lemmas")},
        ),
        ("ДУМ", {("name", "дум", "same_lemmas")}),  # not «дума»
        ("РСПП", {("name", "рспп", "same_lemmas"), ("abbreviation", "РСПП", "abbreviation")}),
    ],
)
def test_name_keys(alias: str, keys: set[tuple[str, str, str]]) -> None:
    assert {(k.space, k.key, k.derivation) for k in name_keys(alias)} == keys


@pytest.mark.parametrize(
    "names",
    [
        ("МИД РК", "Министерство иностранных дел Республики Казахстан", "МИД Казахстана"),
        ("Минкультуры РК", "Министерство культуры Республики Казахстан"),
        ("ООН", "Организации Объединённых Наций"),
        ("РК", "Республика Казахстан", "Казахстан"),
    ],
)
def test_short_and_spelled_out_names_share_a_canonical_key(names: tuple[str, ...]) -> None:
    assert len({canonical_key(name) for name in names}) == 1


@pytest.mark.parametrize(
    "names",
    [
        ("Россия", "Российская Федерация", "Российской Федерации", "РФ"),
        ("США", "Соединённые Штаты Америки", "Соединённые Штаты"),
        ("Китай", "КНР", "Китайская Народная Республика"),
        ("Великобритания", "Соединённое Королевство"),
        ("Казахстан", "Республика Казахстан", "РК"),
        ("Вооружённые силы РФ", "Вооружённые силы России", "Вооружённых сил Российской Федерации"),
        ("ЭСКАТО", "ЭСКАТО ООН", "Экономическая и социальная комиссия ООН для Азии и Тихого океана"),
    ],
)
def test_names_of_one_country_or_body_share_a_key(names: tuple[str, ...]) -> None:
    keys = [{k.key for k in name_keys(name) if k.space == "name"} for name in names]
    assert set.intersection(*keys)


@pytest.mark.parametrize(
    ("one", "other"),
    [
        ("Совет Безопасности ООН", "Совет Безопасности"),  # not every body of the UN is one without it
        ("Совет по правам человека ООН", "Совет по правам человека"),
        ("Южная Корея", "КНДР"),
    ],
)
def test_names_that_share_no_key(one: str, other: str) -> None:
    assert not {k.key for k in name_keys(one)} & {k.key for k in name_keys(other)}


@pytest.mark.parametrize(
    ("name", "generic"),
    [
        ("Конгресс", ("конгресс", None)),
        ("Конгресс США", ("конгресс", "США")),
        ("МВД", ("министерство внутренний дело", None)),
        ("Министерства внутренних дел", ("министерство внутренний дело", None)),
        ("МВД России", ("министерство внутренний дело", "Россия")),
        ("МВД РФ", ("министерство внутренний дело", "Россия")),
        ("Минюст", ("министерство юстиция", None)),
        ("Компартия", ("коммунистический партия", None)),  # Cuba's, Azerbaijan's, China's
        ("Вооружённые Силы", ("вооруженный сила", None)),
        ("Либерально-демократическая партия", ("либерально-демократический партия", None)),
        ("Либерально-демократическая партия Японии", ("либерально-демократический партия", "Япония")),
        ("Министерство обороны Соединённого Королевства", ("министерство оборона", "Великобритания")),
        ("Демократическая прогрессивная партия", ("демократический прогрессивный партия", None)),
        ("Единая Россия", None),
        ("Европейский парламент", None),  # starts otherwise: a name of its own
        ("Правительство Москвы", None),  # another qualifier
        ("Посольство России в США", None),
        ("Партия «Единая Россия»", None),
        ("ФСБ", None),
    ],
)
def test_generic_name(name: str, generic: tuple[str, str | None] | None) -> None:
    assert generic_name(name) == generic


@pytest.mark.parametrize(
    ("name", "countries"),
    [
        ("Российской Федерации", ["Россия"]),
        ("МВД Киргизии", ["Киргизия"]),
        ("Москва", ["Россия"]),  # a capital counts for its country
        ("Эхо Москвы", ["Россия"]),
        ("Мексиканские Соединённые Штаты", ["Мексика"]),
        ("Нью-Йорк", []),
    ],
)
def test_countries_in(name: str, countries: list[str]) -> None:
    assert countries_in(name) == countries


@pytest.mark.parametrize(
    ("word", "part"),
    [
        ("Оно", "a pronoun"),
        ("По", "a preposition"),
        ("Как", "a conjunction"),
        ("Ли", None),  # also a given name
        ("Буш", None),
        ("Йоко", None),
    ],
)
def test_function_part(word: str, part: str | None) -> None:
    assert function_part(word) == part


@pytest.mark.parametrize(
    ("name", "expected"),
    [("МИД РК", True), ("ООН", True), ("ООН-Женщины", False), ("Минкультуры", False), ("Р", False)],
)
def test_is_abbreviation(name: str, expected: bool) -> None:
    assert is_abbreviation(name) is expected


def test_entity_key_ignores_case_yo_and_spaces() -> None:
    assert entity_key("  АИДА  БАЛАЁВА ") == "аида балаева"


@pytest.mark.parametrize(
    ("title", "key", "head", "office"),
    [
        (
            "министр культуры и информации РК",
            "министр культура и информация казахстан",
            True,
            "министерство культура и информация казахстан",
        ),
        (
            "Министра культуры и информации Республики Казахстан",
            "министр культура и информация казахстан",
            True,
            "министерство культура и информация казахстан",
        ),
        (
            "глава МИД РК",
            "глава министерство иностранный дело казахстан",
            True,
            "министерство иностранный дело казахстан",
        ),
        ("Премьер-министр Казахстана", "премьер-министр казахстан", True, "правительство казахстан"),
        ("Президент Казахстана", "президент казахстан", True, "казахстан"),
        ("генеральный директор", "генеральный директор", True, None),
        ("заместитель Премьер-министра", "заместитель премьер-министр", False, None),
        ("вице-министр иностранных дел", "вице-министр иностранный дело", False, None),
        ("первый заместитель министра", "первый заместитель министр", False, None),
    ],
)
def test_titles(title: str, key: str, head: bool, office: str | None) -> None:
    assert (title_key(title), is_head_title(title), office_key(title)) == (key, head, office)


@pytest.mark.parametrize(
    ("outer", "inner", "alike"),
    [
        ("Всемирное антидопинговое агентство", "ВАДА", True),
        ("Форум стран-экспортеров газа", "ФСЭГ", True),
        ("Федеральная таможенная служба РФ", "ФТС РФ", True),
        ("ООН-Женщины", "UN Women", True),
        ("Швейцария", "Switzerland", True),
        ("Фонд прав человека", "Human Rights Foundation", True),
        ("Гражданская демократическая партия", "ODS", True),
        ("Вирджиния", "США", False),
        ("Россия", "ВС", False),
        ("США", "USADA", False),
        ("Аргентина", "FALGBT", False),
        ("Северное побережье", "Royal North Shore Hospital", False),
        ("Москва", "Россия", False),
    ],
)
def test_a_name_in_parentheses(outer: str, inner: str, alike: bool) -> None:
    assert names_alike(outer, inner) is alike
