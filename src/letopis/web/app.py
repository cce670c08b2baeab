"""The web UI and JSON API: every HTML page has a JSON twin (`/doc/ID` and `/doc/ID.json`).

Pages: `/` dashboard, `/search`, `/doc/ID`, `/entity/ID`, `/calendar` (+ `/calendar.ics`), `/graph`;
the JSON API lives in `letopis.api` (`/api/…`, `POST /extract`), documented at `/docs`;
curation forms under `/curate/…` (letopis.web.curate), only with a token configured.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from datetime import date
from pathlib import Path
from typing import Annotated, Any

from fastapi import Depends, FastAPI, Query, Request
from fastapi.exceptions import RequestValidationError
from fastapi.openapi.docs import get_swagger_ui_html
from fastapi.responses import HTMLResponse, JSONResponse, Response
from fastapi.staticfiles import StaticFiles
from fastapi.templating import Jinja2Templates
from starlette.exceptions import HTTPException as StarletteHTTPException

from letopis.api import errors as api_errors
from letopis.api.curation import router as curation_router
from letopis.api.deps import Day, EntityId, Offset, RowId, StoreDep, refuse_nul_characters
from letopis.api.extract import router as extract_router
from letopis.api.routes import router as api_router
from letopis.errors import QueryError, StoreError
from letopis.web import pages
from letopis.web.curate import add_curation, curator_of
from letopis.web.dates import event_when, ru_date, ru_month, ru_partial

HERE = Path(__file__).parent
TYPE_LABELS = {"PER": "персона", "ORG": "организация", "LOC": "место"}
TYPE_PLURALS = {"PER": "персон", "ORG": "организаций", "LOC": "мест"}
STATUS_LABELS = {"announced": "анонсировано", "happened": "состоялось"}
RULE_LABELS = {  # the rules that link a document's entity to a store entity (kb.resolution)
    "same_name": "то же имя",
    "same_lemmas": "то же имя в другой форме",
    "quoted_name": "название в кавычках",
    "parenthetical_name": "название в скобках",
    "parenthetical_alias": "другое название в скобках",
    "known_abbreviation": "известное сокращение",
    "country_name": "название страны",
    "country_context": "в документе о той же стране",
    "initials": "инициалы",
    "person_full_name": "полное имя",
    "person_name_subset": "часть полного имени",
    "person_initials": "инициалы и фамилия",
    "person_same_post": "та же должность",
    "new": "новая сущность",
    "curated": "правка куратора",
}
JSON_PATHS = ("/api/", "/extract", "/openapi.json")
LOG = logging.getLogger("letopis.web")


def document_params(
    since: Day = None,
    until: Day = None,
    source: str | None = None,
    topic: str | None = None,
    entity: Annotated[RowId | None, Query(description="A store entity id.")] = None,
    offset: Offset = 0,
) -> dict[str, Any]:
    """The filters of `/documents`, as one dict."""
    return {
        "since": since,
        "until": until,
        "source": source,
        "topic": topic,
        "entity": entity,
        "offset": offset,
    }


def search_params(
    q: str = "",
    type: str | None = None,
    source: str | None = None,
    since: Day = None,
    until: Day = None,
    topic: str | None = None,
    offset: Offset = 0,
) -> dict[str, Any]:
    """The query and filters of `/search`, as one dict."""
    return {
        "q": q,
        "type": type,
        "source": source,
        "since": since,
        "until": until,
        "topic": topic,
        "offset": offset,
    }


DocumentParams = Annotated[dict, Depends(document_params)]
SearchParams = Annotated[dict, Depends(search_params)]
Month = Annotated[str | None, Query(pattern=r"^\d{4}-\d{2}$", description="YYYY-MM")]


def create_app(db_path: str, token: str | None = None, today: Callable[[], date] = date.today) -> FastAPI:
    """The FastAPI application serving the store at `db_path`. It writes to the store only for
    curation, and only with `token` given (LETOPIS_TOKEN); without one it is read-only."""
    app = FastAPI(
        title="letopis",
        description="Russian official news as a provenance-backed knowledge base",
        docs_url=None,
        redoc_url=None,
        dependencies=[Depends(refuse_nul_characters)],
    )
    app.state.db_path = db_path
    app.state.today = today
    app.state.curation_token = token or None
    app.mount("/static", StaticFiles(directory=HERE / "static"), name="static")
    app.include_router(api_router)
    app.include_router(curation_router)
    app.include_router(extract_router)
    app.include_router(extract_router, prefix="/api")
    templates = _templates()
    _add_error_handlers(app, templates)
    _add_pages(app, templates)
    add_curation(app, templates)
    return app


def _templates() -> Jinja2Templates:
    templates = Jinja2Templates(directory=str(HERE / "templates"))
    env = templates.env
    env.filters.update(ru_date=ru_date, ru_month=ru_month, ru_partial=ru_partial, event_when=event_when)
    env.filters["type_label"] = lambda kind: TYPE_LABELS.get(kind, kind)
    env.filters["type_plural"] = lambda kind: TYPE_PLURALS.get(kind, f"{kind}: сущностей")
    env.filters["status_label"] = lambda status: STATUS_LABELS.get(status, status)
    env.filters["rule_label"] = lambda rule: RULE_LABELS.get(rule or "", "")
    env.globals["query_url"] = pages.query_url
    env.tests["web_url"] = pages.web_url
    env.globals["curator_of"] = curator_of
    return templates


def twin(context: dict[str, Any]) -> dict[str, Any]:
    """A page's context as its JSON twin: without what was prepared only for the HTML."""
    return {key: value for key, value in context.items() if key != "html"}


