"""The organiser's survey results per indicator (issue 12 item 5): rows the indicators (per area
with a summary), columns the organiser and its districts or a district and its units, the
principals' levels beside, suppressed exactly as the per-area page (docs/anonymity.md), and the
export carrying the same. These tests try to break the suppression by subtraction."""

import datetime
import io
import re
from html.parser import HTMLParser

import openpyxl
from django.utils import timezone

from stegvis.surveys import aggregate, domain
from tests import factories as f

from .conftest import all_answers, link_path, open_survey, send


class _Table(HTMLParser):
    """The per-indicator table as {row heading: [cell text, ...]} and its column headings."""

    def __init__(self):
        super().__init__()
        self.columns, self.rows, self._cell, self._row, self._in, self._head = [], {}, None, None, False, False

    def handle_starttag(self, tag, attrs):
        if tag == "table" and ("class", "indicator-results") in attrs:
            self._in = True
        if not self._in:
            return
        if tag == "thead":
            self._head = True
        elif tag == "tr":
            self._row = []
        elif tag in ("th", "td"):
            self._cell = []

    def handle_endtag(self, tag):
        if not self._in:
            return
        if tag in ("th", "td") and self._cell is not None:
            text = " ".join("".join(self._cell).split())
            self._row.append(text)
            self._cell = None
        elif tag == "tr":
            if self._head:
                self.columns = self._row[1:]
            else:
                self.rows[self._row[0]] = self._row[1:]
        elif tag == "thead":
            self._head = False
        elif tag == "table":
            self._in = False

    def handle_data(self, data):
        if self._cell is not None:
            self._cell.append(data)


def table(html):
    parser = _Table()
    parser.feed(html)
    return parser


def _answer(client, survey, unit, n, value):
    path = link_path(survey, unit)
    for _i in range(n):
        assert send(client, path, survey, all_answers(survey, value=value)).status_code == 302


def _page(client, survey, query=""):
    response = client.get(f"/mittkoping/surveys/{survey.pk}/results/indicators/{query}")
    assert response.status_code == 200, response.status_code
    return table(response.content.decode())


def _column(t, name):
    """{row heading: cell} of the column headed ``name``."""
    i = t.columns.index(name)
    return {heading: cells[i] for heading, cells in t.rows.items()}


INDICATOR_ROWS = ["A1.1 Indikator A1.1", "A1.2 Indikator A1.2", "A2.1 Indikator A2.1", "A2.2 Indikator A2.2"]
AREA_ROWS = ["Område 1", "Område 2"]


def test_a_unit_under_k_is_hidden_and_so_is_its_complement_in_the_district(client, world):
    third = f.UnitFactory(organizer=world.org, district=world.district, name="Almskolan")
    survey = open_survey(world, units=[world.unit, world.other_unit, third])
    _answer(client, survey, world.unit, 2, 4)  # Ekskolan: below k
    _answer(client, survey, third, 8, 1)  # Almskolan: the complement in Norra
    _answer(client, survey, world.other_unit, 7, 4)  # Björkskolan, Södra
    aggregate.refresh(survey=survey)
    client.force_login(world.alice)
    totals = _page(client, survey)
    assert totals.columns == ["Mittköpings kommun", "Utbildningsområde Norra", "Utbildningsområde Södra"]
    organiser, norra = _column(totals, "Mittköpings kommun"), _column(totals, "Utbildningsområde Norra")
    assert norra["Svar"] == "10" and organiser["Svar"] == "17"
    for heading in INDICATOR_ROWS + AREA_ROWS:
        assert norra[heading].startswith("20 % n 10"), (heading, norra[heading])  # 2 positive of 10
        assert organiser[heading].startswith("53 % n 17")
    units = _page(client, survey, f"?district={world.district.pk}")
    assert units.columns == ["Utbildningsområde Norra", "Almskolan", "Ekskolan"]
    for name in ("Ekskolan", "Almskolan"):  # else 20 % of 10 minus Almskolan's 0 % of 8 gives Ekskolan
        cells = _column(units, name)
        assert all(cells[h] == "dold" for h in INDICATOR_ROWS + AREA_ROWS), (name, cells)
    # the responses are counts, shown below k too (a reminder needs them)
    assert _column(units, "Ekskolan")["Svar"] == "2"
    södra = _page(client, survey, f"?district={world.other_unit.district_id}")
    assert _column(södra, "Björkskolan")["A1.1 Indikator A1.1"].startswith("100 % n 7")


