"""kb/curation.py: merge, split, rename, confirm and reject — logged, and still in force after the
documents are ingested again with other text (new document ids, new fact ids)."""

from __future__ import annotations

import json

import pytest
from typer.testing import CliRunner

from letopis.cli import app
from letopis.errors import LetopisError
from letopis.store.queries import curation_log, entity_links, position_conflicts, post_timeline
from test_kb_documents import Post, article, entity_id, org, people, person, store_with

runner = CliRunner()

SERGEY = "Специальный представитель Президента Сергей Иванов посетил национальный парк."
IGOR = "Президент Российского совета по международным делам Игорь Иванов выступил на конференции."
BARE = "Выступая на форуме по экологии, Иванов призвал регионы переходить на электробусы."
BARE_EDITED = "Выступая на форуме по экологии и транспорту, Иванов призвал регионы переходить на электробусы."


def ivanovs(bare_text: str = BARE, bare_id: str = "d-bare") -> list:
    return [
        article("d-sergey", "2024-04-11", SERGEY, {"e1": person("Сергей Иванов")}),
        article("d-igor", "2024-05-22", IGOR, {"e1": person("Игорь Иванов")}),
        article(bare_id, "2024-09-14", bare_text, {"e1": person("Иванов")}, source="статьи/форум.txt"),
    ]


def test_merge_moves_documents_names_and_facts(db: str) -> None:
    store = store_with(db, *ivanovs())
    edit = store.merge_entities(entity_id(store, "Сергей Иванов"), entity_id(store, "Иванов"), by="anna")
    assert people(store) == {"Игорь Иванов": ["Игорь Иванов"], "Сергей Иванов": ["Иванов", "Сергей Иванов"]}
    assert (edit.action, edit.by, edit.after["entity"]["aliases"]) == (
        "merge",
        "anna",
        ["Иванов", "Сергей Иванов"],
    )
    links = {link["doc_id"]: link["rule"] for link in entity_links(store, entity_id(store, "Сергей Иванов"))}
    assert links == {"d-sergey": "new", "d-bare": "curated"}
    record = store.connection.execute("SELECT record FROM documents WHERE id = 'd-bare'").fetchone()[0]
    linked = {e["id"]: e["kb_id"] for e in json.loads(record)["entities"]}
    assert {linked[m["entity"]] for m in json.loads(record)["mentions"] if m["type"] == "PER"} == {
        entity_id(store, "Сергей Иванов")
    }


def test_a_merge_holds_after_the_document_is_ingested_again(db: str) -> None:
    store = store_with(db, *ivanovs())
    store.merge_entities(entity_id(store, "Сергей Иванов"), entity_id(store, "Иванов"), by="anna")
    assert store.add(ivanovs(BARE_EDITED, "d-bare-2")[2]) == "updated"
    assert people(store) == {"Игорь Иванов": ["Игорь Иванов"], "Сергей Иванов": ["Иванов", "Сергей Иванов"]}
    assert entity_links(store, entity_id(store, "Сергей Иванов"))[0]["doc_id"] == "d-bare-2"


BALAEVA = "Министр культуры и информации Аида Балаева провела встречу с писателями."
OTHER_BALAEVA = "Глава районного акимата Балаева открыла новую школу."
OTHER_BALAEVA_EDITED = "Глава районного акимата Балаева открыла новую школу на сто мест."


def balaevas(other_text: str = OTHER_BALAEVA, other_id: str = "d-2") -> list:
    return [
        article("d-1", "2023-03-15", BALAEVA, {"e1": person("Аида Балаева")}),
        article(other_id, "2023-04-01", other_text, {"e1": person("Балаева")}, source="статьи/школа.txt"),
    ]


def test_split_moves_the_documents_using_an_alias_to_a_new_entity(db: str) -> None:
    store = store_with(db, *balaevas())
    assert people(store) == {"Аида Балаева": ["Аида Балаева", "Балаева"]}  # the only Балаева known
    edit = store.split_entity(entity_id(store, "Аида Балаева"), ["Балаева"], by="anna", name="Балаева (аким)")
    assert people(store) == {
        "Аида Балаева": ["Аида Балаева"],
        "Балаева (аким)": ["Балаева", "Балаева (аким)"],
    }
    assert (edit.action, edit.after["new"]["name"]) == ("split", "Балаева (аким)")


def test_a_split_holds_after_the_document_is_ingested_again(db: str) -> None:
    store = store_with(db, *balaevas())
    store.split_entity(entity_id(store, "Аида Балаева"), ["Балаева"], by="anna", name="Балаева (аким)")
    store.add(balaevas(OTHER_BALAEVA_EDITED, "d-2-edited")[1])
    assert people(store) == {
        "Аида Балаева": ["Аида Балаева"],
        "Балаева (аким)": ["Балаева", "Балаева (аким)"],
    }


