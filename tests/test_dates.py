"""Tests for letopis.nlp.dates: real Russian sentences and the exact dates found in them.

Each row is (sentence, publication date, [(text, from, to, precision, partial), ...]).
Sentences come from samples/ and from the NEREL v1.1 train set and the factRuEval-2016 devset
(the file is named in a comment); the publication dates given with them are plausible, not known.
"""

from __future__ import annotations

import pytest

from letopis.model import Document
from letopis.nlp.dates import find_dates, resolve_dates

NBSP = "\xa0"

SAMPLE_REFERENDUM = (
    "При этом он подчеркнул, что окончательное решение по предлагаемым изменениям Основного закона "
    "будет принято по итогам республиканского референдума, который состоится 15 марта."
)
SAMPLE_PLAN = (
    "В ходе встречи стороны обсудили приоритетные направления Рамочного документа о сотрудничестве "
    "в целях устойчивого развития на 2026–2030 годы."
)
SAMPLE_SUMMIT = (
    "Министр поблагодарил агентства ООН за активное участие в подготовке Регионального экологического "
    "саммита, который пройдет 22–24 апреля."
)

SAMPLES = [
    # samples/004_0f5906432b56b7a9.txt, published 2026-02-24
    (SAMPLE_REFERENDUM, "2026-02-24", [("15 марта", "2026-03-15", "2026-03-15", "day", None)]),
    (SAMPLE_PLAN, "2026-02-24", [("на 2026–2030 годы", "2026-01-01", "2030-12-31", "year", None)]),
    (SAMPLE_SUMMIT, "2026-02-24", [("22–24 апреля", "2026-04-22", "2026-04-24", "day", None)]),
    # the same file read without a publication date
    (SAMPLE_REFERENDUM, None, [("15 марта", None, None, "day", "--03-15")]),
    (SAMPLE_SUMMIT, None, [("22–24 апреля", None, None, "day", "--04-22/--04-24")]),
    (SAMPLE_PLAN, None, [("на 2026–2030 годы", "2026-01-01", "2030-12-31", "year", None)]),
    # samples/000_200e2ad5eac8ecb4.txt opens with the date line the page carried
    (
        " date 2026-02-24 Стороны обсудили текущее состояние и перспективы сотрудничества",
        None,
        [("2026-02-24", "2026-02-24", "2026-02-24", "day", None)],
    ),
]

FULL_DATES = [
    # nerel train/114858_text.txt
    (
        f"Федеральный закон от 03.04.2017 №{NBSP}53-ФЗ 3 апреля 2017 года Президент России Владимир Путин "
        "подписал закон о ратификации соглашения между Россией и Южной Осетией.",
        None,
        [
            ("от 03.04.2017", "2017-04-03", "2017-04-03", "day", None),
            ("3 апреля 2017 года", "2017-04-03", "2017-04-03", "day", None),
        ],
    ),
    # nerel train/23512_text.txt
    (
        "Голос Америки 2013-01-10: Болезнь Чавеса вносит неопределенность в будущее Венесуэлы.",
        None,
        [("2013-01-10", "2013-01-10", "2013-01-10", "day", None)],
    ),
    # nerel train/04_12_12g.txt
    (
        "В ноябре 2011 г., потеряв большинство в парламенте страны, добровольно ушел в отставку.",
        None,
        [("В ноябре 2011 г.", "2011-11-01", "2011-11-30", "month", None)],
    ),
    # nerel train/11766_text.txt
    (
        "Пост российского премьера он занимал включительно по март 1998-го года.",
        None,
        [("по март 1998-го года", "1998-03-01", "1998-03-31", "month", None)],
    ),
    # nerel train/121887_text.txt: a day-month takes the year of the date before it in the sentence
    (
        "Законопроект с изменениями был принят Госдумой 14 июня 2017 года и спустя две недели, "
        "28 июня одобрен Советом Федерации.",
        "2018-03-01",
        [
            ("14 июня 2017 года", "2017-06-14", "2017-06-14", "day", None),
            ("28 июня", "2017-06-28", "2017-06-28", "day", None),
        ],
    ),
]

