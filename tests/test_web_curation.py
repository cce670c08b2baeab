"""Curation forms of the web UI (web/curate.py): token login, CSRF-checked POSTs, hidden without a token;
over HTTP and in Debian's chromium, against a real uvicorn on 127.0.0.1 with LETOPIS_TOKEN set."""

from __future__ import annotations

import re
from collections.abc import Iterator
from contextlib import contextmanager

import httpx
import pytest
from playwright.sync_api import Browser, expect

from conftest import CURATION_TOKEN, SCREENSHOTS
from letopis.web.curate import COOKIE, csrf_token, session_value
from test_browser import LAPTOP


@contextmanager
def signed_in(base: str) -> Iterator[httpx.Client]:
    """A client holding the curator's cookie, from logging in with the token."""
    with httpx.Client(base_url=base, timeout=30) as client:
        response = client.post("/curate/login", data={"token": CURATION_TOKEN, "next": "/doc/t-forum"})
        assert (response.status_code, response.headers["location"]) == (303, "/doc/t-forum")
        yield client


def entity_id(base: str, name: str, type: str) -> int:
    items = httpx.get(base + "/api/entities", params={"q": name, "type": type}, timeout=30).json()["items"]
    return next(item["id"] for item in items if item["name"] == name)


def test_without_a_token_the_pages_have_no_curation(server: str) -> None:
    page = httpx.get(server + "/doc/t-forum", timeout=30).text
    assert "Отклонить" not in page and "/curate/" not in page
    response = httpx.get(server + "/curate/login", timeout=30, headers={"accept": "text/html"})
    assert response.status_code == 403
    assert "curation is disabled: set LETOPIS_TOKEN" in response.text


def test_login_sets_a_strict_http_only_cookie_of_an_hmac(curation_server: str) -> None:
    response = httpx.post(curation_server + "/curate/login", data={"token": CURATION_TOKEN, "next": "/"})
    cookie = response.headers["set-cookie"]
    assert cookie.startswith(f"{COOKIE}={session_value(CURATION_TOKEN)};")
    assert "HttpOnly" in cookie and "SameSite=strict" in cookie
    assert CURATION_TOKEN not in cookie


@pytest.mark.parametrize("next_url", ["https://evil.example/", "//evil.example/"])
def test_login_redirects_only_within_the_site(curation_server: str, next_url: str) -> None:
    response = httpx.post(curation_server + "/curate/login", data={"token": CURATION_TOKEN, "next": next_url})
    assert response.headers["location"] == "/"


def test_wrong_token_is_401_with_the_form_again(curation_server: str) -> None:
    response = httpx.post(curation_server + "/curate/login", data={"token": "wrong", "next": "/"})
    assert response.status_code == 401
    assert "Неверный токен" in response.text and COOKIE not in response.headers.get("set-cookie", "")


def test_signed_in_pages_show_the_forms(curation_server: str) -> None:
    with signed_in(curation_server) as client:
        assert client.get("/doc/t-forum").text.count(">Отклонить</button>") == 5
        entity = client.get(f"/entity/{entity_id(curation_server, 'Мари Дюбуа', 'PER')}").text
        assert "Объединить с…" in entity and ">Переименовать</button>" in entity


@pytest.mark.parametrize("csrf", [None, "", "0" * 64])
def test_form_post_without_the_csrf_token_is_403(curation_server: str, csrf: str | None) -> None:
    quote = httpx.get(curation_server + "/api/quotes", timeout=30).json()["items"][0]
    data = {"next": "/"} if csrf is None else {"next": "/", "csrf": csrf}
    with signed_in(curation_server) as client:
        response = client.post(f"/curate/facts/quote/{quote['id']}/reject", data=data)
    assert response.status_code == 403
    assert response.json() == {"detail": "the form's CSRF token is missing or wrong"}


def test_form_post_without_signing_in_is_401(curation_server: str) -> None:
    response = httpx.post(curation_server + "/curate/facts/quote/1/reject", data={"csrf": "x"})
    assert response.status_code == 401


def test_rename_through_the_form(curation_server: str) -> None:
    place = entity_id(curation_server, "Бельгия", "LOC")
    action = f"/curate/entities/{place}/rename"
    csrf = csrf_token(CURATION_TOKEN, session_value(CURATION_TOKEN), action)
    with signed_in(curation_server) as client:
        response = client.post(action, data={"csrf": csrf, "name": "Королевство Бельгия"})
        assert (response.status_code, response.headers["location"]) == (303, f"/entity/{place}")
        assert "<h1>Королевство Бельгия</h1>" in client.get(f"/entity/{place}").text


# --- in a browser --------------------------------------------------------------------------------


def test_curator_logs_in_and_rejects_a_quote(browser: Browser, curation_server: str) -> None:
    context = browser.new_context(viewport=LAPTOP, locale="ru-RU")
    page = context.new_page()
    errors: list[str] = []
    page.on("pageerror", lambda error: errors.append(str(error)))
    page.goto(curation_server + "/doc/t-forum")
    expect(page.locator("#facts button", has_text="Отклонить")).to_have_count(0)
    page.get_by_role("link", name="Войти для правки").click()
    page.get_by_label("Токен").fill(CURATION_TOKEN)
    page.get_by_role("button", name="Войти").click()
    expect(page).to_have_url(re.compile(r"/doc/t-forum$"))

    quote = page.locator("#facts li", has_text="Мы готовы расширять партнёрство")
    expect(quote).to_have_count(1)
    quote.get_by_role("button", name="Отклонить").click()

    expect(page).to_have_url(re.compile(r"/doc/t-forum$"))
    expect(page.locator("#facts")).not_to_contain_text("Мы готовы расширять партнёрство")
    expect(page.locator("#article .quote")).to_have_count(0)
    page.screenshot(path=str(SCREENSHOTS / "11-curation-rejected-quote.png"), full_page=True)
    context.close()
    assert errors == []
