"""Facts by entity for the web UI and the REST API: positions (and the posts they add up to), quotes, topics.

Facts a curator rejected (`review = 'rejected'`, migration 0002) are left out."""

from __future__ import annotations

import json
from typing import Any, TypedDict

from letopis.kb.connection import Row
from letopis.kb.timelines import PositionFact, fact_reference, posts_over_time
from letopis.nlp.lemmas import search_lemmas
from letopis.store.queries.clauses import _count, _filters, _where
from letopis.store.queries.full_text import _matching_document_seqs, _over_full_text, query_lemmas
from letopis.store.queries.rows import EntityRef, _ref
from letopis.store.store import Store

# SQLite's lower() and PostgreSQL's on a "C" column change ASCII letters only; a parameter is lowered
# the same way in Python, so a title filter answers alike on both.
ASCII_LOWER = str.maketrans("ABCDEFGHIJKLMNOPQRSTUVWXYZ", "abcdefghijklmnopqrstuvwxyz")


class PositionRow(TypedDict):
    """One stored position: who, which post, where, as of when, and the evidence span."""

    id: int
    doc_id: str
    person: EntityRef | None
    title: str
    organization: EntityRef | None
    as_of: str | None
    start: int
    end: int
    evidence: str


class PositionPage(TypedDict):
    items: list[PositionRow]
    total: int


class Post(TypedDict):
    """A post held by a person over time, as the knowledge base's timeline has it (kb.timelines.PostHeld):
    first and last date the texts vouch for it, in how many documents (`doc_ids`), the position facts;
    `doc_id`, `start` and `end` are the span of its earliest dated fact, to link to."""

    title: str
    organization: EntityRef | None
    first_seen: str | None
    last_seen: str | None
    documents: int
    doc_id: str
    start: int
    end: int
    current: bool
    confirmed: bool
    doc_ids: list[str]
    facts: list[str]


class QuoteRow(TypedDict):
    """One stored quote with its speaker and the document it is from."""

    id: int
    doc_id: str
    published: str | None
    speaker: EntityRef | None
    speaker_text: str | None
    text: str
    kind: str
    start: int
    end: int
    documents: int


class QuotePage(TypedDict):
    items: list[QuoteRow]
    total: int


class TopicCount(TypedDict):
    """A topic code with how many documents carry it."""

    scheme: str
    code: str
    label: str
    documents: int


# --- positions -----------------------------------------------------------------------------------

POSITION_COLUMNS = """
p.id, p.doc_id, p.title, p.as_of, p.start, p."end",
substr(d.text, p.start + 1, p."end" - p.start) AS evidence,
per.id AS person_id, per.type AS person_type, per.name AS person_name,
org.id AS org_id, org.type AS org_type, org.name AS org_name
FROM positions AS p JOIN documents AS d ON d.id = p.doc_id
LEFT JOIN entities AS per ON per.id = p.person_entity_id
LEFT JOIN entities AS org ON org.id = p.organization_entity_id
"""


def list_positions(
    store: Store,
    person: int | None = None,
    organization: int | None = None,
    title: str | None = None,
    limit: int = 50,
    offset: int = 0,
) -> PositionPage:
    """Positions, oldest `as_of` first; of one person, at one organisation, or with a title part."""
    clauses, params = _filters(
        ("p.person_entity_id = :person", "person", person),
        ("p.organization_entity_id = :organization", "organization", organization),
        ("instr(lower(p.title), :title) > 0", "title", title.translate(ASCII_LOWER) if title else None),
    )
    clauses.insert(0, "coalesce(p.review, '') != 'rejected'")
    params.update(limit=limit, offset=offset)
    where = _where(clauses)
    rows = store.connection.execute(
        f"SELECT {POSITION_COLUMNS}{where}"
        " ORDER BY p.as_of IS NULL, p.as_of, p.id LIMIT :limit OFFSET :offset",
        params,
    )
    items = [_position_row(row) for row in rows]
    return PositionPage(items=items, total=_count(store, f"SELECT 1 FROM positions AS p{where}", params))


