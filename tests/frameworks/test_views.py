"""An organiser's framework of another shape, through the pages and files: a 360 degree
safe-like one (five levels labelled 5 down to 1, strands, an optional aspect) and a SELFIE-like
one (no suggested activities); and the level colours for every number of levels."""

import io
import os
from pathlib import Path

import openpyxl
import pytest
import yaml
from django.conf import settings
from django.template.loader import render_to_string

from stegvis.assessments import domain as assessments
from stegvis.assessments.models import Assessment
from stegvis.core import levels
from stegvis.exports import reports
from stegvis.frameworks.loader import load_framework
from stegvis.frameworks.models import Indicator
from stegvis.planning import domain as planning
from tests import factories as f

DATA = Path(__file__).resolve().parent / "data"


@pytest.fixture(autouse=True)
def _english_and_inline_exports(client, settings, tmp_path):
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    settings.TASKS = {"default": {"BACKEND": "django_tasks.backends.immediate.ImmediateBackend"}}
    settings.STEGVIS_EXPORT_DIR = tmp_path / "exports"


def export(client, name, rnd):
    """The file of an export of the round (the job runs inline)."""
    response = client.post("/mittkoping/exports/", {"export": name, "round": rnd.pk})
    assert response.status_code == 302, response.content.decode()[:2000]
    job = response["Location"].rstrip("/").split("/")[-1]
    download = client.get(f"/mittkoping/exports/{job}/download/")
    assert download.status_code == 200
    return b"".join(download.streaming_content)


def page(client, url, status=200):
    response = client.get(url)
    assert response.status_code == status, url
    return response.content.decode()


def organiser_round(world, name):
    fw, _created = load_framework(DATA / name, organizer=world.org)
    return fw, f.make_round(world.org, fw, name="Läsår 2027/28")


def answer(draft, by, levels_by_code):
    for ind in assessments.applicable_indicators(framework=draft.round.framework, unit=draft.unit):
        if ind.code in levels_by_code:
            assessments.save_answer(
                assessment=draft, indicator=ind, level=levels_by_code[ind.code], expected_revision=None, by=by
            )


