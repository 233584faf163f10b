"""Units from Skolverket's school-unit register: its JSON, its Excel extract, CSV saved from it;
the preview before anything changes, and re-imports that update names and status."""

import io
import json
import re
from datetime import timedelta

import openpyxl
import pytest
from django.utils import timezone

from stegvis.core import schoolforms
from stegvis.core.models import AuditEvent
from stegvis.organisations import domain, imports
from stegvis.organisations.models import Role, Unit, UnitImport
from tests import factories as f

from .importing import DATA, confirm, import_file, sample, upload, upload_file

EXEMPELBY = "2120000991"  # the made-up municipality's organisation number in the sample files


def masks(*codes):
    return schoolforms.to_mask(codes)


def units(world):
    return {u.code: u for u in Unit.objects.filter(organizer=world.org)}


def preview(client, response):
    assert response.status_code == 302, response.content.decode()[:3000]
    return client.get(response["Location"]).content.decode()


# JSON from the register's API


def test_register_json_of_details_imports_the_organisers_units(admin_client, world, url):
    content = import_file(admin_client, url, sample("exempelby_v2_detaljer.json"), organisation="212000-0991")
    assert "Import done: 14 created, 0 updated, 0 unchanged." in content
    found = units(world)
    assert found["49110001"].name == "Ekbackens skola F-6"
    # förskoleklass counts as compulsory school; fritidshem is left out
    assert found["49110001"].school_forms == masks("grundskola")
    assert found["49110005"].school_forms == masks("anpassad_skola")
    assert found["49110006"].school_forms == masks("gymnasieskola")
    assert found["49110007"].school_forms == masks("anpassad_skola")
    assert found["49110008"].school_forms == masks("vuxenutbildning")
    assert found["49110009"].school_forms == masks("vuxenutbildning")
    # active in the register: active; dormant or planned: created inactive
    assert found["49110001"].active and found["49110015"].active
    assert not found["49110012"].active and not found["49110017"].active  # VILANDE
    assert not found["49110014"].active  # PLANERAD
    # not imported: only fritidshem / öppen fritidsverksamhet, ceased, another organiser's schools
    for code in ("49110010", "49110011", "49110013", "49110018", "49110019", "49210020"):
        assert code not in found
    # the register has no districts: new units have none
    assert found["49110001"].district is None


def test_register_json_preview_lists_new_skipped_and_notes(admin_client, world, url):
    page = preview(admin_client, upload(admin_client, url, sample("exempelby_v2_detaljer.json")))
    assert "Nothing has changed yet." in page
    assert "16 new units" in page and "4 units in the file skipped" in page
    assert "Skolverket&#x27;s register, API v2" in page or "Skolverket's register, API v2" in page
    # skipped, each with its entry number and reason
    assert "Entry 10" in page and "Only öppen fritidsverksamhet, which Stegvis does not assess." in page
    assert "Only fritidshem, which Stegvis does not assess." in page
    assert "Ceased in the register (upphörd) and not among your units: not imported." in page
    # one note for the fritidshem left out of the other units' school forms
    assert "Left out of the units&#x27; school forms, as Stegvis does not assess them: Fritidshem (8)." in page
    # two municipalities and three organisers in the file: a hint to filter
    assert "The file has units in several municipalities: 0991 (19), 0992 (1)." in page
    assert "several organisers (organisation numbers): 2120000991 (18)" in page
    # dormant and planned units are named
    assert "Norrby skola: dormant (vilande) – new, created inactive" in page
    assert "Strandskolan: planned (planerad) – new, created inactive" in page
    # duplicate names warn but do not block
    assert (
        "The name “Hagaskolan” is used by several units in the file: 49110015 (entry 15), 49110016 (entry 16)." in page
    )
    # 16 new units: more than 10, so the import asks for a tick
    assert 'name="confirm"' in page
    assert not Unit.objects.filter(organizer=world.org, code__startswith="491").exists()


def test_register_json_municipality_filter(admin_client, world, url):
    page = preview(admin_client, upload(admin_client, url, sample("exempelby_v2_detaljer.json"), municipality="0992"))
    assert "1 new unit" in page and "Grannby montessoriskola" in page
    assert "19 units outside municipality 0992 were left out." in page


