from django import forms
from django.utils.translation import gettext_lazy as _

from stegvis.core import forms as core_forms


class AnswerForm(core_forms.Form):
    """One indicator's answer. ``choice`` is a level number or "nr" (not relevant)."""

    choice = forms.CharField(required=False)
    comment = forms.CharField(required=False, max_length=4000, widget=forms.Textarea)  # several lines
    revision = forms.IntegerField(min_value=0)

    def __init__(self, *args, level_count, **kwargs):
        super().__init__(*args, **kwargs)
        self.level_count = level_count

    def clean_choice(self):
        choice = self.cleaned_data["choice"].strip()
        if choice in ("", "nr"):
            return choice
        try:
            level = int(choice)
        except ValueError:
            raise forms.ValidationError(_("Choose one of the levels or “not relevant”.")) from None
        if not 1 <= level <= self.level_count:
            raise forms.ValidationError(
                _("Level %(level)s is out of range: choose a level from 1 to %(max)s.")
                % {"level": level, "max": self.level_count}
            )
        return level


# -- perspectives (docs/perspectives.md) ------------------------------------------------------


class GroupForm(core_forms.Form):
    """A perspective's assessor group for a unit in a round; a work team needs a name."""

    perspective = forms.ChoiceField(label=_("Perspective"))
    name = forms.CharField(
        label=_("Name of the work team"),
        required=False,
        max_length=100,
        help_text=_("Only for a work team, for example “Arbetslag F-3”."),
    )

    def __init__(self, *args, **kwargs):
        from .models import OTHER_PERSPECTIVES

        super().__init__(*args, **kwargs)
        self.fields["perspective"].choices = OTHER_PERSPECTIVES

    def clean(self):
        data = super().clean()
        if data.get("perspective") == "work_team" and not (data.get("name") or "").strip():
            self.add_error("name", _("Give the work team a name, for example “Arbetslag F-3”."))
        return data


class AssessorForm(core_forms.Form):
    """Add an assessor: one of the organiser's users, or an e-mail address to invite."""

    user = forms.ModelChoiceField(label=_("A user of the organiser"), queryset=None, required=False)
    email = forms.EmailField(label=_("Or invite by e-mail"), required=False, max_length=254)
    full_name = forms.CharField(label=_("Name (for an invitation)"), required=False, max_length=200)

    def __init__(self, *args, people, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["user"].queryset = people
        self.fields["user"].label_from_instance = lambda u: f"{u.display_name} ({u.email})"

    def clean(self):
        data = super().clean()
        if not self.errors and not data.get("user") and not data.get("email"):
            raise forms.ValidationError(_("Choose a person or write an e-mail address."))
        if data.get("user") and data.get("email"):
            raise forms.ValidationError(_("Choose a person or write an e-mail address, not both."))
        return data


class NoteForm(core_forms.Form):
    """A discussion note on one indicator."""

    text = forms.CharField(label=_("Discussion note"), max_length=2000, widget=forms.Textarea(attrs={"rows": 2}))