def test_a_five_level_organiser_framework_with_labels_and_strands_through_every_page(client, world):
    fw, rnd = organiser_round(world, "360-like.yaml")
    client.force_login(world.bob)
    response = client.post(f"/mittkoping/units/{world.unit.pk}/rounds/{rnd.pk}/start/")
    assert response.status_code == 302 and response["Location"].endswith("/areas/policy-leadership/")
    draft = Assessment.objects.get(unit=world.unit, round=rnd)

    # the area page: strands as headings, the labels 5..1 with their names, the optional aspect marked
    html = page(client, response["Location"])
    assert '<h3 class="group">Responsibilities</h3>' in html and '<h3 class="group">Policies</h3>' in html
    assert html.index("Responsibilities") < html.index("1.1 Online safety group") < html.index("Policies")
    assert '<span class="key level lv5-1">5</span><span class="level-name">No action</span>' in html
    assert '<span class="key level lv5-5">1</span><span class="level-name">Aspirational</span>' in html
    assert 'Online safety lead <span class="badge optional">Optional</span>' in html

    # the optional aspect need not be answered: three answers publish the assessment
    answer(draft, world.bob, {"1.1": 2, "1.3": 5, "2.1": 1})  # labels 4, 1 and 5
    assert assessments.progress(assessment=draft) == (3, 3)
    summary = page(client, f"/mittkoping/assessments/{draft.pk}/")
    assert "Left unanswered (optional)" in summary and "Publish the assessment" in summary
    assert "Every required indicator is answered." in summary
    confirm = client.post(f"/mittkoping/assessments/{draft.pk}/publish/")
    assert confirm.status_code == 200 and "Every required indicator is answered." in confirm.content.decode()
    response = client.post(f"/mittkoping/assessments/{draft.pk}/publish/", {"confirmed": "yes"})
    assert response.status_code == 302 and "/plans/" in response["Location"]

    # the plan: strands as row headings, the level now by its label, the suggestion by label
    plan_html = page(client, response["Location"])
    assert '<th scope="colgroup" colspan="3" class="group">Responsibilities</th>' in plan_html
    assert '<span class="key level lv5-2" title="Initial">4</span>' in plan_html
    assert "Book the first meeting" in plan_html  # from 4 (Initial) up to 3 (Developing)
    assert "1.2 Online safety lead" not in plan_html  # left unanswered: nothing to plan
    filtering = Indicator.objects.get(framework=fw, key="filtering")
    assert (
        f'href="/mittkoping/plans/{planning.ensure_plan(assessment=draft, by=world.bob).pk}/actions/new/?indicator={filtering.pk}"'
        in plan_html
    )

    # the overview grid: a row of strands under the areas, labels in the cells, names in the legend
    client.force_login(world.alice)
    grid = page(client, f"/mittkoping/overview/?round={rnd.pk}")
    assert '<table class="grid grouped">' in grid
    assert (
        '<tr class="groups"><td class="corner">Strand</td><th scope="colgroup" colspan="2">Responsibilities</th>'
        in grid
    )
    assert '<th scope="colgroup" colspan="1">Policies</th>' in grid
    assert 'title="Online safety lead (optional)"' in grid
    assert '<li><span class="key lv5-1">5</span> No action</li>' in grid
    assert '<li><span class="key lv5-5">1</span> Aspirational</li>' in grid
    one_one = Indicator.objects.get(framework=fw, code="1.1")
    assert f'<td class="lv5-2"><a href="/mittkoping/assessments/{draft.pk}/#ind-{one_one.pk}">4</a></td>' in grid
    assert '<th scope="row">Mean level</th><td>4.0</td>' in grid  # the mean read in the labels (6 - 2)

    # the spread between units: columns per label, the lowest and median by label
    spread = page(client, f"/mittkoping/overview/spread/?round={rnd.pk}")
    assert spread.index("Level 5") < spread.index("Level 1") and "Level 0" not in spread
    row = spread.split("1.1 Online safety group", 1)[1].split("</tr>", 1)[0]
    assert '<td class="num lv5-2">1</td>' in row and "<strong>4</strong>" in row

    # the overview export: labels in the cells, coloured as in the grid, the names in the legend
    book = openpyxl.load_workbook(io.BytesIO(export(client, "overview.xlsx", rnd)))
    sheet, legend = book["Levels"], book["Legend"]
    header = [c.value for c in sheet[1]]
    row = next(r for r in sheet.iter_rows(min_row=2) if r[2].value == "Ekskolan")
    cell = row[header.index("1.1")]
    assert cell.value == 4 and cell.fill.fgColor.rgb.upper().endswith(levels.palette(5)[1].background[1:].upper())
    top = row[header.index("1.3")]
    assert top.value == 1 and top.font.color.rgb.upper().endswith("FFFFFF")
    legend_rows = list(legend.iter_rows(values_only=True))
    assert (5, "No action") in legend_rows and (1, "Aspirational") in legend_rows
    assert ("1.2", "Policy and leadership – Responsibilities: Online safety lead (optional)") in legend_rows

    # the answers export gives the labels too
    csv_text = export(client, "answers.csv", rnd).decode("utf-8-sig")
    assert ";1.1;Online safety group;4;Initial;" in csv_text
    assert ";1.3;Acceptable use agreements;1;Aspirational;" in csv_text

    # the unit page and the unit report (PDF's HTML): labels and names
    unit_html = page(client, f"/mittkoping/units/{world.unit.pk}/")
    assert '<tr><th scope="row">1.1 Online safety group</th><td class="num">4</td>' in unit_html
    report = render_to_string("exports/report_unit_pdf.html", reports.unit_report_context(unit=world.unit, lang="en"))
    assert '<td class="level-cell lv5-2">4 – Initial</td>' in report
    assert '<th scope="colgroup" colspan="3" class="group">Responsibilities</th>' in report
    assert ".lv5-5 { background: #095c34; color: #ffffff; }" in report
    # two areas are drawn as bars, their means written in the labels with one decimal, as the
    # table beside them (core.numbers): 3.5 and 1.0 read 2.5 and 5.0
    assert ">2.5</text>" in report and ">5.0</text>" in report and ">3.5</text>" not in report
    assert '<td class="num">2.5</td>' in report and '<td class="num">5.0</td>' in report
    pdf = reports.unit_report_pdf(unit=world.unit, lang="en")
    assert pdf.startswith(b"%PDF")
    if os.environ.get("STEGVIS_KEEP_PDF"):  # to look at it: pdftoppm -png report.pdf page
        Path(os.environ["STEGVIS_KEEP_PDF"]).write_bytes(pdf)