def test_a_district_total_that_would_reveal_a_unit_by_subtraction_is_hidden(client, world):
    third = f.UnitFactory(organizer=world.org, district=world.other_unit.district, name="Almskolan")
    survey = open_survey(world, units=[world.unit, world.other_unit, third])
    _answer(client, survey, world.unit, 3, 4)  # Norra: 3 in all, below k
    _answer(client, survey, world.other_unit, 7, 1)  # Södra: 7 + 6
    _answer(client, survey, third, 6, 1)
    aggregate.refresh(survey=survey)
    client.force_login(world.alice)
    totals = _page(client, survey)
    organiser = _column(totals, "Mittköpings kommun")
    assert organiser["A1.1 Indikator A1.1"].startswith("19 % n 16")  # 3 of 16
    assert all(
        v == "dold" for h, v in _column(totals, "Utbildningsområde Norra").items() if h not in ("Svar", "Svarsfrekvens")
    )
    # else the organiser's 16 minus Södra's 13 gives Norra's 3 away
    assert all(
        v == "dold" for h, v in _column(totals, "Utbildningsområde Södra").items() if h not in ("Svar", "Svarsfrekvens")
    )
    södra = _page(client, survey, f"?district={world.other_unit.district_id}")
    # a hidden district hides its units too, else their sum would stand for it
    for name in ("Utbildningsområde Södra", "Almskolan", "Björkskolan"):
        assert _column(södra, name)["Område 1"] == "dold"


def test_the_export_carries_the_same_suppression_and_says_what_it_rests_on(client, world):
    third = f.UnitFactory(organizer=world.org, district=world.district, name="Almskolan")
    survey = open_survey(world, units=[world.unit, world.other_unit, third])
    _answer(client, survey, world.unit, 2, 4)
    _answer(client, survey, third, 8, 1)
    _answer(client, survey, world.other_unit, 7, 4)
    aggregate.refresh(survey=survey)
    client.force_login(world.alice)
    url = f"/mittkoping/surveys/{survey.pk}/indicators.export"
    csv = client.get(f"{url}?format=csv").content.decode("utf-8-sig").splitlines()
    header = csv[0].split(";")
    assert header[9:12] == ["Svar som siffran vilar på (n)", "Positiva (%)", "k"]
    lines = [line.split(";") for line in csv[1:]]
    assert {line[5] for line in lines} == {"", "Ekskolan", "Almskolan", "Björkskolan"}
    for line in lines:
        if line[5] in ("Ekskolan", "Almskolan"):
            assert line[10] == "dold" and line[9] == "", line  # no figure and no n beside it
    norra = [line for line in lines if line[3] == "Utbildningsområde" and line[4] == "Norra"]
    assert norra and all(line[10] == "20" and line[9] == "10" for line in norra)
    # the district's export: the district and its units only
    csv = client.get(f"{url}?format=csv&district={world.district.pk}").content.decode("utf-8-sig")
    assert "Björkskolan" not in csv and "Ekskolan" in csv
    xlsx = client.get(f"{url}?format=xlsx")
    book = openpyxl.load_workbook(io.BytesIO(xlsx.content))
    sheet = book.worksheets[0]
    values = [[c.value for c in row] for row in sheet.iter_rows(min_row=2)]
    ek = [row for row in values if row[5] == "Ekskolan"]
    assert ek and all(row[10] == "dold" and row[9] is None for row in ek)
    legend = " ".join(str(c.value) for row in book.worksheets[1].iter_rows() for c in row)
    assert "färre än 5 svar" in legend


def test_the_principals_levels_stand_beside_and_gaps_are_marked(client, world):
    # A1.3 has no survey question; the area's level is still the mean of all three, as on the unit page
    f.published_assessment(world.unit, world.rnd, by=world.bob, level=4, levels={"A1.3": 1})
    survey = open_survey(world, units=[world.unit, world.other_unit])
    _answer(client, survey, world.unit, 6, 1)  # staff see it much lower than the principal
    _answer(client, survey, world.other_unit, 6, 4)
    aggregate.refresh(survey=survey)
    client.force_login(world.alice)
    units = _page(client, survey, f"?district={world.district.pk}")
    ek = _column(units, "Ekskolan")
    assert ek["A1.1 Indikator A1.1"] == "0 % n 6 glapp rektor 4"
    norra = _column(units, "Utbildningsområde Norra")
    assert norra["A1.1 Indikator A1.1"] == "0 % n 6 glapp rektor 4,0 (1)"  # a mean of one unit's level
    totals = _page(client, survey)
    # the mean rests on one unit of two: no gap is marked against the share of both
    assert _column(totals, "Mittköpings kommun")["Område 1"] == "50 % n 12 rektor 3,0 (1)"
    assert _column(units, "Ekskolan")["Område 1"] == "0 % n 6 glapp rektor 3,0"
    assert _column(totals, "Utbildningsområde Södra")["Område 1"] == "100 % n 6"  # no level published there