def _add_pages(app: FastAPI, templates: Jinja2Templates) -> None:
    def render(request: Request, name: str, context: dict[str, Any]) -> HTMLResponse:
        return templates.TemplateResponse(request, name, context)

    @app.get("/", response_class=HTMLResponse, include_in_schema=False)
    def index(request: Request, db: StoreDep) -> Any:
        return render(request, "index.html", pages.index_page(db, app.state.today()))

    @app.get("/index.json", tags=["pages"])
    def index_json(db: StoreDep) -> Any:
        return twin(pages.index_page(db, app.state.today()))

    @app.get("/documents", response_class=HTMLResponse, include_in_schema=False)
    def documents_page(request: Request, db: StoreDep, params: DocumentParams) -> Any:
        return render(request, "documents.html", pages.documents_page(db, params))

    @app.get("/documents.json", tags=["pages"])
    def documents_json(db: StoreDep, params: DocumentParams) -> Any:
        return twin(pages.documents_page(db, params))

    @app.get("/search", response_class=HTMLResponse, include_in_schema=False)
    def search_page(request: Request, db: StoreDep, params: SearchParams) -> Any:
        try:
            return render(request, "search.html", pages.search_page(db, params))
        except QueryError as error:
            # The page stays usable: the form again, with what was wrong.
            context = {**pages.search_page(db, {**params, "q": ""}), "q": params["q"], "error": str(error)}
            return templates.TemplateResponse(request, "search.html", context, status_code=400)

    @app.get("/search.json", tags=["pages"])
    def search_json(db: StoreDep, params: SearchParams) -> Any:
        return twin(pages.search_page(db, params))

    @app.get("/doc/{doc_id}.json", tags=["pages"])
    def doc_json(db: StoreDep, doc_id: str) -> Any:
        doc, _ = pages.doc_page(db, doc_id)
        return doc.to_dict()

    @app.get("/doc/{doc_id}", response_class=HTMLResponse, include_in_schema=False)
    def doc_page(request: Request, db: StoreDep, doc_id: str) -> Any:
        _, context = pages.doc_page(db, doc_id)
        return render(request, "doc.html", context)

    @app.get("/entity/{entity_id}.json", tags=["pages"])
    def entity_json(db: StoreDep, entity_id: EntityId, offset: Offset = 0) -> Any:
        return twin(pages.entity_page(db, entity_id, offset))

    @app.get("/entity/{entity_id}", response_class=HTMLResponse, include_in_schema=False)
    def entity_page(request: Request, db: StoreDep, entity_id: EntityId, offset: Offset = 0) -> Any:
        return render(request, "entity.html", {"entity": pages.entity_page(db, entity_id, offset)})

    @app.get("/calendar", response_class=HTMLResponse, include_in_schema=False)
    def calendar_page(request: Request, db: StoreDep, month: Month = None) -> Any:
        return render(request, "calendar.html", pages.calendar_page(db, month, app.state.today()))

    @app.get("/calendar.json", tags=["pages"])
    def calendar_json(db: StoreDep, month: Month = None) -> Any:
        return twin(pages.calendar_page(db, month, app.state.today()))

    @app.get("/calendar.ics", tags=["pages"], response_class=Response)
    def calendar_ics(db: StoreDep, since: Day = None, until: Day = None) -> Response:
        """Announced events as an iCalendar file (RFC 5545), for any calendar application."""
        return Response(
            pages.calendar_ics(db, since, until),
            media_type="text/calendar; charset=utf-8",
            headers={"Content-Disposition": 'attachment; filename="letopis.ics"'},
        )

    @app.get("/graph", response_class=HTMLResponse, include_in_schema=False)
    def graph_page(request: Request, db: StoreDep) -> Any:
        return render(request, "graph.html", pages.graph_page(db))

    @app.get("/graph.json", tags=["pages"])
    def graph_json(db: StoreDep) -> Any:
        return pages.graph_page(db)

    @app.get("/docs", include_in_schema=False)
    def swagger() -> HTMLResponse:
        # Swagger UI from web/static, not a CDN: the UI must work offline.
        return get_swagger_ui_html(
            openapi_url=app.openapi_url or "/openapi.json",
            title="letopis API",
            swagger_js_url="/static/swagger-ui-bundle.js",
            swagger_css_url="/static/swagger-ui.css",
            swagger_favicon_url="/static/favicon.svg",
        )


