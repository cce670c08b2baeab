"""What every route needs: a store connection per request and the pagination parameters."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Annotated

from fastapi import Depends, Query, Request

from letopis.store import Store

ISO_DAY = r"^\d{4}-\d{2}-\d{2}$"
MAX_LIMIT = 500


def open_store(request: Request) -> Iterator[Store]:
    """One store connection per request: cheap in SQLite, and WAL lets readers run beside a writer."""
    with Store.open(request.app.state.db_path) as opened:
        yield opened


StoreDep = Annotated[Store, Depends(open_store)]
Limit = Annotated[int, Query(ge=1, le=MAX_LIMIT, description="At most this many items.")]
Offset = Annotated[int, Query(ge=0, description="Skip this many items first.")]
Day = Annotated[str | None, Query(pattern=ISO_DAY, description="A date, YYYY-MM-DD.")]
