"""Curation over HTTP (`letopis.kb.curation`): reject or confirm facts, merge and rename entities.

Write actions answer 403 while the server has no token (LETOPIS_TOKEN) and 401 without
`Authorization: Bearer <token>`; each edit is logged with who = "web". The web UI's forms
(`letopis.web.curate`) call the same functions.
"""

from __future__ import annotations

import dataclasses
import hmac
from typing import Annotated, Any, Literal

from fastapi import APIRouter, Depends, HTTPException, Request
from pydantic import BaseModel, Field

from letopis.api.deps import EntityId, RowId, StoreDep
from letopis.kb.curation import FACT_TABLES, CurationError
from letopis.model import Document
from letopis.store import Store, queries
from letopis.store.store import MAX_ROW_ID

CURATOR = "web"
DISABLED = "curation is disabled: set LETOPIS_TOKEN"
FactKind = Literal["position", "quote", "event"]

router = APIRouter(prefix="/api", tags=["curation"])


def configured_token(request: Request) -> str:
    """The server's curation token; 403 when there is none."""
    token = request.app.state.curation_token
    if not token:
        raise HTTPException(status_code=403, detail=DISABLED)
    return token


def require_bearer(request: Request) -> None:
    """Let the request through only with `Authorization: Bearer <the server's token>`."""
    token = configured_token(request)
    scheme, _, given = request.headers.get("authorization", "").partition(" ")
    if scheme.lower() != "bearer" or not hmac.compare_digest(given.strip().encode(), token.encode()):
        raise HTTPException(
            status_code=401, detail="a valid bearer token is needed", headers={"WWW-Authenticate": "Bearer"}
        )


Authorized = Depends(require_bearer)


def fact_in_path(kind: FactKind, fact_id: int) -> tuple[str, int]:
    """The fact the path names, as (kind, id); 404 for an id no row can have, as for any unknown fact."""
    if not 1 <= fact_id <= MAX_ROW_ID:
        raise HTTPException(status_code=404, detail=f"no {kind} with id {fact_id}")
    return kind, fact_id


Fact = Annotated[tuple[str, int], Depends(fact_in_path)]


class MergeBody(BaseModel):
    into: RowId


class RenameBody(BaseModel):
    name: str = Field(pattern=r"^[^\x00]*$", description="The new name (no NUL character).")


# --- the edits, shared with the web forms -------------------------------------------------------


def review(db: Store, kind: str, fact_id: int, action: Literal["confirm", "reject"]) -> dict[str, Any]:
    """Confirm or reject a stored fact; 404 when there is none."""
    table = FACT_TABLES[kind]
    if db.connection.execute(f"SELECT 1 FROM {table} WHERE id = ?", (fact_id,)).fetchone() is None:
        raise HTTPException(status_code=404, detail=f"no {kind} with id {fact_id}")
    return _edited(lambda: db.review_fact(f"{kind}:{fact_id}", action, CURATOR))


def merge(db: Store, entity_id: int, into: int) -> dict[str, Any]:
    """Merge entity `entity_id` into entity `into` (which keeps its id)."""
    _entity_or_404(db, entity_id)
    _entity_or_404(db, into)
    return _edited(lambda: db.merge_entities(into, entity_id, CURATOR))


def rename(db: Store, entity_id: int, name: str) -> dict[str, Any]:
    """Give entity `entity_id` the name `name`."""
    _entity_or_404(db, entity_id)
    return _edited(lambda: db.rename_entity(entity_id, name.strip(), CURATOR))


def _entity_or_404(db: Store, entity_id: int) -> None:
    if queries.get_entity(db, entity_id) is None:
        raise HTTPException(status_code=404, detail=f"no entity with id {entity_id}")


def _edited(edit: Any) -> dict[str, Any]:
    try:
        return dataclasses.asdict(edit())
    except CurationError as error:
        raise HTTPException(status_code=400, detail=str(error)) from error


# --- routes --------------------------------------------------------------------------------------


@router.post("/facts/{kind}/{fact_id}/reject", dependencies=[Authorized])
def api_reject(db: StoreDep, fact: Fact) -> dict[str, Any]:
    """Reject a position, quote or event: it leaves the lists and pages, and stays rejected on re-ingest."""
    return review(db, *fact, "reject")


@router.post("/facts/{kind}/{fact_id}/confirm", dependencies=[Authorized])
def api_confirm(db: StoreDep, fact: Fact) -> dict[str, Any]:
    """Confirm a position, quote or event."""
    return review(db, *fact, "confirm")


@router.post("/entities/{entity_id}/merge", dependencies=[Authorized])
def api_merge(db: StoreDep, entity_id: EntityId, body: MergeBody) -> dict[str, Any]:
    """Merge this entity into `into`: its documents, names and facts move over; `into` keeps its id."""
    return merge(db, entity_id, body.into)


@router.post("/entities/{entity_id}/rename", dependencies=[Authorized])
def api_rename(db: StoreDep, entity_id: EntityId, body: RenameBody) -> dict[str, Any]:
    """Call this entity `name` from now on."""
    return rename(db, entity_id, body.name)


# --- reading a document without its rejected facts ----------------------------------------------


def without_rejected(db: Store, doc: Document) -> tuple[Document, dict[str, list[int]]]:
    """The document less the facts a curator rejected, and the store ids of the facts kept, in order.

    Facts are stored in the document's order, so the n-th row of a kind is the n-th fact; each
    fact table is named as the document's list of that kind."""
    kept: dict[str, list] = {}
    ids: dict[str, list[int]] = {}
    for kind, table in FACT_TABLES.items():
        rows = db.connection.execute(
            f"SELECT id, review FROM {table} WHERE doc_id = ? ORDER BY id", (doc.id,)
        ).fetchall()
        facts = getattr(doc, table)
        pairs = [
            (fact, row["id"]) for fact, row in zip(facts, rows, strict=True) if row["review"] != "rejected"
        ]
        kept[table] = [fact for fact, _ in pairs]
        ids[kind] = [fact_id for _, fact_id in pairs]
    return dataclasses.replace(doc, **kept), ids
