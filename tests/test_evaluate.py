"""Gold corpora loaders, scorers, report and gate (src/letopis/evaluation/)."""

import json
from pathlib import Path

import pytest

from letopis.errors import LetopisError
from letopis.evaluation import check_gate, evaluate, format_report, pinned_minimums, run_gate
from letopis.evaluation.corpora import CorpusError, load_corpus, load_factrueval, load_nerel
from letopis.evaluation.records import Fact, GoldDoc, Span
from letopis.evaluation.scores import (
    bio_tags,
    exact_scores,
    fact_matches,
    fact_scores,
    outermost,
    tag_scores,
)
from letopis.evaluation.systems import event_date_facts, locate_title, position_facts
from letopis.model import DateValue, Document, Event, Mention, Position

FIXTURES = Path(__file__).parent / "fixtures" / "eval"


def texts(doc: GoldDoc, spans: list[Span]) -> list[tuple[str, str]]:
    return [(doc.text[s.start : s.end], s.type) for s in spans]


def fact_texts(doc: GoldDoc, facts: list[Fact] | None = None) -> list[tuple]:
    """Each fact (the document's own, or `facts` over its text) as its kind and its arguments' texts."""
    found = doc.facts if facts is None else facts
    return [(f.kind, *[tuple(doc.text[a:b] for a, b in arg) for arg in f.args]) for f in found]


# NEREL


@pytest.fixture(scope="module")
def nerel_doc() -> GoldDoc:
    (doc,) = load_nerel(FIXTURES / "nerel", "dev")
    return doc


def test_nerel_spans_mapped_to_three_types_and_nested(nerel_doc):
    assert texts(nerel_doc, nerel_doc.spans) == [
        ("Собянин", "PER"),
        ("Лавров", "PER"),
        ("Москвы", "LOC"),
        ("Сергей Собянин", "PER"),
        ("России", "LOC"),
        ("Сергеем Лавровым", "PER"),
        ("Правительства Москвы", "ORG"),
        ("Москвы", "LOC"),
        ("Второй медицинские университеты", "ORG"),
        ("Иван Петров", "PER"),
    ]


def test_nerel_discontinuous_name_is_skipped_and_counted(nerel_doc):
    assert "Первый" not in [nerel_doc.text[s.start : s.end].split()[0] for s in nerel_doc.spans]
    assert nerel_doc.skipped == 1


def test_nerel_relations_person_to_profession_and_organisation_only(nerel_doc):
    # Собянин WORKPLACE Москвы is a CITY, and the one to the discontinuous name is skipped.
    assert fact_texts(nerel_doc) == [
        ("works_as", ("Сергей Собянин",), ("Мэр",)),
        ("works_as", ("Сергеем Лавровым",), ("министром иностранных дел России",)),
        ("works_as", ("Иван Петров",), ("ректор",)),
        ("workplace", ("Иван Петров",), ("Второй медицинские университеты",)),
    ]


@pytest.fixture(scope="module")
def nerel_excerpt() -> GoldDoc:
    (doc,) = load_nerel(FIXTURES / "nerel_excerpt", "dev")
    return doc


def test_nerel_point_in_time_from_event_to_date_only(nerel_excerpt):
    # Its START_TIME ("массовые встречи с избирателями" с 14 июля) is another relation.
    assert fact_texts(nerel_excerpt) == [
        ("point_in_time", ("несогласованным митингом",), ("27 июля",)),
        ("point_in_time", ("акцией протеста",), ("14 июля",)),
        ("point_in_time", ("пошли к мэрии",), ("14 июля",)),
        ("point_in_time", ("За допуск на выборы",), ("20 июля",)),
    ]


def test_nerel_offsets_count_crlf_as_two_characters(tmp_path):
    (tmp_path / "a.txt").write_bytes("Заголовок\r\n\r\nВладимир Путин".encode())
    (tmp_path / "a.ann").write_text("T1\tPERSON 13 27\tВладимир Путин\n", encoding="utf-8")
    (doc,) = load_nerel(tmp_path, None)
    assert doc.spans == [Span(13, 27, "PER")]


def test_nerel_offsets_that_disagree_with_the_text_raise(tmp_path):
    (tmp_path / "a.txt").write_text("Владимир Путин", encoding="utf-8")
    (tmp_path / "a.ann").write_text("T1\tPERSON 1 14\tВладимир Путин\n", encoding="utf-8")
    with pytest.raises(CorpusError, match="a.txt T1"):
        load_nerel(tmp_path, None)


# factRuEval


