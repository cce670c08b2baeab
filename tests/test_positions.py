"""Positions: person – title – organisation (nlp/positions.py), on real and realistic news sentences."""

from pathlib import Path

import pytest

from letopis.model import Document
from letopis.nlp.coref import resolve_coreference
from letopis.nlp.dates import resolve_dates
from letopis.nlp.entities import group_mentions
from letopis.nlp.grammars.titles import title_head
from letopis.nlp.grammars.tokens import sentence_spans
from letopis.nlp.ner import find_mentions
from letopis.nlp.positions import find_positions
from letopis.nlp.quotes import find_quotes
from letopis.sources.text import read_text

SAMPLES = Path(__file__).parent.parent / "samples"
STAGES = (find_mentions, group_mentions, resolve_dates, resolve_coreference, find_positions, find_quotes)


def _extract(text: str, published: str | None = None) -> Document:
    doc = Document(id="t", source="t", text=text, published=published)
    for stage in STAGES:
        doc = stage(doc)
    return doc


def _sample(name: str) -> Document:
    doc = read_text((SAMPLES / name).read_text(encoding="utf-8"), name)
    for stage in STAGES:
        doc = stage(doc)
    return doc


def _positions(doc: Document) -> list[tuple[str, str, str | None]]:
    """(person, title, organisation) with entity names in place of ids."""
    names = {e.id: e.name for e in doc.entities}
    return [(names[p.person], p.title, names.get(p.organization)) for p in doc.positions]


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        # factRuEval-2016 devset/book_115.txt
        (
            "При подписании нового соглашения министр торговли Китая Чэнь Дэмин заявил, что одним из "
            "приоритетов является перевод огромных резервов иностранной валюты в зарубежные активы.",
            [("Чэнь Дэмин", "министр торговли Китая", None)],
        ),
        # factRuEval-2016 devset/book_302.txt
        (
            "Такой переход, считает вице-губернатор Приморья Александр Шемелев, повысит оперативность "
            "взаимодействия государственных органов.",
            [("Александр Шемелев", "вице-губернатор Приморья", None)],
        ),
        # factRuEval-2016 devset/book_424.txt
        (
            "«У нас есть совместные планы на будущее», — сказал генеральный директор Большого театра "
            "Анатолий Иксанов.",
            [("Анатолий Иксанов", "генеральный директор Большого театра", "Большой театр")],
        ),
        # factRuEval-2016 devset/book_252.txt: a post set off by commas, then one after a linking verb
        (
            "Бывший спикер палаты представителей, Нэнси Пелоси, которая сейчас является главой "
            "демократического меньшинства, отметила, что борьба продолжится.",
            [
                ("Нэнси Пелоси", "бывший спикер палаты представителей", None),
                ("Нэнси Пелоси", "глава демократического меньшинства", None),
            ],
        ),
        # factRuEval-2016 devset/book_259.txt: posts after a dash; "управляющий" is an adjective here
        (
            "В том числе, Крис Хелмбрехт - управляющий директор и совладелец креативного агентства "
            "Kollektiv.",
            [
                ("Крис Хелмбрехт", "управляющий директор", None),
                ("Крис Хелмбрехт", "совладелец креативного агентства Kollektiv", "Kollektiv"),
            ],
        ),
        # factRuEval-2016 devset/book_124.txt: "Президент и первая леди" is two people
        ("Президент и первая леди Мишель Обама задержались в Белом доме.", []),
        # factRuEval-2016 devset/book_361.txt: the name inside the title is not its holder
        ("Помощник Хиллари Клинтон по европейским и евразийским делам посетил Тбилиси.", []),
        # factRuEval-2016 devset/book_367.txt: an adverb and a bracketed abbreviation inside the title
        (
            "Лидер французского крайне правого Национального фронта (FN) Марин Ле Пен выступила в Лионе.",
            [
                (
                    "Марин Ле Пен",
                    "лидер французского крайне правого Национального фронта (FN)",
                    "Национальный фронт",
                )
            ],
        ),
        # NEREL train: a title between two names belongs to the first
        (
            "Дочь президента Нурсултана Назарбаева Дарига Назарбаева посетила школу.",
            [("Нурсултан Назарбаев", "президент", None)],
        ),
        # NEREL train/100024.txt-style wording
        (
            "Пресс-секретарь президента Дмитрий Песков сказал, что тенденцию в этом усматривать не стоит.",
            [("Дмитрий Песков", "пресс-секретарь президента", None)],
        ),
        (
            "Министр иностранных дел России Сергей Лавров заявил, что Москва готова к диалогу.",
            [("Сергей Лавров", "министр иностранных дел России", None)],
        ),
        (
            "– Мы готовы к диалогу, – сказал пресс-секретарь Президента Дмитрий Песков.",
            [("Дмитрий Песков", "пресс-секретарь Президента", None)],
        ),
        (
            "Сергей Лавров, министр иностранных дел России, провел переговоры в Женеве.",
            [("Сергей Лавров", "министр иностранных дел России", None)],
        ),
        (
            "Генеральный секретарь ООН Антониу Гутерриш прибыл в Астану.",
            [("Антониу Гутерриш", "генеральный секретарь ООН", "ООН")],
        ),
        (
            "Указом Главы государства Марат Карабаев назначен министром транспорта.",
            [("Марат Карабаев", "министр транспорта", None)],
        ),
        ("Новым акимом Алматы стал Ерболат Досаев.", [("Ерболат Досаев", "новый аким Алматы", None)]),
        (
            "Встреча прошла с участием вице-премьера – министра иностранных дел Мурата Нуртлеу.",
            [("Мурат Нуртлеу", "вице-премьер", None), ("Мурат Нуртлеу", "министр иностранных дел", None)],
        ),
        (
            "Аким Карагандинской области Ермаганбет Булекбаев провел совещание.",
            [("Ермаганбет Булекбаев", "аким Карагандинской области", None)],
        ),
        (
            "В переговорах участвовал советник Президента Юрий Ушаков.",
            [("Юрий Ушаков", "советник Президента", None)],
        ),
        (
            "Постоянный представитель России при ООН Василий Небензя выступил в Совете Безопасности.",
            [("Василий Небензя", "постоянный представитель России при ООН", "ООН")],
        ),
        (
            "Соболезнования выразил председатель Мажилиса Парламента Ерлан Кошанов.",
            [("Ерлан Кошанов", "председатель Мажилиса Парламента", "Мажилис Парламента")],
        ),
        (
            "Делегацию возглавил первый заместитель Премьер-министра Роман Скляр.",
            [("Роман Скляр", "первый заместитель Премьер-министра", None)],
        ),
        (
            "Встреча Президента с министром финансов Мадиной Абылкасымовой прошла в Акорде.",
            [("Мадина Абылкасымова", "министр финансов", None)],
        ),
        (
            "Ермек Кошербаев, глава МИД Казахстана, и Энтони Блинкен обсудили сотрудничество.",
            [("Ермек Кошербаев", "глава МИД Казахстана", "МИД Казахстана")],
        ),
        (
            "Послом Казахстана в России назначен Даурен Абаев.",
            [("Даурен Абаев", "посол Казахстана в России", None)],
        ),
        (
            "В пресс-службе уполномоченного по правам человека Артура Ластаева сообщили о проверке.",
            [("Артур Ластаев", "уполномоченный по правам человека", None)],
        ),
        (
            "Врио губернатора Курской области Александр Хинштейн провел совещание.",
            [("Александр Хинштейн", "врио губернатора Курской области", None)],
        ),
        (
            "Исполняющий обязанности министра здравоохранения Ажар Гиният провела брифинг.",
            [("Ажар Гиният", "исполняющий обязанности министра здравоохранения", None)],
        ),
        # No name, or not a post at all
        ("Президент подписал указ.", []),
        ("Министры обсудили проект бюджета.", []),
        ("После встречи Лавров уехал в Москву.", []),
        ("Глава 5 Конституции посвящена правам граждан.", []),
        ("Глава МИД в среду провел переговоры.", []),
    ],
)
def test_positions_in_sentences(text: str, expected: list[tuple[str, str, str | None]]) -> None:
    assert _positions(_extract(text)) == expected


