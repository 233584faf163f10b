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
    # Björkskolan 66.7; the organiser (50 + 66.7) / 2 = 58; the round before: Ekskolan at level 1 -> 0
    figures = re.findall(r'class="figure-big">([^<]*)<', page)
    assert figures == ["58", "+58", "2"]
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
