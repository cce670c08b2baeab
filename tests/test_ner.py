"""Mentions and entities on the bundled sample articles (nlp/ner.py, nlp/entities.py)."""

from pathlib import Path

import pytest

from letopis.model import Document
from letopis.nlp.entities import group_mentions, initials
from letopis.nlp.ner import RawSpan, balance_quotes, extend_hyphenated_start, find_mentions
from letopis.nlp.pipeline import extract

SAMPLES = Path(__file__).parent.parent / "samples"

GENDER_ARTICLE = [
    ("Минкультуры", "ORG", "Минкультуры", "e1"),
    ("РК", "LOC", "РК", "e2"),
    ("РК", "LOC", "РК", "e2"),
    (
        "Национальной комиссии по делам женщин и семейно-демографической политике",
        "ORG",
        "Национальная комиссия по делам женщин и семейно-демографической политике",
        "e3",
    ),
    ("РК", "LOC", "РК", "e2"),
    ("Аиды Балаевой", "PER", "Аида Балаева", "e4"),
    ("Центральноазиатского координационного офиса", "ORG", "Центральноазиатский координационный офис", "e5"),
    ("Структуры «ООН-Женщины»", "ORG", "Структура «ООН-Женщины»", "e6"),
    ("Странового офиса Структуры «ООН-Женщины»", "ORG", "Страновой офис Структуры «ООН-Женщины»", "e7"),
    ("Структуры «ООН-Женщины»", "ORG", "Структура «ООН-Женщины»", "e6"),
    ("Казахстане", "LOC", "Казахстан", "e8"),
    ("Джерен Гювен Гюрес", "PER", "Джерен Гювен Гюрес", "e9"),
    ("Kazpravda.kz", "ORG", "Kazpravda.kz", "e10"),
    ("Минкультуры", "ORG", "Минкультуры", "e1"),
    ("Казахстане", "LOC", "Казахстан", "e8"),
    ("Аида Балаева", "PER", "Аида Балаева", "e4"),
    ("Казахстана", "LOC", "Казахстан", "e8"),
    ("Аида Балаева", "PER", "Аида Балаева", "e4"),
    ("Гювен Гюрес", "PER", "Гювен Гюрес", "e9"),
    ("ООН", "ORG", "ООН", "e11"),
    ("Казахстан", "LOC", "Казахстан", "e8"),
    ("ООН-Женщины", "ORG", "ООН-Женщины", "e6"),
]

UN_ARTICLE = [
    ("ООН", "ORG", "ООН", "e1"),
    ("Алматы", "LOC", "Алматы", "e2"),
    ("Казахстана", "LOC", "Казахстан", "e3"),
    ("Ермек Кошербаев", "PER", "Ермек Кошербаев", "e4"),
    ("Страновой команды ООН", "ORG", "Страновая команда ООН", "e5"),
    ("ООН", "ORG", "ООН", "e1"),
    ("Регионального центра ООН", "ORG", "Региональный центр ООН", "e6"),
    ("ООН", "ORG", "ООН", "e1"),
    ("Центральной Азии", "LOC", "Центральная Азия", "e7"),
    ("Афганистана", "LOC", "Афганистан", "e8"),
    ("Алматы", "LOC", "Алматы", "e2"),
    ("Казахстана", "LOC", "Казахстан", "e3"),
    ("МИД", "ORG", "МИД", "e9"),
    ("ООН", "ORG", "ООН", "e1"),
    ("Касым-Жомарта Токаева", "PER", "Касым-Жомарт Токаев", "e10"),
    ("Международной водной организации", "ORG", "Международная водная организация", "e11"),
    ("ООН", "ORG", "ООН", "e1"),
    ("Казахстана", "LOC", "Казахстан", "e3"),
    ("Алматы", "LOC", "Алматы", "e2"),
    (
        "Азиатско-Тихоокеанского центра цифровых решений устойчивого развития",
        "ORG",
        "Азиатско-Тихоокеанский центр цифровых решений устойчивого развития",
        "e12",
    ),
    ("ЭСКАТО", "ORG", "ЭСКАТО", "e13"),
    ("ООН", "ORG", "ООН", "e1"),
    ("МИД", "ORG", "МИД", "e9"),
]


