from django import forms
from django.utils.translation import gettext_lazy as _

from stegvis.core import forms as core_forms
from stegvis.core.i18n import ui_language
from stegvis.frameworks.models import localized_text

from .models import Action, Note

PRIORITY_CHOICES = [(1, _("1 – high")), (2, _("2 – medium")), (3, _("3 – low"))]


class ActionForm(core_forms.ModelForm):
    priority = forms.TypedChoiceField(
        label=_("Priority"), choices=PRIORITY_CHOICES, coerce=int, widget=forms.RadioSelect, initial=2
    )
    revision = forms.IntegerField(widget=forms.HiddenInput, required=False)

    class Meta:
        model = Action
        fields = ["title", "description", "indicator", "priority", "owner_user", "owner", "due_date", "status"]
        widgets = {
            "due_date": forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
            "description": forms.Textarea(attrs={"rows": 4}),
        }

    def __init__(self, *args, indicators, with_status, preschool=False, owner_users=None, **kwargs):
        super().__init__(*args, **kwargs)
        # The owner as a user of the organiser (gets the reminders), or a name as free text.
        owner_field = self.fields["owner_user"]
        owner_field.queryset = owner_users if owner_users is not None else owner_field.queryset.none()
        owner_field.required = False
        owner_field.label = _("Owner (a user)")
        owner_field.help_text = _("Gets the action's reminders and sees it under “My actions”.")
        owner_field.label_from_instance = lambda u: f"{u.display_name} ({u.email})"
        self.fields["owner"].label = _("Owner (a name)")
        self.fields["owner"].help_text = _("Or someone without an account: their name.")
        self.fields["indicator"].queryset = indicators
        self.fields["indicator"].required = False
        # the indicator list in the UI language (and preschool wording for a preschool unit)
        lang = ui_language()
        self.fields["indicator"].label_from_instance = (
            lambda i: f"{i.code} {localized_text(i, 'title', preschool=preschool, lang=lang)}"
        )
        if not with_status:
            del self.fields["status"]
        if self.instance.pk:
            self.fields["revision"].initial = self.instance.revision

    def clean_title(self):
        title = self.cleaned_data["title"].strip()
        if not title:
            raise forms.ValidationError(_("Give the action a title."))
        return title


class NoteForm(core_forms.ModelForm):
    class Meta:
        model = Note
        fields = ["date", "text"]
        widgets = {
            "date": forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
            "text": forms.Textarea(attrs={"rows": 3}),
        }