def test_register_list_reimport_updates_names_and_status(admin_client, world, url):
    import_file(admin_client, url, sample("exempelby_v2_detaljer.json"), organisation=EXEMPELBY)
    before = units(world)
    response = upload(admin_client, url, sample("exempelby_v2_lista.json"))
    page = preview(admin_client, response)
    # the list has no school forms: a note, existing units keep theirs, new ones are skipped
    assert "The file gives no school forms" in page
    assert "A new unit, but the file gives no school forms" in page  # 49110010, 49110011
    assert "Ekbackens skola 7-9 → Ekbackaskolan 7-9" in page
    assert "status: active → inactive (ceased (upphörd) in the register)" in page
    assert "status: inactive → active (active in the register)" in page
    assert "3 units change" in page and "11 units unchanged" in page
    assert "Hagaskolan” is used by several units" not in page  # both are in Stegvis already
    assert "Strandskolan: planned (planerad)" in page and "Kyrkskolan: dormant (vilande)" in page
    assert 'name="confirm"' not in page  # 3 of 16 units: no tick needed

    assert confirm(admin_client, response["Location"]).status_code == 302
    event = AuditEvent.objects.filter(verb="units.imported").latest("pk")
    assert event.summary == "created 0, updated 3 (deactivated 1), unchanged 11, skipped 4"
    after = units(world)
    assert after["49110002"].name == "Ekbackaskolan 7-9"
    assert after["49110003"].active is False  # UPPHORT: inactive, never deleted
    assert after["49110012"].active is True  # VILANDE -> AKTIV
    assert after["49110017"].active is False  # still VILANDE: the flag is kept
    assert after["49110001"].school_forms == before["49110001"].school_forms
    assert len(after) == len(before)


def _latest_preview(world):
    staged = UnitImport.objects.filter(organizer=world.org).latest("created_at")
    return f"/{world.org.slug}/organisation/units/import/{staged.pk}/"


def test_dormant_unit_keeps_its_active_flag(admin_client, world, url):
    world.other_unit.active = False
    world.other_unit.save()
    document = {
        "data": {
            "type": "schoolunit",
            "attributes": [
                {"schoolUnitCode": world.unit.code, "name": world.unit.name, "status": "VILANDE"},
                {"schoolUnitCode": world.other_unit.code, "name": world.other_unit.name, "status": "VILANDE"},
            ],
        }
    }
    page = preview(admin_client, upload(admin_client, url, json.dumps(document), name="lista.json"))
    assert "2 units unchanged" in page
    assert "The file changes nothing" in page
    assert f"{world.unit.code} Ekskolan: dormant (vilande)" in page
    world.unit.refresh_from_db()
    world.other_unit.refresh_from_db()
    assert world.unit.active and not world.other_unit.active


def test_ceased_unit_becomes_inactive_and_keeps_its_district(admin_client, world, url):
    document = {
        "meta": {},
        "data": {
            "type": "schoolunit",
            "schoolUnitCode": world.unit.code,
            "attributes": {"displayName": "Ekskolan", "status": "UPPHORT", "schoolTypes": ["GR"]},
        },
        "included": {},
    }
    content = import_file(admin_client, url, json.dumps(document), name="enhet.json")
    assert "Import done: 0 created, 1 updated, 0 unchanged." in content
    world.unit.refresh_from_db()
    assert world.unit.active is False
    assert world.unit.district == world.district  # the register has no districts: kept
    assert Unit.objects.filter(pk=world.unit.pk).exists()


