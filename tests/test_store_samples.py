"""Hand-written documents for the store tests: real news sentences, facts with exact offsets."""

from __future__ import annotations

import pytest

from letopis.model import DateValue, Document, Entity, Event, Mention, Position, Quote, Topic

MEETING_TEXT = (
    "24 февраля в Астане состоялась встреча заместителя Премьер-министра Аиды Балаевой с главой офиса "
    "Структуры «ООН-Женщины» в Казахстане. Стороны обсудили расширение партнёрства. "
    "Балаева отметила вклад ООН в продвижение гендерного равенства."
)
# The same article after an edit: the last two sentences replaced; Балаева named once, ООН not at all.
REVISED_MEETING_TEXT = (
    "24 февраля в Астане состоялась встреча заместителя Премьер-министра Аиды Балаевой с главой офиса "
    "Структуры «ООН-Женщины» в Казахстане. Стороны обсудили программу на 2026 год."
)
REFERENDUM_TEXT = (
    "Центральная избирательная комиссия подвела итоги референдума. "
    "Аида Балаева поблагодарила граждан за участие в голосовании."
)
CEC = "Центральная избирательная комиссия"
EMBASSY = "Посольство Казахстана в Швейцарии"
EMBASSY_TEXT = "Посольство Казахстана в Швейцарии провело встречу с соотечественниками в Женеве."


def _meeting_entities() -> list[Entity]:
    return [
        Entity("e1", "PER", "Аида Балаева", ["Балаева", "Аида Балаева"]),
        Entity("e2", "LOC", "Астана", ["Астана"]),
        Entity("e3", "ORG", "ООН-Женщины", ["Структура «ООН-Женщины»"]),
        Entity("e4", "LOC", "Казахстан", ["Казахстан"]),
    ]


def _meeting_opening_facts() -> dict:
    """Facts of the first sentence, which both versions of the meeting article share."""
    return {
        "mentions": [
            Mention(13, 19, "Астане", "LOC", "Астана", "e2"),
            Mention(68, 81, "Аиды Балаевой", "PER", "Аида Балаева", "e1"),
            Mention(108, 119, "ООН-Женщины", "ORG", "ООН-Женщины", "e3"),
            Mention(123, 133, "Казахстане", "LOC", "Казахстан", "e4"),
        ],
        "positions": [Position("e1", "заместитель Премьер-министра", None, "2026-02-24", 39, 81)],
        "dates": [DateValue(0, 10, "24 февраля", "2026-02-24", "2026-02-24", "day")],
        "events": [
            Event(
                "v1", "meeting", "встреча Аиды Балаевой с главой офиса «ООН-Женщины»", "happened",
                "2026-02-24", "2026-02-24", place="e2", participants=["e1"], organizations=["e3"],
                start=0, end=134,
            )
        ],
    }


def meeting(source: str = "статьи/балаева.txt") -> Document:
    """Балаева meets UN Women in Astana: every kind of fact, Балаева named twice."""
    facts = _meeting_opening_facts()
    facts["mentions"] += [
        Mention(176, 183, "Балаева", "PER", "Аида Балаева", "e1"),
        Mention(199, 202, "ООН", "ORG", "ООН", "e5"),
    ]
    return Document(
        id="d-meeting",
        source=source,
        text=MEETING_TEXT,
        title="Аида Балаева встретилась с главой офиса «ООН-Женщины»",
        published="2026-02-24",
        entities=[*_meeting_entities(), Entity("e5", "ORG", "ООН", ["ООН"])],
        quotes=[
            Quote("e1", "Балаева", "вклад ООН в продвижение гендерного равенства", "indirect", 193, 237)
        ],
        topics=[Topic("SDG", "5", "Гендерное равенство", 0.82, 217, 237)],
        **facts,
    )


def revised_meeting(source: str = "статьи/балаева.txt") -> Document:
    """The meeting article after an edit: a new id, no quote, no topic, no ООН, one date more."""
    facts = _meeting_opening_facts()
    facts["dates"].append(DateValue(165, 173, "2026 год", "2026-01-01", "2026-12-31", "year"))
    return Document(
        id="d-meeting-2",
        source=source,
        text=REVISED_MEETING_TEXT,
        title="Аида Балаева встретилась с главой офиса «ООН-Женщины»",
        published="2026-02-24",
        entities=_meeting_entities(),
        **facts,
    )


def referendum() -> Document:
    """The referendum results: Балаева named once, in the nominative."""
    return Document(
        id="d-referendum",
        source="https://example.gov.kz/news/referendum",
        url="https://example.gov.kz/news/referendum",
        text=REFERENDUM_TEXT,
        title="Итоги референдума",
        published="2026-03-10",
        mentions=[
            Mention(0, 34, "Центральная избирательная комиссия", "ORG", CEC, "e1"),
            Mention(62, 74, "Аида Балаева", "PER", "Аида Балаева", "e2"),
        ],
        entities=[
            Entity("e1", "ORG", CEC, [CEC]),
            Entity("e2", "PER", "АИДА БАЛАЁВА", ["Аида Балаева"]),  # the same person, spelled otherwise
        ],
    )


def embassy() -> Document:
    """An embassy in Switzerland: Казахстан only inside an organisation's name."""
    return Document(
        id="d-embassy",
        source="статьи/посольство.txt",
        text=EMBASSY_TEXT,
        title="Встреча с соотечественниками",
        published="2025-12-01",
        mentions=[
            Mention(0, 33, EMBASSY, "ORG", EMBASSY, "e1"),
            Mention(24, 33, "Швейцарии", "LOC", "Швейцария", "e2"),
            Mention(73, 79, "Женеве", "LOC", "Женева", "e3"),
        ],
        entities=[
            Entity("e1", "ORG", EMBASSY),
            Entity("e2", "LOC", "Швейцария"),
            Entity("e3", "LOC", "Женева"),
        ],
    )


@pytest.mark.parametrize("doc", [meeting(), revised_meeting(), referendum(), embassy()], ids=lambda d: d.id)
def test_sample_spans_match_their_text(doc: Document) -> None:
    spans = [(m.start, m.end, m.text) for m in doc.mentions]
    spans += [(d.start, d.end, d.text) for d in doc.dates]
    spans += [(q.start, q.end, q.text) for q in doc.quotes]
    assert [doc.text[start:end] for start, end, _ in spans] == [text for _, _, text in spans]
