"""An organiser admin imports units from Skolverket's register in a real browser: the Excel
extract, the problems of a CSV, the preview and its tick; axe-core on every page."""

from pathlib import Path

import pytest

from tests import factories as f

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]
DATA = Path(__file__).parents[1] / "organisations" / "data"


def test_admin_imports_the_register_extract(live_server, page, check_a11y):
    from django_scopes import scopes_disabled

    from stegvis.organisations.models import Unit

    with scopes_disabled():
        world = f.World.build(framework=f.make_framework())
    page.goto(f"{live_server.url}/login/")
    page.fill("#id_username", "alice@example.se")
    page.fill("#id_password", f.PASSWORD)
    page.click("button[type=submit]")
    page.wait_for_url(f"{live_server.url}/mittkoping/")

    # a CSV with an unquoted comma: one problem, named by its line
    page.goto(f"{live_server.url}/mittkoping/organisation/units/")
    page.get_by_role("link", name="Importera enheter").click()
    page.set_input_files("#id_file", str(DATA / "exempelby_fallgropar.csv"))
    page.locator("main form button[type=submit]").click()
    page.wait_for_load_state()
    errors = page.locator("#import-errors")
    assert "Rad 10" in errors.inner_text() and "kommatecken (,) utan citattecken" in errors.inner_text()
    check_a11y(page, "import-01-problems")

    # the Excel extract of the municipality: a preview, nothing changed yet
    page.set_input_files("#id_file", str(DATA / "exempelby_utdrag.xlsx"))
    page.fill("#id_municipality", "0991")
    page.locator("main form button[type=submit]").click()
    page.wait_for_url("**/units/import/*/")
    assert "15 nya enheter" in page.locator("#import-summary").inner_text()
    assert "Fritidsgården Kvarnen" in page.locator("#import-skipped").inner_text()
    check_a11y(page, "import-02-preview")
    with scopes_disabled():
        assert not Unit.objects.filter(organizer=world.org, code__startswith="491").exists()

    # many new units: the import asks for the tick before it changes anything
    page.get_by_role("button", name="Importera", exact=True).click()
    page.wait_for_load_state()
    assert "kryssa i rutan" in page.content()
    check_a11y(page, "import-03-tick")
    page.get_by_label("Ja, gör ändringarna ovan.").check()
    page.get_by_role("button", name="Importera", exact=True).click()
    page.wait_for_url("**/organisation/units/")
    assert "Importen är klar: 15 skapade" in page.locator(".messages").inner_text()
    with scopes_disabled():
        assert Unit.objects.filter(organizer=world.org, code__startswith="491").count() == 15
