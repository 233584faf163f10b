"""PDF reports: the unit's report (served directly) and the board report (page and PDF job)."""

import contextlib
import datetime
import re
import zlib

import pytest

from stegvis.exports.models import ExportJob
from stegvis.planning import domain as planning
from tests import factories as f


@pytest.fixture(autouse=True)
def _inline_tasks(settings, tmp_path, client):
    settings.TASKS = {"default": {"BACKEND": "django_tasks.backends.immediate.ImmediateBackend"}}
    settings.STEGVIS_EXPORT_DIR = tmp_path / "exports"
    client.cookies["django_language"] = "en"


@pytest.fixture
def history(world, framework):
    """Two rounds for Ekskolan (with an action plan) and one for Björkskolan."""
    old = f.make_round(world.org, framework, name="Läsår 2025/26", opens_on=datetime.date(2025, 8, 15))
    f.published_assessment(world.unit, old, by=world.bob, level=1)
    _a, plan = f.published_assessment(world.unit, world.rnd, by=world.bob, levels={"A1.1": 4, "A1.2": 2, "A1.3": None})
    f.published_assessment(world.other_unit, world.rnd, by=world.eve, level=3)
    indicator = plan.assessment.answers.get(indicator__code="A1.2").indicator
    action = planning.add_action(plan=plan, by=world.bob, title="Kollegialt lärande", priority=1, indicator=indicator)
    planning.add_note(action=action, by=world.bob, date=datetime.date(2026, 10, 1), text="Första träffen hölls.")
    return plan


def pdf_text(data):
    """The PDF's objects with their streams inflated, so the document info can be searched."""
    parts = [data]
    for match in re.finditer(rb"stream\r?\n(.*?)\r?\nendstream", data, re.S):
        with contextlib.suppress(zlib.error):
            parts.append(zlib.decompress(match.group(1)))
    return b"\n".join(parts)


def has_text(data, text):
    blob = pdf_text(data)
    return text.encode() in blob or text.encode("utf-16-be").hex().upper().encode() in blob.upper()


def test_principal_downloads_the_unit_report_as_pdf(client, world, history):
    client.force_login(world.bob)
    response = client.get(f"/mittkoping/units/{world.unit.pk}/report.pdf")
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    assert "ekskolan" in response["Content-Disposition"]
    assert response.content.startswith(b"%PDF") and len(response.content) > 5000
    assert has_text(response.content, "Ekskolan")  # the document title names the unit


def test_unit_report_html_has_the_radar_assessment_and_plan(world, history):
    from django.template.loader import render_to_string

    from stegvis.exports import reports

    ctx = reports.unit_report_context(unit=world.unit, lang="en")
    html = render_to_string("exports/report_unit_pdf.html", ctx)
    assert html.count("<svg") == 2 and 'stroke-dasharray="6 4"' in html  # previous round dashed, as on the page
    assert "Kollegialt lärande" in html and "Första träffen hölls." in html
    assert 'class="level-cell lv4-4"' in html and "lvl-nr" in html
    assert ".lv4-4 { background: #095c34; color: #ffffff; }" in html  # the grid's colours, in the PDF's own styles


def test_unit_report_without_published_assessment_is_still_a_pdf(client, world):
    client.force_login(world.alice)
    response = client.get(f"/mittkoping/units/{world.unit.pk}/report.pdf")
    assert response.status_code == 200 and response.content.startswith(b"%PDF")


def test_unit_report_of_another_unit_is_404(client, world, history):
    client.force_login(world.eve)  # principal of Björkskolan
    assert client.get(f"/mittkoping/units/{world.unit.pk}/report.pdf").status_code == 404
    client.force_login(world.dave)  # district lead of Norra, not of Södra
    assert client.get(f"/mittkoping/units/{world.other_unit.pk}/report.pdf").status_code == 404
    assert client.get(f"/mittkoping/units/{world.unit.pk}/report.pdf").status_code == 200
    client.force_login(world.charlie)
    assert client.get(f"/mittkoping/units/{world.unit.pk}/report.pdf").status_code == 404


def test_unit_page_links_to_the_report(client, world, history):
    client.force_login(world.bob)
    page = client.get(f"/mittkoping/units/{world.unit.pk}/").content.decode()
    assert f"/mittkoping/units/{world.unit.pk}/report.pdf" in page


def test_board_report_page_shows_maturity_trend_priorities_and_publication(client, world, history):
    client.force_login(world.vera)
    page = client.get("/mittkoping/reports/board/").content.decode()
    assert page.count("<svg") == 2  # the maturity page's trend chart, and the areas radar
    # maturity index (docs/maturity.md): Ekskolan area 1 (100 + 33.3) / 2, area 2 33.3 -> 50;
    # Björkskolan 66.7; the organiser (50 + 66.7) / 2 = 58; the round before: Ekskolan at level 1 -> 0.
    # The change is like with like: Ekskolan, the one unit with a figure in both rounds, 0 -> 50.
    figures = re.findall(r'class="figure-big">([^<]*)<', page)
    assert figures == ["58", "+50", "2"]
    assert "A1.2 Indicator A1.2" in page
    assert "Norra" in page and "Södra" in page


