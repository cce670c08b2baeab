"""The web pages (web/app.py, web/pages.py) and their JSON twins, served for real by uvicorn.
The server serves the same store from SQLite, then from PostgreSQL (conftest.web_server).
"""

from __future__ import annotations

import re

import httpx
import pytest

from conftest import FORUM_TEXT

HTML = {"accept": "text/html"}


@pytest.fixture(scope="module")
def server(web_server: str) -> str:
    return web_server


def get(server: str, path: str, **params: object) -> httpx.Response:
    return httpx.get(server + path, params=params, timeout=30)


def doc_id(server: str, title_start: str) -> str:
    items = get(server, "/api/documents").json()["items"]
    return next(d["id"] for d in items if (d.get("title") or "").startswith(title_start))


def entity_id(server: str, name: str) -> int:
    return next(e["id"] for e in get(server, "/api/entities", q=name).json()["items"] if e["name"] == name)


@pytest.mark.parametrize(
    "path",
    [
        "/",
        "/documents",
        "/search?q=референдум",
        "/doc/t-forum",
        "/calendar",
        "/calendar?month=2030-05",
        "/graph",
    ],
)
def test_every_page_has_a_json_twin(server: str, path: str) -> None:
    page = httpx.get(server + path)
    base, _, query = path.partition("?")
    twin = httpx.get(server + (base if base != "/" else "/index") + ".json" + (f"?{query}" if query else ""))
    assert page.status_code == twin.status_code == 200
    assert page.headers["content-type"].startswith("text/html")
    assert twin.headers["content-type"] == "application/json"


def test_entity_page_and_twin(server: str) -> None:
    hits = get(server, "/api/search", q="Балаевой", type="PER").json()
    balaeva = hits["entities"][0]["id"]
    profile = get(server, f"/entity/{balaeva}.json").json()
    assert profile["name"] == "Аида Балаева"
    page = get(server, f"/entity/{balaeva}")
    assert page.status_code == 200 and "<h1>Аида Балаева</h1>" in page.text


def test_index_shows_counts_latest_people_and_announcements(server: str) -> None:
    page = get(server, "/").text
    assert "Стороны обсудили" in page
    assert "Аида Балаева" in page and "Ермек Кошербаев" in page
    assert "Астанинский международный форум" in page
    assert re.search(r'<section class="card" id="topics">.*class="sdg"[^>]*>17<', page, re.S)


def test_index_twin_has_the_counts(server: str) -> None:
    index = get(server, "/index.json").json()
    assert index["summary"]["documents"] == 5
    assert index["summary"]["facts"]["announced"] >= 1
    assert [e["name"] for e in index["upcoming_events"]].count("Астанинский международный форум") == 1


def test_document_page_highlights_mentions(server: str) -> None:
    page = get(server, f"/doc/{doc_id(server, 'Стороны обсудили')}").text
    assert '<mark class="PER"' in page
    assert re.search(
        r'<mark class="PER" id="span-mention-\d+-\d+" title="Аида Балаева"[^>]*>Аиды Балаевой</mark>', page
    )


@pytest.mark.parametrize(
    ("anchor", "tag", "text"),
    [
        ("span-quote", "span", "Мы готовы расширять партнёрство"),
        ("span-position", "span", "министр иностранных дел "),
        ("span-date", "time", "20–21 мая 2030 года"),
    ],
)
def test_document_page_highlights_each_kind_of_fact(server: str, anchor: str, tag: str, text: str) -> None:
    page = get(server, "/doc/t-forum").text
    start = FORUM_TEXT.index(text.strip())
    assert re.search(rf'<{tag} class="[^"]*" id="{anchor}-{start}-\d+"[^>]*>{re.escape(text)}', page)


def test_document_side_panel_links_every_fact_to_its_span(server: str) -> None:
    page = get(server, "/doc/t-forum").text
    panel = page[page.index('id="facts"') :]
    links = set(re.findall(r'href="#(span-[a-z]+-\d+-\d+)"', panel))
    anchors = set(re.findall(r'id="(span-[a-z]+-\d+-\d+)"', page))
    assert links == anchors
    assert {a.split("-")[1] for a in links} == {"mention", "date", "quote", "position", "event", "topic"}


