"""Networks of the organiser (e.g. "IKT-nätverket grundskola"), their members and coordinators,
meetings with agenda, attendance, minutes, action items, files and comments (docs/networks.md)."""

import os
import uuid

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _
from django_scopes import ScopedManager


class Network(models.Model):
    organizer = models.ForeignKey("organisations.Organizer", on_delete=models.CASCADE, related_name="+")
    name = models.CharField(_("name"), max_length=200)
    description = models.TextField(_("description"), blank=True, max_length=4000)
    # The default agenda, one item per line; a new meeting copies it.
    default_agenda = models.TextField(
        _("default agenda"), blank=True, max_length=4000, help_text=_("One item per line; new meetings start with it.")
    )
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)

    objects = ScopedManager(organizer="organizer")

    class Meta:
        ordering = ["name", "id"]
        constraints = [models.UniqueConstraint(fields=["organizer", "name"], name="network_unique_name")]

    def __str__(self):
        return self.name

    def agenda_lines(self):
        return [line.strip() for line in self.default_agenda.splitlines() if line.strip()]


class NetworkMember(models.Model):
    """A user's place in a network: a member or a coordinator. Read as a role only by
    ``organisations.access`` (through the source this room registers)."""

    class Role(models.TextChoices):
        MEMBER = "member", _("Member")
        COORDINATOR = "coordinator", _("Coordinator")

    organizer = models.ForeignKey("organisations.Organizer", on_delete=models.CASCADE, related_name="+")
    network = models.ForeignKey(Network, on_delete=models.CASCADE, related_name="members")
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    role = models.CharField(_("role"), max_length=12, choices=Role.choices, default=Role.MEMBER)
    added_at = models.DateTimeField(auto_now_add=True)

    objects = ScopedManager(organizer="organizer")

    class Meta:
        ordering = ["user__full_name", "user__email"]
        constraints = [models.UniqueConstraint(fields=["network", "user"], name="networkmember_unique_user")]


class Meeting(models.Model):
    organizer = models.ForeignKey("organisations.Organizer", on_delete=models.CASCADE, related_name="+")
    network = models.ForeignKey(Network, on_delete=models.CASCADE, related_name="meetings")
    date = models.DateField(_("date"))
    starts_at = models.TimeField(_("starts at"))
    ends_at = models.TimeField(_("ends at"), null=True, blank=True)
    place = models.CharField(_("place"), max_length=200, blank=True)
    video_link = models.URLField(_("video link"), blank=True, max_length=500)
    theme = models.CharField(_("theme"), max_length=200)
    area = models.ForeignKey(
        "frameworks.Area",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        verbose_name=_("framework area"),
    )
    minutes_draft = models.TextField(_("minutes (draft)"), blank=True, max_length=20000)
    minutes = models.TextField(_("minutes"), blank=True, max_length=20000)  # the published text
    minutes_published_at = models.DateTimeField(null=True, blank=True)
    minutes_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")
    sequence = models.PositiveIntegerField(default=0)  # the calendar feed's SEQUENCE
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)

    objects = ScopedManager(organizer="organizer")

    class Meta:
        ordering = ["-date", "-starts_at", "-id"]

    def __str__(self):
        return f"{self.network} {self.date:%Y-%m-%d}: {self.theme}"

    @property
    def minutes_published(self):
        return self.minutes_published_at is not None


class AgendaItem(models.Model):
    organizer = models.ForeignKey("organisations.Organizer", on_delete=models.CASCADE, related_name="+")
    meeting = models.ForeignKey(Meeting, on_delete=models.CASCADE, related_name="agenda")
    position = models.PositiveSmallIntegerField()
    title = models.CharField(_("item"), max_length=300)

    objects = ScopedManager(organizer="organizer")

    class Meta:
        ordering = ["position", "id"]


class Attendance(models.Model):
    class Status(models.TextChoices):
        PRESENT = "present", _("Present")
        APOLOGY = "apology", _("Sent apologies")

    organizer = models.ForeignKey("organisations.Organizer", on_delete=models.CASCADE, related_name="+")
    meeting = models.ForeignKey(Meeting, on_delete=models.CASCADE, related_name="attendance")
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    status = models.CharField(max_length=10, choices=Status.choices)

    objects = ScopedManager(organizer="organizer")

    class Meta:
        ordering = ["user__full_name", "user__email"]
        constraints = [models.UniqueConstraint(fields=["meeting", "user"], name="attendance_unique_user")]


class ActionItem(models.Model):
    class Status(models.TextChoices):
        OPEN = "open", _("Open")
        DONE = "done", _("Done")
        DROPPED = "dropped", _("Dropped")

    organizer = models.ForeignKey("organisations.Organizer", on_delete=models.CASCADE, related_name="+")
    meeting = models.ForeignKey(Meeting, on_delete=models.CASCADE, related_name="action_items")
    title = models.CharField(_("what"), max_length=300)
    owner = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    due_date = models.DateField(_("due date"), null=True, blank=True)
    status = models.CharField(_("status"), max_length=8, choices=Status.choices, default=Status.OPEN)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)

    objects = ScopedManager(organizer="organizer")

    class Meta:
        ordering = ["due_date", "id"]


def _file_path(instance, filename):
    """networks/<organiser>/<meeting>/<random><ext>: the name a user gave is kept in ``name``."""
    ext = os.path.splitext(filename)[1].lower()
    return f"networks/{instance.organizer_id}/{instance.meeting_id}/{uuid.uuid4().hex}{ext}"


class MeetingFile(models.Model):
    organizer = models.ForeignKey("organisations.Organizer", on_delete=models.CASCADE, related_name="+")
    meeting = models.ForeignKey(Meeting, on_delete=models.CASCADE, related_name="files")
    file = models.FileField(upload_to=_file_path, max_length=300)
    name = models.CharField(max_length=255)
    content_type = models.CharField(max_length=120)
    size = models.PositiveBigIntegerField()
    uploaded_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")
    uploaded_at = models.DateTimeField(auto_now_add=True)

    objects = ScopedManager(organizer="organizer")

    class Meta:
        ordering = ["uploaded_at", "id"]


class Comment(models.Model):
    organizer = models.ForeignKey("organisations.Organizer", on_delete=models.CASCADE, related_name="+")
    meeting = models.ForeignKey(Meeting, on_delete=models.CASCADE, related_name="comments")
    author = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")
    text = models.TextField(_("comment"), max_length=4000)
    created_at = models.DateTimeField(auto_now_add=True)

    objects = ScopedManager(organizer="organizer")

    class Meta:
        ordering = ["created_at", "id"]
