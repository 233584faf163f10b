from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from stegvis.core import forms as core_forms
from stegvis.core.i18n import bilingual
from stegvis.core.uploads import allowed_extensions, check_upload
from stegvis.cycles.models import Round
from stegvis.frameworks.models import Area, Framework

from .models import ActionItem, Attendance, Meeting, Network, NetworkMember


def theme_areas(organizer):
    """The areas a meeting's theme may be linked to: those of the frameworks the organiser's
    rounds use, or of every framework available to it when it has no round yet."""
    used = set(Round.objects.filter(organizer=organizer).values_list("framework_id", flat=True))
    frameworks = Framework.objects.filter(pk__in=sorted(used)) if used else Framework.objects.available_to(organizer)
    return Area.objects.filter(framework__in=frameworks).select_related("framework").order_by("framework_id", "order")


def _person_label(user):
    return f"{user.display_name} ({user.email})"


class NetworkForm(core_forms.ModelForm):
    class Meta:
        model = Network
        fields = ["name", "description", "default_agenda"]
        widgets = {
            "description": forms.Textarea(attrs={"rows": 3}),
            "default_agenda": forms.Textarea(attrs={"rows": 5}),
        }

    def __init__(self, *args, organizer, **kwargs):
        super().__init__(*args, **kwargs)
        self.organizer = organizer

    def clean_name(self):
        name = self.cleaned_data["name"].strip()
        if not name:
            raise ValidationError(_("Give the network a name."))
        taken = Network.objects.filter(organizer=self.organizer, name__iexact=name).exclude(pk=self.instance.pk)
        if taken.exists():
            raise ValidationError(_("The organiser already has a network with this name."))
        return name