def test_names_inside_a_position_are_nested_marks(server: str) -> None:
    page = get(server, "/doc/t-history").text
    position = re.search(r'<span class="position" id="span-position-0-42"[^>]*>(.*?)</span>', page).group(1)
    assert re.sub(r"<mark [^>]*>", "<mark>", position) == (
        "Посол <mark>Казахстана</mark> в <mark>Бельгии</mark> <mark>Ермек Кошербаев</mark>"
    )


def test_document_legend_names_every_colour(server: str) -> None:
    page = get(server, "/doc/t-forum").text
    legend = page[page.index('id="legend"') : page.index('id="layers"')]
    for word in ("персона", "организация", "место", "дата", "цитата", "должность"):
        assert word in legend


def test_document_json_twin_is_the_contract(server: str) -> None:
    record = get(server, f"/doc/{doc_id(server, 'Стороны обсудили')}.json").json()
    assert record["schema"] == 1
    assert record["published"] == "2026-02-24"


def test_search_page_marks_the_hit_in_its_sentence(server: str) -> None:
    page = get(server, "/search", q="референдум").text
    assert "Стороны обсудили" in page
    assert '<mark class="hit">референдум</mark>' in page


def test_search_page_facets_link_to_filtered_results(server: str) -> None:
    page = get(server, "/search", q="Кошербаев").text
    assert re.search(r'<a href="/search\?q=[^"]*source=mfa.gov.kz[^"]*"\s*>mfa.gov.kz</a>', page)
    filtered = get(server, "/search", q="Кошербаев", source="mfa.gov.kz").text
    assert "Ермек Кошербаев встретился с послом Франции" in filtered
    assert "Вручение верительных грамот" not in filtered


def test_search_page_with_no_words_says_so(server: str) -> None:
    response = httpx.get(server + "/search", params={"q": "!!!"}, headers=HTML)
    assert response.status_code == 400
    assert "nothing to search for" in response.text


def test_entity_page_shows_posts_meetings_and_chart(server: str) -> None:
    page = get(server, f"/entity/{entity_id(server, 'Ермек Кошербаев')}").text
    posts = page[page.index('id="posts"') :]
    assert posts.index("посол Казахстана в Бельгии") < posts.index("министр иностранных дел")
    meetings = page[page.index('id="meetings"') :]
    assert "встреча Ермека Кошербаева и Мари Дюбуа" in meetings and "Мари Дюбуа" in meetings
    assert 'title="июнь 2019: 1"' in page


def test_entity_twin_and_api_give_the_same_kb_profile(server: str) -> None:
    minister = entity_id(server, "Ермек Кошербаев")
    twin = get(server, f"/entity/{minister}.json").json()
    api = get(server, f"/api/entities/{minister}").json()
    for key in ("posts", "timeline", "headed_by", "links", "met", "edits", "aliases", "quotes", "events"):
        assert twin[key] == api[key], key
    assert [p["title"] for p in twin["posts"]] == ["посол Казахстана в Бельгии", "министр иностранных дел"]


def test_entity_page_shows_one_post_per_kb_post_with_its_sources(server: str) -> None:
    page = get(server, f"/entity/{entity_id(server, 'Ермек Кошербаев')}").text
    posts = page[page.index('id="posts"') : page.index("</section>", page.index('id="posts"'))]
    assert posts.count("<li") == 2 and "глава МИД" not in posts
    assert "министр иностранных дел</b>, <a href=" in posts and ">МИД</a>" in posts
    assert 'href="/doc/t-forum#span-position-' in posts and "и ещё 1" in posts
    assert "текущая" in posts


def test_entity_page_says_why_its_names_were_linked(server: str) -> None:
    page = get(server, f"/entity/{entity_id(server, 'Ермек Кошербаев')}").text
    links = page[page.index('id="links"') :]
    links = links[: links.index("</section>")]
    assert 'href="/doc/t-forum"' in links
    assert "same_name" in links and "«Ермек Кошербаев» is a name of it" in links


def test_organization_page_says_who_headed_it_when(server: str) -> None:
    page = get(server, f"/entity/{entity_id(server, 'МИД')}").text
    heads = page[page.index('id="heads"') :]
    heads = heads[: heads.index("</section>")]
    assert ">Ермек Кошербаев</a>" in heads and "министр иностранных дел" in heads
    assert "3 ноября 2025" in heads


