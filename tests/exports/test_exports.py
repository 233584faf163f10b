"""Exports: what users get in the file (read back with openpyxl or the csv module), the
background job's progress and download, and who may export what."""

import csv
import io
import uuid

import openpyxl
import pytest
import xlsxwriter

from stegvis.core.levels import palette
from stegvis.exports import exporters as exports_module
from stegvis.exports import jobs as export_jobs
from stegvis.exports import sheets
from stegvis.exports.models import ExportJob
from stegvis.planning import domain as planning
from tests import factories as f

IMMEDIATE = {"default": {"BACKEND": "django_tasks.backends.immediate.ImmediateBackend"}}
DUMMY = {"default": {"BACKEND": "django_tasks.backends.dummy.DummyBackend"}}


@pytest.fixture(autouse=True)
def _inline_tasks(settings, tmp_path, client):
    """Jobs run inline (immediate backend); files go to a temporary folder; pages in English."""
    settings.TASKS = IMMEDIATE
    settings.STEGVIS_EXPORT_DIR = tmp_path / "exports"
    client.cookies["django_language"] = "en"


@pytest.fixture
def published(world):
    """Ekskolan (district Norra) and Björkskolan (Södra) have published; Ekskolan has actions."""
    _a, plan = f.published_assessment(world.unit, world.rnd, by=world.bob, levels={"A1.1": 3, "A1.2": None, "A1.3": 4})
    f.published_assessment(world.other_unit, world.rnd, by=world.eve, level=1)
    planning.add_action(
        plan=plan,
        by=world.bob,
        title="Kollegialt lärande",
        priority=1,
        indicator=plan.assessment.answers.get(indicator__code="A2.1").indicator,
    )
    planning.add_action(plan=plan, by=world.bob, title='=HYPERLINK("http://x")', priority=3)
    return plan


def start(client, export, round=None):
    """POST the export form; return the job (which has already run, inline)."""
    data = {"export": export}
    if round is not None:
        data["round"] = round.pk
    response = client.post("/mittkoping/exports/", data)
    assert response.status_code == 302, response.content.decode()[:2000]
    job_id = response["Location"].rstrip("/").split("/")[-1]
    assert response["Location"].startswith("/mittkoping/exports/")
    return ExportJob.objects.get(pk=job_id)


def download(client, job):
    response = client.get(f"/mittkoping/exports/{job.pk}/download/")
    assert response.status_code == 200
    assert "attachment" in response["Content-Disposition"]
    return b"".join(response.streaming_content)


def workbook(data):
    return openpyxl.load_workbook(io.BytesIO(data))


def test_answers_xlsx_reads_back_with_values(client, world, published):
    client.force_login(world.alice)
    job = start(client, "answers.xlsx", world.rnd)
    assert (job.status, job.progress) == ("done", 100)
    assert job.rows_total == job.rows_done == 12  # two units x six indicators
    book = workbook(download(client, job))
    sheet = book.worksheets[0]
    rows = list(sheet.iter_rows(values_only=True))
    header = rows[0]
    assert header[:4] == ("Round", "District", "Unit code", "Unit")
    assert len(rows) == 13
    eks = {r[9]: r for r in rows[1:] if r[3] == "Ekskolan"}
    assert eks["A1.1"][11] == 3 and eks["A1.3"][11] == 4
    assert eks["A1.1"][12] == "Step 3" and eks["A1.3"][12] == "Step 4"  # the level's name beside its number
    assert eks["A1.2"][11] is None and eks["A1.2"][12] is None and eks["A1.2"][13]  # not relevant
    assert header[11:14] == ("Level", "Level name", "Not relevant")
    assert eks["A1.1"][0] == "Läsår 2026/27" and eks["A1.1"][1] == "Norra"
    assert sheet.freeze_panes == "A2"
    assert sheet.auto_filter.ref.startswith("A1:")