RANGES = [
    # nerel train/111763_text.txt
    (
        f"Предыдущий{NBSP}— 69-й{NBSP}— Каннский фестиваль проходил с 11 по 22 мая 2016 года.",
        "2017-04-13",
        [("с 11 по 22 мая 2016 года", "2016-05-11", "2016-05-22", "day", None)],
    ),
    (
        "70-й Каннский кинофестиваль пройдёт 17–28 мая 2017 года.",
        "2017-04-13",
        [("17–28 мая 2017 года", "2017-05-17", "2017-05-28", "day", None)],
    ),
    # nerel train/23713_text.txt: em dash
    (
        "Первые два кандидата переходят во второй тур выборов, который состоится 25—26 января 2013 года.",
        "2013-01-13",
        [("25—26 января 2013 года", "2013-01-25", "2013-01-26", "day", None)],
    ),
    # nerel train/117464_text.txt: hyphen, year from the publication date
    (
        "Похороны предположительно состоятся 11-12 мая, сообщила РБК его помощница.",
        "2017-05-10",
        [("11-12 мая", "2017-05-11", "2017-05-12", "day", None)],
    ),
    # factrueval devset/book_413.txt
    (
        "Этими контрактами окончательно подтверждено, что матч между Топаловым и Крамником состоится "
        "с 21 сентября по 13 октября в Элисте.",
        "2006-04-26",
        [("с 21 сентября по 13 октября", "2006-09-21", "2006-10-13", "day", None)],
    ),
    # nerel train/20318_text.txt: month ranges
    (
        "Первый отборочный этап проходил с сентября 2011 по апрель 2012, полуфинал и финал"
        f"{NBSP}— в сентябре{NBSP}— октябре 2012.",
        None,
        [
            ("с сентября 2011 по апрель 2012", "2011-09-01", "2012-04-30", "month", None),
            (f"в сентябре{NBSP}— октябре 2012", "2012-09-01", "2012-10-31", "month", None),
        ],
    ),
    # nerel train/1109.txt
    (
        "Досрочные парламентские выборы в Чехии могут состояться уже в ноябре-декабре этого года.",
        "2013-06-20",
        [("в ноябре-декабре этого года", "2013-11-01", "2013-12-31", "month", None)],
    ),
    # nerel train/11766_text.txt
    (
        f"В августе-сентябре 1998{NBSP}г., во время правительственного кризиса, Черномырдин вновь "
        "исполнял обязанности председателя правительства РФ.",
        None,
        [(f"В августе-сентябре 1998{NBSP}г.", "1998-08-01", "1998-09-30", "month", None)],
    ),
    # nerel train/15545_text.txt
    (
        "В 1994—1999 годах учился на социологическом факультете МГУ.",
        None,
        [("В 1994—1999 годах", "1994-01-01", "1999-12-31", "year", None)],
    ),
    # nerel train/04_12_12g.txt: hyphenated year ranges, "г." and "гг."
    (
        "Трижды избирался на пост главы правительства: возглавлял правительство Италии в 1994 г., "
        "в 2001-2006 гг. и в 2008-2011 г.",
        None,
        [
            ("в 1994 г.", "1994-01-01", "1994-12-31", "year", None),
            ("в 2001-2006 гг.", "2001-01-01", "2006-12-31", "year", None),
            ("в 2008-2011 г.", "2008-01-01", "2011-12-31", "year", None),
        ],
    ),
    # nerel train/19630_text.txt
    (
        "Как бы то ни было, в ночь с 11 на 12 сентября 2012 года монумент был полностью демонтирован.",
        None,
        [("в ночь с 11 на 12 сентября 2012 года", "2012-09-11", "2012-09-12", "day", None)],
    ),
    # nerel train/42687_text.txt
    (
        "Легендарный футболист ушёл из жизни в ночь с 4 на 5 января в возрасте 72 лет.",
        "2016-01-06",
        [("в ночь с 4 на 5 января", "2016-01-04", "2016-01-05", "day", None)],
    ),
    # nerel train/117514_text.txt: "Сегодня" is the date written beside it
    (
        "Сегодня, 11 мая 2017 года, на сайте Кремля опубликован документ «Стратегия развития "
        "информационного общества в Российской Федерации на 2017—2030 годы».",
        None,
        [
            ("Сегодня", "2017-05-11", "2017-05-11", "day", None),
            ("11 мая 2017 года", "2017-05-11", "2017-05-11", "day", None),
            ("на 2017—2030 годы", "2017-01-01", "2030-12-31", "year", None),
        ],
    ),
]

