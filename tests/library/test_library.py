"""The library of good examples: sharing, search in Swedish, who sees what, bad uploads."""

import shutil

import pytest
from django.conf import settings
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.test import override_settings
from django.urls import reverse

from stegvis.core import schoolforms
from stegvis.library import domain, operations, search
from stegvis.library.models import Example
from stegvis.library.samples import docx_bytes, pdf_bytes
from tests import factories as f


@pytest.fixture(autouse=True)
def uploads():
    """A clean upload folder for each test (settings.MEDIA_ROOT is the test run's own)."""
    shutil.rmtree(settings.MEDIA_ROOT, ignore_errors=True)
    yield settings.MEDIA_ROOT
    shutil.rmtree(settings.MEDIA_ROOT, ignore_errors=True)


def files_on_disk():
    root = settings.MEDIA_ROOT
    return sorted(p for p in root.rglob("*") if p.is_file()) if root.exists() else []


def word_file(name="plan.docx", text="Vi använder en lärplatta i varje grupp."):
    return SimpleUploadedFile(
        name, docx_bytes(title="Plan", paragraphs=[text]), content_type="application/octet-stream"
    )


def share(world, *, by=None, title="Exempel", upload=None, url="", **kw):
    if upload is None and not url:
        url = "https://example.se/exempel"
    return domain.share_example(organizer=world.org, by=by or world.bob, title=title, upload=upload, url=url, **kw)


def found(world, text, *, access=None):
    from stegvis.organisations.access import Access

    access = access or Access.for_user(user=world.alice, organizer=world.org)
    qs = Example.across.filter(access.example_visibility())
    return [e.title for e in search.search(qs, text)]


def test_a_document_is_found_by_an_inflected_swedish_word_in_its_text(world):
    share(world, title="Förskolans plan", upload=word_file(text="Varje avdelning har en lärplatta för dokumentation."))
    share(world, title="Annat", url="https://example.se/annat", description="Om schemaläggning.")
    assert found(world, "lärplattor") == ["Förskolans plan"]
    assert found(world, "Lärplattorna dokumentationen") == ["Förskolans plan"]
    assert found(world, "lärplattor schema") == []  # every word must occur


def test_a_pdf_is_found_by_a_word_in_it(world):
    pdf = SimpleUploadedFile("policy.pdf", pdf_bytes(title="Användarpolicy", paragraphs=["Eleverna lånar datorer."]))
    share(world, title="Policy", upload=pdf)
    assert found(world, "dator") == ["Policy"]


def test_a_match_in_the_title_ranks_above_one_in_the_description(world):
    share(world, title="Om annat", description="Här står något om programmering i förskolan.")
    share(world, title="Programmering i åk 4", description="En lektionsidé.")
    assert found(world, "programmering") == ["Programmering i åk 4", "Om annat"]


def test_a_title_ranks_above_tags_above_description_above_the_files_text(world):
    # shared best first: newest first, the order among equals, would put them the other way round
    share(world, title="Förskolans digitala arbete")
    share(world, title="I taggarna", school_forms=schoolforms.to_mask(["forskola"]))
    share(world, title="I beskrivningen", description="Hur förskolan arbetar.")
    share(world, title="Bara i texten", upload=word_file(text="Vi arbetar med lärplattor i förskolan."))
    share(world, title="Inte alls", description="Om gymnasiet.")
    assert found(world, "förskola") == ["Förskolans digitala arbete", "I taggarna", "I beskrivningen", "Bara i texten"]


def test_with_two_words_each_word_in_the_title_counts(world):
    share(world, title="Lärplattor i förskolan")
    share(world, title="Lärplattans användning", upload=word_file(name="b.docx", text="Så gör vi i förskolan."))
    share(world, title="Annat", upload=word_file(name="a.docx", text="En lärplatta i förskolan."))
    share(world, title="Lärplattor på gymnasiet")  # one word only: not found
    assert found(world, "lärplatta förskola") == ["Lärplattor i förskolan", "Lärplattans användning", "Annat"]


def test_the_library_page_counts_and_orders_the_matches_of_a_search(client, world):
    share(world, title="Programmering i åk 4")
    share(world, title="Om annat", description="Programmering i förskolan.")
    share(world, title="Schemaläggning")
    client.force_login(world.carol)
    page = client.get(reverse("library", args=[world.org.slug]), {"q": "programmeringen"}).content.decode()
    assert "2 exempel" in page
    assert page.index("Programmering i åk 4") < page.index("Om annat")
    assert "Schemaläggning" not in page


@pytest.mark.skipif(connection.vendor != "postgresql", reason="planner settings and tsvectors are PostgreSQL's")
def test_a_search_leaves_the_planner_as_it_was(client, world):
    share(world, title="Programmering i åk 4")
    client.force_login(world.carol)
    assert (
        "Programmering i åk 4"
        in client.get(reverse("library", args=[world.org.slug]), {"q": "programmering"}).content.decode()
    )
    with connection.cursor() as cursor:
        cursor.execute("SELECT current_setting('enable_seqscan'), current_setting('enable_indexscan')")
        assert cursor.fetchone() == ("on", "on")


