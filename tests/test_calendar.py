"""Announced events as iCalendar (calendar.py): selection, order, and RFC 5545 output read back."""

from datetime import UTC, datetime

import pytest

from letopis.calendar import announced_events, escape_text, fold, to_ics
from letopis.model import Document, Event

STAMP = datetime(2026, 2, 24, 9, 30, tzinfo=UTC)


def event(id_: str, name: str, from_=None, to=None, partial=None, status="announced", type_="summit"):
    return Event(id=id_, type=type_, name=name, status=status, from_=from_, to=to, partial=partial)


def doc_with(doc_id: str, *events: Event) -> Document:
    return Document(id=doc_id, source=f"{doc_id}.txt", text="…", events=list(events))


DOCS = [
    doc_with(
        "un",
        event("v1", "встреча Ермек Кошербаев — ООН", status="happened", type_="meeting"),
        event("v2", "республиканский референдум", partial="--03-15", type_="referendum"),
        event("v4", "Региональный экологический саммит", "2026-04-22", "2026-04-24"),
    ),
    doc_with(
        "astana",
        event("v1", "Международный форум «Астана»", "2026-05-29", "2026-05-30", type_="forum"),
        event("v2", "визит", type_="visit"),
        event("v3", "саммит ШОС", "2026-03-03", "2026-03-04"),
    ),
]


def keys(items):
    return [(doc_id, e.id) for doc_id, e in items]


def test_announced_events_by_date_partial_then_undated_last():
    assert keys(announced_events(DOCS)) == [
        ("astana", "v3"),
        ("un", "v4"),
        ("astana", "v1"),
        ("un", "v2"),
        ("astana", "v2"),
    ]


@pytest.mark.parametrize(
    ("start", "end", "expected"),
    [
        ("2026-04-01", "2026-04-30", [("un", "v4")]),
        ("2026-04-24", None, [("un", "v4"), ("astana", "v1")]),  # the summit's last day is still inside
        (None, "2026-03-03", [("astana", "v3")]),
        ("2026-03-10", "2026-03-20", [("un", "v2")]),  # "--03-15" falls in the window this year
        ("2026-06-01", "2027-03-31", [("un", "v2")]),  # … and next year
        ("2026-06-01", "2026-12-31", []),
    ],
)
def test_announced_events_in_window(start, end, expected):
    assert keys(announced_events(DOCS, start, end)) == expected


def parse_ics(text: str) -> list[dict[str, str]]:
    """A tiny reader: unfold, split name;params:value, one dict per component."""
    assert text.endswith("\r\n")
    lines = text[:-2].split("\r\n")
    unfolded: list[str] = []
    for line in lines:
        if line.startswith(" "):
            unfolded[-1] += line[1:]
        else:
            unfolded.append(line)
    components, open_ = [], []
    for line in unfolded:
        name, value = line.split(":", 1)
        if name == "BEGIN":
            open_.append({"BEGIN": value})
        elif name == "END":
            assert open_[-1]["BEGIN"] == value
            components.append(open_.pop())
        else:
            open_[-1][name] = value
    assert not open_
    return components


def test_ics_line_by_line():
    items = [("un", event("v4", "Региональный экологический саммит", "2026-04-22", "2026-04-24"))]
    assert to_ics(items, stamp=STAMP).split("\r\n") == [
        "BEGIN:VCALENDAR",
        "VERSION:2.0",
        "PRODID:-//letopis//announced events//RU",
        "CALSCALE:GREGORIAN",
        "BEGIN:VEVENT",
        "UID:un-v4@letopis",
        "DTSTAMP:20260224T093000Z",
        "DTSTART;VALUE=DATE:20260422",
        "DTEND;VALUE=DATE:20260425",
        "SUMMARY:Региональный экологический саммит",
        "CATEGORIES:summit",
        "END:VEVENT",
        "END:VCALENDAR",
        "",
    ]


def test_ics_skips_events_without_a_year():
    items = announced_events(DOCS)
    events = [c for c in parse_ics(to_ics(items, stamp=STAMP)) if c["BEGIN"] == "VEVENT"]
    assert [c["UID"] for c in events] == ["astana-v3@letopis", "un-v4@letopis", "astana-v1@letopis"]


def test_ics_parses_back():
    items = announced_events(DOCS)
    *events, calendar = parse_ics(to_ics(items, stamp=STAMP))
    assert calendar == {
        "BEGIN": "VCALENDAR",
        "VERSION": "2.0",
        "PRODID": "-//letopis//announced events//RU",
        "CALSCALE": "GREGORIAN",
    }
    forum = next(e for e in events if e["UID"] == "astana-v1@letopis")
    assert forum == {
        "BEGIN": "VEVENT",
        "UID": "astana-v1@letopis",
        "DTSTAMP": "20260224T093000Z",
        "DTSTART;VALUE=DATE": "20260529",
        "DTEND;VALUE=DATE": "20260531",
        "SUMMARY": "Международный форум «Астана»",
        "CATEGORIES": "forum",
    }


def test_single_day_event_ends_the_next_day():
    items = [("d", event("v1", "референдум", "2026-12-31", "2026-12-31", type_="referendum"))]
    (vevent,) = [c for c in parse_ics(to_ics(items, stamp=STAMP)) if c["BEGIN"] == "VEVENT"]
    assert (vevent["DTSTART;VALUE=DATE"], vevent["DTEND;VALUE=DATE"]) == ("20261231", "20270101")


def test_summary_escapes_commas_semicolons_and_backslashes():
    name = "встреча глав МИД Казахстана, Кыргызстана; итоги\\план"
    items = [("d", event("v1", name, "2026-03-02", "2026-03-02", type_="meeting"))]
    (vevent,) = [c for c in parse_ics(to_ics(items, stamp=STAMP)) if c["BEGIN"] == "VEVENT"]
    assert vevent["SUMMARY"] == "встреча глав МИД Казахстана\\, Кыргызстана\\; итоги\\\\план"


def test_escape_text_newline():
    assert escape_text("первая строка\nвторая") == "первая строка\\nвторая"


def test_long_summary_folds_at_75_octets_without_splitting_letters():
    name = "Рамочный документ о сотрудничестве в целях устойчивого развития на 2026–2030 годы"
    items = [("d", event("v3", name, "2026-01-01", "2030-12-31", type_="agreement"))]
    lines = to_ics(items, stamp=STAMP).split("\r\n")
    start = lines.index(next(line for line in lines if line.startswith("SUMMARY:")))
    summary = [lines[start]] + [line for line in lines[start + 1 :] if line.startswith(" ")]
    assert len(summary) > 1
    assert all(len(line.encode("utf-8")) <= 75 for line in lines)
    assert summary[0] + "".join(line[1:] for line in summary[1:]) == f"SUMMARY:{name}"


@pytest.mark.parametrize(
    ("line", "pieces"),
    [
        ("A" * 75, ["A" * 75]),
        ("A" * 76, ["A" * 75, " A"]),
        ("Ж" * 40, ["Ж" * 37, " " + "Ж" * 3]),  # 2 octets a letter: 74 octets, then the rest
    ],
)
def test_fold(line, pieces):
    assert fold(line).split("\r\n") == pieces
