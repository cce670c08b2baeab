"""Positions over time, heads of organisations, conflicts (kb/timelines.py, kb/conflicts.py) and the
knowledge-base queries (store/queries/knowledge.py): who met whom, who said what, announced events."""

from __future__ import annotations

import pytest

from letopis.store.queries import (
    announced_events,
    knowledge_profile,
    organization_heads,
    position_conflicts,
    post_timeline,
    who_met_whom,
    who_said,
)
from test_kb_documents import Post, article, entity_id, event, org, person, store_with

MINISTER_2023 = (
    "Министр культуры и информации Республики Казахстан Аида Балаева провела встречу с писателями."
)
MINISTER_2023_RK = "Министр культуры и информации РК Аида Балаева провела совещание с руководителями СМИ."
DEPUTY_2024 = "Заместитель Премьер-министра Республики Казахстан Аида Балаева встретилась с делегацией."
DEPUTY_2025 = "Заместитель Премьер-министра Аида Балаева провела заседание комиссии."


def balaeva(doc_id: str, published: str, text: str, title: str, as_of: str | None = None):  # noqa: ANN201
    evidence = text.split(" Аида Балаева")[0] + " Аида Балаева"
    return article(
        doc_id,
        published,
        text,
        {"e1": person("Аида Балаева")},
        posts=[Post("e1", title, evidence, as_of=as_of)],
    )


def balaeva_career() -> list:
    return [
        balaeva("d-1", "2023-03-15", MINISTER_2023, "министр культуры и информации Республики Казахстан"),
        balaeva("d-2", "2023-11-02", MINISTER_2023_RK, "министр культуры и информации РК"),
        balaeva("d-3", "2024-02-10", DEPUTY_2024, "заместитель Премьер-министра Республики Казахстан"),
        balaeva("d-4", "2025-01-20", DEPUTY_2025, "заместитель Премьер-министра"),
    ]


def timeline(store, name: str) -> list[tuple]:  # noqa: ANN001 - a Store
    return [
        (post["title"], post["first_seen"], post["last_seen"], post["current"], post["documents"])
        for post in post_timeline(store, entity_id(store, name))
    ]


def test_a_change_of_post_shows_as_two_posts_in_date_order(db: str) -> None:
    store = store_with(db, *balaeva_career())
    assert timeline(store, "Аида Балаева") == [
        (
            "министр культуры и информации Республики Казахстан",
            "2023-03-15",
            "2023-11-02",
            False,
            ["d-1", "d-2"],
        ),
        (
            "заместитель Премьер-министра Республики Казахстан",
            "2024-02-10",
            "2025-01-20",
            True,
            ["d-3", "d-4"],
        ),
    ]


def test_the_date_a_text_vouches_for_beats_the_publication_date(db: str) -> None:
    store = store_with(
        db, balaeva("d-1", "2024-05-01", MINISTER_2023, "министр культуры", as_of="2023-12-31")
    )
    assert timeline(store, "Аида Балаева") == [
        ("министр культуры", "2023-12-31", "2023-12-31", True, ["d-1"])
    ]


NURTLEU = "Министр иностранных дел Республики Казахстан Мурат Нуртлеу провёл переговоры в Астане."
NURTLEU_HEAD = "Глава МИД РК Мурат Нуртлеу рассказал о приоритетах внешней политики."
KOSHERBAYEV = "Министр иностранных дел РК Ермек Кошербаев принял посла Японии."
DEPUTY = "Заместитель министра иностранных дел РК Алибек Бакаев провёл консультации."
TURKEY = "Министр иностранных дел Турции Хакан Фидан провёл переговоры."
MFA = "Министерство иностранных дел Республики Казахстан"


def minister(doc_id: str, published: str, text: str, name: str, title: str, with_ministry: bool = False):  # noqa: ANN201
    names = {"e1": person(name)}
    evidence = text.split(f" {name}")[0] + f" {name}"
    post = Post("e1", title, evidence)
    if with_ministry:
        names["e2"] = org("МИД РК")
        post.organization = "e2"
    return article(doc_id, published, text, names, posts=[post])


