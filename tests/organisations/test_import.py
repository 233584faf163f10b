from django.core.files.uploadedfile import SimpleUploadedFile

from stegvis.core import schoolforms
from stegvis.core.models import AuditEvent
from stegvis.organisations import imports
from stegvis.organisations.models import District, Unit
from tests import factories as f


def upload(text, *, encoding="utf-8", name="units.csv"):
    data = text.encode(encoding) if isinstance(text, str) else text
    return SimpleUploadedFile(name, data, content_type="text/csv")


def post(client, url, text, **kwargs):
    return client.post(url("units_import"), {"file": upload(text, **kwargs)})


def test_import_page_explains_the_format(admin_client, world, url):
    content = admin_client.get(url("units_import")).content.decode()
    assert "skolenhetskod" in content
    assert "Norra, Södra" in content


def test_import_good_file_creates_units(admin_client, world, url):
    text = (
        "name,unit code,school forms,district\n"
        "Lärkskolan,20000001,Grundskola,Norra\n"
        'Solgläntan,20000002,"förskola, grundskola",södra\n'
        "Vuxencentrum,20000003,Komvux|Gymnasieskola,\n"
    )
    response = post(admin_client, url, text)
    assert response.status_code == 302
    assert "Import done: 3 created, 0 updated, 0 unchanged." in admin_client.get(response["Location"]).content.decode()
    lark = Unit.objects.get(organizer=world.org, code="20000001")
    assert lark.name == "Lärkskolan" and lark.district == world.district and lark.active
    sol = Unit.objects.get(organizer=world.org, code="20000002")
    assert sol.school_forms == schoolforms.to_mask(["forskola", "grundskola"])
    assert sol.district.name == "Södra"
    vux = Unit.objects.get(organizer=world.org, code="20000003")
    assert vux.school_forms == schoolforms.to_mask(["vuxenutbildning", "gymnasieskola"])
    assert vux.district is None
    assert AuditEvent.objects.filter(verb="units.imported", organizer=world.org).count() == 1


def test_import_updates_existing_unit_matched_by_code(admin_client, world, url):
    text = (
        "name,unit code,school forms,district\n"
        f"Ekskolan F-9,{world.unit.code},Förskola/Grundskola,Södra\n"
        f"{world.other_unit.name},{world.other_unit.code},Grundskola,Södra\n"
        "Nyskolan,20000009,Grundskola,Norra\n"
    )
    response = post(
        admin_client,
        url,
        text,
    )
    assert response.status_code == 302
    content = admin_client.get(response["Location"]).content.decode()
    assert "Import done: 1 created, 1 updated, 1 unchanged." in content
    world.unit.refresh_from_db()
    assert world.unit.name == "Ekskolan F-9"
    assert world.unit.school_forms == schoolforms.to_mask(["forskola", "grundskola"])
    assert world.unit.district.name == "Södra"
    assert Unit.objects.filter(organizer=world.org).count() == 3


def test_import_swedish_headers_semicolon_and_bom(admin_client, world, url):
    text = (
        "\ufeffNamn;Skolenhetskod;Skolformer;Område\n"
        "Lärkskolan;20000001;Förskola, Grundskola;Norra\n"
        "Särskolan;20000002;Anpassad skola;Södra\n"
    )
    response = post(admin_client, url, text)
    assert response.status_code == 302
    lark = Unit.objects.get(organizer=world.org, code="20000001")
    assert lark.school_forms == schoolforms.to_mask(["forskola", "grundskola"])
    assert Unit.objects.get(organizer=world.org, code="20000002").school_forms == schoolforms.to_mask(
        ["anpassad_skola"]
    )


def test_import_enhetskod_and_district_headers(admin_client, world, url):
    text = "namn;enhetskod;skolformer;district\r\nLärkskolan;20000001;Gymnasium;Norra\r\n"
    assert post(admin_client, url, text).status_code == 302
    assert Unit.objects.filter(organizer=world.org, code="20000001").exists()


def test_import_bad_file_reports_every_problem_by_line_and_imports_nothing(admin_client, world, url):
    text = (
        "name,unit code,school forms,district\n"
        "Lärkskolan,20000001,Grundskola,Norra\n"  # line 2: fine
        ",20000002,Grundskola,Norra\n"  # line 3: no name
        "Tallskolan,1234,Grundskola,Norra\n"  # line 4: bad code
        "Granskolan,20000001,Grundskola,Norra\n"  # line 5: duplicate code
        "Aspskolan,20000005,Folkhögskola,Norra\n"  # line 6: unknown school form
        "Lindskolan,20000006,Grundskola,Västra\n"  # line 7: unknown district
    )
    response = post(admin_client, url, text)
    content = response.content.decode()
    assert response.status_code == 400
    assert "The file has 5 problems. Nothing was imported." in content
    assert "Line 3" in content and "The name is missing." in content
    assert "Line 4" in content and "The unit code “1234” is not eight digits." in content
    assert "Line 5" in content and "The unit code 20000001 is also on line 2." in content
    assert "Line 6" in content and "Unknown school form “Folkhögskola”." in content
    assert "Line 7" in content and "Unknown district “Västra”. Known districts: Norra, Södra." in content
    assert "Line 2<" not in content
    assert not Unit.objects.filter(code__startswith="2000000").exists()


