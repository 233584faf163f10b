import datetime

from django import forms
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from stegvis.core import forms as core_forms
from stegvis.core.models import VERB_LABELS
from stegvis.core.personal_data import retention_rules


class AuditFilterForm(core_forms.Form):
    """The audit page's filters, read from the query string; invalid values are ignored."""

    who = forms.CharField(label=_("Person (name or e-mail)"), required=False, max_length=254)
    kind = forms.ChoiceField(label=_("Kind"), required=False)
    since = forms.DateField(label=_("From"), required=False, widget=forms.DateInput(attrs={"type": "date"}))
    until = forms.DateField(label=_("To"), required=False, widget=forms.DateInput(attrs={"type": "date"}))

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        labels = sorted(((verb, str(label)) for verb, label in VERB_LABELS.items()), key=lambda pair: pair[1])
        self.fields["kind"].choices = [("", _("All kinds")), *labels]

    def filter(self, events):
        """Apply the valid filters to an AuditEvent queryset."""
        self.is_valid()
        data = {name: value for name, value in getattr(self, "cleaned_data", {}).items() if name not in self.errors}
        who = (data.get("who") or "").strip()
        if who:
            events = events.filter(Q(actor__email__icontains=who) | Q(actor__full_name__icontains=who))
        if data.get("kind"):
            events = events.filter(verb=data["kind"])
        tz = timezone.get_current_timezone()
        if data.get("since"):
            events = events.filter(at__gte=datetime.datetime.combine(data["since"], datetime.time.min, tz))
        if data.get("until"):
            day_after = data["until"] + datetime.timedelta(days=1)
            events = events.filter(at__lt=datetime.datetime.combine(day_after, datetime.time.min, tz))
        return events


class EraseForm(core_forms.Form):
    """Erasing is final: the admin types the person's e-mail address to confirm."""

    email = forms.CharField(label=_("Type the person's e-mail address to confirm"), max_length=254)

    def __init__(self, *args, person, **kwargs):
        self.person = person
        super().__init__(*args, **kwargs)

    def clean_email(self):
        value = self.cleaned_data["email"].strip()
        if value.lower() != self.person.email.lower():
            raise forms.ValidationError(_("This is not the person's e-mail address."))
        return value


class RetentionForm(core_forms.Form):
    """Months kept per kind of data, each at least its kind's minimum."""

    def __init__(self, *args, months, **kwargs):
        super().__init__(*args, **kwargs)
        self.rules = retention_rules()
        for rule in self.rules:
            self.fields[rule.key] = forms.IntegerField(
                label=rule.label,
                min_value=rule.minimum_months,
                max_value=1200,
                initial=months.get(rule.key, rule.default_months),
                help_text=_("Months. At least %(minimum)s; default %(default)s. %(why)s")
                % {"minimum": rule.minimum_months, "default": rule.default_months, "why": rule.why},
            )
