"""The JSON API (api/routes.py, api/extract.py) over HTTP against a real uvicorn on 127.0.0.1.
The server serves the same store from SQLite, then from PostgreSQL (conftest.web_server).
"""

from __future__ import annotations

import json

import httpx
import pytest

from conftest import FORUM_TEXT


@pytest.fixture(scope="module")
def server(web_server: str) -> str:
    return web_server


def get(server: str, path: str, **params: object) -> httpx.Response:
    return httpx.get(server + path, params=params, timeout=30)


def entity_id(server: str, name: str, type: str = "PER") -> int:
    items = get(server, "/api/entities", q=name, type=type).json()["items"]
    return next(item["id"] for item in items if item["name"] == name)


# --- documents -----------------------------------------------------------------------------------


def test_documents_are_paged_with_a_total(server: str) -> None:
    first = get(server, "/api/documents", limit=2).json()
    second = get(server, "/api/documents", limit=2, offset=2).json()
    assert first["total"] == second["total"] == 5
    assert (first["limit"], first["offset"], len(first["items"])) == (2, 0, 2)
    ids = [d["id"] for d in first["items"] + second["items"]]
    assert len(set(ids)) == 4


@pytest.mark.parametrize(
    ("params", "expected"),
    [
        ({"since": "2025-01-01", "until": "2025-12-31"}, ["t-forum"]),
        ({"until": "2019-12-31"}, ["t-history"]),
        ({"source": "mfa.gov.kz"}, ["t-forum"]),
        ({"source": "архив"}, ["t-history"]),
        ({"topic": "17", "source": "mfa"}, ["t-forum"]),
    ],
)
def test_documents_filters(server: str, params: dict, expected: list[str]) -> None:
    page = get(server, "/api/documents", **params).json()
    assert [d["id"] for d in page["items"]] == expected
    assert page["total"] == len(expected)


def test_documents_naming_an_entity(server: str) -> None:
    minister = entity_id(server, "Ермек Кошербаев")
    ids = {d["id"] for d in get(server, "/api/documents", entity=minister).json()["items"]}
    assert {"t-forum", "t-history"} <= ids


def test_document_with_its_facts_and_store_entity_ids(server: str) -> None:
    record = get(server, "/api/documents/t-forum").json()
    assert record["schema"] == 1 and record["published"] == "2025-11-03"
    assert [q["text"] for q in record["quotes"]] == ["Мы готовы расширять партнёрство"]
    assert [e["status"] for e in record["events"]] == ["happened", "announced"]
    assert all(isinstance(e["kb_id"], int) for e in record["entities"])


def test_bad_date_is_a_422_with_a_message(server: str) -> None:
    response = get(server, "/api/documents", since="24.02.2026")
    assert response.status_code == 422
    assert response.json()["detail"].startswith("since: String should match pattern")


@pytest.mark.parametrize("path", ["/api/documents/nope", "/api/entities/999999"])
def test_unknown_ids_are_404_json(server: str, path: str) -> None:
    response = get(server, path)
    assert response.status_code == 404
    assert response.json()["detail"].startswith("no ")


TOO_LARGE = 99999999999999999999  # past the database's 64-bit integers
BOUND = "Input should be less than or equal to 9223372036854775807"


def test_an_entity_id_past_the_databases_integers_is_404_json(server: str) -> None:
    response = get(server, f"/api/entities/{TOO_LARGE}")
    assert (response.status_code, response.json()) == (404, {"detail": f"no entity with id {TOO_LARGE}"})


@pytest.mark.parametrize(
    ("path", "params", "detail"),
    [
        ("/api/documents", {"offset": TOO_LARGE}, f"offset: {BOUND}"),
        ("/api/documents", {"entity": TOO_LARGE}, f"entity: {BOUND}"),
        ("/api/search", {"q": "референдум", "offset": TOO_LARGE}, f"offset: {BOUND}"),
        ("/api/entities", {"offset": TOO_LARGE}, f"offset: {BOUND}"),
        ("/api/entities/1", {"offset": TOO_LARGE}, f"offset: {BOUND}"),
        ("/api/positions", {"person": TOO_LARGE}, f"person: {BOUND}"),
        ("/api/positions", {"organization": TOO_LARGE}, f"organization: {BOUND}"),
        ("/api/quotes", {"speaker": TOO_LARGE}, f"speaker: {BOUND}"),
        ("/api/events", {"entity": TOO_LARGE}, f"entity: {BOUND}"),
        ("/api/documents", {"offset": -1}, "offset: Input should be greater than or equal to 0"),
    ],
)
def test_a_parameter_past_the_databases_integers_is_422_json(
    server: str, path: str, params: dict, detail: str
) -> None:
    response = get(server, path, **params)
    assert (response.status_code, response.json()["detail"]) == (422, detail)