def test_a_split_off_name_keeps_new_documents_away_from_the_old_entity(db: str) -> None:
    store = store_with(db, *balaevas())
    store.split_entity(entity_id(store, "Аида Балаева"), ["Балаева"], by="anna")
    store.add(article("d-3", "2023-05-01", "Балаева наградила лучших учителей.", {"e1": person("Балаева")}))
    links = {link["doc_id"] for link in entity_links(store, entity_id(store, "Балаева"))}
    assert links == {"d-2", "d-3"}


MFA = "Министерство иностранных дел Республики Казахстан"
MFA_TEXT = "МИД РК провёл брифинг для иностранных журналистов."
MFA_TEXT_EDITED = "МИД РК провёл брифинг для иностранных и казахстанских журналистов."


def ministry(short_text: str = MFA_TEXT, short_id: str = "d-short") -> list:
    return [
        article("d-full", "2025-04-10", f"{MFA} провело консульский день.", {"e1": org(MFA)}),
        article(short_id, "2024-01-18", short_text, {"e1": org("МИД РК")}, source="статьи/брифинг.txt"),
    ]


def test_a_rename_holds_whatever_the_documents_call_it(db: str) -> None:
    store = store_with(db, *ministry())
    store.rename_entity(entity_id(store, MFA), "МИД Казахстана", by="anna")
    store.add(ministry(MFA_TEXT_EDITED, "d-short-2")[1])
    store.add(article("d-new", "2025-05-01", f"{MFA} сообщает.", {"e1": org(MFA)}))
    [(name, count)] = store.connection.execute("SELECT name, mention_count FROM entities").fetchall()
    assert (name, count) == ("МИД Казахстана", 3)


def test_renaming_to_another_entitys_name_is_refused(db: str) -> None:
    store = store_with(db, *ivanovs())
    with pytest.raises(LetopisError, match="another PER entity is called «Игорь Иванов»"):
        store.rename_entity(entity_id(store, "Сергей Иванов"), "Игорь Иванов", by="anna")


KOSHERBAYEV = "Министр иностранных дел РК Ермек Кошербаев принял посла Японии."
KOSHERBAYEV_EDITED = "В Астане министр иностранных дел РК Ермек Кошербаев принял посла Японии."
NURTLEU = "Министр иностранных дел Республики Казахстан Мурат Нуртлеу провёл встречу с послом Италии."


def ministers(text: str = KOSHERBAYEV, doc_id: str = "d-k") -> list:
    k_evidence = "министр иностранных дел РК Ермек Кошербаев"
    return [
        article(
            doc_id,
            "2024-03-01",
            text,
            {"e1": person("Ермек Кошербаев")},
            source="статьи/япония.txt",
            posts=[
                Post(
                    "e1",
                    "министр иностранных дел РК",
                    k_evidence if k_evidence in text else "Министр иностранных дел РК Ермек Кошербаев",
                )
            ],
        ),
        article(
            "d-n",
            "2024-03-01",
            NURTLEU,
            {"e1": person("Мурат Нуртлеу")},
            posts=[
                Post(
                    "e1",
                    "министр иностранных дел Республики Казахстан",
                    "Министр иностранных дел Республики Казахстан Мурат Нуртлеу",
                )
            ],
        ),
    ]


def position_of(store, name: str) -> int:  # noqa: ANN001 - a Store
    row = store.connection.execute(
        "SELECT p.id FROM positions AS p JOIN entities AS e ON e.id = p.person_entity_id WHERE e.name = ?",
        (name,),
    ).fetchone()
    return row["id"]


def test_rejecting_a_fact_ends_the_conflict_it_was_part_of(db: str) -> None:
    store = store_with(db, *ministers())
    assert len(position_conflicts(store)) == 1
    edit = store.review_fact(f"position:{position_of(store, 'Ермек Кошербаев')}", "reject", by="anna")
    assert (edit.before, edit.after) == ({"review": None}, {"review": "rejected"})
    assert position_conflicts(store) == []
    assert post_timeline(store, entity_id(store, "Ермек Кошербаев")) == []


def test_a_rejection_holds_after_the_document_is_ingested_again(db: str) -> None:
    store = store_with(db, *ministers())
    old = position_of(store, "Ермек Кошербаев")
    store.review_fact(f"position:{old}", "reject", by="anna")
    store.add(ministers(KOSHERBAYEV_EDITED, "d-k-2")[0])
    new = position_of(store, "Ермек Кошербаев")
    review = store.connection.execute("SELECT review FROM positions WHERE id = ?", (new,)).fetchone()[0]
    assert (new != old, review) == (True, "rejected")
    assert position_conflicts(store) == []


def test_a_confirmed_fact_is_marked_in_the_timeline(db: str) -> None:
    store = store_with(db, *ministers())
    store.review_fact(f"position:{position_of(store, 'Мурат Нуртлеу')}", "confirm", by="anna")
    [post] = post_timeline(store, entity_id(store, "Мурат Нуртлеу"))
    assert post["confirmed"] is True