def _position_row(row: Row) -> PositionRow:
    return PositionRow(
        id=row["id"],
        doc_id=row["doc_id"],
        person=_ref(row["person_id"], row["person_type"], row["person_name"]),
        title=row["title"],
        organization=_ref(row["org_id"], row["org_type"], row["org_name"]),
        as_of=row["as_of"],
        start=row["start"],
        end=row["end"],
        evidence=row["evidence"],
    )


def entity_posts(store: Store, entity_id: int) -> list[Post]:
    """The posts a person held, earliest first, folded as the knowledge base's timeline folds them
    (`post_timeline`): "министр иностранных дел РК" and "министр иностранных дел Республики Казахстан"
    are one post, and so is "глава МИД" when it heads the same office."""
    facts = _position_facts(store, "AND p.person_entity_id = ?", (entity_id,))
    by_reference = {fact_reference("position", fact["id"]): fact for fact in facts}
    posts = []
    for held in posts_over_time(facts):
        vouching = [by_reference[reference] for reference in held["facts"]]
        first = min(vouching, key=lambda fact: (fact["date"] is None, fact["date"] or "", fact["id"]))
        posts.append(
            Post(
                title=held["title"],
                organization=held["organization"],
                first_seen=held["first_seen"],
                last_seen=held["last_seen"],
                documents=len(held["documents"]),
                doc_id=first["doc_id"],
                start=first["start"],
                end=first["end"],
                current=held["current"],
                confirmed=held["confirmed"],
                doc_ids=held["documents"],
                facts=held["facts"],
            )
        )
    return posts


# --- quotes --------------------------------------------------------------------------------------


def list_quotes(
    store: Store,
    speaker: int | None = None,
    kind: str | None = None,
    distinct: bool = False,
    limit: int = 50,
    offset: int = 0,
    term: str | None = None,
) -> QuotePage:
    """Quotes, newest document first; `distinct` folds the same words reported in several documents;
    `term` keeps those whose words include every lemma of it ("референдума" finds "референдум")."""
    clauses, params = _filters(
        ("q.speaker_entity_id = :speaker", "speaker", speaker), ("q.kind = :kind", "kind", kind)
    )
    clauses.insert(0, "coalesce(q.review, '') != 'rejected'")
    if term:
        saying = [row["id"] for row in _quotes_saying(store, term, clauses, params)]
        clauses.append("q.id IN (SELECT CAST(value AS INTEGER) FROM json_each(CAST(:saying AS TEXT)))")
        params["saying"] = json.dumps(saying)
    params.update(limit=limit, offset=offset)
    where = _where(clauses)
    # A group (one quote; with `distinct` the same words of one speaker) shows its newest report.
    group = "q.text, q.speaker_entity_id" if distinct else "q.id"
    reports = (
        "SELECT q.id, q.doc_id, coalesce(d.published, '') AS published, q.speaker_text, q.text, q.kind,"
        ' q.start, q."end", s.id AS speaker_id, s.type AS speaker_type, s.name AS speaker_name,'
        f" count(*) OVER (PARTITION BY {group}) AS documents,"
        f" row_number() OVER (PARTITION BY {group} ORDER BY coalesce(d.published, '') DESC, q.id) AS nth"
        " FROM quotes AS q JOIN documents AS d ON d.id = q.doc_id"
        f" LEFT JOIN entities AS s ON s.id = q.speaker_entity_id{where}"
    )
    newest = f"SELECT * FROM ({reports}) AS reports WHERE nth = 1"
    page = f"{newest} ORDER BY published DESC, id LIMIT :limit OFFSET :offset"
    items = [_quote_row(row) for row in store.connection.execute(page, params)]
    return QuotePage(items=items, total=_count(store, newest, params))


QUOTES_WITH_SPEAKERS = (
    'q.id, q.doc_id, d.published, q.speaker_text, q.text, q.kind, q.start, q."end",'
    " s.id AS speaker_id, s.type AS speaker_type, s.name AS speaker_name"
    " FROM quotes AS q JOIN documents AS d ON d.id = q.doc_id"
    " LEFT JOIN entities AS s ON s.id = q.speaker_entity_id"
)