@pytest.fixture(scope="module")
def factru_doc() -> GoldDoc:
    (doc,) = load_factrueval(FIXTURES / "factrueval", "dev")
    return doc


def test_factru_names_as_naeval_reads_them(factru_doc):
    # Org "миде Грузии" gives its org_name "миде"; LocOrg -> LOC; a Person is its whole extent.
    assert texts(factru_doc, factru_doc.spans) == [
        ("Италии", "LOC"),
        ("миде", "ORG"),
        ("Грузии", "LOC"),
        ("Италии", "LOC"),
        ("Грузии", "LOC"),
        ("Виторио Сандали", "PER"),
        ("Грузии", "LOC"),
        ("Александром Налбандовым", "PER"),
    ]


def test_factru_facts_occupation_and_meeting(factru_doc):
    assert fact_texts(factru_doc) == [
        ("meeting", ("Виторио Сандали",), ("Александром Налбандовым",)),
        (
            "works_as",
            ("Виторио Сандали",),
            ("чрезвычайный и полномочный посол", "чрезвычайный и полномочный посол Италии в Грузии"),
        ),
        ("workplace", ("Виторио Сандали",), ("Италии", "Италии")),  # both mentions of Италия
        ("works_as", ("Александром Налбандовым",), ("заместителем министра иностранных дел",)),
        ("workplace", ("Александром Налбандовым",), ("Грузии", "Грузии", "Грузии")),
    ]


def test_factru_token_that_disagrees_with_the_text_raises(tmp_path):
    for suffix in ("txt", "tokens", "spans", "objects"):
        source = FIXTURES / "factrueval" / "devset" / f"book_58.{suffix}"
        (tmp_path / f"book_58.{suffix}").write_bytes(source.read_bytes())
    (tmp_path / "book_58.txt").write_text("X" + (tmp_path / "book_58.txt").read_text(encoding="utf-8"))
    with pytest.raises(CorpusError, match="book_58.tokens"):
        load_factrueval(tmp_path, None)


def test_unknown_corpus_is_a_clear_error():
    with pytest.raises(CorpusError, match="unknown corpus 'conll'"):
        load_corpus("conll", FIXTURES, "dev", None)


# exact spans


def test_exact_scores_count_nested_spans():
    gold = [Span(0, 5, "PER"), Span(10, 30, "ORG"), Span(20, 30, "LOC")]
    pred = [Span(0, 5, "PER"), Span(10, 30, "ORG"), Span(22, 30, "LOC"), Span(40, 45, "ORG")]
    scores = exact_scores(pred, gold)
    assert (scores["PER"].precision, scores["PER"].recall, scores["PER"].f1) == (1.0, 1.0, 1.0)
    assert (scores["ORG"].precision, scores["ORG"].recall) == (0.5, 1.0)
    assert scores["ORG"].f1 == pytest.approx(2 / 3)
    assert (scores["LOC"].pred, scores["LOC"].gold, scores["LOC"].f1) == (1, 1, 0.0)


@pytest.mark.parametrize(
    ("spans", "kept"),
    [
        (
            [Span(10, 30, "ORG"), Span(20, 30, "LOC"), Span(0, 5, "PER")],
            [Span(0, 5, "PER"), Span(10, 30, "ORG")],
        ),
        ([Span(10, 30, "ORG"), Span(25, 35, "LOC")], [Span(10, 30, "ORG")]),
        ([Span(40, 45, "ORG"), Span(40, 45, "LOC")], [Span(40, 45, "LOC")]),
        ([Span(0, 5, "LOC"), Span(5, 9, "LOC")], [Span(0, 5, "LOC"), Span(5, 9, "LOC")]),
    ],
    ids=["nested", "crossing", "same-extent", "adjacent"],
)
def test_outermost(spans, kept):
    assert outermost(spans) == kept


# tokens: "Мэр Москвы Сергей Собянин посетил Правительство Москвы ."
TOKENS = [(0, 3), (4, 10), (11, 17), (18, 25), (26, 33), (34, 47), (48, 54), (54, 55)]
GOLD = [Span(4, 10, "LOC"), Span(11, 25, "PER"), Span(34, 54, "ORG"), Span(48, 54, "LOC")]
PRED = [Span(4, 10, "LOC"), Span(18, 25, "PER"), Span(34, 47, "ORG"), Span(48, 54, "LOC")]


def test_bio_tags_on_outermost_spans():
    assert bio_tags(TOKENS, GOLD) == ["O", "B-LOC", "B-PER", "I-PER", "O", "B-ORG", "I-ORG", "O"]
    assert bio_tags(TOKENS, PRED) == ["O", "B-LOC", "O", "B-PER", "O", "B-ORG", "B-LOC", "O"]