def test_overview_xlsx_has_level_colours_plan_sheet_and_legend(client, world, published):
    client.force_login(world.vera)  # an organiser viewer exports everything
    job = start(client, "overview.xlsx", world.rnd)
    book = workbook(download(client, job))
    assert book.sheetnames == ["Levels", "Action plans", "Legend"]
    levels, plan, legend = book.worksheets
    header = [c.value for c in levels[1]]
    col = {code: i + 1 for i, code in enumerate(header)}
    units = {levels.cell(row=r, column=3).value: r for r in range(2, levels.max_row + 1)}
    assert set(units) == {"Ekskolan", "Björkskolan"}
    eks = units["Ekskolan"]
    level3 = levels.cell(row=eks, column=col["A1.1"])
    assert level3.value == 3
    assert level3.fill.fgColor.rgb.upper().endswith(palette(4)[2].background[1:].upper())  # .lv4-3 in the grid
    top = levels.cell(row=eks, column=col["A1.3"])
    assert top.fill.fgColor.rgb.upper().endswith(palette(4)[3].background[1:].upper())
    assert top.font.color.rgb.upper().endswith("FFFFFF")  # white on the strongest colour, as in the grid
    assert levels.cell(row=eks, column=col["A1.2"]).value == "n/r"  # not relevant, hatched like the grid
    assert levels.cell(row=eks, column=col["A1.2"]).fill.patternType == "lightUp"
    planned = plan.cell(row=eks, column=col["A2.1"])
    assert planned.value == 1 and planned.fill.fgColor.rgb.upper().endswith("FFE066") and planned.font.b
    assert plan.cell(row=eks, column=col["A1.3"]).value == "✓"  # top level reached
    assert plan.cell(row=eks, column=col["A2.2"]).value == "·"  # nothing planned
    legend_rows = list(legend.iter_rows(values_only=True))
    assert ("A1.1", "Area 1: Indicator A1.1") in legend_rows
    assert (1, "Step 1") in legend_rows and ("n/r", "Not relevant") in legend_rows
    level_one = next(c for c in legend["A"] if c.value == 1)
    assert level_one.fill.fgColor.rgb.upper().endswith(palette(4)[0].background[1:].upper())


def test_overview_xlsx_prints_landscape_one_page_wide_with_the_unit_columns_on_every_page(client, world, published):
    client.force_login(world.alice)
    book = workbook(download(client, start(client, "overview.xlsx", world.rnd)))
    levels, plan, legend = book.worksheets
    for sheet in (levels, plan):
        setup = sheet.page_setup
        assert setup.orientation == "landscape" and setup.paperSize == 9  # A4
        assert sheet.sheet_properties.pageSetUpPr.fitToPage
        assert (setup.fitToWidth or 1, setup.fitToHeight) == (
            1,
            0,
        )  # (1 is the default) one page wide, as many down as needed
        assert sheet.print_title_rows.replace("$", "") == "1:1"  # the header row on every page
        assert sheet.print_title_cols.replace("$", "") == "A:D"  # district, unit code, unit, assessment on every page
        assert all(c.alignment.wrap_text for c in sheet[1])  # headers wrap, never cut
        assert "&P" in sheet.oddFooter.right.text  # page numbers
    assert levels.oddHeader.left.text == "Levels"
    # the legend prints on one page
    assert legend.sheet_properties.pageSetUpPr.fitToPage
    assert (legend.page_setup.fitToWidth or 1, legend.page_setup.fitToHeight or 1) == (1, 1)


def test_answers_and_actions_print_with_their_header_row_on_every_page(client, world, published):
    client.force_login(world.alice)
    for export in ("answers.xlsx", "actions.xlsx"):
        sheet = workbook(download(client, start(client, export, world.rnd))).worksheets[0]
        assert sheet.page_setup.orientation == "landscape"
        assert (sheet.page_setup.fitToWidth or 1, sheet.page_setup.fitToHeight) == (1, 0)
        assert sheet.print_title_rows.replace("$", "") == "1:1"
        assert sheet[1][9].alignment.wrap_text  # "Indicator code" in a narrow column wraps


def test_overview_marks_units_without_a_published_assessment(client, world):
    f.published_assessment(world.unit, world.rnd, by=world.bob)
    client.force_login(world.alice)
    levels = workbook(download(client, start(client, "overview.xlsx", world.rnd))).worksheets[0]
    rows = {r[2]: r for r in levels.iter_rows(min_row=2, values_only=True)}
    assert rows["Björkskolan"][3] == "Not started" and set(rows["Björkskolan"][4:]) == {"–"}
    assert rows["Ekskolan"][3] == "Published" and set(rows["Ekskolan"][4:]) == {2}