class MemberForm(core_forms.Form):
    user = forms.ModelChoiceField(label=_("Person"), queryset=None)
    role = forms.ChoiceField(label=_("Role"), choices=NetworkMember.Role.choices, initial=NetworkMember.Role.MEMBER)

    def __init__(self, *args, people, may_appoint, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["user"].queryset = people
        self.fields["user"].label_from_instance = _person_label
        if not may_appoint:  # only organiser admins appoint coordinators
            del self.fields["role"]

    def as_coordinator(self):
        return self.cleaned_data.get("role") == NetworkMember.Role.COORDINATOR


class MeetingForm(core_forms.ModelForm):
    area = forms.ModelChoiceField(label=_("Framework area"), queryset=Area.objects.none(), required=False)
    video_link = forms.URLField(
        label=_("Video link"),
        required=False,
        max_length=500,
        assume_scheme="https",
        help_text=_("A place, a video link or both."),
    )

    class Meta:
        model = Meeting
        fields = ["theme", "area", "date", "starts_at", "ends_at", "place", "video_link"]
        widgets = {
            "date": forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
            "starts_at": forms.TimeInput(attrs={"type": "time"}, format="%H:%M"),
            "ends_at": forms.TimeInput(attrs={"type": "time"}, format="%H:%M"),
        }

    def __init__(self, *args, organizer, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["area"].queryset = theme_areas(organizer)
        self.fields["area"].label_from_instance = lambda a: bilingual(a, "name")
        self.fields["area"].help_text = _("The area of the framework the theme belongs to.")

    def clean_theme(self):
        theme = self.cleaned_data["theme"].strip()
        if not theme:
            raise ValidationError(_("Give the meeting a theme."))
        return theme

    def clean(self):
        data = super().clean()
        if not data.get("place") and not data.get("video_link") and not self.has_error("video_link"):
            self.add_error("place", _("Give a place or a video link."))
        starts, ends = data.get("starts_at"), data.get("ends_at")
        if starts and ends and ends <= starts:
            self.add_error("ends_at", _("The meeting must end after it starts."))
        return data


class AgendaForm(core_forms.Form):
    agenda = forms.CharField(
        label=_("Agenda"),
        required=False,
        max_length=4000,
        widget=forms.Textarea(attrs={"rows": 8}),
        help_text=_("One item per line, in order."),
    )

    def clean_agenda(self):
        lines = [line.strip() for line in self.cleaned_data["agenda"].splitlines() if line.strip()]
        if any(len(line) > 300 for line in lines):
            raise ValidationError(_("An agenda item can be at most 300 characters."))
        return lines


class AttendanceForm(core_forms.Form):
    """One choice per member of the network: present, sent apologies, or not recorded."""

    def __init__(self, *args, people, current, **kwargs):
        super().__init__(*args, **kwargs)
        choices = [("", _("Not recorded")), *Attendance.Status.choices]
        self.people = []
        for user in people:
            name = f"u{user.pk}"
            self.fields[name] = forms.ChoiceField(
                label=user.display_name, choices=choices, required=False, initial=current.get(user.pk, "")
            )
            self.people.append((user, name))

    def statuses(self):
        return {user.pk: self.cleaned_data[name] for user, name in self.people}


class MinutesForm(core_forms.Form):
    text = forms.CharField(
        label=_("Minutes"),
        required=False,
        max_length=20000,
        widget=forms.Textarea(attrs={"rows": 16}),
        help_text=_("Plain text. A line starting with “# ” is a heading, “- ” a list item, **text** is bold."),
    )

    def clean(self):
        data = super().clean()
        if self.data.get("publish") and not (data.get("text") or "").strip():
            self.add_error("text", _("Write the minutes before publishing them."))
        return data


class ActionItemForm(core_forms.ModelForm):
    owner = forms.ModelChoiceField(label=_("Owner"), queryset=None)

    class Meta:
        model = ActionItem
        fields = ["title", "owner", "due_date", "status"]
        widgets = {"due_date": forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")}

    def __init__(self, *args, people, with_status=True, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["owner"].queryset = people
        self.fields["owner"].required = True
        self.fields["owner"].label_from_instance = _person_label
        self.fields["owner"].help_text = _("Gets a reminder before the due date.")
        if not with_status:
            del self.fields["status"]

    def clean_title(self):
        title = self.cleaned_data["title"].strip()
        if not title:
            raise ValidationError(_("Say what is to be done."))
        return title


class StatusForm(core_forms.Form):
    status = forms.ChoiceField(label=_("Status"), choices=ActionItem.Status.choices)


class FileForm(core_forms.Form):
    file = forms.FileField(label=_("File"))

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["file"].help_text = _("Allowed: %(names)s.") % {"names": ", ".join(allowed_extensions())}

    def clean_file(self):
        upload = self.cleaned_data["file"]
        check_upload(upload)  # refused: the message at the field, nothing stored
        return upload


class CommentForm(core_forms.Form):
    text = forms.CharField(label=_("Comment"), max_length=4000, widget=forms.Textarea(attrs={"rows": 3}))

    def clean_text(self):
        text = self.cleaned_data["text"].strip()
        if not text:
            raise ValidationError(_("Write a comment."))
        return text


WHEN_CHOICES = [("", _("All")), ("upcoming", _("Upcoming")), ("past", _("Past"))]


class MeetingFilter(core_forms.Form):
    network = forms.ModelChoiceField(label=_("Network"), queryset=None, required=False, empty_label=_("All"))
    area = forms.ModelChoiceField(label=_("Theme"), queryset=None, required=False, empty_label=_("All"))
    when = forms.ChoiceField(label=_("When"), choices=WHEN_CHOICES, required=False)

    def __init__(self, *args, networks, areas, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["network"].queryset = networks
        self.fields["area"].queryset = areas
        self.fields["area"].label_from_instance = lambda a: bilingual(a, "name")


OWNER_CHOICES = [("", _("Everyone")), ("me", _("Mine"))]
STATUS_CHOICES = [("", _("All")), *ActionItem.Status.choices, ("overdue", _("Overdue"))]


class ActionFilter(core_forms.Form):
    network = forms.ModelChoiceField(label=_("Network"), queryset=None, required=False, empty_label=_("All"))
    status = forms.ChoiceField(label=_("Status"), choices=STATUS_CHOICES, required=False)
    owner = forms.ChoiceField(label=_("Owner"), choices=OWNER_CHOICES, required=False)

    def __init__(self, *args, networks, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["network"].queryset = networks
