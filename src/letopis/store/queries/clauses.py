"""Pieces the queries put their SQL together from: checked days, optional filters, WHERE, counts.

Filters are fixed SQL fragments joined in Python; user input only ever travels as parameters."""

from __future__ import annotations

import re

from letopis.errors import QueryError
from letopis.store.store import Store

ISO_DAY = re.compile(r"^\d{4}-\d{2}-\d{2}$")


def _check_day(day: str | None) -> str | None:
    if day is not None and not ISO_DAY.match(day):
        raise QueryError(f"not a date: {day!r} (expected YYYY-MM-DD)")
    return day


def _filters(*conditions: tuple[str, str, object]) -> tuple[list[str], dict]:
    """The SQL conditions whose parameter has a value, with the parameters, from
    (condition, parameter name, value) triples: ("p.person_entity_id = :person", "person", 7)."""
    clauses: list[str] = []
    params: dict = {}
    for clause, name, value in conditions:
        if value is not None and value != "":
            clauses.append(clause)
            params[name] = value
    return clauses, params


def _where(clauses: list[str]) -> str:
    return " WHERE " + " AND ".join(clauses) if clauses else ""


def _count(store: Store, sql: str, params: dict) -> int:
    return store.connection.execute(f"SELECT count(*) FROM ({sql}) AS counted", params).fetchone()[0]
