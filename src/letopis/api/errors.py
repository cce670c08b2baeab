"""Errors as JSON `{"detail": "message"}`: readable validation messages, query errors as 400, a store
that cannot be opened as 503."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from fastapi import Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse

from letopis.errors import QueryError, StoreError

# What a client is told when the store cannot be opened (the reason, naming the database, is logged).
STORE_UNAVAILABLE = "the store is unavailable; the server's log says why"


def validation_message(errors: Sequence[Any]) -> str:
    """Pydantic's error list as one line: "limit: Input should be less than or equal to 500"."""
    parts = []
    for error in errors:
        where = [str(part) for part in error.get("loc", ()) if part not in ("body", "query", "path")]
        message = error.get("msg", "invalid")
        parts.append(f"{'.'.join(where)}: {message}" if where else message)
    return "; ".join(parts) or "invalid request"


async def validation_error(request: Request, exc: RequestValidationError) -> JSONResponse:
    return JSONResponse(
        status_code=422, content={"detail": validation_message(exc.errors()), "errors": _plain(exc.errors())}
    )


async def query_error(request: Request, exc: QueryError) -> JSONResponse:
    return JSONResponse(status_code=400, content={"detail": str(exc)})


async def store_error(request: Request, exc: StoreError) -> JSONResponse:
    return JSONResponse(status_code=503, content={"detail": STORE_UNAVAILABLE})


def _plain(errors: Sequence[Any]) -> list[dict[str, Any]]:
    """The error list without the parts that are not JSON (pydantic puts exceptions in `ctx`)."""
    return [
        {"loc": list(e.get("loc", ())), "msg": e.get("msg", ""), "type": e.get("type", "")} for e in errors
    ]