def test_role_phrase_resolved_by_coref_is_a_position() -> None:
    doc = _extract(
        "Ермек Кошербаев провел встречу с послами. – Мы открыты к диалогу, – подчеркнул глава МИД Казахстана."
    )
    assert _positions(doc) == [("Ермек Кошербаев", "глава МИД Казахстана", "МИД Казахстана")]


def test_bare_role_phrase_adds_no_position() -> None:
    doc = _extract("Ермек Кошербаев провел встречу с послами. Министр поблагодарил партнеров.")
    assert _positions(doc) == []


def test_as_of_is_the_publication_date() -> None:
    doc = _extract("Министр энергетики Алмасадам Саткалиев провел брифинг.", published="2025-03-01")
    assert [p.as_of for p in doc.positions] == ["2025-03-01"]


def test_a_past_date_in_the_sentence_dates_the_position() -> None:
    text = "15 января 2025 года министр энергетики Алмасадам Саткалиев провел брифинг."
    doc = _extract(text, published="2025-03-01")
    assert [p.as_of for p in doc.positions] == ["2025-01-15"]


def test_a_future_date_does_not_date_the_position() -> None:
    text = "Министр энергетики Алмасадам Саткалиев выступит 15 мая 2025 года."
    doc = _extract(text, published="2025-03-01")
    assert [p.as_of for p in doc.positions] == ["2025-03-01"]


