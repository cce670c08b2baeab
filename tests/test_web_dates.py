"""web/dates.py: dates in Russian for the pages, and the months a calendar or chart covers."""

from __future__ import annotations

import pytest

from letopis.web.dates import event_when, months_between, ru_date, ru_month, ru_partial, shift_month


@pytest.mark.parametrize(
    ("value", "expected"),
    [("2026-02-24", "24 февраля 2026"), ("2030-05-01", "1 мая 2030"), (None, ""), ("вчера", "вчера")],
)
def test_ru_date(value: str | None, expected: str) -> None:
    assert ru_date(value) == expected


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        ("--03-15", "15 марта"),
        ("--04-22/--04-24", "22–24 апреля"),
        ("--04-30/--05-02", "30 апреля – 2 мая"),
        ("--13-01", "--13-01"),
        ("2026", "2026"),
    ],
)
def test_ru_partial(value: str, expected: str) -> None:
    assert ru_partial(value) == expected


@pytest.mark.parametrize(
    ("event", "expected"),
    [
        ({"from": "2026-03-15", "to": "2026-03-15"}, "15 марта 2026"),
        ({"from": "2026-04-22", "to": "2026-04-24"}, "22–24 апреля 2026"),
        ({"from": "2026-04-28", "to": "2026-05-02"}, "28 апреля – 2 мая 2026"),
        ({"from": "2026-12-30", "to": "2027-01-02"}, "30 декабря 2026 – 2 января 2027"),
        ({"from": None, "to": None, "partial": "--03-15"}, "15 марта (год не указан)"),
        ({"from": None, "to": None}, "дата не указана"),
    ],
)
def test_event_when(event: dict, expected: str) -> None:
    assert event_when(event) == expected


def test_months() -> None:
    assert ru_month("2026-04") == "апрель 2026"
    assert shift_month(2026, 12, 1) == "2027-01" and shift_month(2026, 1, -1) == "2025-12"
    assert months_between("2025-11", "2026-02") == ["2025-11", "2025-12", "2026-01", "2026-02"]
    assert months_between("2020-01", "2026-12", at_most=3) == ["2026-10", "2026-11", "2026-12"]