def ministry() -> list:
    return [
        article("d-mfa", "2023-01-10", f"{MFA} сообщает о консульском дне.", {"e1": org(MFA)}),
        minister(
            "d-n1", "2023-09-05", NURTLEU, "Мурат Нуртлеу", "министр иностранных дел Республики Казахстан"
        ),
        minister("d-n2", "2024-01-18", NURTLEU_HEAD, "Мурат Нуртлеу", "глава МИД РК", with_ministry=True),
        minister("d-k1", "2024-10-01", KOSHERBAYEV, "Ермек Кошербаев", "министр иностранных дел РК"),
        minister("d-d1", "2024-10-01", DEPUTY, "Алибек Бакаев", "заместитель министра иностранных дел РК"),
        minister("d-t1", "2024-10-01", TURKEY, "Хакан Фидан", "министр иностранных дел Турции"),
    ]


def test_who_headed_an_organisation_and_when(db: str) -> None:
    store = store_with(db, *ministry())
    heads = organization_heads(store, entity_id(store, MFA))
    assert [
        (h["person"]["name"], h["title"], h["first_seen"], h["last_seen"], h["documents"]) for h in heads
    ] == [
        (
            "Мурат Нуртлеу",
            "министр иностранных дел Республики Казахстан",
            "2023-09-05",
            "2024-01-18",
            ["d-n1", "d-n2"],
        ),
        ("Ермек Кошербаев", "министр иностранных дел РК", "2024-10-01", "2024-10-01", ["d-k1"]),
    ]


def test_heading_one_office_under_two_titles_is_one_post(db: str) -> None:
    store = store_with(db, *ministry())
    [post] = post_timeline(store, entity_id(store, "Мурат Нуртлеу"))
    assert (post["organization"]["name"], post["first_seen"], post["last_seen"]) == (
        MFA,
        "2023-09-05",
        "2024-01-18",
    )


SAME_DAY = "Министр иностранных дел Республики Казахстан Мурат Нуртлеу провёл встречу с послом Италии."


def test_two_heads_of_one_ministry_on_one_day_are_a_conflict(db: str) -> None:
    store = store_with(
        db,
        *ministry(),
        minister(
            "d-n3", "2024-10-01", SAME_DAY, "Мурат Нуртлеу", "министр иностранных дел Республики Казахстан"
        ),
    )
    [conflict] = position_conflicts(store)
    assert (conflict["kind"], conflict["organization"]["name"], conflict["date"]) == (
        "two_heads",
        MFA,
        "2024-10-01",
    )
    assert [(side["person"]["name"], side["doc_id"]) for side in conflict["facts"]] == [
        ("Ермек Кошербаев", "d-k1"),
        ("Мурат Нуртлеу", "d-n3"),
    ]


def test_a_deputy_and_a_minister_of_another_country_are_no_conflict(db: str) -> None:
    assert position_conflicts(store_with(db, *ministry())) == []


def test_two_heads_of_an_office_known_only_by_its_title_are_a_conflict(db: str) -> None:
    store = store_with(
        db,
        minister("d-1", "2024-03-01", KOSHERBAYEV, "Ермек Кошербаев", "министр иностранных дел РК"),
        minister(
            "d-2", "2024-03-01", SAME_DAY, "Мурат Нуртлеу", "министр иностранных дел Республики Казахстан"
        ),
    )
    [conflict] = position_conflicts(store)
    assert (conflict["organization"], conflict["title"]) == (None, "министр иностранных дел РК")


MEETING_1 = "В Астане Аида Балаева встретилась с Джерен Гювен Гюрес."
MEETING_2 = "Аида Балаева и Джерен Гювен Гюрес обсудили программу. Во встрече участвовал Мурат Нуртлеу."
MEETING_3 = "Мурат Нуртлеу встретился с Джерен Гювен Гюрес в Нью-Йорке."


def meeting(doc_id: str, published: str, text: str, names: list[str]):  # noqa: ANN201
    people = {f"e{i}": person(name) for i, name in enumerate(names, start=1)}
    found = event(
        text,
        text,
        id="v1",
        type="meeting",
        name=text[:40],
        status="happened",
        from_=published,
        to=published,
        participants=list(people),
    )
    return article(doc_id, published, text, people, events=[found])