PERIODS = [
    # nerel train/1114.txt
    (
        "Строительство подводной части планируется начать уже во втором квартале 2014 года.",
        None,
        [("во втором квартале 2014 года", "2014-04-01", "2014-06-30", "month", None)],
    ),
    # nerel train/107943_text.txt
    (
        "По итогам первого полугодия 2016 года банк занимает 41-е место по размеру активов.",
        None,
        [("первого полугодия 2016 года", "2016-01-01", "2016-06-30", "month", None)],
    ),
    # nerel train/1013.txt: months take the publication year
    (
        "Хамдалла, которому в августе исполнится 55 лет, стал премьером после того, как в середине "
        "апреля в отставку подал премьер-министр Салам Фаяд.",
        "2013-06-03",
        [
            ("в августе", "2013-08-01", "2013-08-31", "month", None),
            ("в середине апреля", "2013-04-01", "2013-04-30", "month", None),
        ],
    ),
    (
        "Хамдалла, которому в августе исполнится 55 лет, стал премьером после того, как в середине "
        "апреля в отставку подал премьер-министр Салам Фаяд.",
        None,
        [("в августе", None, None, "month", "--08"), ("в середине апреля", None, None, "month", "--04")],
    ),
    # nerel train/128288_text.txt
    (
        "Футбольный клуб «Арарат» был создан в конце марта 2017 года при поддержке Ассоциации.",
        None,
        [("в конце марта 2017 года", "2017-03-01", "2017-03-31", "month", None)],
    ),
    # nerel train/111763_text.txt: a bare year after "в"
    (
        "Жюри Каннского кинофестиваля в 2017 возглавит Педро Альмодовар",
        None,
        [("в 2017", "2017-01-01", "2017-12-31", "year", None)],
    ),
    # nerel train/110890_text.txt
    (
        "Сын бывшего президента неоднократно становился виновником ДТП (в 1993 и 2003 годах).",
        None,
        [
            ("в 1993", "1993-01-01", "1993-12-31", "year", None),
            ("2003 годах", "2003-01-01", "2003-12-31", "year", None),
        ],
    ),
]