def test_calendar_lists_one_event_once_with_every_document_announcing_it(server: str) -> None:
    calendar = get(server, "/calendar.json", month="2026-03").json()
    referendums = [e for e in calendar["events"] if e["type"] == "referendum"]
    assert [(e["name"], e["from"], e["documents"]) for e in referendums] == [
        ("республиканский референдум по вопросу принятия новой Конституции", "2026-03-15", 2)
    ]
    reports = referendums[0]["reports"]
    assert sorted(r["name"] for r in reports) == [
        "республиканский референдум",
        "республиканский референдум по вопросу принятия новой Конституции",
    ]
    assert len({r["doc_id"] for r in reports}) == 2
    page = get(server, "/calendar", month="2026-03").text
    cell = page[page.index('data-date="2026-03-15"') :]
    assert cell[: cell.index("</td>")].count('class="ev"') == 1
    listing = page[page.index('id="list"') :]
    for report in reports:
        assert f'href="/doc/{report["doc_id"]}#span-event-{report["start"]}-{report["end"]}"' in listing


def test_calendar_month_puts_the_event_on_its_days(server: str) -> None:
    page = get(server, "/calendar", month="2030-05").text
    for day in ("2030-05-20", "2030-05-21"):
        cell = page[page.index(f'data-date="{day}"') :]
        assert "Астанинский международный форум" in cell[: cell.index("</td>")]
    cell = page[page.index('data-date="2030-05-22"') :]
    assert "Астанинский международный форум" not in cell[: cell.index("</td>")]


def test_calendar_ics(server: str) -> None:
    response = get(server, "/calendar.ics")
    assert response.status_code == 200
    assert response.headers["content-type"].startswith("text/calendar")
    body = response.text
    assert body.startswith("BEGIN:VCALENDAR\r\n")
    assert "SUMMARY:Астанинский международный форум\r\n" in body
    assert "DTSTART;VALUE=DATE:20300520\r\nDTEND;VALUE=DATE:20300522\r\n" in body


def test_graph_page_embeds_the_graph_and_lists_meetings(server: str) -> None:
    page = get(server, "/graph").text
    assert '<script type="application/json" id="graph-data">' in page
    meetings = page[page.index('id="meetings"') :]
    assert "Ермек Кошербаев" in meetings and "Мари Дюбуа" in meetings


def test_hostile_text_is_escaped(server: str) -> None:
    items = get(server, "/api/documents").json()["items"]
    hostile = next(d["id"] for d in items if d["source"].endswith("hostile.txt"))
    page = get(server, f"/doc/{hostile}").text
    assert "<script>alert(1)</script>" not in page
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in page
    assert '" onmouseover="' not in page


def test_unknown_document_is_404_json(server: str) -> None:
    response = get(server, "/doc/nope.json")
    assert response.status_code == 404
    assert response.json() == {"detail": "no document with id nope"}


def test_unknown_document_page_is_a_russian_404_page(server: str) -> None:
    response = httpx.get(server + "/doc/nope", headers=HTML)
    assert response.status_code == 404
    assert "<h1>Не найдено</h1>" in response.text


TOO_LARGE = 99999999999999999999  # past the database's 64-bit integers


def test_an_entity_id_past_the_databases_integers_is_404_json(server: str) -> None:
    response = get(server, f"/entity/{TOO_LARGE}.json")
    assert (response.status_code, response.json()) == (404, {"detail": f"no entity with id {TOO_LARGE}"})


def test_an_entity_id_past_the_databases_integers_is_a_russian_404_page(server: str) -> None:
    response = httpx.get(f"{server}/entity/{TOO_LARGE}", headers=HTML, timeout=30)
    assert response.status_code == 404
    assert "<h1>Не найдено</h1>" in response.text


@pytest.mark.parametrize(
    ("path", "params", "name"),
    [
        ("/documents.json", {"offset": TOO_LARGE}, "offset"),
        ("/documents.json", {"entity": TOO_LARGE}, "entity"),
        ("/search.json", {"q": "референдум", "offset": TOO_LARGE}, "offset"),
        ("/entity/1.json", {"offset": TOO_LARGE}, "offset"),
    ],
)
def test_a_parameter_past_the_databases_integers_is_422_json(
    server: str, path: str, params: dict, name: str
) -> None:
    response = get(server, path, **params)
    assert response.status_code == 422
    assert response.json()["detail"] == f"{name}: Input should be less than or equal to 9223372036854775807"


def test_static_files_are_served(server: str) -> None:
    for name in ("style.css", "graph.js", "doc.js"):
        assert get(server, f"/static/{name}").status_code == 200
