from django import forms
from django.conf import settings
from django.core.validators import URLValidator
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from stegvis.core import forms as core_forms
from stegvis.core import schoolforms
from stegvis.core.i18n import pick
from stegvis.core.uploads import allowed_extensions, check_upload
from stegvis.cycles.models import Round
from stegvis.frameworks.models import Framework, Indicator
from stegvis.organisations.models import Unit

from .models import Kind


def organiser_framework_ids(organizer):
    """The frameworks an organiser tags with, newest round first: those of its rounds, or every
    framework available to it before its first round."""
    ids = list(
        Round.objects.filter(organizer=organizer).order_by("-opens_on", "-id").values_list("framework_id", flat=True)
    )
    if not ids:
        ids = list(Framework.objects.available_to(organizer).values_list("pk", flat=True))
    return list(dict.fromkeys(ids))


def indicator_choices(organizer, *, extra_ids=()):
    """``[(pk, label)]`` of the organiser's indicators (read as tuples), the framework named
    when there is more than one; ``extra_ids`` (an older version's indicators) after them."""
    framework_ids = organiser_framework_ids(organizer)
    order = {fid: n for n, fid in enumerate(framework_ids)}
    rows = list(
        Indicator.objects.filter(Q(framework_id__in=framework_ids) | Q(pk__in=list(extra_ids)))
        .order_by("area__order", "order", "pk")
        .values_list(
            "pk",
            "framework_id",
            "code",
            "title_sv",
            "title_en",
            "framework__name_sv",
            "framework__name_en",
            "framework__version",
        )
    )
    rows.sort(key=lambda r: order.get(r[1], len(order)))
    several = len({r[1] for r in rows}) > 1
    return [
        (pk, f"{code} {pick(sv, en)}" + (f" ({pick(fsv, fen)} {version})" if several else ""))
        for pk, _fid, code, sv, en, fsv, fen, version in rows
    ]


class IndicatorChoiceField(forms.ModelMultipleChoiceField):
    labels = {}  # pk -> label, set per form (``indicator_choices``)

    def label_from_instance(self, obj):
        return self.labels.get(obj.pk, obj.code)


class ExampleForm(core_forms.Form):
    """Share (or edit) an example: a document or a link, with its tags."""

    title = forms.CharField(
        label=_("Title"), max_length=200, help_text=_("For example “Digitaliseringsplan för Ekskolan 2026”.")
    )
    kind = forms.ChoiceField(label=_("Kind"), choices=Kind.choices)
    description = forms.CharField(
        label=_("Description"),
        max_length=5000,
        required=False,
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text=_("What it is, how it was made, what others can take from it."),
    )
    file = forms.FileField(label=_("File"), required=False)
    url = forms.URLField(
        label=_("Or a link"),
        max_length=500,
        required=False,
        assume_scheme="https",
        validators=[URLValidator(schemes=["http", "https"])],
        help_text=_("An address starting with https:// or http://."),
    )
    indicators = IndicatorChoiceField(
        label=_("Indicators"),
        queryset=Indicator.objects.none(),
        required=False,
        widget=forms.SelectMultiple(attrs={"size": 8}),
        help_text=_("The framework indicators the example is about (hold Ctrl or ⌘ to choose several)."),
    )
    school_forms = forms.MultipleChoiceField(
        label=_("School forms"), choices=schoolforms.choices, required=False, widget=forms.CheckboxSelectMultiple
    )
    unit = forms.ModelChoiceField(
        label=_("From the unit"),
        queryset=Unit.objects.none(),
        required=False,
        help_text=_("Optional: the unit the example comes from."),
    )
    shared = forms.BooleanField(
        label=_("Share with every organiser on Stegvis"),
        required=False,
        help_text=_("Others then see it read-only with our organiser's name, never who shared it."),
    )

    def __init__(self, *args, organizer, units, example=None, **kwargs):
        self.example = example
        if example is not None:
            kwargs.setdefault(
                "initial",
                {
                    "title": example.title,
                    "kind": example.kind,
                    "description": example.description,
                    "url": example.url,
                    "indicators": list(example.indicators.values_list("pk", flat=True)),
                    "school_forms": schoolforms.to_codes(example.school_forms),
                    "unit": example.unit_id,
                    "shared": example.shared,
                },
            )
        super().__init__(*args, **kwargs)
        tagged = list(example.indicators.values_list("pk", flat=True)) if example is not None else []
        labels = dict(indicator_choices(organizer, extra_ids=tagged))
        self.fields["indicators"].queryset = Indicator.objects.filter(pk__in=list(labels)).order_by(
            "area__order", "order", "pk"
        )
        self.fields["indicators"].labels = labels
        self.fields["unit"].queryset = units
        self.fields["file"].help_text = _(
            "PDF, Word, Excel, PowerPoint or an image, at most %(mb)s MB (%(names)s)."
        ) % {
            "mb": settings.STEGVIS_UPLOAD_MAX_BYTES // (1024 * 1024),
            "names": ", ".join(allowed_extensions()),
        }
        self.fields["file"].widget.attrs["accept"] = ",".join(allowed_extensions())
        if example is not None:
            del self.fields["file"]
            if example.file:
                del self.fields["url"]

    def clean_title(self):
        return self.cleaned_data["title"].strip()

    def clean_file(self):
        upload = self.cleaned_data.get("file")
        if upload:
            check_upload(upload)  # raises ValidationError with the reason, shown at the field
        return upload

    def clean_school_forms(self):
        return schoolforms.to_mask(self.cleaned_data["school_forms"])

    def clean(self):
        data = super().clean()
        if self.example is None and "file" not in self.errors:
            if data.get("file") and data.get("url"):
                self.add_error("url", _("Share either a file or a link, not both."))
            elif not data.get("file") and not data.get("url") and "url" not in self.errors:
                self.add_error("file", _("Choose a file to share, or give a link."))
        elif self.example is not None and "url" in self.fields and not data.get("url") and "url" not in self.errors:
            self.add_error("url", _("A link example needs its link."))
        return data


class LibraryFilter(core_forms.Form):
    """The library's search and filters (GET)."""

    OWN, OTHERS = "own", "others"

    q = forms.CharField(label=_("Search"), max_length=200, required=False)
    kind = forms.ChoiceField(label=_("Kind"), required=False)
    indicator = forms.TypedChoiceField(label=_("Indicator"), required=False, coerce=int, empty_value=None)
    school_form = forms.ChoiceField(label=_("School form"), required=False)
    unit = forms.ModelChoiceField(label=_("Unit"), queryset=Unit.objects.none(), required=False)
    source = forms.ChoiceField(label=_("Shared by"), required=False)

    def __init__(self, *args, organizer, **kwargs):
        super().__init__(*args, **kwargs)
        every = [("", _("All"))]
        self.fields["kind"].choices = [*every, *Kind.choices]
        asked = self.data.get("indicator") if self.is_bound else None
        # a link from a plan of an older framework version: that indicator too, by its own name
        extra = [int(asked)] if asked and asked.isdigit() and len(asked) < 10 else []
        self.fields["indicator"].choices = [*every, *indicator_choices(organizer, extra_ids=extra)]
        self.fields["school_form"].choices = [*every, *schoolforms.choices()]
        self.fields["unit"].queryset = Unit.objects.filter(organizer=organizer, active=True).order_by("name")
        self.fields["unit"].empty_label = _("All")
        self.fields["source"].choices = [*every, (self.OWN, _("Our organiser")), (self.OTHERS, _("Other organisers"))]
        self.fields["q"].widget.attrs["type"] = "search"
