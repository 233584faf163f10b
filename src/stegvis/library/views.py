"""The library of good examples: list and search (and the list as CSV), share, read, edit,
remove (after a confirmation page), download. Thin views over ``library.domain`` and
``library.search``; rights from ``request.access``."""

import csv

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.db.models import F, Prefetch
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.template.defaultfilters import filesizeformat
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from stegvis.core import schoolforms
from stegvis.core.csvutil import safe_cell
from stegvis.core.i18n import bilingual
from stegvis.core.uploads import attachment_response
from stegvis.frameworks.models import Indicator

from . import domain, search
from .forms import ExampleForm, LibraryFilter
from .models import Example

PAGE_SIZE = 25


def visible_examples(access):
    return Example.across.filter(access.example_visibility())


def filtered(queryset, data, *, organizer):
    """The examples matching the filter form's cleaned ``data``, best match first when searching."""
    if data.get("kind"):
        queryset = queryset.filter(kind=data["kind"])
    if data.get("indicator"):
        queryset = queryset.filter(indicators=data["indicator"])
    if data.get("school_form"):
        bit = schoolforms.SCHOOL_FORMS[data["school_form"]][0]
        queryset = queryset.alias(form_bit=F("school_forms").bitand(bit)).filter(form_bit__gt=0)
    if data.get("unit"):
        queryset = queryset.filter(unit=data["unit"])
    if data.get("source") == LibraryFilter.OWN:
        queryset = queryset.filter(organizer=organizer)
    elif data.get("source") == LibraryFilter.OTHERS:
        queryset = queryset.exclude(organizer=organizer)
    return search.search(queryset, data.get("q") or "")


def _filter(request):
    """The filter form of the request and its cleaned data ({} when unbound or not valid)."""
    form = LibraryFilter(request.GET or None, organizer=request.organizer)
    return form, (form.cleaned_data if form.is_bound and form.is_valid() else {})


def library(request):
    """The library: every example the member may read, searched and filtered."""
    access = request.access
    access.require(access.can_use_library)
    organizer = request.organizer
    form, data = _filter(request)
    # the page's ids first (a sort of small rows), then those rows in full
    with search.by_index(data.get("q")):
        ids = filtered(visible_examples(access), data, organizer=organizer).values_list("pk", flat=True)
        page = Paginator(ids, PAGE_SIZE).get_page(request.GET.get("page"))
        page_ids = list(page.object_list)
    found = Example.across.select_related("organizer", "unit").defer("search", "search_head").in_bulk(page_ids)
    page.object_list = [found[pk] for pk in page.object_list if pk in found]
    query = request.GET.copy()
    query.pop("page", None)
    return render(
        request,
        "library/list.html",
        {
            "filter_form": form,
            "page": page,
            "examples": [(e, access.can_change_example(e)) for e in page.object_list],
            "searching": bool(data.get("q")),
            "query": query.urlencode(),
        },
    )


EXPORT_BATCH = 500