@pytest.mark.skipif(connection.vendor != "postgresql", reason="planner settings and tsvectors are PostgreSQL's")
def test_the_migration_fills_the_ranking_vector_as_reindex_does(world):
    example = share(world, title="Lärplattor i förskolan", description="Om appar.", school_forms=1)
    reindexed = Example.across.values_list("search_head", flat=True).get(pk=example.pk)
    Example.across.filter(pk=example.pk).update(search_head=None)
    with connection.cursor() as cursor:
        cursor.execute(
            f"UPDATE library_example SET search_head = {operations.HEAD_VECTOR_SQL} WHERE id = %s", [example.pk]
        )
    assert reindexed and Example.across.values_list("search_head", flat=True).get(pk=example.pk) == reindexed


def test_changing_and_removing_keeps_the_index_in_step(world):
    example = share(world, title="Gammal titel")
    domain.change_example(example=example, by=world.bob, title="Robotar i skolan")
    assert found(world, "robot") == ["Robotar i skolan"]
    assert found(world, "gammal") == []
    domain.remove_example(example=example, by=world.bob)
    assert found(world, "robot") == []


def test_tags_are_searchable_and_filterable(client, world):
    indicator = world.rnd.framework.indicators.order_by("pk").first()
    share(world, title="Taggad", indicators=[indicator], school_forms=schoolforms.to_mask(["forskola"]), kind="lesson")
    share(world, title="Otaggad", kind="plan")
    client.force_login(world.carol)
    url = reverse("library", args=[world.org.slug])
    assert "Otaggad" not in client.get(url, {"indicator": indicator.pk}).content.decode()
    page = client.get(url, {"indicator": indicator.pk}).content.decode()
    assert "Taggad" in page
    assert "Otaggad" in client.get(url, {"kind": "plan"}).content.decode()
    assert "Taggad" not in client.get(url, {"kind": "plan"}).content.decode()
    assert "Otaggad" not in client.get(url, {"school_form": "forskola"}).content.decode()
    assert found(world, "förskola") == ["Taggad"]


def test_a_member_shares_a_document_through_the_page(client, world):
    client.force_login(world.carol)
    response = client.post(
        reverse("library_new", args=[world.org.slug]),
        {"title": "Lektionsidé om källkritik", "kind": "lesson", "file": word_file("idé.docx", "Källkritik på nätet.")},
    )
    example = Example.objects.get()
    assert response.status_code == 302
    assert example.created_by == world.carol and example.filename == "idé.docx"
    assert example.content_type.endswith("wordprocessingml.document")
    assert len(files_on_disk()) == 1 and "idé" not in files_on_disk()[0].name
    page = client.get(reverse("library", args=[world.org.slug]), {"q": "källkritiken"}).content.decode()
    assert "Lektionsidé om källkritik" in page


@pytest.mark.parametrize(
    "upload, message",
    [
        (SimpleUploadedFile("plan.pdf", b"just some text, not a pdf"), "Den här sortens fil kan inte delas"),
        (SimpleUploadedFile("run.exe", b"MZ\x90\x00" + b"\x00" * 200), "Den här sortens fil kan inte delas"),
        (SimpleUploadedFile("plan.pdf", b"\x89PNG\r\n\x1a\n" + b"\x00" * 64), "innehållet är .png"),
    ],
)
def test_a_forbidden_or_mismatched_file_is_refused_and_nothing_is_stored(client, world, upload, message):
    client.force_login(world.bob)
    response = client.post(
        reverse("library_new", args=[world.org.slug]), {"title": "X", "kind": "plan", "file": upload}
    )
    assert response.status_code == 200
    assert message in response.content.decode()
    assert not Example.objects.exists()
    assert files_on_disk() == []


def test_a_too_large_file_is_refused_and_nothing_is_stored(client, world):
    client.force_login(world.bob)
    with override_settings(STEGVIS_UPLOAD_MAX_BYTES=1000):
        response = client.post(
            reverse("library_new", args=[world.org.slug]),
            {"title": "Stor", "kind": "plan", "file": SimpleUploadedFile("stor.pdf", b"%PDF-1.7\n" + b" " * 2000)},
        )
    assert "MB är tillåtet" in response.content.decode()
    assert not Example.objects.exists()
    assert files_on_disk() == []


def test_the_domain_function_refuses_an_unchecked_file_too(world):
    from django.core.exceptions import ValidationError

    with pytest.raises(ValidationError):
        share(world, upload=SimpleUploadedFile("a.png", b"MZ\x90\x00" + b"\x00" * 200))
    assert not Example.objects.exists() and files_on_disk() == []