@_over_full_text
def _quotes_saying(store: Store, term: str, clauses: list[str], params: dict) -> list[Row]:
    """The quotes `clauses` keep whose own words include a lemma of each word of `term`, newest first:
    the full-text index finds their documents, the quote's lemmas decide."""
    lemmas = query_lemmas(term)
    where = _where([*clauses, f"d.seq IN ({_matching_document_seqs(store)})"])
    rows = store.connection.execute(
        f"SELECT {QUOTES_WITH_SPEAKERS}{where} ORDER BY d.published IS NULL, d.published DESC, q.id",
        {**params, "match": store.dialect.fts_query(lemmas)},
    )
    return [row for row in rows if _says_every_term(row["text"], lemmas)]


def _says_every_term(text: str, terms: list[tuple[str, ...]]) -> bool:
    """Whether `text` holds a word with a lemma of each term (letopis.nlp.lemmas.query_terms)."""
    said = set(search_lemmas(text).split())
    return all(not said.isdisjoint(term) for term in terms)


def _quote_row(row: Row) -> QuoteRow:
    return QuoteRow(
        id=row["id"],
        doc_id=row["doc_id"],
        published=row["published"] or None,
        speaker=_ref(row["speaker_id"], row["speaker_type"], row["speaker_name"]),
        speaker_text=row["speaker_text"],
        text=row["text"],
        kind=row["kind"],
        start=row["start"],
        end=row["end"],
        documents=row["documents"],
    )


# The office of a position: its organisation, else the most mentioned organisation or place that
# the title names ("министр иностранных дел РК" -> МИД РК, by the keys of kb.names).
POSITION_FACTS = """
SELECT p.id, p.doc_id, p.title, p.title_key, p.head, p.office_key, p.review, p.start, p."end",
       coalesce(p.as_of, d.published) AS date,
       per.id AS person_id, per.type AS person_type, per.name AS person_name,
       org.id AS org_id, org.type AS org_type, org.name AS org_name,
       off.id AS office_id, off.type AS office_type, off.name AS office_name
FROM positions AS p JOIN documents AS d ON d.id = p.doc_id
LEFT JOIN entities AS per ON per.id = p.person_entity_id
LEFT JOIN entities AS org ON org.id = p.organization_entity_id
LEFT JOIN entities AS off ON off.id = coalesce(p.organization_entity_id, (
    SELECT k.entity_id FROM entity_keys AS k JOIN entities AS named ON named.id = k.entity_id
    WHERE k.space = 'name' AND k.key = p.office_key AND k.type IN ('ORG', 'LOC')
    ORDER BY named.mention_count DESC, named.id LIMIT 1))
WHERE coalesce(p.review, '') != 'rejected'
"""


def _position_facts(
    store: Store, condition: str = "", params: tuple | dict[str, Any] = ()
) -> list[PositionFact]:
    rows = store.connection.execute(f"{POSITION_FACTS} {condition} ORDER BY p.id", params)
    return [
        PositionFact(
            id=row["id"],
            doc_id=row["doc_id"],
            title=row["title"],
            title_key=row["title_key"],
            person=_ref(row["person_id"], row["person_type"], row["person_name"]),
            organization=_ref(row["org_id"], row["org_type"], row["org_name"]),
            office=_ref(row["office_id"], row["office_type"], row["office_name"]),
            office_key=row["office_key"],
            date=row["date"],
            head=bool(row["head"]),
            review=row["review"],
            start=row["start"],
            end=row["end"],
        )
        for row in rows
    ]


# --- topics --------------------------------------------------------------------------------------


def topic_counts(store: Store, scheme: str = "SDG") -> list[TopicCount]:
    """How many documents carry each code of a topic scheme, in code order."""
    rows = store.connection.execute(
        "SELECT scheme, code, min(label) AS label, count(DISTINCT doc_id) AS documents FROM topics"
        " WHERE scheme = ? GROUP BY scheme, code ORDER BY length(code), code",
        (scheme,),
    )
    return [
        TopicCount(scheme=r["scheme"], code=r["code"], label=r["label"], documents=r["documents"])
        for r in rows
    ]