@pytest.mark.parametrize(
    ("path", "params", "items"),
    [
        ("/api/documents", {}, "items"),
        ("/api/entities", {}, "items"),
        ("/api/search", {"q": "референдум"}, "documents"),
    ],
)
def test_the_largest_offset_is_an_empty_page(server: str, path: str, params: dict, items: str) -> None:
    response = get(server, path, **params, offset=2**63 - 1)
    assert (response.status_code, response.json()[items]) == (200, [])


def test_limit_out_of_range_is_422(server: str) -> None:
    response = get(server, "/api/documents", limit=0)
    assert response.status_code == 422
    assert response.json()["detail"] == "limit: Input should be greater than or equal to 1"


# --- entities ------------------------------------------------------------------------------------


def test_entities_found_by_any_word_form(server: str) -> None:
    page = get(server, "/api/entities", q="Балаевой").json()
    assert [e["name"] for e in page["items"]] == ["Аида Балаева"]
    assert page["total"] == 1


def test_entity_profile_posts_over_time(server: str) -> None:
    profile = get(server, f"/api/entities/{entity_id(server, 'Ермек Кошербаев')}").json()
    # The knowledge base's timeline, as `letopis show entity` prints it: "глава МИД" in the undated UN
    # sample heads the same office as "министр иностранных дел", so it is one post vouched for by both.
    assert [(p["first_seen"], p["last_seen"], p["title"], p["documents"]) for p in profile["posts"]] == [
        ("2019-06-14", "2019-06-14", "посол Казахстана в Бельгии", 1),
        ("2025-11-03", "2025-11-03", "министр иностранных дел", 2),
    ]
    minister = profile["posts"][1]
    assert (minister["organization"]["name"], minister["current"]) == ("МИД", True)
    assert "t-forum" in minister["doc_ids"] and len(minister["doc_ids"]) == 2
    assert [(p["title"], p["documents"]) for p in profile["timeline"]] == [
        (p["title"], p["doc_ids"]) for p in profile["posts"]
    ]


def test_entity_profile_says_why_each_document_was_linked(server: str) -> None:
    profile = get(server, f"/api/entities/{entity_id(server, 'Ермек Кошербаев')}").json()
    links = {link["doc_id"]: link for link in profile["links"]}
    assert set(links) == {d["id"] for d in profile["documents"]["items"]}
    forum = links["t-forum"]
    assert (forum["name"], forum["rule"], forum["evidence"]) == (
        "Ермек Кошербаев",
        "same_name",
        "«Ермек Кошербаев» is a name of it",
    )


def test_organization_profile_says_who_headed_it_when(server: str) -> None:
    profile = get(server, f"/api/entities/{entity_id(server, 'МИД', 'ORG')}").json()
    assert [
        (h["person"]["name"], h["title"], h["first_seen"], h["last_seen"]) for h in profile["headed_by"]
    ] == [("Ермек Кошербаев", "министр иностранных дел", "2025-11-03", "2025-11-03")]
    assert "t-forum" in profile["headed_by"][0]["documents"]


def test_entity_profile_quotes_meetings_and_months(server: str) -> None:
    profile = get(server, f"/api/entities/{entity_id(server, 'Ермек Кошербаев')}").json()
    assert "Мы готовы расширять партнёрство" in [q["text"] for q in profile["quotes"]]
    meeting = next(e for e in profile["events"] if e["name"] == "встреча Ермека Кошербаева и Мари Дюбуа")
    assert [p["name"] for p in meeting["participants"]] == ["Ермек Кошербаев", "Мари Дюбуа"]
    assert (meeting["from"], meeting["place"]["name"]) == ("2025-11-03", "Астана")
    assert {"month": "2019-06", "mentions": 1, "documents": 1} in profile["mentions_by_month"]
    assert "Мари Дюбуа" in [c["name"] for c in profile["co_mentioned"]]


def test_entity_profile_documents_are_paged(server: str) -> None:
    profile = get(server, f"/api/entities/{entity_id(server, 'Ермек Кошербаев')}", limit=1).json()
    assert profile["documents"]["total"] >= 2
    assert len(profile["documents"]["items"]) == 1


# --- positions, quotes, events, topics -----------------------------------------------------------


def test_positions_of_a_person_oldest_first(server: str) -> None:
    page = get(server, "/api/positions", person=entity_id(server, "Ермек Кошербаев")).json()
    hand_written = [p for p in page["items"] if p["doc_id"].startswith("t-")]
    assert [(p["as_of"], p["title"]) for p in hand_written] == [
        ("2019-06-14", "посол Казахстана в Бельгии"),
        ("2025-11-03", "министр иностранных дел"),
    ]
    assert hand_written[1]["evidence"] == "министр иностранных дел Ермек Кошербаев"