def test_actions_csv_is_semicolon_utf8_with_bom_and_no_formulas(client, world, published):
    client.force_login(world.alice)
    job = start(client, "actions.csv")  # all rounds
    data = download(client, job)
    assert data.startswith("\ufeff".encode())
    rows = list(csv.reader(io.StringIO(data.decode("utf-8-sig")), delimiter=";"))
    assert len(rows) == 3
    titles = {r[5] for r in rows[1:]}
    assert "Kollegialt lärande" in titles
    assert '\'=HYPERLINK("http://x")' in titles  # a spreadsheet shows it, never runs it
    row = next(r for r in rows[1:] if r[5] == "Kollegialt lärande")
    assert row[3] == "Ekskolan" and row[4] == "1" and row[7] == "A2.1"


def test_answers_csv_parses(client, world, published):
    client.force_login(world.alice)
    job = start(client, "answers.csv", world.rnd)
    rows = list(csv.reader(io.StringIO(download(client, job).decode("utf-8-sig")), delimiter=";"))
    assert len(rows) == 13
    assert {r[3] for r in rows[1:]} == {"Ekskolan", "Björkskolan"}


def test_strings_stay_strings_in_excel(client, world, published):
    client.force_login(world.alice)
    book = workbook(download(client, start(client, "actions.xlsx", world.rnd)))
    cell = next(c for row in book.worksheets[0].iter_rows() for c in row if c.value == '=HYPERLINK("http://x")')
    assert cell.data_type == "s"


def test_district_lead_exports_only_their_district(client, world, published):
    client.force_login(world.dave)
    rows = list(workbook(download(client, start(client, "answers.xlsx", world.rnd))).worksheets[0].values)
    assert {r[3] for r in rows[1:]} == {"Ekskolan"}
    rows = list(
        csv.reader(
            io.StringIO(download(client, start(client, "overview.csv", world.rnd)).decode("utf-8-sig")), delimiter=";"
        )
    )
    assert [r[2] for r in rows[1:]] == ["Ekskolan"]


def test_principal_may_not_export_for_the_organiser(client, world, published):
    client.force_login(world.bob)
    assert client.get("/mittkoping/exports/").status_code == 403
    assert client.post("/mittkoping/exports/", {"export": "answers.xlsx"}).status_code == 403
    assert client.get("/mittkoping/reports/board/").status_code == 403
    assert not ExportJob.objects.exists()


def test_other_organiser_gets_404(client, world, published):
    client.force_login(world.alice)
    job = start(client, "answers.xlsx", world.rnd)
    client.force_login(world.charlie)
    for url in ("/mittkoping/exports/", f"/mittkoping/exports/{job.pk}/", f"/mittkoping/exports/{job.pk}/download/"):
        assert client.get(url).status_code == 404
    assert client.get(f"/annanstad/exports/{job.pk}/download/").status_code == 404


def test_only_the_owner_or_an_admin_sees_a_job(client, world, published):
    client.force_login(world.vera)
    job = start(client, "answers.csv", world.rnd)
    client.force_login(world.dave)
    assert client.get(f"/mittkoping/exports/{job.pk}/").status_code == 404
    assert client.get(f"/mittkoping/exports/{job.pk}/download/").status_code == 404
    assert client.get(f"/mittkoping/exports/{uuid.uuid4()}/").status_code == 404
    assert client.get("/mittkoping/exports/not-a-uuid/").status_code == 404
    client.force_login(world.alice)  # organiser admin
    assert client.get(f"/mittkoping/exports/{job.pk}/download/").status_code == 200


def test_job_page_polls_until_done_then_offers_the_file(client, world, published, settings):
    settings.TASKS = DUMMY  # the job waits in the queue, as it does before a worker takes it
    client.force_login(world.alice)
    job = start(client, "answers.xlsx", world.rnd)
    assert job.status == "queued"
    page = client.get(f"/mittkoping/exports/{job.pk}/").content.decode()
    assert 'hx-trigger="every 1s"' in page and f"/mittkoping/exports/{job.pk}/status/" in page
    assert f'href="/mittkoping/exports/{job.pk}/"' in page  # the plain reload link
    assert client.get(f"/mittkoping/exports/{job.pk}/download/").status_code == 404

    export_jobs.run_export(job_id=str(job.pk))  # what the worker does
    job.refresh_from_db()
    assert (job.status, job.progress, job.rows_done) == ("done", 100, 12)
    part = client.get(f"/mittkoping/exports/{job.pk}/status/", HTTP_HX_REQUEST="true").content.decode()
    assert "hx-trigger" not in part
    assert f"/mittkoping/exports/{job.pk}/download/" in part
    assert download(client, job).startswith(b"PK")
    listing = client.get("/mittkoping/exports/").content.decode()
    assert f"/mittkoping/exports/{job.pk}/download/" in listing


