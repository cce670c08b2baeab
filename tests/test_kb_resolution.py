"""kb/resolution.py through the store: one entity per real-world thing across documents, each link
explained. Documents are built by hand (test_kb_documents) so each test shows one rule."""

from __future__ import annotations

from letopis.model import Mention
from letopis.store import get_document
from letopis.store.queries import entity_links
from test_kb_documents import (
    Name,
    Post,
    article,
    entities_of,
    entity_id,
    org,
    people,
    person,
    place,
    store_with,
)

BALAEVA_1 = "Министр культуры и информации Аида Балаева провела встречу с творческой интеллигенцией."
BALAEVA_2 = "Министр культуры и информации РК А. Балаева приняла участие в открытии музея в Алматы."
BALAEVA_3 = "На фестивале национального кино Балаева вручила награды молодым режиссёрам."


def balaeva_articles() -> list:
    return [
        article("d-1", "2023-03-15", BALAEVA_1, {"e1": person("Аида Балаева")}),
        article("d-2", "2023-06-20", BALAEVA_2, {"e1": person("А. Балаева"), "e2": place("Алматы")}),
        article("d-3", "2025-08-12", BALAEVA_3, {"e1": person("Балаева")}),
    ]


def rules(store, name: str) -> list[tuple[str, str]]:  # noqa: ANN001 - a Store
    return sorted((link["doc_id"], link["rule"]) for link in entity_links(store, entity_id(store, name)))


def test_initials_and_a_bare_surname_join_the_only_person_of_that_name(db: str) -> None:
    store = store_with(db, *balaeva_articles())
    assert people(store) == {"Аида Балаева": ["А. Балаева", "Аида Балаева", "Балаева"]}
    assert rules(store, "Аида Балаева") == [
        ("d-1", "new"),
        ("d-2", "person_initials"),
        ("d-3", "person_unique_surname"),
    ]


def test_each_link_says_what_it_saw(db: str) -> None:
    store = store_with(db, *balaeva_articles())
    evidence = {
        link["doc_id"]: link["evidence"] for link in entity_links(store, entity_id(store, "Аида Балаева"))
    }
    assert evidence == {
        "d-1": "no stored entity matches «Аида Балаева»",
        "d-2": "«А. Балаева» fits «Аида Балаева»",
        "d-3": "«Балаева»: the only known person of that surname",
    }


def test_a_fuller_name_renames_the_entity(db: str) -> None:
    first, second, _ = balaeva_articles()
    store = store_with(db, second, first)
    assert list(people(store)) == ["Аида Балаева"]


def test_the_document_record_carries_the_store_entity(db: str) -> None:
    store = store_with(db, *balaeva_articles())
    assert get_document(store, "d-3").entities[0].kb_id == entity_id(store, "Аида Балаева")


IVANOV_SERGEY = (
    "Специальный представитель Президента по вопросам экологии и транспорта Сергей Иванов "
    "посетил национальный парк."
)
IVANOV_IGOR = "Президент Российского совета по международным делам Игорь Иванов выступил на конференции."
IVANOV_S = "С. Иванов провёл в Иркутске совещание по охране озера Байкал."
IVANOV_BARE = "Выступая на форуме по экологии, Иванов призвал регионы переходить на электробусы."
IVANOV_BARE_POST = (
    "Специальный представитель Президента по вопросам экологии и транспорта Иванов открыл форум."
)
SPECIAL_REPRESENTATIVE = "специальный представитель Президента по вопросам экологии и транспорта"


def ivanovs() -> list:
    return [
        article(
            "d-sergey",
            "2024-04-11",
            IVANOV_SERGEY,
            {"e1": person("Сергей Иванов")},
            posts=[Post("e1", SPECIAL_REPRESENTATIVE, IVANOV_SERGEY.split(" посетил")[0])],
        ),
        article(
            "d-igor",
            "2024-05-22",
            IVANOV_IGOR,
            {
                "e1": person("Игорь Иванов"),
                "e2": org(
                    "Российский совет по международным делам",
                    "Российского совета по международным делам=Российский совет по международным делам",
                ),
            },
            posts=[
                Post(
                    "e1",
                    "президент",
                    "Президент Российского совета по международным делам Игорь Иванов",
                    organization="e2",
                )
            ],
        ),
        article(
            "d-s",
            "2024-07-03",
            IVANOV_S,
            {"e1": person("С. Иванов"), "e2": place("Иркутск", "Иркутске=Иркутск")},
        ),
    ]


