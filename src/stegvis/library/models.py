"""The library of good examples (docs/library.md): documents and links that members share.

An ``Example`` belongs to the organiser whose member shared it. It is read by every member of
that organiser, and, when ``shared`` is set, by every organiser on the installation (read-only,
with the source organiser's name, never its people). The file lives under ``MEDIA_ROOT`` with a
name of our own; its original name, checked content type and size are columns. ``ExampleText`` holds the
text read from the file (bounded, ``extract.py``); ``tags_text`` the tags as words
(indicators, school forms, kind, unit), both indexed for search by ``search.reindex``.
"""

import os
import uuid

from django.conf import settings
from django.contrib.postgres.search import SearchVectorField
from django.db import models
from django.db.models import Manager
from django.utils.translation import gettext_lazy as _
from django_scopes import ScopedManager

from stegvis.core import schoolforms


class Kind(models.TextChoices):
    PLAN = "plan", _("Digitalisation plan")
    POLICY = "policy", _("Policy or guideline")
    LESSON = "lesson", _("Lesson idea")
    ROUTINE = "routine", _("Routine or checklist")
    OTHER = "other", _("Other")


def stored_name(instance, filename):
    """``library/<organiser id>/<random>.<ext>``: never the uploader's name on disk."""
    ext = os.path.splitext(filename)[1].lower()
    return f"library/{instance.organizer_id}/{uuid.uuid4().hex}{ext}"


class Example(models.Model):
    organizer = models.ForeignKey("organisations.Organizer", on_delete=models.CASCADE, related_name="examples")
    kind = models.CharField(_("kind"), max_length=20, choices=Kind.choices, default=Kind.OTHER)
    title = models.CharField(_("title"), max_length=200)
    description = models.TextField(_("description"), max_length=5000, blank=True)
    url = models.URLField(_("link"), max_length=500, blank=True)
    file = models.FileField(_("file"), upload_to=stored_name, max_length=200, blank=True)
    filename = models.CharField(max_length=255, blank=True, help_text="The name the file was uploaded with")
    content_type = models.CharField(max_length=120, blank=True, help_text="Checked by content (core.uploads)")
    size = models.PositiveIntegerField(default=0)
    tags_text = models.TextField(blank=True, help_text="The tags as words, for search")
    unit = models.ForeignKey(
        "organisations.Unit", on_delete=models.SET_NULL, null=True, blank=True, related_name="+", verbose_name=_("unit")
    )
    school_forms = models.PositiveSmallIntegerField(
        _("school forms"), default=0, help_text="Bit mask, core.schoolforms"
    )
    indicators = models.ManyToManyField(
        "frameworks.Indicator", blank=True, related_name="+", verbose_name=_("indicators")
    )
    shared = models.BooleanField(_("share with every organiser"), default=False)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)
    # PostgreSQL only: the weighted 'swedish' tsvector of all four fields (GIN index, migration
    # 0001), what is matched; and the same without the file's text (small, in the row), what the
    # matches are ranked by (migration 0002). Null on SQLite, which keeps an FTS5 table instead
    # (search.py).
    search = SearchVectorField(null=True, editable=False)
    search_head = SearchVectorField(null=True, editable=False)

    # Every organiser's examples, for the reads that cross organisers: always filtered with
    # ``Access.example_visibility()`` (own, or shared with every organiser), and the index upkeep.
    # ``objects`` (scoped to the organiser of the request) stays the default manager.
    across = Manager()
    objects = ScopedManager(organizer="organizer")

    class Meta:
        default_manager_name = "objects"
        ordering = ["-created_at", "-id"]
        indexes = [
            models.Index(fields=["organizer", "-created_at"], name="example_org_created"),
            models.Index(fields=["shared", "-created_at"], name="example_shared_created"),
        ]

    def __str__(self):
        return self.title

    @property
    def is_link(self):
        return not self.file

    @property
    def school_form_labels(self):
        return schoolforms.labels(self.school_forms)


class ExampleText(models.Model):
    """The text read from an example's file (bounded, ``extract.py``), for search only. A table
    of its own so that lists and filters read small rows: on SQLite a column after a long text
    is reached only through its overflow pages."""

    example = models.OneToOneField(Example, on_delete=models.CASCADE, primary_key=True, related_name="body")
    organizer = models.ForeignKey("organisations.Organizer", on_delete=models.CASCADE, related_name="+")
    text = models.TextField(blank=True)

    objects = ScopedManager(organizer="organizer")