def test_every_edit_is_in_the_log_with_who_when_and_what(db: str) -> None:
    store = store_with(db, *ivanovs())
    sergey = entity_id(store, "Сергей Иванов")
    store.merge_entities(sergey, entity_id(store, "Иванов"), by="anna")
    store.rename_entity(sergey, "Сергей Борисович Иванов", by="boris")
    log = curation_log(store)
    assert [(e["action"], e["by"]) for e in log] == [("rename", "boris"), ("merge", "anna")]
    assert log[0]["before"]["entity"]["name"] == "Сергей Иванов"
    assert log[0]["after"]["entity"]["name"] == "Сергей Борисович Иванов"
    assert log[1]["target"]["other"]["name"] == "Иванов"
    assert all(e["at"].endswith("+00:00") for e in log)
    assert [e["action"] for e in curation_log(store, entity_id=sergey)] == ["rename", "merge"]


@pytest.mark.parametrize(
    ("edit", "message"),
    [
        (
            lambda s, ids: s.merge_entities(ids["Сергей Иванов"], ids["Сергей Иванов"], "anna"),
            "cannot merge «Сергей Иванов» with itself",
        ),
        (lambda s, ids: s.merge_entities(ids["Сергей Иванов"], 999, "anna"), "no entity with id 999"),
        (
            lambda s, ids: s.split_entity(ids["Сергей Иванов"], ["Петров"], "anna"),
            "«Сергей Иванов» has no alias «Петров»",
        ),
        (lambda s, ids: s.review_fact("position:999", "reject", "anna"), "no position with id 999"),
        (
            lambda s, ids: s.review_fact("12", "reject", "anna"),
            "not a fact: '12' (expected position:ID, quote:ID or event:ID)",
        ),
    ],
)
def test_impossible_edits_are_refused_with_a_clear_message(db: str, edit, message: str) -> None:  # noqa: ANN001
    store = store_with(db, *ivanovs())
    ids = {name: entity_id(store, name) for name in people(store)}
    with pytest.raises(LetopisError) as error:
        edit(store, ids)
    assert str(error.value) == message
    assert curation_log(store) == []


def test_merging_a_person_into_an_organisation_is_refused(db: str) -> None:
    store = store_with(db, *ivanovs(), *ministry())
    with pytest.raises(LetopisError, match="cannot merge a PER .«Иванов». into a ORG"):
        store.merge_entities(entity_id(store, MFA), entity_id(store, "Иванов"), by="anna")


# --- the command line ----------------------------------------------------------------------------


@pytest.fixture
def curated_db(db: str) -> str:
    store_with(db, *ivanovs(), *ministers()).close()
    return db


def test_cli_merge_split_and_rename(curated_db: str) -> None:
    merged = runner.invoke(
        app, ["entity", "merge", "Сергей Иванов", "Иванов", "--db", curated_db, "--by", "anna"]
    )
    assert merged.exit_code == 0, merged.output
    assert "merged into «Сергей Иванов»" in merged.stdout
    split = runner.invoke(app, ["entity", "split", "Сергей Иванов", "--alias", "Иванов", "--db", curated_db])
    assert split.exit_code == 0, split.output
    assert "new entity «Иванов»" in split.stdout
    renamed = runner.invoke(
        app, ["entity", "rename", "Игорь Иванов", "Игорь Сергеевич Иванов", "--db", curated_db]
    )
    assert renamed.exit_code == 0, renamed.output
    explained = runner.invoke(app, ["entity", "explain", "Игорь Сергеевич Иванов", "--db", curated_db])
    assert "rename by" in explained.stdout


def test_cli_reject_confirm_and_conflicts(curated_db: str) -> None:
    conflicts = runner.invoke(app, ["fact", "conflicts", "--db", curated_db])
    assert "1 conflicts" in conflicts.stdout
    rejected = runner.invoke(app, ["fact", "reject", "position:1", "--db", curated_db, "--by", "anna"])
    assert rejected.exit_code == 0, rejected.output
    assert "position:1: rejected (was not reviewed)" in rejected.stdout
    confirmed = runner.invoke(app, ["fact", "confirm", "position:2", "--db", curated_db])
    assert "position:2: confirmed" in confirmed.stdout
    assert "0 conflicts" in runner.invoke(app, ["fact", "conflicts", "--db", curated_db]).stdout


@pytest.mark.parametrize(
    ("command", "message"),
    [
        (["entity", "merge", "Нет Такого", "Иванов"], "error: no entity is called 'Нет Такого'\n"),
        (["entity", "rename", "999", "Кто-то"], "error: no entity with id 999\n"),
        (["fact", "reject", "quote:5"], "error: no quote with id 5\n"),
    ],
)
def test_cli_user_errors_are_one_line_without_a_traceback(
    curated_db: str, command: list[str], message: str
) -> None:
    result = runner.invoke(app, [*command, "--db", curated_db])
    assert (result.exit_code, result.stderr) == (1, message)