def test_two_people_with_one_surname_stay_apart_and_an_initial_picks_one(db: str) -> None:
    store = store_with(db, *ivanovs())
    assert people(store) == {
        "Игорь Иванов": ["Игорь Иванов"],
        "Сергей Иванов": ["С. Иванов", "Сергей Иванов"],
    }


def test_a_bare_surname_shared_by_two_people_stays_its_own_entity(db: str) -> None:
    bare = article("d-bare", "2024-09-14", IVANOV_BARE, {"e1": person("Иванов")})
    store = store_with(db, *ivanovs(), bare)
    assert sorted(people(store)) == ["Иванов", "Игорь Иванов", "Сергей Иванов"]
    assert rules(store, "Иванов") == [("d-bare", "new")]


def test_a_bare_surname_with_the_same_post_joins_that_person(db: str) -> None:
    bare = article(
        "d-bare",
        "2024-09-14",
        IVANOV_BARE_POST,
        {"e1": person("Иванов")},
        posts=[Post("e1", SPECIAL_REPRESENTATIVE, IVANOV_BARE_POST.split(" открыл")[0])],
    )
    store = store_with(db, *ivanovs(), bare)
    assert people(store)["Сергей Иванов"] == ["Иванов", "С. Иванов", "Сергей Иванов"]
    [link] = [
        link for link in entity_links(store, entity_id(store, "Сергей Иванов")) if link["doc_id"] == "d-bare"
    ]
    assert (link["rule"], link["evidence"]) == (
        "person_same_post",
        "the same post: «специальный представитель президент по вопрос экология и транспорт»",
    )


def test_a_later_bare_surname_stays_with_the_earlier_bare_one(db: str) -> None:
    first = article("d-bare-1", "2024-09-14", IVANOV_BARE, {"e1": person("Иванов")})
    second = article(
        "d-bare-2", "2024-09-15", IVANOV_BARE, {"e1": person("Иванов")}, source="статьи/другая.txt"
    )
    store = store_with(db, *ivanovs(), first, second)
    assert rules(store, "Иванов") == [("d-bare-1", "new"), ("d-bare-2", "same_name")]


def test_a_full_name_joins_an_earlier_bare_surname_when_nobody_else_has_it(db: str) -> None:
    bare = article(
        "d-1", "2025-07-01", "Токаев поручил Правительству снизить инфляцию.", {"e1": person("Токаев")}
    )
    full = article(
        "d-2",
        "2025-06-01",
        "Президент Касым-Жомарт Токаев принял министра.",
        {"e1": person("Касым-Жомарт Токаев")},
    )
    store = store_with(db, bare, full)
    assert people(store) == {"Касым-Жомарт Токаев": ["Касым-Жомарт Токаев", "Токаев"]}
    assert rules(store, "Касым-Жомарт Токаев") == [("d-1", "new"), ("d-2", "person_unique_surname")]


def test_a_two_letter_word_alone_joins_nobody(db: str) -> None:
    poe = article(
        "d-1",
        "2009-10-07",
        "Поклонники Эдгара По собрались в Балтиморе.",
        {"e1": person("Эдгар По", "Эдгара По=Эдгар По")},
    )
    po = article("d-2", "2011-10-20", "По неподтверждённой информации, он скончался.", {"e1": person("По")})
    store = store_with(db, poe, po)
    assert sorted(people(store)) == ["По", "Эдгар По"]


def test_a_first_name_alone_joins_nobody(db: str) -> None:
    full = article(
        "d-1",
        "2019-05-01",
        "Директор Андрей Себрант выступил на конференции.",
        {"e1": person("Андрей Себрант")},
    )
    alone = article(
        "d-2",
        "2019-06-01",
        "В ходе обыска у Андрея нашли ювелирные изделия.",
        {"e1": person("Андрей", "Андрея=Андрей")},
    )
    store = store_with(db, full, alone)
    assert sorted(people(store)) == ["Андрей", "Андрей Себрант"]