def test_register_v1_and_planned_educations_shapes(admin_client, world, url):
    v1 = {
        "Uttagsdatum": "2023-09-15",
        "Fotnot": "Uppgifterna kommer från skolenhetsregistret",
        "Skolenheter": [
            {
                "Skolenhetskod": "49110001",
                "Skolenhetsnamn": "Ekbackens skola",
                "Kommunkod": "0991",
                "PeOrgNr": EXEMPELBY,
            }
        ],
    }
    result = imports.parse_units(upload_file(json.dumps(v1), name="v1.json"), districts=[])
    assert result.ok and result.shape == "v1-list"
    assert result.rows[0].code == "49110001" and result.rows[0].school_forms is None
    v1_detail = {
        "SkolenhetInfo": {
            "Skolenhetskod": "49110001",
            "Namn": "Ekbackens skola",
            "Status": "Aktiv",
            "Kommun": {"Kommunkod": "0991", "Namn": "Exempelby"},
            "Skolformer": [{"Benamning": "Grundskola"}, {"Benamning": "Förskoleklass"}, {"Benamning": "Fritidshem"}],
        }
    }
    result = imports.parse_units(upload_file(json.dumps(v1_detail), name="v1.json"), districts=[])
    assert result.ok and result.rows[0].school_forms == masks("grundskola") and result.rows[0].status == "AKTIV"
    planned = {
        "body": {
            "_embedded": {
                "listedSchoolUnits": [
                    {
                        "code": "49110006",
                        "name": "Exempelby gymnasium",
                        "geographicalAreaCode": "0991",
                        "typeOfSchooling": [{"code": "gy", "displayName": "Gymnasieskola"}, {"code": "gyan"}],
                    }
                ]
            },
            "page": {"totalElements": 1},
        }
    }
    result = imports.parse_units(upload_file(json.dumps(planned), name="pe.json"), districts=[])
    assert result.ok and result.shape == "planned-educations"
    assert result.rows[0].school_forms == masks("gymnasieskola", "anpassad_skola")


def test_register_json_problems_name_the_entry(admin_client, world, url):
    document = [
        {"schoolUnitCode": "4911", "name": "Kort kod", "status": "AKTIV", "schoolTypes": ["GR"]},
        {"schoolUnitCode": "49110002", "name": "", "status": "AKTIV", "schoolTypes": ["GR"]},
        {"schoolUnitCode": "49110003", "name": "Okänd status", "status": "STÄNGD", "schoolTypes": ["GR"]},
        {"schoolUnitCode": "49110004", "name": "Okänd skolform", "status": "AKTIV", "schoolTypes": ["GR", "YH"]},
    ]
    response = upload(admin_client, url, json.dumps(document), name="enheter.json")
    content = response.content.decode()
    assert response.status_code == 400
    assert "The file has 3 problems. Nothing was imported." in content
    assert "Entry 1" in content and "The unit code “4911” is not eight digits." in content
    assert "Entry 2" in content and "The name is missing." in content
    assert "Entry 3" in content and "Unknown status “STÄNGD”." in content
    assert content.count("Known statuses: Aktiv, Vilande, Upphörd, Planerad") == 1


def test_unknown_register_school_type_is_left_out_not_refused(world):
    document = [{"schoolUnitCode": "49110004", "name": "Skola", "status": "AKTIV", "schoolTypes": ["GR", "YH"]}]
    result = imports.parse_units(upload_file(json.dumps(document), name="u.json"), districts=[])
    assert result.ok and result.rows[0].school_forms == masks("grundskola")
    assert "YH (1)" in result.note_texts()[0]