RELATIVE = [
    # nerel train/013.txt
    (
        "Как сообщил глава пресс-службы Айрат Мурзагалиев, вчера Муртаза Рахимов подписал указ.",
        "2009-07-22",
        [("вчера", "2009-07-21", "2009-07-21", "day", None)],
    ),
    # nerel train/105105_text.txt: the written date wins over the missing publication date
    (
        "Вчера, 16 августа 2016 года, российские СМИ распространили фразу из интервью.",
        None,
        [
            ("Вчера", "2016-08-16", "2016-08-16", "day", None),
            ("16 августа 2016 года", "2016-08-16", "2016-08-16", "day", None),
        ],
    ),
    # nerel train/106133_text.txt: Monday to Sunday of the week before
    (
        "На прошлой неделе на встрече с избирателями в Огайо она несколько минут не могла говорить.",
        "2016-09-14",
        [("На прошлой неделе", "2016-09-05", "2016-09-11", "day", None)],
    ),
    (
        "На прошлой неделе на встрече с избирателями в Огайо она несколько минут не могла говорить.",
        None,
        [("На прошлой неделе", None, None, "day", None)],
    ),
    # nerel train/105591_text.txt
    (
        "Представитель министерства рассказал, что Ким Ён Чжин был расстрелян в прошлом месяце после "
        "того, как он продемонстрировал «плохое поведение» во время сессии в июне.",
        "2016-08-31",
        [
            ("в прошлом месяце", "2016-07-01", "2016-07-31", "month", None),
            ("в июне", "2016-06-01", "2016-06-30", "month", None),
        ],
    ),
    # nerel train/023.txt
    (
        "Он покинул компанию три месяца назад.",
        "2008-05-15",
        [("три месяца назад", "2008-02-01", "2008-02-29", "month", None)],
    ),
    # nerel train/106967_text.txt
    (
        "Две недели назад Перес перенёс серьезный инсульт.",
        "2016-09-28",
        [("Две недели назад", "2016-09-14", "2016-09-14", "day", None)],
    ),
    # nerel train/106096_text.txt
    (
        "Человек, 35 лет назад стрелявший в президента Рейгана, выходит из психиатрической клиники",
        "2016-07-28",
        [("35 лет назад", "1981-01-01", "1981-12-31", "year", None)],
    ),
    # nerel train/26479_text.txt
    (
        "В ближайшие дни кардиналы в возрасте менее 80 лет соберутся для проведения конклава.",
        "2013-02-28",
        [("В ближайшие дни", "2013-02-28", "2013-03-07", "day", None)],
    ),
    # nerel train/106643_text.txt: a weekday in a report is the last such day (2016-09-19 is a Monday)
    (
        "Шариковые подшипники были найдены в устройствах, которые были заложены в субботу в районе Челси.",
        "2016-09-19",
        [("в субботу", "2016-09-17", "2016-09-17", "day", None)],
    ),
    # nerel train/19358_text.txt
    (
        "Энистон дала положительный ответ на его предложение о замужестве в минувшую пятницу.",
        "2012-08-13",
        [("в минувшую пятницу", "2012-08-10", "2012-08-10", "day", None)],
    ),
    # nerel train/106214_text.txt
    (
        "В будущем году в Армении пройдут парламентские выборы.",
        "2016-05-10",
        [("В будущем году", "2017-01-01", "2017-12-31", "year", None)],
    ),
    # nerel train/162165_text.txt
    (
        "По словам Владимира Путина, между странами «растёт товарооборот: в прошлом году он вырос на "
        "23 процента».",
        "2013-04-07",
        [("в прошлом году", "2012-01-01", "2012-12-31", "year", None)],
    ),
    # factrueval devset/book_483.txt
    (
        "В этом году Corus Chess Tournament состоится с 13 по 29 января.",
        "2006-01-10",
        [
            ("В этом году", "2006-01-01", "2006-12-31", "year", None),
            ("с 13 по 29 января", "2006-01-13", "2006-01-29", "day", None),
        ],
    ),
    # nerel train/27589_text.txt: without a publication date "в этом году" stays open
    (
        "20 марта 2013 года Норвежская академия наук объявила о присуждении в этом году Абелевской премии.",
        None,
        [
            ("20 марта 2013 года", "2013-03-20", "2013-03-20", "day", None),
            ("в этом году", None, None, "year", None),
        ],
    ),
]

ANNOUNCED = [
    # samples/004: an announced date already past this year is next year's
    (SAMPLE_REFERENDUM, "2026-04-01", [("15 марта", "2027-03-15", "2027-03-15", "day", None)]),
    # nerel train/16642_text.txt
    (
        "Очередное заседание палаты состоится 13 января, объявил журналистам новый спикер Госдумы.",
        "2011-12-21",
        [("13 января", "2012-01-13", "2012-01-13", "day", None)],
    ),
    # nerel train/129439_text.txt: a report of the past keeps the publication year
    (
        "Нападение произошло 15 сентября.",
        "2016-09-20",
        [("15 сентября", "2016-09-15", "2016-09-15", "day", None)],
    ),
]