def test_import_line_numbers_count_blank_and_multiline_rows():
    text = (
        "\n"
        "name,unit code,school forms,district\n"
        "\n"
        '"Skolan\nmed radbrytning",20000001,Grundskola,\n'
        "Felskolan,123,Grundskola,\n"
    )
    result = imports.parse_units(upload(text), districts=[])
    assert result.errors == [
        # a unit name is one line, as in the form (the row still counts as two lines)
        (4, "Column “name”: Remove the line break or tab at character 7: this takes a single line of text."),
        (6, "The unit code “123” is not eight digits."),
    ]


def test_import_too_many_cells_explains_quoting(admin_client, world, url):
    text = "name,unit code,school forms,district\nLärkskolan,20000001,Förskola,Grundskola,Norra\n"
    content = post(admin_client, url, text).content.decode()
    assert "Line 2" in content and "more cells than the header row" in content


def test_import_empty_file(admin_client, world, url):
    response = post(admin_client, url, "")
    assert response.status_code == 400
    assert "The file is empty." in response.content.decode()


def test_import_header_only(admin_client, world, url):
    assert (
        "The file has a header row but no units."
        in post(admin_client, url, "name,unit code,school forms,district\n").content.decode()
    )


def test_import_wrong_encoding(admin_client, world, url):
    text = "name;unit code;school forms;district\nLärkskolan;20000001;Förskola;Norra\n"
    response = post(admin_client, url, text, encoding="cp1252")
    assert response.status_code == 400
    assert "The file is not UTF-8 encoded." in response.content.decode()
    assert not Unit.objects.filter(code="20000001").exists()


def test_import_no_header(admin_client, world, url):
    content = post(admin_client, url, "Lärkskolan,20000001,Grundskola,Norra\n").content.decode()
    assert "The first line must be a header row with the columns: name, unit code, school forms, district." in content


def test_import_missing_column(admin_client, world, url):
    content = post(admin_client, url, "name;unit code;district\nLärkskolan;20000001;Norra\n").content.decode()
    assert "Column missing: school forms." in content
    assert not Unit.objects.filter(code="20000001").exists()


def test_import_file_too_large(admin_client, world, url):
    text = "name,unit code,school forms,district\n" + "x" * (imports.MAX_BYTES + 1)
    response = post(admin_client, url, text)
    assert response.status_code == 400
    assert "The file is too large: at most 2 MB." in response.content.decode()


def test_import_too_many_rows(admin_client, world, url):
    rows = "".join(f"S,{30000000 + n},Grundskola,\n" for n in range(imports.MAX_ROWS + 1))
    response = post(admin_client, url, "name,unit code,school forms,district\n" + rows)
    assert response.status_code == 400
    assert "The file has more than 20,000 units." in response.content.decode()
    assert not Unit.objects.filter(code="30000000").exists()


def test_import_max_rows_is_accepted(world):
    rows = "".join(f"S,{30000000 + n},Grundskola,\n" for n in range(imports.MAX_ROWS))
    result = imports.parse_units(upload("name,unit code,school forms,district\n" + rows), districts=[])
    assert result.ok and len(result.rows) == imports.MAX_ROWS


def test_import_active_column(admin_client, world, url):
    text = f"name;unit code;school forms;district;active\nEkskolan;{world.unit.code};Grundskola;Norra;nej\n"
    assert post(admin_client, url, text).status_code == 302
    world.unit.refresh_from_db()
    assert world.unit.active is False


def test_import_export_round_trip(admin_client, world, url):
    exported = admin_client.get(url("units_export")).content
    response = admin_client.post(url("units_import"), {"file": upload(exported)})
    assert response.status_code == 302
    assert "Import done: 0 created, 0 updated, 2 unchanged." in admin_client.get(response["Location"]).content.decode()


def test_import_does_not_touch_other_organisers_units(admin_client, world, url):
    foreign = f.UnitFactory(organizer=world.other_org, code="20000001", name="Främmande")
    text = "name,unit code,school forms,district\nLärkskolan,20000001,Grundskola,Norra\n"
    assert post(admin_client, url, text).status_code == 302
    foreign.refresh_from_db()
    assert foreign.name == "Främmande"
    assert Unit.objects.get(organizer=world.org, code="20000001").name == "Lärkskolan"


def test_import_district_names_of_other_organisers_are_unknown(admin_client, world, url):
    District.objects.create(organizer=world.other_org, name="Annanstads område")
    text = "name,unit code,school forms,district\nLärkskolan,20000001,Grundskola,Annanstads område\n"
    content = post(admin_client, url, text).content.decode()
    assert "Unknown district “Annanstads område”. Known districts: Norra, Södra." in content


def test_import_without_file_shows_error(admin_client, url):
    response = admin_client.post(url("units_import"), {})
    assert response.status_code == 200
    assert "This field is required." in response.content.decode()
