"""An entity's profile: everything the store knows about it (`entity_overview`), with the knowledge
base's additions (`knowledge_profile`)."""

from __future__ import annotations

from letopis.kb.timelines import PostHeld, Tenure
from letopis.store.queries.documents import DocumentPage
from letopis.store.queries.entities import (
    CoMention,
    MonthCount,
    co_mentions,
    co_mentions_over,
    entity_aliases,
    entity_documents,
    get_entity,
    mentions_by_month,
)
from letopis.store.queries.events import EventRow, list_events
from letopis.store.queries.facts import Post, QuoteRow, entity_posts, list_quotes
from letopis.store.queries.knowledge import (
    EditRow,
    LinkRow,
    MeetingPair,
    curation_log,
    entity_links,
    organization_heads,
    who_met_whom,
)
from letopis.store.queries.rows import EntityRow
from letopis.store.store import Store


class EntityOverview(EntityRow):
    """Everything the store knows about one entity, its documents one page at a time."""

    aliases: list[str]
    posts: list[Post]
    quotes: list[QuoteRow]
    events: list[EventRow]
    co_mentioned: list[CoMention]
    co_mentioned_over: int  # the documents whose entities co_mentioned counts (its latest ones)
    mentions_by_month: list[MonthCount]
    documents: DocumentPage


def entity_overview(store: Store, entity_id: int, limit: int = 20, offset: int = 0) -> EntityOverview | None:
    """An entity's names, posts over time, quotes, events it took part in (meetings: with whom, when,
    where), co-mentioned entities, mentions per month and a page of its documents; None if unknown."""
    entity = get_entity(store, entity_id)
    if entity is None:
        return None
    return EntityOverview(
        **entity,
        aliases=entity_aliases(store, entity_id),
        posts=entity_posts(store, entity_id),
        quotes=list_quotes(store, speaker=entity_id, distinct=True, limit=50)["items"],
        events=list_events(store, entity=entity_id, distinct=True, limit=100)["items"],
        co_mentioned=co_mentions(store, entity_id),
        co_mentioned_over=co_mentions_over(store, entity_id),
        mentions_by_month=mentions_by_month(store, entity_id),
        documents=entity_documents(store, entity_id, limit=limit, offset=offset),
    )


class KnowledgeProfile(EntityOverview):
    """`entity_overview` with the knowledge base's additions."""

    timeline: list[PostHeld]
    headed_by: list[Tenure]
    met: list[MeetingPair]
    links: list[LinkRow]
    edits: list[EditRow]


def _post_held(post: Post) -> PostHeld:
    return PostHeld(
        title=post["title"],
        organization=post["organization"],
        first_seen=post["first_seen"],
        last_seen=post["last_seen"],
        current=post["current"],
        confirmed=post["confirmed"],
        documents=post["doc_ids"],
        facts=post["facts"],
    )


def knowledge_profile(
    store: Store, entity_id: int, limit: int = 20, offset: int = 0
) -> KnowledgeProfile | None:
    """`entity_overview` plus posts over time, who headed it (an organisation), whom it met, why the
    entities of its page of documents were linked to it, and the curation edits about it; None if
    unknown. The web page, its JSON twin, `/api/entities/ID` and `letopis show entity` all show this."""
    overview = entity_overview(store, entity_id, limit=limit, offset=offset)
    if overview is None:
        return None
    page = [document["id"] for document in overview["documents"]["items"]]
    return KnowledgeProfile(
        **overview,
        timeline=[_post_held(post) for post in overview["posts"]],  # `post_timeline`, already read
        headed_by=organization_heads(store, entity_id) if overview["type"] != "PER" else [],
        met=who_met_whom(store, entity_id=entity_id),
        links=entity_links(store, entity_id, page),
        edits=curation_log(store, entity_id=entity_id),
    )
