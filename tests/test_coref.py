"""Pronouns and role phrases resolved to people (nlp/coref.py)."""

from pathlib import Path

import pytest

from letopis.model import Document
from letopis.nlp.coref import name_gender, past_gender, resolve_coreference
from letopis.nlp.entities import group_mentions
from letopis.nlp.ner import find_mentions
from letopis.sources.text import read_text

SAMPLES = Path(__file__).parent.parent / "samples"


def _added(doc: Document) -> list[tuple[str, str]]:
    """(words, referent's name) of every mention coref adds."""
    before = {(m.start, m.end) for m in doc.mentions}
    doc = resolve_coreference(doc)
    return [(m.text, m.normal) for m in doc.mentions if (m.start, m.end) not in before]


def _resolved(text: str) -> list[tuple[str, str]]:
    return _added(group_mentions(find_mentions(Document(id="t", source="t", text=text))))


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        # Pronouns agreeing in gender with the person before them
        ("Сергей Лавров прибыл в Астану. Он провел переговоры с коллегами.", [("Он", "Сергей Лавров")]),
        ("Аида Балаева выступила на форуме. Она отметила важность реформ.", [("Она", "Аида Балаева")]),
        ("Мария Захарова провела брифинг. По ее словам, переговоры продолжатся.", [("ее", "Мария Захарова")]),
        (
            "Ермек Кошербаев выступил на сессии. По его мнению, реформа необходима.",
            [("его", "Ермек Кошербаев")],
        ),
        ("Сергей Лавров прибыл в Астану. Его встретил Ермек Кошербаев.", [("Его", "Сергей Лавров")]),
        ("Аида Балаева прибыла в Алматы. Ей вручили приглашение.", [("Ей", "Аида Балаева")]),
        ("Анна Попова провела совещание. Затем ей доложили о ситуации.", [("ей", "Анна Попова")]),
        (
            "Вице-премьер Серик Жумангарин провел совещание. Он поручил ускорить работу.",
            [("Он", "Серик Жумангарин")],
        ),
        # The subject wins over a person named in another role
        (
            "Сергей Лавров встретился с Энтони Блинкеном. Он заявил о готовности к диалогу.",
            [("Он", "Сергей Лавров")],
        ),
        (
            "Владимир Путин провел встречу с Сергеем Лавровым. Он подчеркнул важность сотрудничества.",
            [("Он", "Владимир Путин")],
        ),
        (
            "Встреча с Сергеем Лавровым прошла в Женеве. Он заявил о готовности к диалогу.",
            [("Он", "Сергей Лавров")],
        ),
        # Gender picks the person
        (
            "Министр Сергей Лавров и официальный представитель МИД Мария Захарова прибыли в Астану. "
            "Она сообщила о планах визита.",
            [("Она", "Мария Захарова")],
        ),
        # A foreign name's gender comes from its verb ("отметила")
        (
            "Джерен Гювен Гюрес отметила рост. По ее словам, работа продолжится.",
            [("ее", "Джерен Гювен Гюрес")],
        ),
        # Role phrases: cataphora, anaphora, a post the document gives one person
        (
            "Глава МИД подчеркнул важность диалога. – Мы открыты, – отметил Ермек Кошербаев.",
            [("Глава МИД", "Ермек Кошербаев")],
        ),
        (
            "Ермек Кошербаев провел встречу с послами. Министр поблагодарил партнеров за работу.",
            [("Министр", "Ермек Кошербаев")],
        ),
        (
            "Ермек Кошербаев провел переговоры. Глава МИД Казахстана рассказал о результатах.",
            [("Глава МИД Казахстана", "Ермек Кошербаев")],
        ),
        (
            "Дмитрий Песков ответил на вопросы журналистов. Пресс-секретарь Президента подчеркнул, что "
            "решение не принято.",
            [("Пресс-секретарь Президента", "Дмитрий Песков")],
        ),
        (
            "Президент Касым-Жомарт Токаев провел совещание. Затем выступил Ермек Кошербаев. "
            "Президент поручил ускорить реформы.",
            [("Президент", "Касым-Жомарт Токаев")],
        ),
        (
            "Глава внешнеполитического ведомства подтвердил приверженность Казахстана уставу организации. "
            "Также он остановился на реформе. – Реформа носит системный характер, – отметил Ермек Кошербаев.",
            [("Глава внешнеполитического ведомства", "Ермек Кошербаев"), ("он", "Ермек Кошербаев")],
        ),
        # Left alone: things of the pronoun's gender in between
        ("Аида Балаева посетила Астану. Реформа носит системный характер, она направлена на развитие.", []),
        ("Аида Балаева прибыла в Алматы. Конституция была принята давно. Она закрепила права граждан.", []),
        ("Сергей Лавров прибыл в Астану. Закон вступил в силу. Он предусматривает новые правила.", []),
        ("Ермек Кошербаев подписал указ. Из него следует, что работа продолжится.", []),
        # Left alone: possessives about things
        ("Ермек Кошербаев подтвердил приверженность уставу организации и ее центральной роли.", []),
        (
            "Ермек Кошербаев рассказал о саммите. "
            "Он проинформировал о планах по запуску на его полях консультаций.",
            [("Он", "Ермек Кошербаев")],
        ),
        (
            "Мария Захарова провела брифинг. Она рассказала о визите. Ее выступление длилось час.",
            [("Она", "Мария Захарова")],
        ),
        # Left alone: nobody fits, two people tie, or too far back
        ("Он прибыл в Москву. Сергей Лавров провел встречу.", []),
        ("Аида Балаева выступила на форуме. Он ответил на вопросы.", []),
        ("Иван Петров и Сергей Иванов прибыли в Москву. Он заявил о начале работы.", []),
        (
            "Сергей Лавров прибыл в Астану. Встреча прошла в МИД. Обсуждались вопросы торговли. "
            "Подписаны соглашения. Он уехал вечером.",
            [],
        ),
        # Left alone: inside quotations, and people named only there
        ("– Реформа носит системный характер, она направлена на развитие, – отметил Ермек Кошербаев.", []),
        ("«Мы уважаем Сергея Лаврова», – сказала Мария Захарова. Он провел переговоры.", []),
        # Left alone: roles that are statements about an office, anonymous, or clash with a known post
        (
            "Согласно уставу, генеральный секретарь организации избирается на пять лет. "
            "Ермек Кошербаев выступил с докладом.",
            [],
        ),
        ("Неназванный представитель министерства сообщил о проверке. Сергей Лавров прибыл в Женеву.", []),
        (
            "Министр иностранных дел Сергей Лавров встретился с Энтони Блинкеном. "
            "Госсекретарь США заявил о санкциях.",
            [],
        ),
        ("Министр заявил о начале реформы.", []),
        # NEREL train (shortened): a spokesman is not the person named after him in his sentence
        (
            "Представители прокуратуры провели допрос бизнесмена, после которого официальный представитель "
            "надзорного ведомства заявил о наличии данных, что Ли Джэён получал выгоду.",
            [],
        ),
    ],
)
def test_resolved_mentions(text: str, expected: list[tuple[str, str]]) -> None:
    assert _resolved(text) == expected


