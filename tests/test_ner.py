"""Mentions and entities on the bundled sample articles (nlp/ner.py, nlp/ner_repairs.py, nlp/entities.py)."""

from pathlib import Path

import pytest

from letopis.model import Document
from letopis.nlp import ner
from letopis.nlp.entities import group_mentions, initials
from letopis.nlp.models import ner_tagger
from letopis.nlp.ner import find_mentions
from letopis.nlp.ner_repairs import (
    RawSpan,
    balance_quotes,
    cut_places_at_prepositions,
    extend_hyphenated_start,
    known_types,
    nest_known_names,
    org_heads,
    strip_descriptor,
    unit_nouns,
)
from letopis.nlp.pipeline import extract

SAMPLES = Path(__file__).parent.parent / "samples"

GENDER_ARTICLE = [
    # "Минкультуры РК" is the ministry with its country; "Минкультуры" stays nested, and both name e1.
    ("Минкультуры", "ORG", "Минкультуры", "e1"),
    ("Минкультуры РК", "ORG", "Минкультуры РК", "e1"),
    ("РК", "LOC", "РК", "e2"),
    ("РК", "LOC", "РК", "e2"),
    (
        "Национальной комиссии по делам женщин и семейно-демографической политике при Президенте РК",
        "ORG",
        "Национальная комиссия по делам женщин и семейно-демографической политике при Президенте РК",
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
    (
        "Регионального центра ООН по Целям устойчивого развития",
        "ORG",
        "Региональный центр ООН по Целям устойчивого развития",
        "e6",
    ),
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
    """Names only: the later stages add pronoun and role mentions (tested in test_coref.py)."""
    text = (SAMPLES / name).read_text(encoding="utf-8")
    return extract(Document(id="t", source=name, text=text), [find_mentions, group_mentions])


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


def test_an_ambiguous_surname_is_one_entity_however_often_it_comes() -> None:
    # NEREL train 21451 had eight entities «Макафи» beside «Джон Макафи» and «Фолла Макафи».
    doc = _doc_with(
        "На встрече были Андрей Иванов и Пётр Иванов. Иванов выступил первым. "
        "Затем Иванов ответил на вопросы журналистов."
    )
    people = sorted((e.name, len([m for m in doc.mentions if m.entity == e.id])) for e in doc.entities)
    assert people == [("Андрей Иванов", 1), ("Иванов", 2), ("Пётр Иванов", 1)]


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        (  # samples/004
            "Отдельное внимание уделено развитию Регионального центра ООН по Целям устойчивого развития "
            "для Центральной Азии и Афганистана в Алматы. Региональный центр ООН открылся в 2023 году.",
            [["Региональный центр ООН", "Региональный центр ООН по Целям устойчивого развития"]],
        ),
        (  # samples/000: a one-word head is too generic to join
            "Национальная комиссия по делам женщин при Президенте РК провела заседание. "
            "Комиссия одобрила план.",
            [["Национальная комиссия по делам женщин при Президенте РК"]],
        ),
    ],
)
def test_an_organisation_is_its_name_before_a_complement(text: str, expected: list[list[str]]) -> None:
    doc = _doc_with(text)
    assert [e.aliases for e in doc.entities if e.type == "ORG" and len(e.aliases[-1]) > 20] == expected


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


