"""The store: documents, their facts and cross-document entities in an SQLite file or a PostgreSQL database.

Example:
    with Store.open("letopis.db") as store:
        store.add(doc)                              # "new", "updated" or "duplicate"
        search(store, "Балаевой")["documents"]      # finds "Аида Балаева" too
"""

from letopis.store.queries import (
    CoMention,
    DocumentHit,
    DocumentRow,
    EntityProfile,
    EntityRow,
    SearchResult,
    Snippet,
    Summary,
    entity_profile,
    find_entities,
    get_document,
    list_documents,
    list_entities,
    search,
    summary,
)
from letopis.store.store import Added, AddResult, Store

__all__ = [
    "AddResult",
    "Added",
    "CoMention",
    "DocumentHit",
    "DocumentRow",
    "EntityProfile",
    "EntityRow",
    "SearchResult",
    "Snippet",
    "Store",
    "Summary",
    "entity_profile",
    "find_entities",
    "get_document",
    "list_documents",
    "list_entities",
    "search",
    "summary",
]