def test_resolved_mention_has_person_type_and_entity() -> None:
    doc = group_mentions(find_mentions(Document(id="t", source="t", text="Сергей Лавров прибыл. Он уехал.")))
    doc = resolve_coreference(doc)
    pronoun = next(m for m in doc.mentions if m.text == "Он")
    person = next(e for e in doc.entities if e.name == "Сергей Лавров")
    assert (pronoun.type, pronoun.entity, pronoun.start, pronoun.end) == ("PER", person.id, 22, 24)


def test_mentions_stay_in_text_order() -> None:
    doc = group_mentions(find_mentions(Document(id="t", source="t", text="Сергей Лавров прибыл. Он уехал.")))
    doc = resolve_coreference(doc)
    assert [m.start for m in doc.mentions] == sorted(m.start for m in doc.mentions)


@pytest.mark.parametrize(
    ("word", "gender"),
    [("Аида", "femn"), ("Балаева", "femn"), ("Кошербаев", "masc"), ("Гюрес", None), ("Москва", None)],
)
def test_name_gender(word: str, gender: str | None) -> None:
    assert name_gender(word) == gender


@pytest.mark.parametrize(
    ("word", "gender"), [("отметила", "femn"), ("подчеркнул", "masc"), ("заявили", None)]
)
def test_past_gender(word: str, gender: str | None) -> None:
    assert past_gender(word) == gender


@pytest.mark.parametrize(
    ("name", "expected"),
    [
        ("000_200e2ad5eac8ecb4.txt", [("ее", "Джерен Гювен Гюрес")]),
        (
            "004_0f5906432b56b7a9.txt",
            [
                ("глава внешнеполитического ведомства", "Ермек Кошербаев"),
                ("он", "Ермек Кошербаев"),
                ("он", "Ермек Кошербаев"),
                ("глава МИД", "Ермек Кошербаев"),
                ("Министр", "Ермек Кошербаев"),
                ("Он", "Ермек Кошербаев"),
            ],
        ),
    ],
)
def test_sample_coreference(name: str, expected: list[tuple[str, str]]) -> None:
    doc = read_text((SAMPLES / name).read_text(encoding="utf-8"), name)
    assert _added(group_mentions(find_mentions(doc))) == expected


def test_running_twice_adds_nothing_more() -> None:
    doc = group_mentions(find_mentions(Document(id="t", source="t", text="Сергей Лавров прибыл. Он уехал.")))
    once = len(resolve_coreference(doc).mentions)
    assert len(resolve_coreference(doc).mentions) == once