def test_progress_is_reported_while_writing(world, published, monkeypatch):
    monkeypatch.setattr(sheets, "PROGRESS_EVERY", 5)
    seen = []
    original = export_jobs.jobs.report_progress

    def spy(*, job, rows_done):
        original(job=job, rows_done=rows_done)
        seen.append(ExportJob.objects.get(pk=job.pk).progress)

    monkeypatch.setattr(export_jobs.jobs, "report_progress", spy)
    job = export_jobs.enqueue_export(organizer=world.org, user=world.alice, kind="answers", fmt="csv", round=world.rnd)
    assert seen[:2] == [41, 83] and seen[-1] == 99  # 5 and 10 of 12 rows, then all rows before the file is moved
    job.refresh_from_db()
    assert job.progress == 100


def test_a_failing_export_says_so(client, world, published, monkeypatch):
    def broken(self):
        raise RuntimeError("disk full")
        yield  # pragma: no cover

    monkeypatch.setattr(exports_module.AnswersExporter, "rows", broken)
    client.force_login(world.alice)
    job = start(client, "answers.xlsx", world.rnd)
    assert job.status == "failed" and job.error
    page = client.get(f"/mittkoping/exports/{job.pk}/").content.decode()
    assert "hx-trigger" not in page and job.error.split(",")[0] in page
    assert client.get(f"/mittkoping/exports/{job.pk}/download/").status_code == 404


def test_overview_needs_a_round(client, world, published):
    client.force_login(world.alice)
    response = client.post("/mittkoping/exports/", {"export": "overview.xlsx", "round": ""})
    assert response.status_code == 200 and not ExportJob.objects.exists()


def test_a_user_who_lost_the_role_gets_no_file(world, published, settings):
    settings.TASKS = DUMMY
    job = export_jobs.enqueue_export(organizer=world.org, user=world.vera, kind="answers", fmt="xlsx", round=world.rnd)
    world.vera.memberships.all().delete()
    export_jobs.run_export(job_id=str(job.pk))
    job.refresh_from_db()
    assert job.status == "failed"


class _Cells(exports_module.Exporter):
    """Every kind of cell the renderer writes, including text that needs escaping."""

    key = "cells"
    verbose_name = "Cells"
    VALUES = (
        "plain",
        "a & b < c > d \"q\" 'a'",
        " leading and trailing ",
        "bell\x07 and tab\tand\nnewline",
        "_x0041_ literal",
        "=1+1",
        "åäö ÅÄÖ é ü 😀",
        7,
        2.5,
        True,
        __import__("datetime").date(2026, 5, 17),
        __import__("datetime").datetime(2026, 5, 17, 13, 45),
        None,
        "x" * 5000,
    )

    def headers(self):
        return [f"c{i}" for i in range(len(self.VALUES))]

    def rows(self):
        yield self.VALUES
        yield (sheets.Styled(3, "lv4-3"), sheets.Styled("", "state-none"), None, "")

    def count(self):
        return 2


def test_xlsx_writes_every_kind_of_cell_as_valid_xml(world, tmp_path):
    import zipfile
    from xml.etree import ElementTree

    path = tmp_path / "cells.xlsx"
    sheets.render_xlsx(_Cells(organizer=world.org, access=None), str(path))
    with zipfile.ZipFile(path) as archive:  # every part is well-formed XML (no "repair")
        for name in archive.namelist():
            if name.endswith((".xml", ".rels")):
                ElementTree.fromstring(archive.read(name))
    sheet = openpyxl.load_workbook(path).worksheets[0]
    # the same values written cell by cell with XlsxWriter's own API read back the same
    reference_path = tmp_path / "reference.xlsx"
    reference = xlsxwriter.Workbook(
        str(reference_path),
        {"constant_memory": True, "strings_to_formulas": False, "strings_to_urls": False, "strings_to_numbers": False},
    )
    ws = reference.add_worksheet()
    for col, value in enumerate(_Cells.VALUES):
        if isinstance(value, __import__("datetime").date):
            ws.write_datetime(1, col, value, reference.add_format({"num_format": "yyyy-mm-dd"}))
        elif value is not None:
            ws.write(1, col, value)
    reference.close()
    expected = [c.value for c in openpyxl.load_workbook(reference_path).worksheets[0][2]]
    values = [c.value for c in sheet[2]]
    assert values == expected
    assert values[:3] == ["plain", "a & b < c > d \"q\" 'a'", " leading and trailing "]
    assert values[5] == "=1+1" and values[6] == "åäö ÅÄÖ é ü 😀" and values[7:10] == [7, 2.5, True]
    assert sheet.cell(row=2, column=6).data_type == "s"
    assert sheet.cell(row=2, column=11).number_format == "yyyy-mm-dd"
    assert sheet.cell(row=3, column=1).value == 3 and sheet.cell(row=3, column=1).fill.fgColor.rgb.endswith(
        palette(4)[2].background[1:].upper()
    )
    assert sheet.cell(row=3, column=2).fill.fgColor.rgb.endswith("FFFFFF")
    assert sheet.max_row == 3 and sheet.freeze_panes == "A2"


