"""Curation forms of the web UI under `/curate/…`: a curator pastes the server's token once at
`/curate/login` and gets an HttpOnly, SameSite=Strict cookie holding an HMAC of it; every form
carries a CSRF token (an HMAC of that cookie and the form's action), checked on POST.
The edits themselves are those of the JSON API (`letopis.api.curation`).
"""

from __future__ import annotations

import hashlib
import hmac
from dataclasses import dataclass
from typing import Annotated, Any
from urllib.parse import parse_qs

from fastapi import Depends, FastAPI, HTTPException, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response
from fastapi.templating import Jinja2Templates

from letopis.api import curation
from letopis.api.deps import EntityId, StoreDep, read_limited_body
from letopis.errors import QueryError
from letopis.store import queries
from letopis.store.store import beyond_row_ids

COOKIE = "letopis_curator"
SESSION_DAYS = 30
MAX_FORM_BYTES = 64 * 1024


def session_value(token: str) -> str:
    """What the cookie holds: an HMAC of the token, so the token itself never sits in the browser."""
    return hmac.new(token.encode(), b"letopis curator session", hashlib.sha256).hexdigest()


def csrf_token(token: str, session: str, action: str) -> str:
    """The CSRF token of the form posting to `action` in this session."""
    return hmac.new(token.encode(), f"{session}\n{action}".encode(), hashlib.sha256).hexdigest()


@dataclass(frozen=True)
class Curator:
    """What a page needs to show curation forms: is curation on, is this browser signed in."""

    token: str | None
    session: str | None

    @property
    def enabled(self) -> bool:
        return bool(self.token)

    @property
    def signed_in(self) -> bool:
        return self.session is not None

    def csrf(self, action: str) -> str:
        return csrf_token(self.token or "", self.session or "", action)


def curator_of(request: Request) -> Curator:
    """The request's curator: the server's token and the session cookie, when it is the right one."""
    token = request.app.state.curation_token
    cookie = request.cookies.get(COOKIE, "")
    valid = bool(token) and hmac.compare_digest(cookie.encode(), session_value(token).encode())
    return Curator(token or None, cookie if valid else None)


def local_path(target: str, default: str = "/") -> str:
    """`target` if it is a path on this site (never another host), else `default`."""
    if target.startswith("/") and not target.startswith(("//", "/\\")):
        return target
    return default


async def form_fields(request: Request) -> dict[str, str]:
    """The POSTed urlencoded form, one value per field; 413 when it is over `MAX_FORM_BYTES`, 400 when
    a field holds a NUL character."""
    body = (await read_limited_body(request, MAX_FORM_BYTES)).decode("utf-8", errors="replace")
    fields = {key: values[0] for key, values in parse_qs(body, keep_blank_values=True).items()}
    for key, value in fields.items():
        if "\x00" in key + value:  # as in query parameters (letopis.api.deps.refuse_nul_characters)
            raise HTTPException(status_code=400, detail=f"{key}: a NUL character is not allowed")
    return fields


async def checked_form(request: Request) -> dict[str, str]:
    """The form of a curation POST: 403 if curation is off, 401 when not signed in, 403 on a bad CSRF."""
    curation.configured_token(request)
    curator = curator_of(request)
    if not curator.signed_in:
        raise HTTPException(status_code=401, detail="sign in with the curation token at /curate/login")
    fields = await form_fields(request)
    expected = curator.csrf(request.url.path)
    if not hmac.compare_digest(fields.get("csrf", "").encode(), expected.encode()):
        raise HTTPException(status_code=403, detail="the form's CSRF token is missing or wrong")
    return fields


Form = Annotated[dict[str, str], Depends(checked_form)]
LoginForm = Annotated[dict[str, str], Depends(form_fields)]


def back(target: str) -> RedirectResponse:
    return RedirectResponse(target, status_code=303)


def add_curation(app: FastAPI, templates: Jinja2Templates) -> None:
    """The login page and the form routes under `/curate/`."""

    @app.get("/curate/login", response_class=HTMLResponse, include_in_schema=False)
    def login_page(request: Request, next: str = "/") -> Any:
        curation.configured_token(request)
        context = {"next": local_path(next), "error": None}
        return templates.TemplateResponse(request, "login.html", context)

    @app.post("/curate/login", include_in_schema=False)
    def login(request: Request, fields: LoginForm) -> Response:
        token = curation.configured_token(request)
        target = local_path(fields.get("next", "/"))
        if not hmac.compare_digest(fields.get("token", "").strip().encode(), token.encode()):
            context = {"next": target, "error": "Неверный токен"}
            return templates.TemplateResponse(request, "login.html", context, status_code=401)
        response = back(target)
        response.set_cookie(
            COOKIE, session_value(token), max_age=SESSION_DAYS * 86400, httponly=True, samesite="strict"
        )
        return response

    # The form (its CSRF token) is checked before the path's ids: `fields` comes first.
    @app.post("/curate/facts/{kind}/{fact_id}/reject", include_in_schema=False)
    def reject_fact(db: StoreDep, fields: Form, fact: curation.Fact) -> Response:
        curation.review(db, *fact, "reject")
        return back(local_path(fields.get("next", "/")))

    @app.post("/curate/entities/{entity_id}/merge", include_in_schema=False)
    def merge_entity(db: StoreDep, fields: Form, entity_id: EntityId) -> Response:
        entity = queries.get_entity(db, entity_id)
        if entity is None:
            raise HTTPException(status_code=404, detail=f"no entity with id {entity_id}")
        reference = fields.get("into", "")
        if beyond_row_ids(reference):  # as any unknown entity, not a number the database refuses
            raise QueryError(f"no entity with id {reference.strip()}")
        into = queries.entity_reference(db, reference, entity["type"])["id"]
        curation.merge(db, entity_id, into)
        return back(f"/entity/{into}")

    @app.post("/curate/entities/{entity_id}/rename", include_in_schema=False)
    def rename_entity(db: StoreDep, fields: Form, entity_id: EntityId) -> Response:
        curation.rename(db, entity_id, fields.get("name", ""))
        return back(f"/entity/{entity_id}")