def library_export(request):
    """The list as CSV with the list page's filters and search (in the same order): one row per
    example the member may read. Who shared it is not in it (another organiser never sees that)."""
    access = request.access
    access.require(access.can_use_library)
    organizer = request.organizer
    _form, data = _filter(request)
    with search.by_index(data.get("q")):
        ids = list(filtered(visible_examples(access), data, organizer=organizer).values_list("pk", flat=True))
    response = HttpResponse(content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = (
        f'attachment; filename="good-examples-{organizer.slug}-{timezone.localdate():%Y-%m-%d}.csv"'
    )
    response.write("\ufeff")
    writer = csv.writer(response, delimiter=";")
    writer.writerow(
        [
            _("Title"),
            _("Kind"),
            _("Organiser"),
            _("Shared by"),
            _("Seen by"),
            _("Unit"),
            _("Indicators"),
            _("School forms"),
            _("Shared on"),
            _("File"),
            _("Link"),
            _("Address in Stegvis"),
        ]
    )
    indicators = Prefetch("indicators", queryset=Indicator.objects.order_by("area__order", "order", "pk"))
    rows = (
        Example.across.select_related("organizer", "unit").defer("search", "search_head").prefetch_related(indicators)
    )
    for start in range(0, len(ids), EXPORT_BATCH):
        chunk = ids[start : start + EXPORT_BATCH]
        found = rows.in_bulk(chunk)
        for e in (found[pk] for pk in chunk if pk in found):
            own = e.organizer_id == organizer.pk
            detail = request.build_absolute_uri(reverse("library_example", args=[organizer.slug, e.pk]))
            writer.writerow(
                [
                    safe_cell(e.title),
                    e.get_kind_display(),
                    safe_cell(e.organizer.name),
                    _("Our organiser") if own else _("Another organiser"),
                    _("Every organiser on Stegvis") if e.shared else _("Our organiser's members"),
                    safe_cell(e.unit.name) if e.unit else "",
                    safe_cell("; ".join(f"{i.code} {bilingual(i, 'title')}" for i in e.indicators.all())),
                    ", ".join(e.school_form_labels),
                    timezone.localtime(e.created_at).date().isoformat(),
                    safe_cell(e.filename) if e.file else "",
                    "" if e.file else safe_cell(e.url),
                    detail,
                ]
            )
    return response


def _units(request):
    return request.access.visible_units(request.organizer.units.filter(active=True)).order_by("name")


def example_new(request):
    access = request.access
    access.require(access.can_share_example)
    form = ExampleForm(request.POST or None, request.FILES or None, organizer=request.organizer, units=_units(request))
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            example = domain.share_example(
                organizer=request.organizer,
                by=request.user,
                title=data["title"],
                kind=data["kind"],
                description=data["description"],
                url=data.get("url") or "",
                upload=data.get("file") or None,
                unit=data["unit"],
                school_forms=data["school_forms"],
                indicators=data["indicators"],
                shared=data["shared"],
            )
        except ValidationError as error:
            form.add_error("file", error)
        else:
            messages.success(request, _("Shared in the library."))
            return redirect("library_example", organizer_slug=request.organizer.slug, example_id=example.pk)
    return _form_page(request, form, _("Share an example"), _("Share"), multipart=True)


def _form_page(request, form, title, submit_label=None, multipart=False, cancel_url=None):
    return render(
        request,
        "core/form_page.html",
        {
            "form": form,
            "title": title,
            "submit_label": submit_label,
            "multipart": multipart,
            "intro": _(
                "Documents and links are shared within the organiser unless you share them with every organiser."
            ),
            "cancel_url": cancel_url or reverse("library", args=[request.organizer.slug]),
        },
    )


def _readable(request, example_id):
    """The example if the member may read it; 404 otherwise, the same as for none at all."""
    return get_object_or_404(
        visible_examples(request.access).select_related("organizer", "unit", "created_by"), pk=example_id
    )


def example(request, example_id):
    access = request.access
    access.require(access.can_use_library)
    item = _readable(request, example_id)
    return render(
        request,
        "library/detail.html",
        {
            "example": item,
            "indicators": item.indicators.select_related("framework").order_by("area__order", "order"),
            "own": item.organizer_id == request.organizer.pk,
            "people": access.sees_example_people(item),
            "editable": access.can_change_example(item),
        },
    )


def _changeable(request, example_id):
    """An own example: 404 for another organiser's, 403 for one the member may not change."""
    item = get_object_or_404(Example, organizer=request.organizer, pk=example_id)
    request.access.require(request.access.can_change_example(item))
    return item


def example_edit(request, example_id):
    item = _changeable(request, example_id)
    form = ExampleForm(request.POST or None, organizer=request.organizer, units=_units(request), example=item)
    if request.method == "POST" and form.is_valid():
        domain.change_example(example=item, by=request.user, **form.cleaned_data)
        messages.success(request, _("Saved."))
        return redirect("library_example", organizer_slug=request.organizer.slug, example_id=item.pk)
    detail = reverse("library_example", args=[request.organizer.slug, item.pk])
    return _form_page(request, form, _("Edit “%(title)s”") % {"title": item.title}, cancel_url=detail)


def example_delete(request, example_id):
    """A confirmation page saying what goes (GET, or a POST without ``confirmed=yes``); the
    confirmed POST removes the example, its file and its search entry."""
    item = _changeable(request, example_id)
    if request.method == "POST" and request.POST.get("confirmed") == "yes":
        domain.remove_example(example=item, by=request.user)
        messages.success(request, _("“%(title)s” is removed from the library.") % {"title": item.title})
        return redirect("library", organizer_slug=request.organizer.slug)
    if item.file:
        what = _("The file %(name)s (%(size)s) is deleted; no one can download it any more.") % {
            "name": item.filename or _("without a name"),
            "size": filesizeformat(item.size),
        }
    else:
        what = _("The link to %(url)s is removed from the library (the page it points to stays).") % {"url": item.url}
    who = (
        _("It is shared with every organiser: no organiser on Stegvis finds it any more.")
        if item.shared
        else _("Our organiser's members no longer find it in the library or its search.")
    )
    return render(
        request,
        "core/confirm.html",
        {
            "title": _("Remove “%(title)s” from the library?") % {"title": item.title},
            "intro": _("%(kind)s, shared on %(date)s.")
            % {"kind": item.get_kind_display(), "date": timezone.localtime(item.created_at).date().isoformat()},
            "consequences": [what, who, _("This cannot be undone.")],
            "action": request.path,
            "fields": {},
            "submit_label": _("Remove from the library"),
            "cancel_url": reverse("library_example", args=[request.organizer.slug, item.pk]),
            "danger": True,
        },
    )


def download(request, example_id):
    """The example's file, to those who may read the example: an attachment with its checked
    content type. 404 for anyone else, and for a link example."""
    request.access.require(request.access.can_use_library)
    item = _readable(request, example_id)
    if not item.file:
        raise Http404
    try:
        return attachment_response(item.file, filename=item.filename or "example", content_type=item.content_type)
    except FileNotFoundError:  # the row outlived its file (a restore without the uploads)
        raise Http404 from None