def test_positions_by_title(server: str) -> None:
    page = get(server, "/api/positions", title="посол Франции").json()
    assert [(p["person"]["name"], p["title"]) for p in page["items"]] == [("Мари Дюбуа", "посол Франции")]


def test_quotes_of_a_speaker(server: str) -> None:
    page = get(server, "/api/quotes", speaker=entity_id(server, "Мари Дюбуа")).json()
    assert page == {"items": [], "total": 0, "limit": 50, "offset": 0}
    page = get(server, "/api/quotes", speaker=entity_id(server, "Ермек Кошербаев"), kind="direct").json()
    assert "Мы готовы расширять партнёрство" in [q["text"] for q in page["items"]]


@pytest.mark.parametrize(
    ("term", "said"),
    [
        ("референдум", ["окончательное решение по предлагаемым изменениям Основного закона"]),
        ("реформы", ["Реформа носит системный и долгосрочный характер"]),
        (
            "законы",
            [
                "окончательное решение по предлагаемым изменениям Основного закона",
                "проект Основного закона предусматривает",
            ],
        ),
        ("Марс", []),
    ],
)
def test_quotes_about_a_term_in_any_word_form(server: str, term: str, said: list[str]) -> None:
    page = get(server, "/api/quotes", term=term).json()
    texts = sorted(q["text"] for q in page["items"])
    assert [text[: len(start)] for text, start in zip(texts, said, strict=True)] == said
    assert page["total"] == len(said)


def test_quotes_about_a_term_name_their_speaker_and_source(server: str) -> None:
    page = get(server, "/api/quotes", term="референдума").json()
    (quote,) = page["items"]
    assert (quote["speaker"]["name"], quote["kind"]) == ("Ермек Кошербаев", "indirect")
    document = get(server, f"/api/documents/{quote['doc_id']}").json()
    assert document["text"][quote["start"] : quote["end"]] == quote["text"]


def test_quotes_about_a_term_keep_the_other_filters(server: str) -> None:
    balaeva = entity_id(server, "Аида Балаева")
    page = get(server, "/api/quotes", term="Основного закона", speaker=balaeva).json()
    assert [q["speaker"]["name"] for q in page["items"]] == ["Аида Балаева"]
    assert get(server, "/api/quotes", term="Основного закона", kind="direct").json()["total"] == 0


@pytest.mark.parametrize("term", ["!!!", "  "])
def test_quotes_about_a_term_without_words_is_400(server: str, term: str) -> None:
    response = get(server, "/api/quotes", term=term)
    assert response.status_code == 400
    assert "no words" in response.json()["detail"]


def test_announced_events_in_a_date_range(server: str) -> None:
    page = get(server, "/api/events", status="announced", **{"from": "2030-05-21", "to": "2030-12-31"}).json()
    assert [(e["name"], e["from"], e["to"]) for e in page["items"]] == [
        ("Астанинский международный форум", "2030-05-20", "2030-05-21")
    ]
    assert page["items"][0]["place"]["name"] == "Астана"


def test_events_outside_the_range_are_left_out(server: str) -> None:
    page = get(server, "/api/events", status="announced", **{"from": "2030-05-22"}).json()
    assert page["total"] == 0


def test_event_status_must_be_known(server: str) -> None:
    response = get(server, "/api/events", status="planned")
    assert response.status_code == 422
    assert "status" in response.json()["detail"]


def test_topics_count_documents_per_sdg_code(server: str, samples_extracted: list[dict]) -> None:
    counts = {t["code"]: t["documents"] for t in get(server, "/api/topics").json()["items"]}
    expected: dict[str, int] = {"17": 1}  # the forum article
    for record in samples_extracted:
        for code in {t["code"] for t in record["topics"] if t["scheme"] == "SDG"}:
            expected[code] = expected.get(code, 0) + 1
    assert counts == expected


# --- search --------------------------------------------------------------------------------------


def test_search_finds_inflected_forms_with_snippet_marks(server: str) -> None:
    result = get(server, "/api/search", q="Кошербаева").json()
    assert result["total"] >= 2
    hit = next(d for d in result["documents"] if d["id"] == "t-history")
    start, end = hit["marks"][0]
    assert hit["snippet"][start:end] == "Кошербаев"
    assert "Ермек Кошербаев" in [e["name"] for e in result["entities"]]


def test_search_facets_count_every_hit(server: str) -> None:
    result = get(server, "/api/search", q="Кошербаев", limit=1).json()
    assert len(result["documents"]) == 1 and result["total"] >= 2
    sources = {f["value"]: f["count"] for f in result["facets"]["source"]}
    assert sources["mfa.gov.kz"] == 1 and sources["2019"] == 1
    assert {"value": "2019-06", "label": "2019-06", "count": 1} in result["facets"]["month"]
    assert {"value": "PER", "label": "PER", "count": result["total"]} in result["facets"]["type"]