def test_prune_exports_deletes_old_jobs_and_files(client, world, published):
    import datetime

    from django.core.management import call_command
    from django.utils import timezone

    from stegvis.exports import domain as jobs_domain

    client.force_login(world.alice)
    old, new = start(client, "answers.csv", world.rnd), start(client, "actions.csv", world.rnd)
    ExportJob.objects.filter(pk=old.pk).update(created_at=timezone.now() - datetime.timedelta(days=8))
    assert jobs_domain.job_path(old).exists()
    call_command("prune_exports", "--days", "7", stdout=io.StringIO())
    assert list(ExportJob.objects.values_list("pk", flat=True)) == [new.pk]
    assert not jobs_domain.job_path(old).exists() and jobs_domain.job_path(new).exists()


def test_exports_in_swedish(client, world, published):
    client.cookies["django_language"] = "sv"
    client.force_login(world.alice)
    book = workbook(download(client, start(client, "overview.xlsx", world.rnd)))
    assert len(book.sheetnames) == 3
    assert client.get("/mittkoping/exports/").status_code == 200


def test_a_viewer_made_contributor_no_longer_downloads_what_they_exported(client, world, published):
    """The file of every unit's answers stays with the rights it was made with: the download,
    the job page and its progress ask Access again."""
    from stegvis.organisations import domain as organisations
    from stegvis.organisations.models import Membership, Role

    client.force_login(world.vera)
    job = start(client, "answers.csv", world.rnd)
    assert job.params["scope"] == {"all": True}
    assert "Björkskolan" in download(client, job).decode("utf-8-sig")
    viewer = Membership.objects.get(user=world.vera)
    organisations.add_membership(
        organizer=world.org, user=world.vera, role=Role.CONTRIBUTOR, unit=world.unit, by=world.alice
    )
    organisations.remove_membership(membership=viewer, by=world.alice)
    base = f"/mittkoping/exports/{job.pk}/"
    for url in (base + "download/", base, base + "status/"):
        response = client.get(url)
        assert response.status_code == 403, url
        assert "Content-Disposition" not in response and not response.streaming
        page = response.content.decode()
        assert "You may no longer download this export" in page
        assert f'href="{base}download/"' not in page
    polled = client.get(base + "status/", HTTP_HX_REQUEST="true")
    assert polled.status_code == 403 and polled["HX-Refresh"] == "true"  # the poll reloads the page
    client.force_login(world.alice)  # the organiser admin still may
    assert "Björkskolan" in download(client, job).decode("utf-8-sig")


def test_a_district_lead_moved_to_another_district_loses_the_old_file(client, world, published):
    from stegvis.organisations.models import Membership

    client.force_login(world.dave)
    job = start(client, "answers.csv", world.rnd)
    assert job.params["scope"] == {"districts": [world.district.pk], "units": []}
    assert "Ekskolan" in download(client, job).decode("utf-8-sig")
    Membership.objects.filter(user=world.dave).update(district=world.other_unit.district)
    assert client.get(f"/mittkoping/exports/{job.pk}/download/").status_code == 403
    listing = client.get("/mittkoping/exports/").content.decode()
    assert f"/mittkoping/exports/{job.pk}/download/" not in listing
    assert "No longer yours to download" in listing
    fresh = start(client, "answers.csv", world.rnd)  # a new export holds the new district
    assert "Björkskolan" in download(client, fresh).decode("utf-8-sig")


def test_a_job_made_before_scopes_were_stored_counts_as_holding_every_unit(client, world, published):
    client.force_login(world.dave)
    job = start(client, "answers.csv", world.rnd)
    ExportJob.objects.filter(pk=job.pk).update(params={k: v for k, v in job.params.items() if k != "scope"})
    assert client.get(f"/mittkoping/exports/{job.pk}/download/").status_code == 403