def test_a_link_must_be_http_or_https(client, world):
    client.force_login(world.bob)
    for bad in ("javascript:alert(1)", "ftp://example.se/x", "file:///etc/passwd"):
        response = client.post(
            reverse("library_new", args=[world.org.slug]), {"title": "L", "kind": "other", "url": bad}
        )
        assert response.status_code == 200, bad
    assert not Example.objects.exists()
    client.post(
        reverse("library_new", args=[world.org.slug]), {"title": "L", "kind": "other", "url": "https://skolverket.se"}
    )
    assert Example.objects.get().url == "https://skolverket.se"


def test_a_download_is_an_attachment_with_the_checked_type(client, world):
    example = share(world, upload=word_file())
    client.force_login(world.eve)  # another unit's principal, same organiser
    response = client.get(reverse("library_download", args=[world.org.slug, example.pk]))
    assert response.status_code == 200
    assert response["Content-Type"].endswith("wordprocessingml.document")
    assert response["Content-Disposition"].startswith("attachment")
    assert response["X-Content-Type-Options"] == "nosniff"
    assert b"".join(response.streaming_content)[:2] == b"PK"


def test_another_organiser_gets_404_for_a_document_not_shared(client, world):
    example = share(world, upload=word_file())
    client.force_login(world.charlie)
    for name in ("library_download", "library_example"):
        assert client.get(reverse(name, args=[world.other_org.slug, example.pk])).status_code == 404
        assert client.get(reverse(name, args=[world.org.slug, example.pk])).status_code == 404
    assert found(world, "lärplatta", access=_access(world.charlie, world.other_org)) == []


def _access(user, organizer):
    from stegvis.organisations.access import Access

    return Access.for_user(user=user, organizer=organizer)


def test_a_shared_document_is_read_only_elsewhere_with_the_organisers_name_not_the_uploader(client, world):
    example = share(world, title="Delad plan", upload=word_file(), shared=True)
    client.force_login(world.charlie)
    detail = client.get(reverse("library_example", args=[world.other_org.slug, example.pk])).content.decode()
    assert "Mittköpings kommun" in detail and "Bob" not in detail
    assert reverse("library_edit", args=[world.other_org.slug, example.pk]) not in detail
    assert client.get(reverse("library_download", args=[world.other_org.slug, example.pk])).status_code == 200
    assert client.get(reverse("library_edit", args=[world.other_org.slug, example.pk])).status_code == 404
    assert client.post(reverse("library_delete", args=[world.other_org.slug, example.pk])).status_code == 404
    listing = client.get(reverse("library", args=[world.other_org.slug]), {"q": "lärplattor"}).content.decode()
    assert "Delad plan" in listing and "Mittköpings kommun" in listing
    own = client.get(reverse("library", args=[world.other_org.slug]), {"source": "own"}).content.decode()
    assert "Delad plan" not in own
    client.force_login(world.alice)
    assert "Bob" in client.get(reverse("library_example", args=[world.org.slug, example.pk])).content.decode()


def test_the_uploader_and_admins_change_an_example_others_may_not(client, world):
    example = share(world, by=world.carol, title="Carols")
    edit = reverse("library_edit", args=[world.org.slug, example.pk])
    client.force_login(world.eve)
    assert client.get(edit).status_code == 403
    client.force_login(world.carol)
    response = client.post(
        edit, {"title": "Carols nya", "kind": "policy", "url": "https://example.se/ny", "shared": "on"}
    )
    assert response.status_code == 302
    example.refresh_from_db()
    assert (example.title, example.kind, example.shared) == ("Carols nya", "policy", True)
    client.force_login(world.alice)
    assert (
        client.post(reverse("library_delete", args=[world.org.slug, example.pk]), {"confirmed": "yes"}).status_code
        == 302
    )
    assert not Example.objects.exists()


def test_removing_a_document_deletes_its_file(world, django_capture_on_commit_callbacks):
    example = share(world, upload=word_file())
    assert len(files_on_disk()) == 1
    with django_capture_on_commit_callbacks(execute=True):
        domain.remove_example(example=example, by=world.alice)
    assert files_on_disk() == []


def test_the_action_plan_links_each_suggestion_to_its_examples(client, world):
    published, plan = f.published_assessment(world.unit, world.rnd, by=world.bob)
    client.force_login(world.bob)
    page = client.get(reverse("plan", args=[world.org.slug, plan.pk])).content.decode()
    indicator = world.rnd.framework.indicators.order_by("area__order", "order").first()
    assert f"{reverse('library', args=[world.org.slug])}?indicator={indicator.pk}" in page


def test_the_library_is_in_the_menu_for_every_member(client, world):
    client.force_login(world.carol)
    page = client.get(reverse("org_home", args=[world.org.slug])).content.decode()
    assert reverse("library", args=[world.org.slug]) in page


def test_personal_data_export_and_erasure_cover_the_uploader(world):
    from stegvis.library.holdings import erase_examples, export_examples

    share(world, by=world.carol, title="Carols")
    assert [r["title"] for r in export_examples(user=world.carol, organizer=world.org)] == ["Carols"]
    erase_examples(user=world.carol, organizer=world.org)
    assert Example.objects.get().created_by is None
