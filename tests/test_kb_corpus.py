"""The knowledge base over the real pipeline: 22 short articles in tests/fixtures/kb (official news of
Kazakhstan and Russia) ingested into a real SQLite file. People sharing a surname, a ministry
abbreviated and spelled out, a minister who became deputy prime minister, two heads of one
ministry on one day.

Positions are written by hand (POSITIONS) on top of what the pipeline extracts, so the timelines
do not depend on the positions stage; `test_the_pipeline_positions_show_the_change_of_post` checks
the stage itself once the pipeline has it."""

from __future__ import annotations

import functools
import shutil
from collections.abc import Iterator
from pathlib import Path

import pytest
from typer.testing import CliRunner

from letopis.cli import app
from letopis.model import Document, Position
from letopis.nlp.pipeline import default_stages, extract
from letopis.sources import iter_documents
from letopis.store import Store
from letopis.store.queries import entity_reference, organization_heads, position_conflicts, post_timeline
from test_kb_documents import entities_of, people

CORPUS = Path(__file__).parent / "fixtures" / "kb"
MFA = "Министерство иностранных дел Республики Казахстан"
runner = CliRunner()

# file -> (the document's name for the person, title, evidence, the document's name for the organisation)
POSITIONS: dict[str, list[tuple[str, str, str, str | None]]] = {
    "01_balaeva_intelligentsia.txt": [
        (
            "Аида Балаева",
            "министр культуры и информации Республики Казахстан",
            "Министр культуры и информации Республики Казахстан Аида Балаева",
            None,
        )
    ],
    "02_balaeva_museum.txt": [
        (
            "А. Балаева",
            "министр культуры и информации РК",
            "Министр культуры и информации РК А. Балаева",
            None,
        )
    ],
    "03_balaeva_media.txt": [
        (
            "Аида Балаева",
            "министр культуры и информации Казахстана",
            "Министр культуры и информации Казахстана Аида Балаева",
            None,
        )
    ],
    "04_balaeva_appointed.txt": [
        (
            "Аида Балаева",
            "заместитель Премьер-министра Республики Казахстан",
            "Аида Балаева назначена заместителем Премьер-министра Республики Казахстан",
            None,
        )
    ],
    "05_balaeva_un_women.txt": [
        (
            "Аида Балаева",
            "заместитель Премьер-министра РК",
            "Заместитель Премьер-министра РК Аида Балаева",
            None,
        )
    ],
    "06_balaeva_family.txt": [
        (
            "Аида Балаева",
            "заместитель Премьер-министра Республики Казахстан",
            "Заместитель Премьер-министра Республики Казахстан Аида Балаева",
            None,
        )
    ],
    "08_igor_ivanov_council.txt": [
        (
            "Игорь Иванов",
            "президент Российского совета по международным делам",
            "Президент Российского совета по международным делам Игорь Иванов",
            "Российский совет по международным делам",
        )
    ],
    "11_nurtleu_talks.txt": [
        (
            "Мурат Нуртлеу",
            "министр иностранных дел Республики Казахстан",
            "Министр иностранных дел Республики Казахстан Мурат Нуртлеу",
            None,
        )
    ],
    "12_mfa_briefing.txt": [("Мурат Нуртлеу", "глава МИД РК", "Глава МИД РК Мурат Нуртлеу", "МИД РК")],
    "13_kosherbayev_wrong.txt": [
        ("Ермек Кошербаев", "министр иностранных дел РК", "Министр иностранных дел РК Ермек Кошербаев", None)
    ],
    "14_nurtleu_same_day.txt": [
        (
            "Мурат Нуртлеу",
            "министр иностранных дел Республики Казахстан",
            "Министр иностранных дел Республики Казахстан Мурат Нуртлеу",
            None,
        )
    ],
    "15_kosherbayev_minister.txt": [
        (
            "Ермек Кошербаев",
            "министр иностранных дел Казахстана",
            "Министр иностранных дел Казахстана Ермек Кошербаев",
            None,
        )
    ],
    "16_mfa_kazakhstan.txt": [("Е. Кошербаев", "министр", "Министр Е. Кошербаев", MFA)],
    "19_tokayev_kosherbayev.txt": [
        ("Касым-Жомарт Токаев", "Президент Казахстана", "Президент Казахстана Касым-Жомарт Токаев", None)
    ],
}


def with_hand_positions(doc: Document) -> Document:
    """The document with the positions of POSITIONS instead of the pipeline's."""
    local = {entity.name: entity.id for entity in doc.entities}
    doc.positions = []
    for person, title, evidence, organization in POSITIONS.get(Path(doc.source).name, []):
        start = doc.text.index(evidence)
        doc.positions.append(
            Position(
                local[person],
                title,
                local[organization] if organization else None,
                None,
                start,
                start + len(evidence),
            )
        )
    return doc


@functools.cache
def extracted_corpus() -> list[Document]:
    """The corpus through the pipeline, once for both backends."""
    stages = default_stages()
    return [with_hand_positions(extract(doc, stages)) for doc in iter_documents([str(CORPUS)])]


@pytest.fixture(scope="module")
def corpus(module_db: str) -> Iterator[Store]:
    store = Store.open(module_db)
    for doc in extracted_corpus():
        store.add(doc)
    yield store
    store.close()