def test_a_framework_without_activities_gives_plan_rows_to_add_actions_to(client, world):
    fw, rnd = organiser_round(world, "selfie-like.yaml")
    draft, _created = assessments.start_assessment(unit=world.unit, round=rnd, by=world.bob)
    answer(draft, world.bob, {"A1": 2, "A2": 5, "B1": 3})
    _published, plan = planning.publish(assessment=draft, by=world.bob)
    client.force_login(world.bob)
    html = page(client, f"/mittkoping/plans/{plan.pk}/")
    assert "Indicators below the top level" in html and "The framework suggests no activities" in html
    assert "The framework has no suggestion for this step." not in html
    a1 = Indicator.objects.get(framework=fw, code="A1")
    assert f"?indicator={a1.pk}" in html and "A2 We develop" not in html  # A2 is at the top
    form = page(client, f"/mittkoping/plans/{plan.pk}/actions/new/?indicator={a1.pk}")
    assert f'<option value="{a1.pk}" selected>' in form
    # a text written in English only is the Swedish text too
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "sv"
    assert "We have a digital strategy" in page(client, f"/mittkoping/plans/{plan.pk}/")


@pytest.mark.parametrize("count", range(levels.MIN_LEVELS, levels.MAX_LEVELS + 1))
def test_every_number_of_levels_has_its_own_colours_in_grid_legend_sheet_and_report(client, count):
    framework = f.make_framework(levels=count, areas=1, indicators=3)
    world = f.World.build(framework=framework)
    f.published_assessment(world.unit, world.rnd, by=world.bob, levels={"A1.1": 1, "A1.2": count, "A1.3": None})
    client.force_login(world.alice)
    grid = page(client, "/mittkoping/overview/")
    for n in range(1, count + 1):
        assert f'<li><span class="key lv{count}-{n}">{n}</span> Step {n}</li>' in grid
    assert f'<td class="lv{count}-1"><a' in grid and f'<td class="lv{count}-{count}"><a' in grid
    css = levels.STYLESHEET.read_text(encoding="utf-8")
    top = levels.palette(count)[-1]
    assert f".lv{count}-{count} {{ background: {top.background}; color: {top.text}; }}" in css
    report = render_to_string("exports/report_unit_pdf.html", reports.unit_report_context(unit=world.unit, lang="en"))
    assert f'class="level-cell lv{count}-{count}">{count} – Step {count}</td>' in report
    assert f".lv{count}-{count} {{ background: {top.background}; color: {top.text}; }}" in report
    book = openpyxl.load_workbook(io.BytesIO(export(client, "overview.xlsx", world.rnd)))
    sheet = book["Levels"]
    row = next(r for r in sheet.iter_rows(min_row=2) if r[2].value == "Ekskolan")
    assert row[5].value == count and row[5].fill.fgColor.rgb.upper().endswith(top.background[1:].upper())
    assert row[4].fill.fgColor.rgb.upper().endswith(levels.palette(count)[0].background[1:].upper())


def test_letter_labels_give_the_grid_a_median_label_in_its_footer(client, world, tmp_path):
    data = {
        "format": 1,
        "key": "bokstav",
        "version": "1",
        "language": "sv",
        "name": "Bokstäver",
        "levels": [{"label": "C", "name": "Låg"}, {"label": "B", "name": "Mellan"}, {"label": "A", "name": "Hög"}],
        "areas": [{"key": "a", "name": "Område", "indicators": [{"key": "i", "code": "I1", "title": "Indikator"}]}],
    }
    path = tmp_path / "bokstav.yaml"
    path.write_text(yaml.safe_dump(data, allow_unicode=True), encoding="utf-8")
    fw, _created = load_framework(path, organizer=world.org)
    rnd = f.make_round(world.org, fw, name="Bokstavsåret")
    for unit, level in ((world.unit, 1), (world.other_unit, 3)):
        f.published_assessment(unit, rnd, by=world.alice, level=level)
    third = f.UnitFactory(organizer=world.org, district=world.district, name="Aspskolan")
    f.published_assessment(third, rnd, by=world.alice, level=3)
    client.force_login(world.alice)
    grid = page(client, f"/mittkoping/overview/?round={rnd.pk}")
    assert '<th scope="row">Median level</th><td>A</td>' in grid
    assert '<li><span class="key lv3-1">C</span> Låg</li>' in grid and '<td class="lv3-3"><a' in grid