def test_evidence_span_covers_title_and_name() -> None:
    text = "Делегацию возглавил первый заместитель Премьер-министра Роман Скляр."
    doc = _extract(text)
    assert [text[p.start : p.end] for p in doc.positions] == [
        "первый заместитель Премьер-министра Роман Скляр"
    ]


def test_one_record_per_post() -> None:
    text = (
        "Сергей Лавров, министр иностранных дел России, прибыл в Женеву. "
        "Министр иностранных дел России Сергей Лавров провел переговоры."
    )
    assert _positions(_extract(text)) == [("Сергей Лавров", "министр иностранных дел России", None)]


@pytest.mark.parametrize(
    ("word", "lemma"),
    [("главой", "глава"), ("заместителя", "заместитель"), ("экс-президента", "президент"), ("после", None)],
)
def test_title_head(word: str, lemma: str | None) -> None:
    head = title_head(word)
    assert (head.lemma if head else None) == lemma


def test_sentences_are_cut_at_line_breaks() -> None:
    text = "Первое предложение.\n– Второе, – сказал он."
    assert [text[s:e] for s, e in sentence_spans(text)] == ["Первое предложение.", "– Второе, – сказал он."]


GENDER_SAMPLE_POSITIONS = [
    ("Аида Балаева", "заместитель Премьер-министра", None),
    ("Аида Балаева", "министр культуры и информации РК", None),
    (
        "Аида Балаева",
        "председатель Национальной комиссии по делам женщин и семейно-демографической политике "
        "при Президенте РК",
        "Национальная комиссия по делам женщин и семейно-демографической политике",
    ),
    (
        "Джерен Гювен Гюрес",
        "глава Центральноазиатского координационного офиса Структуры «ООН-Женщины»",
        "Центральноазиатский координационный офис",
    ),
    (
        "Джерен Гювен Гюрес",
        "представитель Странового офиса Структуры «ООН-Женщины» в Казахстане",
        "Страновой офис Структуры «ООН-Женщины»",
    ),
]

UN_SAMPLE_POSITIONS = [
    ("Ермек Кошербаев", "глава внешнеполитического ведомства", None),
    ("Ермек Кошербаев", "глава МИД", "МИД"),
    ("Касым-Жомарт Токаев", "Президент", None),
]


@pytest.mark.parametrize(
    ("name", "expected", "as_of"),
    [
        ("000_200e2ad5eac8ecb4.txt", GENDER_SAMPLE_POSITIONS, "2026-02-24"),
        ("004_0f5906432b56b7a9.txt", UN_SAMPLE_POSITIONS, None),
    ],
)
def test_sample_positions(name: str, expected: list[tuple[str, str, str | None]], as_of: str | None) -> None:
    doc = _sample(name)
    found = _positions(doc)
    assert len(found) == len(expected)
    # The organisation is named by its entity; NER may take in its dependents ("… при Президенте РК").
    shortened = [
        (person, title, org and org[: len(wanted[2] or "")])
        for (person, title, org), wanted in zip(found, expected, strict=True)
    ]
    assert shortened == expected
    assert {p.as_of for p in doc.positions} == {as_of}


def test_sample_evidence_spans() -> None:
    doc = _sample("004_0f5906432b56b7a9.txt")
    assert [doc.text[p.start : p.end] for p in doc.positions] == [
        "глава внешнеполитического ведомства",
        "глава МИД",
        "Президента Касым-Жомарта Токаева",
    ]