def test_board_report_for_a_district_lead_covers_the_district(client, world, history):
    client.force_login(world.dave)
    page = client.get("/mittkoping/reports/board/").content.decode()
    publication = page[page.index("Publication status") :]
    assert "Norra" in publication and "Södra" not in publication
    assert re.findall(r'class="figure-big">([^<]*)<', page) == ["50", "+50", "1"]  # Ekskolan alone


def test_board_report_pdf_runs_as_a_job(client, world, history):
    client.force_login(world.alice)
    response = client.post("/mittkoping/exports/", {"export": "board.pdf", "round": world.rnd.pk})
    job = ExportJob.objects.get()
    assert response["Location"] == f"/mittkoping/exports/{job.pk}/"
    assert job.status == "done"
    data = b"".join(client.get(f"/mittkoping/exports/{job.pk}/download/").streaming_content)
    assert data.startswith(b"%PDF") and has_text(data, "Board report")


def test_reports_render_in_swedish(client, world, history):
    client.cookies["django_language"] = "sv"
    client.force_login(world.alice)
    assert client.get("/mittkoping/reports/board/").status_code == 200
    assert client.get(f"/mittkoping/units/{world.unit.pk}/report.pdf").content.startswith(b"%PDF")


@pytest.fixture
def crowded(world):
    """An organiser whose board report is wide: twelve districts with long names, six areas and
    six rounds, each district's unit published in every round."""
    framework = f.make_framework(key="crowded", areas=6, indicators=2)
    for area in framework.areas.all():
        area.name_sv = area.name_en = f"Digital infrastruktur och lärmiljöer {area.order}"
        area.save()
    units = []
    for n in range(12):
        district = f.DistrictFactory(organizer=world.org, name=f"Förvaltningsområde Västra Mittköping {n + 1}")
        units.append(f.UnitFactory(organizer=world.org, district=district, name=f"Enhet {n + 1}"))
    rounds = []
    for year in range(6):
        rnd = f.make_round(
            world.org,
            framework,
            name=f"Läsåret {2021 + year}/{22 + year} höst",
            opens_on=datetime.date(2021 + year, 8, 15),
        )
        for n, unit in enumerate(units):
            f.published_assessment(unit, rnd, by=world.alice, level=1 + (n + year) % 4)
        rounds.append(rnd)
    return rounds[-1]


def board_pdf(client, user, rnd):
    client.force_login(user)
    client.post("/mittkoping/exports/", {"export": "board.pdf", "round": rnd.pk})
    job = ExportJob.objects.latest("created_at")
    assert job.status == "done", job.error
    return b"".join(client.get(f"/mittkoping/exports/{job.pk}/download/").streaming_content)


def test_board_report_pdf_keeps_every_table_within_the_margins(client, world, crowded):
    from tests.pdf_layout import chars_outside, keep, text

    data = board_pdf(client, world.alice, crowded)
    keep(data, "board-crowded.pdf")
    assert "Förvaltningsområde Västra Mittköping 12" in text(data).replace("\n", " ")
    assert chars_outside(data) == []  # nothing beyond the paper's edge
    assert chars_outside(data, margin_mm=14) == []  # nor into the side margins


def test_unit_report_rounds_area_figures_as_the_unit_page_does(client, world):
    f.published_assessment(world.unit, world.rnd, by=world.bob, levels={"A1.1": 3, "A1.2": 3, "A1.3": 2})
    client.force_login(world.bob)
    page = client.get(f"/mittkoping/units/{world.unit.pk}/").content.decode()
    from tests.pdf_layout import text

    pdf = text(client.get(f"/mittkoping/units/{world.unit.pk}/report.pdf").content)
    assert '<td class="num">2.7</td>' in page  # area 1: (3 + 3 + 2) / 3
    assert "2.7" in pdf and "2.67" not in pdf


def test_a_unit_name_with_a_newline_quotes_and_backslash_still_gives_a_full_pdf(client, world):
    from tests.pdf_layout import keep, pages

    f.published_assessment(world.unit, world.rnd, by=world.bob, level=2)
    world.unit.name = "Ek\"skolan\\ 'F'\nhus </style> & co"
    world.unit.save()
    client.force_login(world.bob)
    data = client.get(f"/mittkoping/units/{world.unit.pk}/report.pdf").content
    keep(data, "unit-odd-name.pdf")
    found = pages(data)
    assert len(found) >= 2
    for _w, _h, lines in found:
        assert len(lines) > 3  # every page has content, not just a footer
    first = " ".join(t for t, *_box in found[0][2])
    assert "Assessment" in first and "Indicator A1.1" in first
    footer = [t for t, _x0, y0, *_r in found[0][2] if y0 < 40]  # the bottom margin
    assert any("Stegvis · Ek\"skolan\\ 'F'" in t for t in footer), footer