@pytest.mark.parametrize(
    "content,message",
    [
        ("{not json", "The file is not valid JSON (line 1, column 2)"),
        ('{"body": ' * 5000 + "1" + "}" * 5000, "The JSON file is nested too deeply"),
        ('{"hello": "world"}', "No school units found in the JSON file."),
        (b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\0" * 100, "This is an old Excel file (.xls)."),
        (b"PK\x03\x04broken", "The file could not be read as an Excel workbook (.xlsx)."),
    ],
)
def test_unreadable_files_say_why(admin_client, world, url, content, message):
    response = upload(admin_client, url, content, name="units.dat")
    assert response.status_code == 400
    assert message in response.content.decode()


def test_filter_needs_the_column(admin_client, world, url):
    response = upload(admin_client, url, sample("exempelby_v2_lista.json"), municipality="0991")
    assert (
        "The file has no municipality codes, so it cannot be limited to one municipality." in response.content.decode()
    )


def test_filter_that_matches_nothing(admin_client, world, url):
    response = upload(admin_client, url, sample("exempelby_v2_detaljer.json"), organisation="5560000000")
    assert "No unit in the file belongs to the municipality or organiser given." in response.content.decode()


def test_filter_fields_are_checked(admin_client, world, url):
    response = upload(admin_client, url, sample("exempelby_v2_detaljer.json"), municipality="991", organisation="12")
    content = response.content.decode()
    assert "A municipality code is four digits, for example 0180." in content
    assert "An organisation number is ten digits, for example 212000-1306." in content
    assert not UnitImport.objects.exists()


# The Excel extract


def test_excel_extract_with_a_title_row(admin_client, world, url):
    page = preview(admin_client, upload(admin_client, url, sample("exempelby_utdrag.xlsx"), municipality="0991"))
    # the header is on row 4; the sheet "Information" has none and is noted
    assert "Sheets without a header row were not read: Information." in page
    assert "Sheet “Skolenheter”, row 14" in page  # Fritidsgården Kvarnen, skipped
    # "Kod" holds the municipality code (991 in Excel, without its zero): read as 0991, never as a unit code
    assert "1 unit outside municipality 0991 was left out." in page
    assert "15 new units" in page and "4 units in the file skipped" in page
    content = confirm(admin_client, _latest_preview(world))
    assert content.status_code == 302
    found = units(world)
    assert found["49110001"].school_forms == masks("grundskola")
    assert found["49110008"].school_forms == masks("vuxenutbildning")
    assert found["49110019"].name == "Friskolan Gläntan"  # in the municipality, another organiser
    assert not found["49110012"].active  # Vilande
    assert not any(len(code) != 8 for code in found)
    assert "0991" not in found and "991" not in found


def test_excel_extract_organisation_filter(admin_client, world, url):
    page = preview(admin_client, upload(admin_client, url, sample("exempelby_utdrag.xlsx"), organisation=EXEMPELBY))
    assert "2 units of other organisers than 2120000991 were left out." in page
    assert "Friskolan Gläntan" not in page


def test_excel_workbook_with_a_sheet_per_school_form(admin_client, world, url):
    """Skolverket's older extract: one sheet per school form, no school-form column."""
    workbook = openpyxl.Workbook()
    for title, rows in {
        "Grundskola": [("49110001", "Ekbackens skola"), ("49110002", "Björkhagens skola")],
        "Fritidshem": [("49110001", "Ekbackens skola"), ("49110011", "Solrosens fritidshem")],
        "Gymnasieskola": [("49110006", "Exempelby gymnasium")],
    }.items():
        sheet = workbook.create_sheet(title)
        sheet.append(["SKOLENHETSKOD", "SKOLENHETENS NAMN", "KOMMUN", "KOMMUNNAMN"])
        for code, name in rows:
            sheet.append([int(code), name, 991, "Exempelby"])
    del workbook["Sheet"]
    buffer = io.BytesIO()
    workbook.save(buffer)
    result = imports.parse_units(upload_file(buffer.getvalue(), name="utdrag.xlsx"), districts=[])
    assert result.ok, result.errors
    rows = {r.code: r for r in result.rows}
    assert rows["49110001"].school_forms == masks("grundskola")
    assert rows["49110006"].school_forms == masks("gymnasieskola")
    assert [s.code for s in result.skipped] == ["49110011"]
    assert rows["49110001"].municipality == "0991"


def test_excel_without_unit_code_column_explains_kod(admin_client, world, url):
    workbook = openpyxl.Workbook()
    sheet = workbook.active
    sheet.append(["Kommun", "Kod", "Skolenhetens namn", "Skolform(er)"])
    sheet.append(["Exempelby", 991, "Ekbackens skola", "Grundskola"])
    sheet.append(["Exempelby", 991, "Björkhagens skola", "Grundskola"])
    buffer = io.BytesIO()
    workbook.save(buffer)
    response = upload(admin_client, url, buffer.getvalue(), name="utdrag.xlsx")
    content = response.content.decode()
    assert "The column “Kod” holds four-digit codes: municipality codes (kommunkod), not unit codes." in content
    assert "Row 1" in content


# CSV saved from the register


def test_csv_pitfalls_unquoted_comma_names_its_line(admin_client, world, url):
    response = upload(admin_client, url, sample("exempelby_fallgropar.csv"))
    content = response.content.decode()
    assert response.status_code == 400
    assert "The file has 1 problem. Nothing was imported." in content
    assert "Line 10" in content
    assert (
        "This line has 8 cells, the header has 7: is there an unquoted comma (,) in a name? Put such text in quotes."
        in content
    )


def test_csv_pitfalls_once_quoted(admin_client, world, url):
    text = (DATA / "exempelby_fallgropar.csv").read_text().replace("Hagaskolan, F-3", '"Hagaskolan, F-3"')
    page = preview(admin_client, upload(admin_client, url, text))
    assert "Only öppen fritidsverksamhet, which Stegvis does not assess." in page
    assert "Fritidshem (2)" in page
    content = confirm(admin_client, _latest_preview(world))
    assert content.status_code == 302
    found = units(world)
    # the four-digit "Kod" is the municipality code, not the unit code
    assert set(found) >= {"49110001", "49110015"} and "0991" not in found
    assert found["49110015"].name == "Hagaskolan, F-3"
    assert found["49110001"].school_forms == masks("grundskola") and found["49110001"].district == world.district
    assert found["49110005"].school_forms == masks("anpassad_skola") and found["49110005"].district.name == "Södra"
    assert found["49110008"].school_forms == masks("vuxenutbildning")
    assert found["49110006"].district is None
    assert not found["49110012"].active  # Vilande
    assert "49110013" not in found  # Upphörd and new: skipped
    assert "49110010" not in found  # only öppen fritidsverksamhet


def test_csv_with_only_a_municipality_kod_is_refused(admin_client, world, url):
    text = "Namn;Kod;Skolformer\nEkbackens skola;0991;Grundskola\nBjörkhagens skola;0991;Grundskola\n"
    content = upload(admin_client, url, text).content.decode()
    assert "The column “Kod” holds four-digit codes: municipality codes (kommunkod), not unit codes." in content
    assert not Unit.objects.filter(code="0991").exists()


def test_generic_kod_with_unit_codes_still_works(admin_client, world, url):
    text = "Namn;Kod;Skolformer\nEkbackens skola;49110001;Grundskola\n"
    import_file(admin_client, url, text)
    assert Unit.objects.filter(organizer=world.org, code="49110001").exists()


def test_skolverket_school_form_names_are_read(world):
    text = (
        "Skolenhetskod;Skolenhetens namn;Skolform(er)\n"
        "49110001;A;Förskoleklass\n"
        "49110002;B;Kommunal vuxenutbildning, Sfi\n"
        "49110003;C;GR, FKLASS, FTH\n"
        "49110004;D;Grundsärskola/Gymnasiesärskola\n"
        "49110005;E;Fritidshem\n"
        "49110006;F;Sameskola|Specialskola\n"
    )
    result = imports.parse_units(upload_file(text), districts=[])
    assert result.ok, result.errors
    rows = {r.code: r.school_forms for r in result.rows}
    assert rows == {
        "49110001": masks("grundskola"),
        "49110002": masks("vuxenutbildning"),
        "49110003": masks("grundskola"),
        "49110004": masks("anpassad_skola"),
        "49110006": masks("grundskola"),
    }
    assert [(s.code, s.reason) for s in result.skipped] == [("49110005", "not_assessed")]


def test_many_unknown_forms_give_the_list_once(admin_client, world, url):
    lines = "".join(f"S{n},{30000000 + n},Folkhögskola,\n" for n in range(102))
    content = upload(admin_client, url, "name,unit code,school forms,district\n" + lines).content.decode()
    assert "The file has 102 problems." in content
    assert content.count("Unknown school form “Folkhögskola”.") == 102
    assert content.count("Known school forms:") == 1


def test_status_column_in_csv(admin_client, world, url):
    text = f"namn;skolenhetskod;skolformer;status\nEkskolan;{world.unit.code};Grundskola;Upphörd\n"
    import_file(admin_client, url, text)
    world.unit.refresh_from_db()
    assert world.unit.active is False and world.unit.district == world.district


# The preview, its confirmation and its storage


def test_many_changes_need_the_tick(admin_client, world, url):
    text = (
        "name,unit code,school forms\n"
        f"Ekskolan F-9,{world.unit.code},Grundskola\n"
        f"Björkskolan 7-9,{world.other_unit.code},Grundskola\n"
    )
    response = upload(admin_client, url, text)
    page = preview(admin_client, response)
    assert "2 units change" in page and 'name="confirm"' in page
    refused = confirm(admin_client, response["Location"], tick=False)
    assert refused.status_code == 400
    assert "This import changes many units: tick the box to confirm." in refused.content.decode()
    world.unit.refresh_from_db()
    assert world.unit.name == "Ekskolan"
    assert confirm(admin_client, response["Location"]).status_code == 302
    world.unit.refresh_from_db()
    assert world.unit.name == "Ekskolan F-9"
    assert not UnitImport.objects.exists()
    event = AuditEvent.objects.get(verb="units.imported", organizer=world.org)
    assert "updated 2" in event.summary


def test_units_changed_since_the_preview(admin_client, world, url):
    text = f"name,unit code,school forms\nEkskolan F-9,{world.unit.code},Grundskola\n"
    response = upload(admin_client, url, text)
    page = admin_client.get(response["Location"]).content.decode()
    assert "Ekskolan → Ekskolan F-9" in page
    digest = re.search(r'name="digest" value="([0-9a-f]+)"', page).group(1)
    domain.update_unit(
        unit=world.unit,
        by=world.alice,
        name="Ekskolan F-9",
        code=world.unit.code,
        school_forms=world.unit.school_forms,
        district=world.district,
    )
    Unit.objects.filter(pk=world.other_unit.pk).update(name="Omdöpt")
    text2 = f"name,unit code,school forms\nNyskolan,{world.other_unit.code},Grundskola\n"
    response2 = upload(admin_client, url, text2)  # a new upload replaces the first
    assert not UnitImport.objects.filter(pk=int(response["Location"].rstrip("/").rsplit("/", 1)[1])).exists()
    changed = confirm(admin_client, response2["Location"], digest=digest)
    assert changed.status_code == 400
    assert "The units have changed since this preview was made." in changed.content.decode()
    world.other_unit.refresh_from_db()
    assert world.other_unit.name == "Omdöpt"


def test_discard(admin_client, world, url):
    response = upload(admin_client, url, "name,unit code,school forms\nNyskolan,49110001,Grundskola\n")
    done = admin_client.post(response["Location"], {"discard": ""})
    assert done.status_code == 302
    assert "The import was cancelled." in admin_client.get(done["Location"]).content.decode()
    assert not UnitImport.objects.exists() and not Unit.objects.filter(code="49110001").exists()


def test_staged_import_keeps_rows_not_the_file(admin_client, world, url):
    upload(admin_client, url, sample("exempelby_v2_detaljer.json"))
    staged = UnitImport.objects.get()
    stored = json.dumps(staged.data)
    assert staged.user == world.alice and staged.filename == "exempelby_v2_detaljer.json"
    assert "49110001" in stored
    assert "Skolvägen" not in stored and "0991-123 45" not in stored  # addresses and phones are not kept


def test_staged_import_belongs_to_its_user(client, world, url):
    other_admin = f.UserFactory(email="admin2@example.se")
    f.member(other_admin, world.org, Role.ADMIN)
    client.force_login(world.alice)
    location = upload(client, url, "name,unit code,school forms\nNyskolan,49110001,Grundskola\n")["Location"]
    client.force_login(other_admin)
    assert client.get(location).status_code == 404
    assert client.post(location, {"discard": ""}).status_code == 404
    assert UnitImport.objects.exists()


def test_staged_import_expires(admin_client, world, url):
    location = upload(admin_client, url, "name,unit code,school forms\nNyskolan,49110001,Grundskola\n")["Location"]
    UnitImport.objects.update(created_at=timezone.now() - timedelta(hours=3))
    response = admin_client.get(location)
    assert response.status_code == 302 and response["Location"] == url("units_import")
    assert "has expired" in admin_client.get(response["Location"]).content.decode()
    assert not UnitImport.objects.exists()


def test_old_staged_imports_are_cleared_on_upload(admin_client, world, url):
    other_admin = f.UserFactory(email="admin2@example.se")
    f.member(other_admin, world.org, Role.ADMIN)
    old = UnitImport.objects.create(organizer=world.org, user=other_admin, data={})
    UnitImport.objects.filter(pk=old.pk).update(created_at=timezone.now() - timedelta(hours=3))
    recent = UnitImport.objects.create(organizer=world.org, user=other_admin, data={})
    upload(admin_client, url, "name,unit code,school forms\nNyskolan,49110001,Grundskola\n")
    assert set(UnitImport.objects.values_list("user__email", flat=True)) == {"alice@example.se", "admin2@example.se"}
    assert UnitImport.objects.filter(pk=recent.pk).exists() and not UnitImport.objects.filter(pk=old.pk).exists()


def test_deleted_district_between_preview_and_import(admin_client, world, url):
    district = f.DistrictFactory(organizer=world.org, name="Västra")
    location = upload(admin_client, url, "name,unit code,school forms,district\nNyskolan,49110001,Grundskola,Västra\n")[
        "Location"
    ]
    district.delete()
    response = admin_client.get(location)
    assert response.status_code == 302
    assert "no longer exists" in admin_client.get(response["Location"]).content.decode()


def test_new_unit_with_the_name_of_an_existing_one_warns(admin_client, world, url):
    page = preview(
        admin_client, upload(admin_client, url, "name,unit code,school forms\nEkskolan,49110001,Grundskola\n")
    )
    assert f"The new unit “Ekskolan” (49110001) has the same name as your unit with the code {world.unit.code}." in page
    assert 'name="import"' in page  # a warning, not a block


def test_swedish_preview(client, world, url):
    client.force_login(world.alice)
    client.cookies["django_language"] = "sv"
    location = upload(client, url, sample("exempelby_v2_detaljer.json"))["Location"]
    page = client.get(location).content.decode()
    assert "Kontrollera importen" in page and "nya enheter" in page


def test_the_examples_in_the_docs_read_as_the_docs_say(world):
    """docs/unit-import.md: every JSON and CSV example parses, with the outcome described."""
    text = (DATA.parents[2] / "docs" / "unit-import.md").read_text()
    blocks = re.findall(r"```(json|csv)\n(.*?)```", text, re.S)
    assert [kind for kind, _body in blocks] == ["json", "csv", "csv", "csv"]
    districts = [world.district, world.other_unit.district]
    results = [
        imports.parse_units(upload_file(body, name=f"example.{kind}"), districts=districts) for kind, body in blocks
    ]
    assert all(r.ok for r in results), [r.errors for r in results]
    json_rows = {r.code: r for r in results[0].rows}
    assert json_rows["49110001"].school_forms == masks("grundskola") and json_rows["49110001"].status == "AKTIV"
    assert json_rows["49110014"].status == "PLANERAD"
    assert [len(r.rows) for r in results[1:]] == [3, 2, 4]
    assert [s.code for s in results[3].skipped] == ["49110010"]
    plan = imports.compare(results[3].rows, existing={}, districts={d.pk: d for d in districts})
    assert [s.code for s in plan.skipped] == ["49110013"]  # ceased and new


def test_the_importer_chooses_whether_new_units_join_the_open_round(client, world, url):
    from stegvis.cycles.models import RoundUnit
    from tests.organisations.importing import confirm, upload

    client.force_login(world.alice)
    text = "name;unit code;school forms;district\nNyskolan;30000001;Grundskola;Norra\n"
    response = upload(client, url, text)
    page = client.get(response["Location"]).content.decode()
    assert 'name="join_open_rounds"' in page and "checked" in page  # offered, ticked by default
    done = confirm(client, response["Location"], join_open_rounds=False)
    assert done.status_code == 302
    assert not RoundUnit.objects.filter(round=world.rnd, unit__code="30000001").exists()

    text = "name;unit code;school forms;district\nAndraskolan;30000002;Grundskola;Norra\n"
    response = upload(client, url, text)
    confirm(client, response["Location"])
    assert RoundUnit.objects.filter(round=world.rnd, unit__code="30000002").exists()