def test_who_reads_it_and_what_a_district_lead_sees(client, world):
    third = f.UnitFactory(organizer=world.org, district=world.district, name="Almskolan")
    survey = open_survey(world, units=[world.unit, world.other_unit, third])
    _answer(client, survey, world.unit, 5, 4)
    _answer(client, survey, third, 5, 4)
    aggregate.refresh(survey=survey)
    url = f"/mittkoping/surveys/{survey.pk}/results/indicators/"
    export = f"/mittkoping/surveys/{survey.pk}/indicators.export?format=csv"
    for user in (world.bob, world.carol, world.eve):  # principals and contributors: their unit page
        client.force_login(user)
        assert client.get(url).status_code in (403, 404)
        assert client.get(export).status_code in (403, 404)
    client.force_login(world.vera)  # a viewer reads everything
    assert _page(client, survey).columns[0] == "Mittköpings kommun"
    client.force_login(world.dave)  # a district lead: their district, no organiser total
    assert _page(client, survey).columns == ["Utbildningsområde Norra"]
    assert client.get(f"{url}?district={world.other_unit.district_id}").status_code == 404
    csv = client.get(export).content.decode("utf-8-sig")
    assert "Mittköpings kommun" not in csv and "Björkskolan" not in csv and "Ekskolan" in csv


def test_another_organisers_survey_and_bad_choices_are_404(client, world):
    now = timezone.now()
    theirs = domain.open_survey(
        organizer=world.other_org,
        round=f.make_round(world.other_org, world.rnd.framework, name="Annat"),
        respondent_group="personal",
        opens_at=now,
        closes_at=now + datetime.timedelta(days=3),
        units=[f.UnitFactory(organizer=world.other_org)],
        distribution="links",
        k=5,
        by=world.charlie,
    )
    mine = open_survey(world)
    client.force_login(world.alice)
    assert client.get(f"/mittkoping/surveys/{theirs.pk}/results/indicators/").status_code == 404
    assert client.get(f"/mittkoping/surveys/{theirs.pk}/indicators.export?format=csv").status_code == 404
    base = f"/mittkoping/surveys/{mine.pk}/results/indicators/"
    assert client.get(f"{base}?group={theirs.pk}").status_code == 404  # not a survey of this round
    assert client.get(f"{base}?district=abc").status_code == 404
    assert client.get(f"{base}?district=999999").status_code == 404


def test_the_respondent_group_chooser_goes_to_the_rounds_other_survey(client, world):
    staff = open_survey(world, group="personal")
    pupils = open_survey(world, group="elever")
    client.force_login(world.alice)
    html = client.get(f"/mittkoping/surveys/{staff.pk}/results/indicators/").content.decode()
    assert re.search(rf'<option value="{pupils.pk}">Elever</option>', html)
    page = client.get(f"/mittkoping/surveys/{staff.pk}/results/indicators/?group={pupils.pk}&district=none")
    assert page.status_code == 302 and page["Location"].endswith(
        f"/surveys/{pupils.pk}/results/indicators/?district=none"
    )


def test_the_page_makes_as_many_queries_for_many_units_as_for_one(client, world):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    one = open_survey(world)
    _answer(client, one, world.unit, 5, 4)
    f.published_assessment(world.unit, world.rnd, by=world.bob, level=3)
    many = open_survey(world, units=[world.unit, world.other_unit, f.UnitFactory(organizer=world.org)])
    for unit in (world.unit, world.other_unit):
        _answer(client, many, unit, 6, 3)
    f.published_assessment(world.other_unit, world.rnd, by=world.eve, level=2)
    aggregate.refresh_changed()
    client.force_login(world.alice)
    client.get("/mittkoping/surveys/")  # the first request of a session writes it

    def queries(url):
        with CaptureQueriesContext(connection) as found:
            assert client.get(url).status_code == 200
        return len(found)

    for query in ("", f"?district={world.district.pk}"):
        assert queries(f"/mittkoping/surveys/{many.pk}/results/indicators/{query}") == queries(
            f"/mittkoping/surveys/{one.pk}/results/indicators/{query}"
        )
