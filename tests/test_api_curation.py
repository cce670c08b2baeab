"""Curation through the JSON API (api/curation.py): a real uvicorn on 127.0.0.1 with LETOPIS_TOKEN set,
over its own copy of the web store; and the token-less server, where curation is off."""

from __future__ import annotations

import httpx
import pytest

from conftest import CURATION_TOKEN

AUTH = {"Authorization": f"Bearer {CURATION_TOKEN}"}
TOO_LARGE = 99999999999999999999  # past the database's 64-bit integers


def post(base: str, path: str, body: dict | None = None, headers: dict | None = None) -> httpx.Response:
    return httpx.post(base + path, json=body, headers=headers, timeout=30)


def get(base: str, path: str, **params: object) -> dict:
    response = httpx.get(base + path, params=params, timeout=30)
    assert response.status_code == 200, response.text
    return response.json()


def entity_id(base: str, name: str, type: str) -> int:
    items = get(base, "/api/entities", q=name, type=type, limit=500)["items"]
    return next(item["id"] for item in items if item["name"] == name)


# --- who may write -------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("path", "body"),
    [
        ("/api/facts/quote/1/reject", None),
        ("/api/facts/position/1/confirm", None),
        ("/api/entities/1/merge", {"into": 2}),
        ("/api/entities/1/rename", {"name": "Новое имя"}),
    ],
)
def test_without_a_configured_token_curation_is_403(server: str, path: str, body: dict | None) -> None:
    response = post(server, path, body, AUTH)
    assert response.status_code == 403
    assert response.json() == {"detail": "curation is disabled: set LETOPIS_TOKEN"}


@pytest.mark.parametrize(
    "headers",
    [
        None,
        {"Authorization": "Bearer wrong"},
        {"Authorization": CURATION_TOKEN},
        {"Authorization": f"Basic {CURATION_TOKEN}"},
    ],
)
def test_without_the_right_bearer_token_curation_is_401(curation_server: str, headers: dict | None) -> None:
    response = post(curation_server, "/api/facts/quote/1/reject", headers=headers)
    assert response.status_code == 401
    assert response.headers["www-authenticate"] == "Bearer"


@pytest.mark.parametrize(
    ("path", "body", "detail"),
    [
        ("/api/facts/quote/999999/reject", None, "no quote with id 999999"),
        ("/api/facts/event/999999/confirm", None, "no event with id 999999"),
        ("/api/entities/999999/rename", {"name": "Кто-то"}, "no entity with id 999999"),
        ("/api/entities/999999/merge", {"into": 1}, "no entity with id 999999"),
        ("/api/entities/1/merge", {"into": 999999}, "no entity with id 999999"),
        (f"/api/facts/quote/{TOO_LARGE}/reject", None, f"no quote with id {TOO_LARGE}"),
        (f"/api/facts/position/{TOO_LARGE}/confirm", None, f"no position with id {TOO_LARGE}"),
        (f"/api/entities/{TOO_LARGE}/rename", {"name": "Кто-то"}, f"no entity with id {TOO_LARGE}"),
        (f"/api/entities/{TOO_LARGE}/merge", {"into": 1}, f"no entity with id {TOO_LARGE}"),
    ],
)
def test_unknown_ids_are_404(curation_server: str, path: str, body: dict | None, detail: str) -> None:
    response = post(curation_server, path, body, AUTH)
    assert response.status_code == 404
    assert response.json() == {"detail": detail}


def test_merging_into_an_id_past_the_databases_integers_is_422(curation_server: str) -> None:
    response = post(curation_server, "/api/entities/1/merge", {"into": TOO_LARGE}, AUTH)
    assert response.status_code == 422
    assert response.json()["detail"] == "into: Input should be less than or equal to 9223372036854775807"


def test_unknown_fact_kind_is_422(curation_server: str) -> None:
    assert post(curation_server, "/api/facts/topic/1/reject", headers=AUTH).status_code == 422


# --- the edits -----------------------------------------------------------------------------------


def test_rejected_position_leaves_the_list_and_the_entity_page(curation_server: str) -> None:
    envoy = entity_id(curation_server, "Мари Дюбуа", "PER")
    [position] = get(curation_server, "/api/positions", person=envoy)["items"]
    assert position["title"] == "посол Франции"

    response = post(curation_server, f"/api/facts/position/{position['id']}/reject", headers=AUTH)

    assert response.status_code == 200
    edit = response.json()
    assert (edit["action"], edit["by"], edit["after"]) == ("reject", "web", {"review": "rejected"})
    assert get(curation_server, "/api/positions", person=envoy) == {
        "items": [],
        "total": 0,
        "limit": 50,
        "offset": 0,
    }
    assert get(curation_server, f"/api/entities/{envoy}")["posts"] == []
    page = httpx.get(f"{curation_server}/entity/{envoy}", timeout=30).text
    assert "посол Франции" not in page
    record = get(curation_server, "/api/documents/t-forum")
    assert [p["title"] for p in record["positions"]] == ["министр иностранных дел"]


def test_confirm_a_quote(curation_server: str) -> None:
    minister = entity_id(curation_server, "Ермек Кошербаев", "PER")
    quote = get(curation_server, "/api/quotes", speaker=minister)["items"][0]
    response = post(curation_server, f"/api/facts/quote/{quote['id']}/confirm", headers=AUTH)
    assert response.status_code == 200
    assert (response.json()["by"], response.json()["after"]) == ("web", {"review": "confirmed"})


def test_merge_two_entities(curation_server: str) -> None:
    # A curator counts the country office as the organisation itself.
    office = entity_id(curation_server, "Страновой офис Структуры «ООН-Женщины»", "ORG")
    un_women = entity_id(curation_server, "Структура «ООН-Женщины»", "ORG")

    response = post(curation_server, f"/api/entities/{office}/merge", {"into": un_women}, AUTH)

    assert response.status_code == 200
    edit = response.json()
    assert (edit["action"], edit["by"]) == ("merge", "web")
    assert edit["after"]["entity"]["id"] == un_women
    aliases = get(curation_server, f"/api/entities/{un_women}")["aliases"]
    assert "Страновой офис Структуры «ООН-Женщины»" in aliases
    assert httpx.get(f"{curation_server}/api/entities/{office}", timeout=30).status_code == 404


def test_merge_with_itself_is_400(curation_server: str) -> None:
    place = entity_id(curation_server, "Алматы", "LOC")
    response = post(curation_server, f"/api/entities/{place}/merge", {"into": place}, AUTH)
    assert response.status_code == 400
    assert response.json() == {"detail": "cannot merge «Алматы» with itself"}


def test_rename_an_entity(curation_server: str) -> None:
    ministry = entity_id(curation_server, "МИД", "ORG")
    name = "Министерство иностранных дел Республики Казахстан"

    response = post(curation_server, f"/api/entities/{ministry}/rename", {"name": name}, AUTH)

    assert response.status_code == 200
    assert (response.json()["action"], response.json()["by"]) == ("rename", "web")
    assert get(curation_server, f"/api/entities/{ministry}")["name"] == name