def test_a_surname_of_the_other_gender_is_another_person(db: str) -> None:
    her = article(
        "d-1", "2024-01-10", "Депутат Елена Иванова внесла законопроект.", {"e1": person("Елена Иванова")}
    )
    him = article("d-2", "2024-01-11", "Иванов прокомментировал законопроект.", {"e1": person("Иванов")})
    store = store_with(db, her, him)
    assert sorted(people(store)) == ["Елена Иванова", "Иванов"]


MFA_SHORT = "МИД РК провёл брифинг для иностранных журналистов в Астане."
MFA_FULL = "Министерство иностранных дел Республики Казахстан сообщает о консульском дне."
MFA_COUNTRY = "МИД Казахстана выразил соболезнования в связи с землетрясением."
MFA = "Министерство иностранных дел Республики Казахстан"


def test_an_abbreviation_its_spelled_out_name_and_a_short_country_name_are_one_ministry(
    db: str,
) -> None:
    store = store_with(
        db,
        article(
            "d-1", "2024-01-18", MFA_SHORT, {"e1": org("МИД РК"), "e2": place("Астана", "Астане=Астана")}
        ),
        article("d-2", "2025-04-10", MFA_FULL, {"e1": org(MFA)}),
        article("d-3", "2025-05-01", MFA_COUNTRY, {"e1": org("МИД Казахстана")}),
    )
    assert entities_of(store, "ORG") == {MFA: ["МИД Казахстана", "МИД РК", MFA]}
    assert rules(store, MFA) == [("d-1", "new"), ("d-2", "known_abbreviation"), ("d-3", "known_abbreviation")]


def test_an_abbreviation_is_the_initials_of_a_spelled_out_name(db: str) -> None:
    text = "Генеральный секретарь ООН направил приветствие участникам."
    store = store_with(
        db,
        article(
            "d-1",
            "2024-10-24",
            "Казахстан отметил День Организации Объединённых Наций.",
            {
                "e1": org(
                    "Организация Объединённых Наций",
                    "Организации Объединённых Наций=Организация Объединённых Наций",
                )
            },
        ),
        article("d-2", "2024-10-25", text, {"e1": org("ООН")}),
    )
    [link] = [
        link
        for link in entity_links(store, entity_id(store, "Организация Объединённых Наций"))
        if link["doc_id"] == "d-2"
    ]
    assert link["rule"] == "known_abbreviation"  # listed in abbreviations.tsv, the stronger rule


def test_initials_match_an_abbreviation_no_list_knows(db: str) -> None:
    full = "Российский союз промышленников и предпринимателей"
    store = store_with(
        db,
        article("d-1", "2024-02-01", f"{full} провёл съезд.", {"e1": org(full)}),
        article("d-2", "2024-02-02", "РСПП утвердил план на год.", {"e1": org("РСПП")}),
    )
    assert rules(store, full) == [("d-1", "new"), ("d-2", "initials")]


def test_three_letter_initials_are_not_enough_across_documents(db: str) -> None:
    store = store_with(
        db,
        article(
            "d-1",
            "2013-01-10",
            "Жительница Синьцзян-Уйгурского автономного района погибла.",
            {
                "e1": place(
                    "Синьцзян-Уйгурский автономный район",
                    "Синьцзян-Уйгурского автономного района=Синьцзян-Уйгурский автономный район",
                )
            },
        ),
        article(
            "d-2", "2013-08-05", "Президент САР подтвердил решимость своей страны.", {"e1": place("САР")}
        ),
    )
    assert sorted(entities_of(store, "LOC")) == ["САР", "Синьцзян-Уйгурский автономный район"]


def test_two_names_with_the_same_initials_are_not_one(db: str) -> None:
    store = store_with(
        db,
        article(
            "d-1",
            "2024-02-01",
            "Министерство иностранных дел сообщило.",
            {"e1": org("Министерство иностранных дел")},
        ),
        article(
            "d-2",
            "2024-02-02",
            "Министерство инвестиций и девелопмента сообщило.",
            {"e1": org("Министерство инвестиций и девелопмента")},
        ),
    )
    assert sorted(entities_of(store, "ORG")) == [
        "Министерство инвестиций и девелопмента",
        "Министерство иностранных дел",
    ]