def _names(text: str) -> list[tuple[str, str]]:
    return [(m.text, m.type) for m in find_mentions(Document(id="t", source="t", text=text)).mentions]


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        (
            "Европейский суд по правам человека (ЕСПЧ) признал жалобу приемлемой.",
            [("Европейский суд по правам человека", "ORG"), ("ЕСПЧ", "ORG")],
        ),
        (
            "Федеральная налоговая служба (ФНС) получила право блокировать сайты.",
            [("Федеральная налоговая служба", "ORG"), ("ФНС", "ORG")],
        ),
    ],
)
def test_name_and_its_abbreviation_in_brackets_are_two_names(text: str, expected: list) -> None:
    assert _names(text) == expected


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        (
            "Глава ОАО «Газпром» Алексей Миллер прибыл в Минск.",
            [("Газпром", "ORG"), ("Алексей Миллер", "PER"), ("Минск", "LOC")],
        ),
        ("Сообщает РИА «Новости» со ссылкой на источник в министерстве.", [("Новости", "ORG")]),
        (
            "Концерн «Майкрософт» представил Еврокомиссии дополнительную документацию.",
            [("Майкрософт", "ORG"), ("Еврокомиссии", "ORG")],
        ),
        ("Лидер партии «Нур Отан» выступил на съезде.", [("Нур Отан", "ORG")]),
    ],
)
def test_legal_form_and_quotes_are_not_part_of_the_name(text: str, expected: list) -> None:
    assert _names(text) == expected


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        (
            "Министры иностранных дел Евросоюза соберутся в Люксембурге.",
            [("Евросоюза", "ORG"), ("Люксембурге", "LOC")],
        ),
        ("Решение ЕС вступит в силу с 1 июля.", [("ЕС", "ORG")]),
        ("Представитель Белого дома отказался от комментариев.", [("Белого дома", "ORG")]),
        ("Переговоры прошли в Белом доме.", [("Белом доме", "LOC")]),
        ("Экипаж МКС вернётся на Землю в апреле.", [("МКС", "LOC"), ("Землю", "LOC")]),
        ("Об этом сообщили местные СМИ.", []),
    ],
)
def test_known_names_get_their_type(text: str, expected: list) -> None:
    assert _names(text) == expected


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("Худрук Большого завершил работу.", [("Большого", "ORG")]),
        ("Студенты Института Пушкина прошли стажировку.", [("Института Пушкина", "ORG")]),
        ("Авария произошла на Чернобыльской АЭС.", [("Чернобыльской АЭС", "ORG")]),
    ],
)
def test_name_is_not_widened_over_a_verb_nor_split_inside(text: str, expected: list) -> None:
    assert _names(text) == expected


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("МИД России выразил протест.", [("МИД", "ORG"), ("МИД России", "ORG"), ("России", "LOC")]),
        (
            "Совет Безопасности ООН принял резолюцию.",
            [("Совет Безопасности", "ORG"), ("Совет Безопасности ООН", "ORG"), ("ООН", "ORG")],
        ),
        (
            "Генеральная прокуратура Украины возбудила дело.",
            [
                ("Генеральная прокуратура", "ORG"),
                ("Генеральная прокуратура Украины", "ORG"),
                ("Украины", "LOC"),
            ],
        ),
        (
            "Министерство иностранных дел Казахстана выступило с заявлением.",
            [
                ("Министерство иностранных дел", "ORG"),
                ("Министерство иностранных дел Казахстана", "ORG"),
                ("Казахстана", "LOC"),
            ],
        ),
        (
            "Генерального штаба вооруженных сил Украины назначен новый начальник.",
            [("Генерального штаба вооруженных сил Украины", "ORG"), ("Украины", "LOC")],
        ),
        (
            "Мажилис Парламента Республики Казахстан одобрил закон.",
            [
                ("Мажилис Парламента Республики Казахстан", "ORG"),
                ("Парламента", "ORG"),
                ("Парламента Республики Казахстан", "ORG"),
                ("Республики Казахстан", "LOC"),
            ],
        ),
    ],
)
def test_organisation_takes_the_names_after_it_in_the_genitive(text: str, expected: list) -> None:
    assert _names(text) == expected


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        (
            "Задержанного доставили в УФСБ по Пермскому краю.",
            [("УФСБ", "ORG"), ("УФСБ по Пермскому краю", "ORG"), ("Пермскому краю", "LOC")],
        ),
        (
            "Заседание Совета при Президенте РФ по развитию гражданского общества прошло в Кремле.",
            [
                ("Совета при Президенте РФ по развитию гражданского общества", "ORG"),
                ("РФ", "LOC"),
                ("Кремле", "LOC"),
            ],
        ),
        (
            "Главное следственное управление по Южному федеральному округу возбудило дело.",
            [
                ("Главное следственное управление по Южному федеральному округу", "ORG"),
                ("Южному федеральному округу", "LOC"),
            ],
        ),
        (
            "Комитет по делам молодёжи и спорту объявил конкурс.",
            [("Комитет по делам молодёжи и спорту", "ORG")],
        ),
        ("Спектакль покажут на сцене МХТ имени Чехова.", [("МХТ имени Чехова", "ORG")]),
        (
            "Законопроект внесён в Госдуму шестого созыва.",
            [("Госдуму", "ORG"), ("Госдуму шестого созыва", "ORG")],
        ),
        (
            "Доклад подготовлен Региональным центром ООН по Целям устойчивого развития.",
            [
                ("Региональным центром ООН", "ORG"),
                ("Региональным центром ООН по Целям устойчивого развития", "ORG"),
                ("ООН", "ORG"),
            ],
        ),
    ],
)
def test_organisation_takes_the_phrase_that_belongs_to_its_name(text: str, expected: list) -> None:
    assert _names(text) == expected


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("Об этом заявила пресс-служба Кремля.", [("пресс-служба Кремля", "ORG"), ("Кремля", "ORG")]),
        (
            "Заседание комитета Госдумы по бюджету назначено на среду.",
            [("комитета Госдумы", "ORG"), ("Госдумы", "ORG")],
        ),
    ],
)
def test_unit_named_by_a_common_noun_is_an_organisation(text: str, expected: list) -> None:
    assert _names(text) == expected


