"""The web UI and JSON API: every HTML page has a JSON twin (`/doc/ID` and `/doc/ID.json`)."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Annotated, Any

from fastapi import Depends, FastAPI, HTTPException, Query, Request
from fastapi.responses import HTMLResponse, JSONResponse
from fastapi.templating import Jinja2Templates

from letopis.errors import QueryError
from letopis.model import Document
from letopis.store import Store, queries

TEMPLATES = Path(__file__).parent / "templates"


def text_segments(doc: Document) -> list[dict[str, Any]]:
    """The text cut into plain and highlighted pieces (outermost mentions), for the article page."""
    pieces: list[dict[str, Any]] = []
    position = 0
    for mention in sorted(doc.mentions, key=lambda m: (m.start, -m.end)):
        if mention.start < position:
            continue  # nested inside the mention already highlighted
        if mention.start > position:
            pieces.append({"text": doc.text[position : mention.start]})
        pieces.append(
            {"text": mention.text, "type": mention.type, "entity": mention.entity, "normal": mention.normal}
        )
        position = mention.end
    pieces.append({"text": doc.text[position:]})
    return pieces


def open_store(request: Request) -> Iterator[Store]:
    """One store connection per request: cheap in SQLite, and WAL lets readers run beside a writer."""
    with Store.open(request.app.state.db_path) as opened:
        yield opened


StoreDep = Annotated[Store, Depends(open_store)]


def create_app(db_path: str) -> FastAPI:
    """The FastAPI application serving the store at `db_path` (read-only pages)."""
    app = FastAPI(title="letopis", description="Russian official news as a knowledge base")
    app.state.db_path = db_path
    templates = Jinja2Templates(directory=str(TEMPLATES))

    def page(request: Request, name: str, context: dict[str, Any], as_json: bool) -> Any:
        if as_json:
            return JSONResponse(context)
        return templates.TemplateResponse(request, name, context)

    @app.get("/", response_class=HTMLResponse)
    def index(request: Request, db: StoreDep) -> Any:
        return page(request, "index.html", _index_context(db), as_json=False)

    @app.get("/index.json")
    def index_json(db: StoreDep) -> Any:
        return _index_context(db)

    @app.get("/search", response_class=HTMLResponse)
    def search_page(request: Request, db: StoreDep, q: str = "", type: str | None = None) -> Any:
        return page(request, "search.html", _search_context(db, q, type), as_json=False)

    @app.get("/search.json")
    def search_json(db: StoreDep, q: str = "", type: str | None = None) -> Any:
        return _search_context(db, q, type)

    @app.get("/doc/{doc_id}.json")
    def doc_json(db: StoreDep, doc_id: str) -> Any:
        return _document(db, doc_id).to_dict()

    @app.get("/doc/{doc_id}", response_class=HTMLResponse)
    def doc_page(request: Request, db: StoreDep, doc_id: str) -> Any:
        doc = _document(db, doc_id)
        return templates.TemplateResponse(request, "doc.html", {"doc": doc, "segments": text_segments(doc)})

    @app.get("/entity/{entity_id}.json")
    def entity_json(db: StoreDep, entity_id: int) -> Any:
        return _profile(db, entity_id)

    @app.get("/entity/{entity_id}", response_class=HTMLResponse)
    def entity_page(request: Request, db: StoreDep, entity_id: int) -> Any:
        return templates.TemplateResponse(request, "entity.html", {"entity": _profile(db, entity_id)})

    @app.get("/api/documents")
    def api_documents(
        db: StoreDep, limit: Annotated[int, Query(ge=1, le=500)] = 50, offset: Annotated[int, Query(ge=0)] = 0
    ) -> Any:
        return {
            "items": queries.list_documents(db, limit=limit, offset=offset),
            "limit": limit,
            "offset": offset,
        }

    @app.get("/api/entities")
    def api_entities(
        db: StoreDep,
        type: str | None = None,
        limit: Annotated[int, Query(ge=1, le=500)] = 50,
        offset: Annotated[int, Query(ge=0)] = 0,
    ) -> Any:
        items = queries.list_entities(db, type=type, limit=limit, offset=offset)
        return {"items": items, "limit": limit, "offset": offset}

    @app.get("/api/search")
    def api_search(db: StoreDep, q: str, type: str | None = None) -> Any:
        return _search_context(db, q, type)

    return app


def _index_context(db: Store) -> dict[str, Any]:
    return {
        "summary": queries.summary(db),
        "documents": queries.list_documents(db, limit=50, offset=0),
        "entities": queries.list_entities(db, type=None, limit=100, offset=0),
    }


def _search_context(db: Store, q: str, type: str | None) -> dict[str, Any]:
    if not q.strip():
        return {"q": q, "documents": [], "entities": []}
    try:
        result = queries.search(db, q, type=type or None)
    except QueryError as error:
        raise HTTPException(status_code=400, detail=str(error)) from error
    return {"q": q, **result}


def _document(db: Store, doc_id: str) -> Document:
    doc = queries.get_document(db, doc_id)
    if doc is None:
        raise HTTPException(status_code=404, detail=f"no document with id {doc_id}")
    return doc


def _profile(db: Store, entity_id: int) -> dict[str, Any]:
    profile = queries.entity_profile(db, entity_id)
    if profile is None:
        raise HTTPException(status_code=404, detail=f"no entity with id {entity_id}")
    return profile
