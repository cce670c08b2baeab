"""What every route needs: a store connection per request, ids and pagination parameters within the
database's integers, a bounded body, parameters without NUL characters."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Annotated

from fastapi import Depends, HTTPException, Query, Request
from pydantic import Field

from letopis.store import Store
from letopis.store.store import MAX_ROW_ID

ISO_DAY = r"^\d{4}-\d{2}-\d{2}$"
MAX_LIMIT = 500
# A body over the limit is still read (and dropped) up to this many times the limit, so the client
# gets the 413 rather than a reset; one that says it is larger is refused before it is read.
DRAIN_FACTOR = 16


def open_store(request: Request) -> Iterator[Store]:
    """One store connection per request: cheap in SQLite, and WAL lets readers run beside a writer.
    The server makes no store: one that is not there is a `StoreError` (503)."""
    with Store.open(request.app.state.db_path, create=False) as opened:
        yield opened


def refuse_nul_characters(request: Request) -> None:
    """400 for a NUL character in a path or query parameter: no word or name holds one, and PostgreSQL
    text cannot (a query would fail there, not find nothing)."""
    for name, value in [*request.path_params.items(), *request.query_params.multi_items()]:
        if isinstance(value, str) and "\x00" in value:
            raise HTTPException(status_code=400, detail=f"{name}: a NUL character is not allowed")


def entity_in_path(entity_id: int) -> int:
    """The entity id of the path; 404 for a number no row can have, as for any unknown entity (the
    database's integers stop at MAX_ROW_ID: it could not even be looked up)."""
    if not 1 <= entity_id <= MAX_ROW_ID:
        raise HTTPException(status_code=404, detail=f"no entity with id {entity_id}")
    return entity_id


StoreDep = Annotated[Store, Depends(open_store)]
# Every integer a request gives (an id, a limit, an offset) is bounded by the database's integers, so
# a number past them is a clear 422 (or a 404 in a path), never an integer the database refuses.
RowId = Annotated[int, Field(ge=1, le=MAX_ROW_ID)]
EntityId = Annotated[int, Depends(entity_in_path)]
Limit = Annotated[int, Query(ge=1, le=MAX_LIMIT, description="At most this many items.")]
Offset = Annotated[int, Query(ge=0, le=MAX_ROW_ID, description="Skip this many items first.")]
Day = Annotated[str | None, Query(pattern=ISO_DAY, description="A date, YYYY-MM-DD.")]


async def read_limited_body(request: Request, limit: int) -> bytes:
    """The request body, or 413 when it is larger than `limit` bytes; never more than `limit` bytes are
    kept, and a body whose Content-Length is past the drain limit is not read at all."""
    declared = request.headers.get("content-length", "")
    if declared.isdecimal() and int(declared) > DRAIN_FACTOR * limit:
        raise body_too_large(limit)
    body = bytearray()
    seen = 0
    async for chunk in request.stream():
        seen += len(chunk)
        if seen <= limit:
            body += chunk
        elif seen > DRAIN_FACTOR * limit:
            break
    if seen > limit:
        raise body_too_large(limit)
    return bytes(body)


def body_too_large(limit: int) -> HTTPException:
    size = f"{limit // 2**20} MB" if limit % 2**20 == 0 else f"{limit // 2**10} KB"
    return HTTPException(
        status_code=413, detail=f"request body is larger than {size} ({limit} bytes): send less text"
    )