def test_who_met_whom_counts_meetings_per_pair(db: str) -> None:
    store = store_with(
        db,
        meeting("d-1", "2024-06-05", MEETING_1, ["Аида Балаева", "Джерен Гювен Гюрес"]),
        meeting("d-2", "2024-07-01", MEETING_2, ["Аида Балаева", "Джерен Гювен Гюрес", "Мурат Нуртлеу"]),
        meeting("d-3", "2024-08-01", MEETING_3, ["Мурат Нуртлеу", "Джерен Гювен Гюрес"]),
    )
    pairs = [(p["a"]["name"], p["b"]["name"], p["meetings"], p["documents"]) for p in who_met_whom(store)]
    assert pairs == [
        ("Аида Балаева", "Джерен Гювен Гюрес", 2, ["d-1", "d-2"]),
        ("Джерен Гювен Гюрес", "Мурат Нуртлеу", 2, ["d-2", "d-3"]),
        ("Аида Балаева", "Мурат Нуртлеу", 1, ["d-2"]),
    ]
    since = who_met_whom(store, entity_id=entity_id(store, "Мурат Нуртлеу"), since="2024-08-01")
    assert [(p["a"]["name"], p["b"]["name"], p["meetings"]) for p in since] == [
        ("Джерен Гювен Гюрес", "Мурат Нуртлеу", 1),
    ]


QUOTED = "Аида Балаева заявила, что референдумы укрепляют доверие. Мурат Нуртлеу отметил рост торговли."


def test_who_said_what_about_a_term_in_any_word_form(db: str) -> None:
    doc = article(
        "d-1",
        "2026-02-24",
        QUOTED,
        {"e1": person("Аида Балаева"), "e2": person("Мурат Нуртлеу")},
        quotes=[("e1", "референдумы укрепляют доверие", "indirect"), ("e2", "рост торговли", "indirect")],
    )
    store = store_with(db, doc)
    said = who_said(store, "референдума")
    assert [(s["speaker"]["name"], s["text"], s["fact"]) for s in said] == [
        ("Аида Балаева", "референдумы укрепляют доверие", "quote:1"),
    ]


ANNOUNCED = "В апреле в Астане пройдёт Астанинский международный форум, а в мае – саммит ШОС."


@pytest.mark.parametrize(
    ("since", "until", "names"),
    [
        ("2026-04-01", "2026-04-30", ["Астанинский международный форум"]),
        ("2026-04-01", "2026-05-31", ["Астанинский международный форум", "саммит ШОС"]),
        ("2026-06-01", "2026-12-31", []),
    ],
)
def test_announced_events_between_two_dates(db: str, since: str, until: str, names: list[str]) -> None:
    events = [
        event(
            ANNOUNCED,
            "Астанинский международный форум",
            id="v1",
            type="conference",
            name="Астанинский международный форум",
            status="announced",
            from_="2026-04-22",
            to="2026-04-24",
        ),
        event(
            ANNOUNCED,
            "саммит ШОС",
            id="v2",
            type="summit",
            name="саммит ШОС",
            status="announced",
            from_="2026-05-01",
            to="2026-05-31",
        ),
        event(
            ANNOUNCED,
            "В апреле",
            id="v3",
            type="meeting",
            name="встреча",
            status="happened",
            from_="2026-04-01",
            to="2026-04-01",
        ),
    ]
    store = store_with(db, article("d-1", "2026-02-24", ANNOUNCED, {}, events=events))
    assert [e["name"] for e in announced_events(store, since, until)] == names


def test_the_profile_adds_posts_links_and_heads(db: str) -> None:
    store = store_with(db, *ministry())
    profile = knowledge_profile(store, entity_id(store, MFA))
    assert [h["person"]["name"] for h in profile["headed_by"]] == ["Мурат Нуртлеу", "Ермек Кошербаев"]
    assert [(link["doc_id"], link["rule"]) for link in profile["links"]] == [
        ("d-n2", "known_abbreviation"),
        ("d-mfa", "new"),
    ]
    person_profile = knowledge_profile(store, entity_id(store, "Мурат Нуртлеу"))
    assert [post["organization"]["name"] for post in person_profile["timeline"]] == [MFA]
    assert knowledge_profile(store, 999) is None