NO_DATES = [
    # samples/000_200e2ad5eac8ecb4.txt
    "Для Казахстана данный вопрос имеет принципиальное значение.",
    # samples/000_200e2ad5eac8ecb4.txt: "предстоящий" with no date in the sentence
    "В ходе встречи отдельное внимание было уделено проводимым в Казахстане реформам, включая предстоящий "
    "республиканский референдум по вопросу принятия новой Конституции.",
    # nerel train/106643_text.txt
    "Одна из самодельных бомб взорвалась, ранив 29 человек, другая не сработала.",
    # nerel train/109148_text.txt
    "Петербургские священнослужители вышли на одиночные пикеты против статьи 148 Уголовного кодекса России.",
    # nerel train/109015_text.txt
    "Суд в Страсбурге присудил оппозиционеру компенсацию по 8000 евро и возмещение судебных издержек.",
    # nerel train/105140_text.txt
    "Симона Байлз завоевала свою четвертую золотую медаль на Олимпиаде-2016",
    # nerel train/110589_text.txt: decades are not dates here
    "Сэлис известен тем, что в начале 1970-х годов придумал «киндер-сюрприз».",
    # nerel train/2988_text.txt
    "Во время другой атаки были повреждены около 2000 компьютеров.",
    # nerel train/096.txt: the newspaper, not the day
    'Как пишет газета "Сегодня", до нового назначения Педченко занимал должность первого замминистра.',
    # written for the test: a bare number after "до" that counts people, and "в 2 раза"
    "На митинг в центре города пришли до 2000 человек, в 2 раза больше, чем в прошлый раз.",
    # written for the test: an impossible date is dropped, not moved
    "Приказ датирован 31 февраля 2019 года.",
]


def _rows(text: str, published: str | None) -> list[tuple]:
    found = find_dates(text, published)
    assert all(text[d.start : d.end] == d.text for d in found)
    return [(d.text, d.from_, d.to, d.precision, d.partial) for d in found]


@pytest.mark.parametrize(("text", "published", "expected"), SAMPLES)
def test_sample_articles(text, published, expected):
    assert _rows(text, published) == expected


@pytest.mark.parametrize(("text", "published", "expected"), FULL_DATES)
def test_full_dates(text, published, expected):
    assert _rows(text, published) == expected


@pytest.mark.parametrize(("text", "published", "expected"), RANGES)
def test_ranges(text, published, expected):
    assert _rows(text, published) == expected


@pytest.mark.parametrize(("text", "published", "expected"), PERIODS)
def test_months_years_and_periods(text, published, expected):
    assert _rows(text, published) == expected


@pytest.mark.parametrize(("text", "published", "expected"), RELATIVE)
def test_relative_to_publication(text, published, expected):
    assert _rows(text, published) == expected


@pytest.mark.parametrize(("text", "published", "expected"), ANNOUNCED)
def test_announced_dates_are_not_in_the_past(text, published, expected):
    assert _rows(text, published) == expected


@pytest.mark.parametrize("text", NO_DATES)
def test_no_dates(text):
    assert _rows(text, "2026-02-24") == []


@pytest.mark.parametrize(
    ("published", "expected"),
    [
        (None, [("29 февраля", None, None, "day", "--02-29")]),
        ("2024-03-10", [("29 февраля", "2024-02-29", "2024-02-29", "day", None)]),
        ("2026-03-10", []),  # 2026 has no 29 February: nothing rather than another day
    ],
)
def test_leap_day_is_never_moved(published, expected):
    # written for the test, after nerel train/129439_text.txt
    assert _rows("Заявление было опубликовано 29 февраля.", published) == expected


def test_offsets_index_the_text():
    text = "Саммит, который пройдет 22–24 апреля."
    (value,) = find_dates(text, "2026-02-24")
    assert (value.start, value.end) == (24, 36)


def test_stage_fills_document_dates():
    doc = Document(id="d1", source="samples/004.txt", text=SAMPLE_SUMMIT, published="2026-02-24")
    assert resolve_dates(doc) is doc
    assert [(d.text, d.from_, d.to) for d in doc.dates] == [("22–24 апреля", "2026-04-22", "2026-04-24")]
