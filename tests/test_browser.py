"""The web UI in a real browser: Debian's chromium driven by Playwright, clicking through the pages as a
person would, with screenshots saved to artifacts/screenshots/ and no console errors allowed.

Without /usr/bin/chromium the tests fail when CI is set (CI installs it) and are skipped otherwise.
"""

from __future__ import annotations

import re
from collections.abc import Iterator

import httpx
import pytest
from playwright.sync_api import Browser, ConsoleMessage, Page, expect

from conftest import SCREENSHOTS

LAPTOP = {"width": 1366, "height": 900}
PHONE = {"width": 390, "height": 844}


class Tab:
    """A browser page with the console errors it collected and a screenshot helper."""

    def __init__(self, page: Page, base: str) -> None:
        self.page = page
        self.base = base
        self.errors: list[str] = []
        page.on("console", self._console)
        page.on("pageerror", lambda error: self.errors.append(f"page error: {error}"))

    def _console(self, message: ConsoleMessage) -> None:
        if message.type == "error":
            self.errors.append(f"{self.page.url}: {message.text}")

    def open(self, path: str) -> Page:
        self.page.goto(self.base + path)
        return self.page

    def shot(self, name: str) -> None:
        self.page.screenshot(path=str(SCREENSHOTS / f"{name}.png"), full_page=True)

    def assert_clean(self) -> None:
        assert self.errors == []


@pytest.fixture
def tab(browser: Browser, server: str) -> Iterator[Tab]:
    context = browser.new_context(viewport=LAPTOP, locale="ru-RU")
    yield Tab(context.new_page(), server)
    context.close()


@pytest.fixture
def phone(browser: Browser, server: str) -> Iterator[Tab]:
    context = browser.new_context(viewport=PHONE, is_mobile=True, has_touch=True, locale="ru-RU")
    yield Tab(context.new_page(), server)
    context.close()


def test_dashboard(tab: Tab) -> None:
    page = tab.open("/")
    expect(page.locator("h1")).to_have_text("Обзор")
    expect(page.locator("#people")).to_contain_text("Аида Балаева")
    expect(page.locator("#upcoming")).to_contain_text("Астанинский международный форум")
    expect(page.locator("#topics .hbars .fill").first).to_be_visible()
    tab.shot("01-dashboard")
    tab.assert_clean()


def test_a_reader_goes_from_search_to_article_entity_calendar_and_graph(tab: Tab) -> None:
    """One path a person takes, by the site's own links: the first page is the only one opened by URL."""
    page = tab.open("/")
    page.get_by_role("search").get_by_role("textbox").fill("Балаевой")
    page.get_by_role("search").get_by_role("button").click()
    expect(page).to_have_url(re.compile(r"/search\?q="))
    expect(page.locator("mark.hit").first).to_be_visible()
    expect(page.locator("#entities")).to_contain_text("Аида Балаева")
    tab.shot("02-search")

    page.locator(".hit a", has_text="Стороны обсудили").click()
    expect(page).to_have_url(re.compile(r"/doc/\w+$"))
    name = page.locator("#article mark.PER", has_text="Аиды Балаевой").first
    expect(name).to_be_visible()
    expect(name).to_have_text("Аиды Балаевой")
    expect(page.locator("#legend")).to_contain_text("персона")
    expect(page.locator("#article")).to_contain_text("предстоящий республиканский референдум")
    tab.shot("03-article")

    page.locator("#panel-entities a[href^='/entity/']").get_by_text("Аида Балаева", exact=True).click()
    expect(page.locator("h1")).to_have_text("Аида Балаева")
    expect(page.locator("#posts")).to_contain_text("министр культуры и информации РК")
    expect(page.locator("#links")).to_contain_text("Аида Балаева")
    expect(page.locator("#documents")).to_contain_text("Стороны обсудили")
    expect(page.locator("#co-mentioned")).to_contain_text("Джерен Гювен Гюрес")
    tab.shot("04-entity")

    page.get_by_role("navigation").get_by_role("link", name="Календарь").click()
    expect(page.locator("h1")).to_have_text("Календарь анонсированных событий")
    expect(page.locator("#list")).to_contain_text("республиканский референдум")
    page.locator("#list h3 a", has_text="март 2026").click()
    expect(page.locator("#month h2")).to_have_text("март 2026")
    expect(page.locator('td[data-date="2026-03-15"]')).to_contain_text("референдум")
    tab.shot("04b-calendar")

    page.get_by_role("navigation").get_by_role("link", name="Граф связей").click()
    expect(page.locator("h1")).to_have_text("Кто с кем встречался и упоминается вместе")
    expect(page.locator("#graph .node", has_text="Аида Балаева")).to_be_visible()
    expect(page.locator("#meetings li", has_text="Аида Балаева")).to_contain_text("Джерен Гювен Гюрес")
    tab.shot("04c-graph")
    tab.assert_clean()


def test_clicking_a_name_in_the_article_opens_its_entity(tab: Tab) -> None:
    page = tab.open("/doc/t-forum")
    page.locator("#article mark.PER", has_text="Мари Дюбуа").click()
    expect(page.locator("h1")).to_have_text("Мари Дюбуа")
    tab.assert_clean()


def test_fact_panel_links_flash_their_span(tab: Tab) -> None:
    page = tab.open("/doc/t-forum")
    page.locator("#facts a[href^='#span-quote-']").click()
    quote = page.locator("#article .quote.flash")
    expect(quote).to_have_text("Мы готовы расширять партнёрство")
    expect(quote).to_be_in_viewport()
    page.locator("#facts a[href^='#span-event-']").last.click()
    expect(page.locator("#article .event.flash")).to_contain_text("Астанинский международный форум")
    tab.shot("05-article-facts")
    tab.assert_clean()