def test_bio_tags_span_inside_a_token_tags_it_once():
    assert bio_tags([(0, 11)], [Span(0, 6, "LOC"), Span(7, 11, "LOC")]) == ["B-LOC"]


@pytest.mark.parametrize(
    ("kind", "boundaries", "counts", "f1"),
    [
        ("PER", True, (0, 1, 0, 2), 0.0),  # "Собянин": gold I-PER, predicted B-PER
        ("PER", False, (1, 1, 1, 2), 2 / 3),
        ("ORG", True, (1, 1, 1, 2), 2 / 3),
        ("LOC", True, (1, 2, 1, 1), 2 / 3),
    ],
)
def test_tag_scores(kind, boundaries, counts, f1):
    score = tag_scores(bio_tags(TOKENS, PRED), bio_tags(TOKENS, GOLD), with_boundaries=boundaries)[kind]
    assert (score.pred_correct, score.pred, score.gold_correct, score.gold) == counts
    assert score.f1 == pytest.approx(f1)


# facts


def test_fact_matches_when_every_argument_overlaps():
    gold = Fact("works_as", (((0, 5),), ((10, 20),)))
    assert fact_matches(Fact("works_as", (((30, 35), (0, 5)), ((12, 15),))), gold)
    assert not fact_matches(Fact("works_as", (((40, 45),), ((12, 15),))), gold)
    assert not fact_matches(Fact("workplace", (((0, 5),), ((12, 15),))), gold)


def test_meeting_matches_two_participants_in_any_order():
    gold = Fact("meeting", (((0, 5),), ((10, 15),), ((20, 25),)))
    assert fact_matches(Fact("meeting", (((20, 25),), ((0, 5),))), gold)
    assert not fact_matches(Fact("meeting", (((0, 5),), ((30, 35),))), gold)


def test_fact_scores_precision_and_recall():
    gold = [Fact("works_as", (((0, 5),), ((10, 20),))), Fact("works_as", (((50, 55),), ((60, 70),)))]
    pred = [Fact("works_as", (((0, 5),), ((12, 15),))), Fact("works_as", (((40, 45),), ((12, 15),)))]
    score = fact_scores(pred, gold)["works_as"]
    assert (score.pred_correct, score.pred, score.gold_correct, score.gold) == (1, 2, 1, 2)


def test_locate_title_finds_the_inflected_title():
    text = "Он встретился с заместителем министра иностранных дел Грузии."
    position = Position("e1", "заместитель министра иностранных дел", None, None, 0, len(text))
    start, end = locate_title(text, position)
    assert text[start:end] == "заместителем министра иностранных дел"


def test_position_facts_from_entities_mentions():
    text = "Мэр Москвы Сергей Собянин"
    doc = Document("d", "test", text)
    doc.mentions = [
        Mention(4, 10, "Москвы", "LOC", "Москва", "e2"),
        Mention(11, 25, "Сергей Собянин", "PER", "Сергей Собянин", "e1"),
    ]
    doc.positions = [Position("e1", "мэр", "e2", None, 0, 25)]
    assert position_facts(doc) == [
        Fact("works_as", (((11, 25),), ((0, 3),))),
        Fact("workplace", (((11, 25),), ((4, 10),))),
    ]


# point_in_time: letopis events as the excerpt's text gives them (tests/fixtures/eval/nerel_excerpt)

EXCERPT_DATES = [
    DateValue(121, 128, "27 июля", None, None, "day", "--07-27"),
    DateValue(271, 278, "14 июля", None, None, "day", "--07-14"),
    DateValue(435, 444, "с 14 июля", None, None, "day", "--07-14"),
    DateValue(513, 520, "14 июля", None, None, "day", "--07-14"),
    DateValue(742, 749, "20 июля", None, None, "day", "--07-20"),
]
# (type, name, sentence start, sentence end, partial date): what find_events gives on the excerpt
LETOPIS_EVENTS = [
    ("visit", "визиты", 0, 152, "--07-27"),
    ("meeting", "встреча", 409, 512, "--07-14"),
    ("election", "выборы", 742, 851, "--07-20"),
]


def excerpt_doc(text: str, events: list[tuple], basis: str | None = "text") -> Document:
    doc = Document("431398_excerpt", "test", text)
    doc.dates = EXCERPT_DATES
    doc.events = [
        Event(f"v{i}", kind, name, "happened", None, None, start=a, end=b, partial=p, date_basis=basis)
        for i, (kind, name, a, b, p) in enumerate(events, 1)
    ]
    return doc