def test_search_filters_by_source_and_dates(server: str) -> None:
    result = get(server, "/api/search", q="Кошербаев", since="2019-01-01", until="2019-12-31").json()
    assert [d["id"] for d in result["documents"]] == ["t-history"]
    result = get(server, "/api/search", q="Кошербаев", source="mfa.gov.kz").json()
    assert [d["id"] for d in result["documents"]] == ["t-forum"]


@pytest.mark.parametrize("query", ["", "   ", "!!!", '"', "«»"])
def test_search_without_words_is_400(server: str, query: str) -> None:
    response = get(server, "/api/search", q=query)
    assert response.status_code == 400
    assert "nothing to search for" in response.json()["detail"]


@pytest.mark.parametrize("query", ["NEAR(a b", "Балаева OR", "*", "title:референдум", "AND AND"])
def test_fts_syntax_is_taken_as_words_never_500(server: str, query: str) -> None:
    response = get(server, "/api/search", q=query)
    assert response.status_code in (200, 400)
    assert "detail" in response.json() or "documents" in response.json()


# --- graph ---------------------------------------------------------------------------------------


def test_graph_links_meeting_participants(server: str) -> None:
    graph = get(server, "/api/graph").json()
    names = {n["id"]: n["name"] for n in graph["nodes"]}
    meetings = {
        frozenset((names[e["source"]], names[e["target"]])) for e in graph["edges"] if e["kind"] == "meeting"
    }
    assert frozenset(("Ермек Кошербаев", "Мари Дюбуа")) in meetings


# --- extract -------------------------------------------------------------------------------------


@pytest.mark.parametrize("path", ["/extract", "/api/extract"])
def test_extract_returns_the_contract(server: str, path: str) -> None:
    response = httpx.post(
        server + path, json={"text": FORUM_TEXT, "published": "2025-11-03", "title": "Встреча"}, timeout=120
    )
    assert response.status_code == 200, response.text
    record = response.json()
    assert (record["schema"], record["published"], record["title"], record["text"]) == (
        1,
        "2025-11-03",
        "Встреча",
        FORUM_TEXT,
    )
    for key in ("mentions", "entities", "positions", "quotes", "dates", "events", "topics"):
        assert isinstance(record[key], list)
    assert "Ермек Кошербаев" in {m["normal"] for m in record["mentions"]}


def test_extract_of_an_empty_text_is_422(server: str) -> None:
    response = httpx.post(server + "/extract", json={"text": "  \n"})
    assert response.status_code == 422
    assert response.json() == {"detail": 'text is empty: send the article in the "text" field'}


def test_extract_without_text_is_422(server: str) -> None:
    response = httpx.post(server + "/extract", json={"title": "Без текста"})
    assert response.status_code == 422
    assert response.json()["detail"] == "text: Field required"


def test_extract_of_bad_json_is_422(server: str) -> None:
    response = httpx.post(
        server + "/extract", content=b"{not json", headers={"content-type": "application/json"}
    )
    assert response.status_code == 422
    assert "JSON" in response.json()["detail"]


def test_extract_with_a_bad_date_is_422(server: str) -> None:
    response = httpx.post(server + "/extract", json={"text": "Текст.", "published": "вчера"})
    assert response.status_code == 422
    assert response.json()["detail"].startswith("published:")


def test_extract_over_one_megabyte_is_413(server: str) -> None:
    body = json.dumps({"text": "а" * (1024 * 1024)}).encode()
    response = httpx.post(server + "/api/extract", content=body, headers={"content-type": "application/json"})
    assert response.status_code == 413
    assert response.json()["detail"].startswith("request body is larger than 1 MB")


# --- OpenAPI -------------------------------------------------------------------------------------


def test_openapi_lists_the_routes(server: str) -> None:
    paths = get(server, "/openapi.json").json()["paths"]
    for path in (
        "/api/documents",
        "/api/documents/{doc_id}",
        "/api/entities",
        "/api/entities/{entity_id}",
        "/api/positions",
        "/api/quotes",
        "/api/events",
        "/api/topics",
        "/api/search",
        "/extract",
        "/api/extract",
    ):
        assert path in paths
    assert "requestBody" in paths["/extract"]["post"]


def test_docs_page_works_offline(server: str) -> None:
    page = get(server, "/docs").text
    assert "/static/swagger-ui-bundle.js" in page and "cdn" not in page.lower()
    assert get(server, "/static/swagger-ui-bundle.js").status_code == 200