def test_a_quoted_name_after_a_generic_word_is_the_name_itself(db: str) -> None:
    store = store_with(
        db,
        article(
            "d-1",
            "2025-03-08",
            "Структура «ООН-Женщины» провела форум.",
            {"e1": org("Структура «ООН-Женщины»")},
        ),
        article(
            "d-2",
            "2025-03-09",
            "Представитель ООН-Женщины рассказала о программах.",
            {"e1": org("ООН-Женщины")},
        ),
    )
    assert entities_of(store, "ORG") == {
        "Структура «ООН-Женщины»": ["ООН-Женщины", "Структура «ООН-Женщины»"]
    }
    assert rules(store, "Структура «ООН-Женщины»") == [("d-1", "new"), ("d-2", "quoted_name")]


UN_WOMEN = "Балаева подчеркнула, что сотрудничество с ООН-Женщины (UN Women) будет продолжено."


def test_a_name_in_another_script_in_parentheses_is_the_same_organisation(db: str) -> None:
    later = "UN Women opened a regional office."
    store = store_with(
        db,
        article(
            "d-1",
            "2024-06-05",
            UN_WOMEN,
            {"e1": person("Балаева"), "e2": org("ООН-Женщины"), "e3": org("UN Women")},
        ),
        article("d-2", "2024-07-01", later, {"e1": org("UN Women")}),
    )
    assert entities_of(store, "ORG") == {"ООН-Женщины": ["UN Women", "ООН-Женщины"]}
    links = {
        (link["doc_id"], link["local_id"]): (link["rule"], link["evidence"])
        for link in entity_links(store, entity_id(store, "ООН-Женщины"))
    }
    assert links[("d-1", "e3")] == ("parenthetical_alias", "«ООН-Женщины (UN Women)» at 42")
    assert links[("d-2", "e1")][0] == "same_name"


def test_adding_a_document_leaves_earlier_links_alone(db: str) -> None:
    store = store_with(db, *ivanovs())
    before = store.connection.execute("SELECT * FROM doc_entities ORDER BY doc_id, local_id").fetchall()
    store.add(article("d-bare", "2024-09-14", IVANOV_BARE, {"e1": person("Иванов")}))
    after = store.connection.execute(
        "SELECT * FROM doc_entities WHERE doc_id != 'd-bare' ORDER BY doc_id, local_id"
    ).fetchall()
    assert [tuple(row) for row in after] == [tuple(row) for row in before]


FAR = "Лидер московского отделения Федерации автовладельцев России (ФАР) Сергей Канаев не согласен."


def test_an_abbreviation_the_document_gave_a_shorter_name_stays_with_it(db: str) -> None:
    branch = "московское отделение Федерации автовладельцев России"
    names = {
        "e1": org(branch, f"московского отделения Федерации автовладельцев России={branch}"),
        "e2": org("Федерация автовладельцев России", "ФАР"),
    }
    doc = article("d-1", "2012-05-01", FAR, names)
    nested = FAR.index("Федерации автовладельцев")  # inside the branch's name, as the tagger nests it
    doc.mentions.append(
        Mention(
            nested, nested + 31, FAR[nested : nested + 31], "ORG", "Федерация автовладельцев России", "e2"
        )
    )
    store = store_with(db, doc)
    assert sorted(entities_of(store, "ORG")) == ["Федерация автовладельцев России", branch]


def test_a_surname_alone_is_looked_up_as_the_document_names_it(db: str) -> None:
    son = article(
        "d-1", "2013-05-08", "Владислав Сурков ушёл в отставку.", {"e1": person("Владислав Сурков")}
    )
    mother = article(
        "d-2",
        "2013-05-09",
        "Его мать Суркова работала учителем.",
        {"e1": Name("PER", "Суркова", [("Суркова", "Суркова"), ("Суркова", "Сурков")])},
    )
    store = store_with(db, son, mother)
    assert sorted(people(store)) == ["Владислав Сурков", "Суркова"]