def test_layer_switch_hides_a_kind_of_highlight(tab: Tab) -> None:
    page = tab.open("/doc/t-forum")
    quote = page.locator("#article .quote").first
    before = quote.evaluate("el => getComputedStyle(el).backgroundColor")
    page.locator("#layers input[data-layer='quote']").uncheck()
    after = quote.evaluate("el => getComputedStyle(el).backgroundColor")
    assert before != after and after == "rgba(0, 0, 0, 0)"
    tab.assert_clean()


def test_entity_timeline_of_posts(tab: Tab) -> None:
    page = tab.open("/")
    page.get_by_role("search").get_by_role("textbox").fill("Кошербаев")
    page.keyboard.press("Enter")
    page.locator("#entities").get_by_role("link", name="Ермек Кошербаев").click()
    posts = page.locator("#posts .timeline li")
    expect(posts.nth(0)).to_contain_text("посол Казахстана в Бельгии")
    expect(posts.nth(1)).to_contain_text("министр иностранных дел")
    expect(page.locator("#meetings")).to_contain_text("Мари Дюбуа")
    expect(page.locator("#mentions-chart .vbars .col").first).to_be_attached()
    tab.shot("06-entity-timeline")
    tab.assert_clean()


def announced_names(samples_extracted: list[dict]) -> list[str]:
    """Announced events the pipeline finds in the samples now, plus the hand-written forum."""
    names = [
        e["name"] for record in samples_extracted for e in record["events"] if e["status"] == "announced"
    ]
    return [*dict.fromkeys(names), "Астанинский международный форум"]


def test_calendar_lists_the_announced_events(tab: Tab, samples_extracted: list[dict]) -> None:
    page = tab.open("/")
    page.get_by_role("navigation").get_by_role("link", name="Календарь").click()
    expect(page.locator("h1")).to_have_text("Календарь анонсированных событий")
    listing = page.locator("#list")
    for name in announced_names(samples_extracted):
        expect(listing).to_contain_text(name)
    page.goto(tab.base + "/calendar?month=2030-05")
    expect(page.locator("#month h2")).to_have_text("май 2030")
    expect(page.locator('td[data-date="2030-05-20"] .ev')).to_have_text("Астанинский международный форум")
    tab.shot("07-calendar")
    page.locator("a[rel=next]").click()
    expect(page.locator("#month h2")).to_have_text("июнь 2030")
    tab.assert_clean()


def test_calendar_month_shows_the_referendum_of_15_march_2026_once(tab: Tab) -> None:
    page = tab.open("/calendar?month=2026-03")
    expect(page.locator("#month h2")).to_have_text("март 2026")
    day = page.locator('td[data-date="2026-03-15"]')
    expect(day).to_contain_text("референдум")
    # Both samples announce it; the calendar shows it once.
    expect(day.locator(".ev")).to_have_count(1)
    expect(page.locator("#list li", has_text="референдум")).to_have_count(1)
    tab.shot("07b-calendar-referendum")
    tab.assert_clean()


def meeting_pairs(server: str) -> set[tuple[int, int]]:
    """Store entity ids of everyone who took part in one event together, as the stored records say:
    what the pipeline found in the samples now, and the hand-written forum's meeting."""
    pairs = set()
    for item in httpx.get(server + "/api/documents", params={"limit": 500}).json()["items"]:
        record = httpx.get(f"{server}/api/documents/{item['id']}").json()
        kb = {e["id"]: e["kb_id"] for e in record["entities"]}
        for event in record["events"]:
            people = sorted({kb[p] for p in event["participants"] if kb.get(p) is not None})
            pairs |= {(a, b) for i, a in enumerate(people) for b in people[i + 1 :]}
    return pairs


def test_graph_shows_who_met_whom(tab: Tab) -> None:
    pairs = meeting_pairs(tab.base)
    assert pairs, "the hand-written forum article has a meeting"
    page = tab.open("/graph")
    expect(page.locator("#graph .node").first).to_be_visible()
    for a, b in pairs:
        expect(page.locator(f'#graph .node[data-id="{a}"]')).to_be_visible()
        expect(page.locator(f'#graph .node[data-id="{b}"]')).to_be_visible()
        expect(page.locator(f'#graph line.meeting[data-source="{a}"][data-target="{b}"]')).to_be_attached()
    before = page.locator("#viewport").get_attribute("transform")
    page.locator("#zoom-in").click()
    assert page.locator("#viewport").get_attribute("transform") != before
    page.locator("#zoom-fit").click()
    tab.shot("08-graph")
    page.locator("#graph .node", has_text="Мари Дюбуа").click()
    expect(page.locator("h1")).to_have_text("Мари Дюбуа")
    tab.assert_clean()


def test_api_docs_render_offline(tab: Tab) -> None:
    page = tab.open("/docs")
    expect(page.locator(".swagger-ui .opblock").first).to_be_visible(timeout=20_000)
    expect(page.locator(".swagger-ui")).to_contain_text("/api/search")
    tab.shot("09-api-docs")
    tab.assert_clean()


@pytest.mark.parametrize(
    ("path", "name"), [("/", "dashboard"), ("/doc/t-forum", "article"), ("/calendar", "calendar")]
)
def test_pages_fit_a_phone(phone: Tab, path: str, name: str) -> None:
    page = phone.open(path)
    overflow = page.evaluate("document.documentElement.scrollWidth - window.innerWidth")
    assert overflow <= 0
    phone.shot(f"10-phone-{name}")
    phone.assert_clean()