def _extract_sample(name: str) -> Document:
    text = (SAMPLES / name).read_text(encoding="utf-8")
    return extract(Document(id="t", source=name, text=text))


@pytest.mark.parametrize(
    ("name", "expected"),
    [("000_200e2ad5eac8ecb4.txt", GENDER_ARTICLE), ("004_0f5906432b56b7a9.txt", UN_ARTICLE)],
)
def test_sample_mentions_are_exact(name: str, expected: list[tuple[str, str, str, str]]) -> None:
    doc = _extract_sample(name)
    assert [(m.text, m.type, m.normal, m.entity) for m in doc.mentions] == expected


@pytest.mark.parametrize("name", ["000_200e2ad5eac8ecb4.txt", "004_0f5906432b56b7a9.txt"])
def test_mention_offsets_point_at_their_text(name: str) -> None:
    doc = _extract_sample(name)
    assert all(doc.text[m.start : m.end] == m.text for m in doc.mentions)


def test_partial_names_join_the_full_name() -> None:
    doc = _extract_sample("000_200e2ad5eac8ecb4.txt")
    person = {e.name: e.aliases for e in doc.entities if e.type == "PER"}
    assert person == {
        "Аида Балаева": ["Аида Балаева"],
        "Джерен Гювен Гюрес": ["Гювен Гюрес", "Джерен Гювен Гюрес"],
    }


def test_quoted_organisation_name_is_one_entity() -> None:
    doc = _extract_sample("000_200e2ad5eac8ecb4.txt")
    un_women = [e for e in doc.entities if e.name == "Структура «ООН-Женщины»"]
    assert [e.aliases for e in un_women] == [["ООН-Женщины", "Структура «ООН-Женщины»"]]


def _doc_with(text: str) -> Document:
    return group_mentions(find_mentions(Document(id="t", source="t", text=text)))


def test_surname_alone_joins_the_full_name() -> None:
    doc = _doc_with("Министр Сергей Лавров провел переговоры. Лавров подчеркнул важность диалога.")
    assert [(e.name, e.aliases) for e in doc.entities if e.type == "PER"] == [
        ("Сергей Лавров", ["Лавров", "Сергей Лавров"])
    ]


def test_two_people_sharing_a_surname_stay_apart() -> None:
    doc = _doc_with("В заседании участвовали Андрей Иванов и Мария Иванова. Иванов выступил первым.")
    names = sorted(e.name for e in doc.entities if e.type == "PER")
    assert names == ["Андрей Иванов", "Иванов", "Мария Иванова"]


def test_abbreviation_joins_its_spelled_out_name() -> None:
    doc = _doc_with(
        "Министерство иностранных дел выступило с заявлением. В МИД подчеркнули важность диалога."
    )
    organisations = [(e.name, e.aliases) for e in doc.entities if e.type == "ORG"]
    assert organisations == [("Министерство иностранных дел", ["МИД", "Министерство иностранных дел"])]


@pytest.mark.parametrize(
    ("name", "expected"),
    [
        ("Министерство иностранных дел", "МИД"),
        ("Организация Объединенных Наций", "ООН"),
        ("Комитет по делам молодежи", "КДМ"),
    ],
)
def test_initials(name: str, expected: str) -> None:
    assert initials(name) == expected


def test_balance_quotes_closes_the_name() -> None:
    text = "главой офиса Структуры «ООН-Женщины» в Казахстане"
    start = text.index("Структуры")
    fixed = balance_quotes(text, [RawSpan(start, text.index("»"), "ORG")])
    assert [text[s.start : s.end] for s in fixed] == ["Структуры «ООН-Женщины»"]


def test_hyphenated_adjective_is_kept_whole() -> None:
    text = "создание Азиатско-Тихоокеанского центра"
    start = text.index("Тихоокеанского")
    fixed = extend_hyphenated_start(text, [RawSpan(start, text.index(" центра"), "ORG")])
    assert [text[s.start : s.end] for s in fixed] == ["Азиатско-Тихоокеанского"]


def test_empty_text_has_no_mentions() -> None:
    assert _doc_with("   \n").mentions == []