def test_the_corpus_has_22_articles(corpus: Store) -> None:
    assert corpus.connection.execute("SELECT count(*) FROM documents").fetchone()[0] == 22


def test_people_across_documents(corpus: Store) -> None:
    assert people(corpus) == {
        "Аида Балаева": ["А. Балаева", "Аида Балаева", "Балаева"],
        "Антониу Гутерриш": ["Антониу Гутерриш"],
        "Ермек Кошербаев": ["Е. Кошербаев", "Ермек Кошербаев", "Кошербаев"],
        "Иванов": ["Иванов"],  # two Ивановы are known: a bare «Иванов» stays apart
        "Игорь Иванов": ["Игорь Иванов"],
        "Касым-Жомарт Токаев": ["К. Токаев", "Касым-Жомарт Токаев", "Токаев"],
        "Мурат Нуртлеу": ["Мурат Нуртлеу", "Нуртлеу"],
        "Сергей Иванов": ["С. Иванов", "Сергей Иванов"],
    }


@pytest.mark.parametrize(
    ("name", "aliases"),
    [
        (MFA, ["МИД Казахстана", "МИД РК", MFA]),
        ("Организации Объединённых Наций", ["ООН", "Организации Объединённых Наций"]),
        ("Структура «ООН-Женщины»", ["ООН-Женщины", "Структура «ООН-Женщины»"]),
    ],
)
def test_organisations_across_documents(corpus: Store, name: str, aliases: list[str]) -> None:
    """Every form is an alias of the one entity, and of no other (the tagger may add short forms within
    a document, such as «МИД» beside «МИД РК»)."""
    organisations = entities_of(corpus, "ORG")
    assert set(aliases) <= set(organisations[name])
    assert [
        other for other, names in organisations.items() if other != name and set(aliases) & set(names)
    ] == []


def test_the_country_by_all_its_names(corpus: Store) -> None:
    assert entities_of(corpus, "LOC")["Республика Казахстан"] == ["Казахстан", "РК", "Республика Казахстан"]


def test_a_minister_who_became_deputy_prime_minister(corpus: Store) -> None:
    posts = post_timeline(corpus, entity_reference(corpus, "Аида Балаева")["id"])
    assert [
        (p["title"], p["first_seen"], p["last_seen"], len(p["documents"]), p["current"]) for p in posts
    ] == [
        ("министр культуры и информации Республики Казахстан", "2023-03-15", "2023-11-02", 3, False),
        ("заместитель Премьер-министра Республики Казахстан", "2024-02-10", "2025-01-20", 3, True),
    ]


def test_who_headed_the_foreign_ministry(corpus: Store) -> None:
    heads = organization_heads(corpus, entity_reference(corpus, MFA)["id"])
    assert [(h["person"]["name"], h["first_seen"], h["last_seen"], len(h["documents"])) for h in heads] == [
        ("Мурат Нуртлеу", "2023-09-05", "2024-03-01", 3),
        ("Ермек Кошербаев", "2024-03-01", "2025-04-10", 3),
    ]


def test_two_foreign_ministers_on_one_day_are_flagged(corpus: Store) -> None:
    [conflict] = position_conflicts(corpus)
    assert (conflict["organization"]["name"], conflict["date"]) == (MFA, "2024-03-01")
    assert sorted(side["person"]["name"] for side in conflict["facts"]) == [
        "Ермек Кошербаев",
        "Мурат Нуртлеу",
    ]


def test_the_pipeline_positions_show_the_change_of_post(db: str) -> None:
    docs = [
        extract(doc)
        for doc in iter_documents([str(CORPUS / name) for name in POSITIONS if "balaeva" in name])
    ]
    assert any(doc.positions for doc in docs)
    with Store.open(db) as store:
        for doc in docs:
            store.add(doc)
        posts = post_timeline(store, entity_reference(store, "Аида Балаева")["id"])
    assert posts[0]["title"].startswith("министр культуры") and posts[0]["first_seen"] == "2023-03-15"
    assert posts[-1]["title"].startswith("заместитель Премьер-министра") and posts[-1]["current"]


def test_curation_survives_ingesting_changed_texts_again(db: str, tmp_path: Path) -> None:
    folder = tmp_path / "статьи"
    shutil.copytree(CORPUS, folder)
    assert runner.invoke(app, ["ingest", str(folder), "--db", db]).exit_code == 0
    for command in (
        ["entity", "merge", "Сергей Иванов", "Иванов"],
        ["entity", "rename", MFA, "МИД Казахстана"],
    ):
        result = runner.invoke(app, [*command, "--db", db, "--by", "anna"])
        assert result.exit_code == 0, result.output
    for name in ("10_ivanov_bare.txt", "12_mfa_briefing.txt"):
        path = folder / name
        path.write_text(path.read_text(encoding="utf-8") + "\nМатериал обновлён.\n", encoding="utf-8")
    result = runner.invoke(app, ["ingest", str(folder), "--db", db])
    assert "new 0, updated 2, duplicates 20" in result.stdout
    with Store.open(db) as store:
        assert "Иванов" not in people(store)
        assert people(store)["Сергей Иванов"] == ["Иванов", "С. Иванов", "Сергей Иванов"]
        assert {"МИД Казахстана", "МИД РК", MFA} <= set(entities_of(store, "ORG")["МИД Казахстана"])