def test_event_date_facts_pair_where_the_event_is_named_with_its_date(nerel_excerpt):
    facts = event_date_facts(excerpt_doc(nerel_excerpt.text, LETOPIS_EVENTS))
    assert fact_texts(nerel_excerpt, facts) == [
        ("point_in_time", ("визиты",), ("27 июля",)),
        ("point_in_time", ("встречи",), ("с 14 июля",)),
        ("point_in_time", ("выборы",), ("20 июля",)),
    ]


def test_event_date_facts_fall_back_to_the_sentence_when_the_name_is_not_in_it(nerel_excerpt):
    (fact,) = event_date_facts(
        excerpt_doc(nerel_excerpt.text, [("meeting", "встреча Соболь", 0, 152, "--07-27")])
    )
    assert fact == Fact("point_in_time", (((0, 152),), ((121, 128),)))


def test_event_date_facts_need_a_date_from_the_text(nerel_excerpt):
    assert event_date_facts(excerpt_doc(nerel_excerpt.text, LETOPIS_EVENTS, basis="published")) == []


@pytest.mark.parametrize(
    ("events", "counts", "f1"),
    [
        # "визиты" 27 июля is not the gold "несогласованным митингом" 27 июля; "встречи" с 14 июля is a
        # START_TIME in the gold; "выборы" lies inside "За допуск на выборы" 20 июля.
        (LETOPIS_EVENTS, (1, 3, 1, 4), 2 / 7),
        # A name not in the sentence makes the event the sentence, which holds the gold митинг 27 июля.
        ([("visit", "визит Соболь", 0, 152, "--07-27")] + LETOPIS_EVENTS[1:], (2, 3, 2, 4), 4 / 7),
        # A sentence-wide event: the gold "пошли к мэрии" 14 июля is in it.
        ([("meeting", "встреча Соболь", 513, 634, "--07-14")], (1, 1, 1, 4), 0.4),
        # No date of the event's value in its sentence: no fact.
        ([("meeting", "встреча Соболь", 0, 152, "--07-14")], (0, 0, 0, 4), 0.0),
    ],
    ids=["as-letopis", "sentence-fallback", "sentence-wide", "no-date-span"],
)
def test_point_in_time_scores_on_a_nerel_excerpt(nerel_excerpt, events, counts, f1):
    pred = event_date_facts(excerpt_doc(nerel_excerpt.text, events))
    score = fact_scores(pred, nerel_excerpt.facts)["point_in_time"]
    assert (score.pred_correct, score.pred, score.gold_correct, score.gold) == counts
    assert score.f1 == pytest.approx(f1)


# report and gate


def fake_report(org_f1: float = 0.5) -> dict:
    score = {"p": 0.5, "r": 1.0, "f1": org_f1}
    scores = {
        metric: {"PER": {"p": 1.0, "r": 1.0, "f1": 1.0}, "ORG": score} for metric in ("exact", "bio", "io")
    }
    return {
        "corpus": "nerel",
        "split": "dev",
        "docs": 3,
        "gold": {"spans": {}, "facts": {"works_as": 2}, "skipped_discontinuous": 0},
        "systems": {
            "letopis": {"seconds": 1.5, "scores": {**scores, "facts": {"works_as": score}}},
            "natasha": {"seconds": 0.5, "scores": scores},
        },
    }


def test_format_report_has_numbers_delta_docs_and_seconds():
    table = format_report(fake_report(org_f1=0.667))
    assert "NEREL dev: 3 docs; letopis 1.5 s, natasha 0.5 s" in table
    lines = table.splitlines()
    assert "ORG        exact  |     0.500  1.000  0.667 |     0.500  1.000  0.667 | +0.000" in lines
    assert "works_as   facts  |     0.500  1.000  0.667 |         —      —      — |      —" in lines
    assert "LOC        bio    |         —      —      — |         —      —      — |      —" in lines


def write_gate(tmp_path: Path, gate: dict) -> Path:
    path = tmp_path / "gate.json"
    path.write_text(json.dumps(gate), encoding="utf-8")
    return path


def test_check_gate_passes_at_the_minimum(tmp_path):
    gate = write_gate(tmp_path, {"nerel": {"exact": {"ORG": 0.5, "PER": 0.99}, "facts": {"works_as": 0.5}}})
    assert check_gate(fake_report(org_f1=0.5), gate) == []


def test_check_gate_lists_each_drop(tmp_path):
    gate = write_gate(tmp_path, {"nerel": {"exact": {"ORG": 0.6}, "bio": {"LOC": 0.5}}})
    assert check_gate(fake_report(org_f1=0.55), gate) == [
        "nerel exact ORG: F1 0.550 < pinned 0.60",
        "nerel bio LOC: not measured (pinned 0.50)",
    ]