def wants_html(request: Request) -> bool:
    """Whether an error should be a page: a browser asking for one outside the JSON paths."""
    path = request.url.path
    if path.endswith((".json", ".ics")) or path.startswith(JSON_PATHS):
        return False
    return "text/html" in request.headers.get("accept", "")


def _add_error_handlers(app: FastAPI, templates: Jinja2Templates) -> None:
    def error_page(request: Request, status: int, detail: str) -> Response:
        context = {"status": status, "detail": detail}
        return templates.TemplateResponse(request, "error.html", context, status_code=status)

    @app.exception_handler(StarletteHTTPException)
    async def http_error(request: Request, exc: StarletteHTTPException) -> Response:
        if wants_html(request):
            return error_page(request, exc.status_code, str(exc.detail))
        return JSONResponse({"detail": exc.detail}, status_code=exc.status_code, headers=exc.headers)

    @app.exception_handler(RequestValidationError)
    async def validation_error(request: Request, exc: RequestValidationError) -> Response:
        if wants_html(request):
            return error_page(request, 422, api_errors.validation_message(exc.errors()))
        return await api_errors.validation_error(request, exc)

    @app.exception_handler(QueryError)
    async def query_error(request: Request, exc: QueryError) -> Response:
        if wants_html(request):
            return error_page(request, 400, str(exc))
        return await api_errors.query_error(request, exc)

    @app.exception_handler(StoreError)
    async def store_error(request: Request, exc: StoreError) -> Response:
        LOG.error("%s", exc)  # names the database (never its password); the client is told less
        if wants_html(request):
            return error_page(request, 503, api_errors.STORE_UNAVAILABLE)
        return await api_errors.store_error(request, exc)