def test_organisation_named_once_is_found_where_the_tagger_missed_it() -> None:
    text = "Лидер «Голоса Америки» дал интервью. Голос Америки: спасибо за интервью!"
    assert _names(text) == [("Голоса Америки", "ORG"), ("Голос Америки", "ORG"), ("Америки", "LOC")]


def test_descriptor_is_stripped_from_quoted_name() -> None:
    text = "Рабочая группа и ГУП «Водоканал» провели проверку."
    start = text.index("ГУП")
    fixed = strip_descriptor(text, [RawSpan(start, text.index("»") + 1, "ORG")])
    assert [text[s.start : s.end] for s in fixed] == ["Водоканал"]


def test_place_ends_before_the_complement_of_an_organisation() -> None:
    text = "Бюро США по патентам и товарным знакам выдало патент."
    start = text.index("США")
    fixed = cut_places_at_prepositions(text, [RawSpan(start, text.index(" выдало"), "LOC")])
    assert [text[s.start : s.end] for s in fixed] == ["США"]


def test_known_name_nested_only_when_quoted_or_of_several_words() -> None:
    text = "Студенты Института Пушкина и Пушкина"
    spans = [RawSpan(9, 26, "ORG"), RawSpan(29, 36, "ORG")]
    assert nest_known_names(text, spans) == spans


def test_word_lists_are_well_formed() -> None:
    assert {kind for kind in known_types().values()} <= {"ORG", "LOC", "-"}
    assert all(kinds <= {"ORG", "LOC"} for kinds in unit_nouns().values())
    assert all(takes <= {"по", "при"} for takes in org_heads().values())


BATCH_TEXTS = [
    "Сергей Лавров провёл переговоры с Антони Блинкеном в Женеве.",
    "",
    "Министр иностранных дел РК Мурат Нуртлеу встретился с послом Японии.",
    "Росстат сообщил о росте цен.",
    "   ",
    "Заседание Совета Безопасности ООН прошло в Нью-Йорке под председательством Китая, "
    "сообщает пресс-служба МИД России.",
]


def _natasha_spans(text: str) -> list[RawSpan]:
    """The spans of Natasha's tagger called on the text alone, as documented."""
    return [RawSpan(s.start, s.stop, s.type) for s in ner_tagger()(text).spans] if text.strip() else []


def test_tagging_many_texts_gives_the_spans_of_each_alone(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(ner, "NER_BATCH", 2)  # several batches, of texts of similar length
    assert ner.tag_many(BATCH_TEXTS) == [_natasha_spans(text) for text in BATCH_TEXTS]


@pytest.mark.parametrize("name", ["000_200e2ad5eac8ecb4.txt", "004_0f5906432b56b7a9.txt"])
def test_spans_are_natashas_on_a_whole_article(name: str) -> None:
    text = (SAMPLES / name).read_text(encoding="utf-8")
    assert ner.tag_spans(text) == _natasha_spans(text)


def test_a_text_longer_than_a_batch_is_tagged_alone(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(ner, "NER_BATCH_CHARS", 80)
    batches = list(ner._batches([1, 0, 2], [len(text) for text in BATCH_TEXTS[:3]]))
    assert batches == [[1], [0], [2]]
    assert ner.tag_many(BATCH_TEXTS) == [_natasha_spans(text) for text in BATCH_TEXTS]


def test_prepared_mentions_are_those_found_alone() -> None:
    docs = [Document(id=str(n), source="t", text=text) for n, text in enumerate(BATCH_TEXTS)]
    finder = ner.MentionFinder()
    finder.prepare(docs[:4])
    ahead = [finder(doc).mentions for doc in docs]  # the last two were not prepared
    alone = [find_mentions(Document(id="t", source="t", text=text)).mentions for text in BATCH_TEXTS]
    assert ahead == alone