@pytest.mark.parametrize(
    ("pins", "failure"),
    [
        ({"nerel": {"facts": {"works_as": 0.56}}}, "nerel facts works_as: F1 0.550 < pinned 0.56"),
        (
            {"nerel": {"facts": {"point_in_time": 0.05}}},
            "nerel facts point_in_time: not measured (pinned 0.05)",
        ),
        ({"factrueval": {"facts": {"meeting": 0.6}}}, "factrueval: not evaluated (it has pinned scores)"),
    ],
    ids=["fact-pin-above-measured", "fact-kind-not-measured", "corpus-not-evaluated"],
)
def test_check_gate_fails_a_fact_pin_it_cannot_meet(tmp_path, pins, failure):
    assert check_gate(fake_report(org_f1=0.55), write_gate(tmp_path, pins)) == [failure]


@pytest.mark.parametrize(("f1", "pinned"), [(0.8846, 0.87), (0.29, 0.28), (0.005, 0.0)])
def test_pinned_minimums_round_down_less_a_point(f1, pinned):
    gate = pinned_minimums(fake_report(org_f1=f1))["nerel"]
    assert (gate["exact"]["ORG"], gate["facts"]["works_as"]) == (pinned, pinned)


def test_gate_file_pins_the_fact_rows():
    gate = json.loads((Path(__file__).parents[1] / "eval" / "gate.json").read_text(encoding="utf-8"))
    assert {corpus: sorted(pins["facts"]) for corpus, pins in gate.items()} == {
        "nerel": ["point_in_time", "workplace", "works_as"],
        "factrueval": ["meeting", "workplace", "works_as"],
    }


def test_run_gate_fails_when_a_fact_drops_below_its_pin(tmp_path, monkeypatch):
    (tmp_path / "shared" / "data").mkdir(parents=True)
    (tmp_path / "repo" / "eval").mkdir(parents=True)
    write_gate(tmp_path / "repo" / "eval", {"nerel": {"facts": {"works_as": 0.56}}})
    monkeypatch.setattr(
        "letopis.evaluation.gate.evaluate", lambda corpus, *_: {**fake_report(org_f1=0.55), "corpus": corpus}
    )
    said = []
    assert run_gate(tmp_path / "repo", echo=said.append) == 1
    assert said[-1] == "GATE FAILED nerel facts works_as: F1 0.550 < pinned 0.56"


def test_run_gate_without_data_passes(tmp_path):
    said = []
    assert run_gate(tmp_path / "repo", echo=said.append) == 0
    assert said == [f"no gold corpora at {tmp_path / 'shared' / 'data'}: gate skipped"]


def test_run_gate_without_data_fails_where_the_data_is_required(tmp_path):
    said = []
    assert run_gate(tmp_path / "repo", echo=said.append, require_data=True) == 1
    assert said == [f"no gold corpora at {tmp_path / 'shared' / 'data'}: gate failed"]


def test_evaluate_runs_both_systems_on_the_same_documents():
    report = evaluate("factrueval", str(FIXTURES / "factrueval"), "dev")
    assert (report["docs"], report["gold"]["spans"]) == (1, {"LOC": 5, "ORG": 1, "PER": 2})
    assert list(report["systems"]) == ["letopis", "natasha"]
    assert report["systems"]["natasha"]["scores"]["exact"]["PER"]["gold"] == 2
    assert "facts" not in report["systems"]["natasha"]["scores"]
    assert report["systems"]["letopis"]["scores"]["facts"]["meeting"]["gold"] == 1


def test_evaluate_scores_the_fact_kinds_the_corpus_annotates():
    # letopis finds a meeting in the excerpt too ("встречи с избирателями"), but NEREL has no meetings.
    report = evaluate("nerel", str(FIXTURES / "nerel_excerpt"), "dev", baseline=None)
    facts = report["systems"]["letopis"]["scores"]["facts"]
    assert list(facts) == ["point_in_time"]
    score = facts["point_in_time"]
    assert (score["pred_correct"], score["pred"], score["gold_correct"], score["gold"]) == (1, 3, 1, 4)
    assert "point_in_time facts  |     0.333  0.250  0.286 |" in format_report(report)


def test_evaluate_rejects_an_unknown_baseline():
    with pytest.raises(LetopisError, match="unknown baseline 'spacy'"):
        evaluate("nerel", str(FIXTURES / "nerel"), "dev", baseline="spacy")
