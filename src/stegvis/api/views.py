"""Pages of the API room: the organiser admin's API tokens and open-data switch (inside the
organiser), and the public open-data files (``/open/<slug>/...``, no login)."""

import csv
import io
import json

from django.contrib import messages
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST
from django_scopes import scope

from stegvis.core.csvutil import safe_cell
from stegvis.organisations.models import Organizer

from . import domain, forms, opendata
from .http import conditional
from .models import ApiToken


def _url(request, name, **kwargs):
    return reverse(name, kwargs={"organizer_slug": request.organizer.slug, **kwargs})


def _open_urls(request, slug):
    return {
        name: request.build_absolute_uri(reverse("open_data_file", kwargs={"slug": slug, "table": t, "fmt": f}))
        for name, t, f in [
            ("maturity_csv", "maturity", "csv"),
            ("maturity_json", "maturity", "json"),
            ("levels_csv", "levels", "csv"),
            ("levels_json", "levels", "json"),
        ]
    }


def api_tokens(request):
    """The organiser's API tokens, the open-data switch and where the API's docs are."""
    request.access.require(request.access.can_manage_api_tokens)
    tokens = list(ApiToken.objects.filter(organizer=request.organizer).select_related("created_by"))
    now = timezone.now()
    for token in tokens:
        token.valid = token.is_valid_at(now)
    enabled = domain.open_data_enabled(request.organizer)
    return render(
        request,
        "api/token_list.html",
        {
            "tokens": tokens,
            "open_data_form": forms.OpenDataForm(initial={"enabled": enabled}, k=opendata.min_units()),
            "open_data_enabled": enabled,
            "open_urls": _open_urls(request, request.organizer.slug),
            "can_publish": request.access.can_publish_open_data,
            "docs_url": request.build_absolute_uri(reverse("api-v1:openapi-view")),
            "api_url": request.build_absolute_uri(reverse("api-v1:api-root")),
        },
    )


def api_token_new(request):
    """Make a token; the page after shows it once (never stored, never shown again)."""
    request.access.require(request.access.can_manage_api_tokens)
    form = forms.ApiTokenForm(request.POST if request.method == "POST" else None)
    if form.is_valid():
        api_token, token = domain.create_api_token(
            organizer=request.organizer,
            by=request.user,
            name=form.cleaned_data["name"],
            scope=form.cleaned_data["scope"],
            expires_at=form.expires_at(),
        )
        response = render(
            request,
            "api/token_created.html",
            {
                "api_token": api_token,
                "token": token,
                "api_url": request.build_absolute_uri(reverse("api-v1:api-root")),
            },
        )
        response["Cache-Control"] = "no-store"
        return response
    return render(
        request,
        "core/form_page.html",
        {
            "form": form,
            "title": _("New API token"),
            "intro": _(
                "A token lets a program (a BI tool, the municipality's statistics) read this organiser's data "
                "through the API. It is shown once, when it is made."
            ),
            "submit_label": _("Make the token"),
            "cancel_url": _url(request, "api_tokens"),
        },
    )


def api_token_revoke(request, token_id):
    """Revoke a token, after a confirmation page (POST without ``confirmed`` shows it)."""
    request.access.require(request.access.can_manage_api_tokens)
    api_token = get_object_or_404(ApiToken, organizer=request.organizer, pk=token_id)
    if request.method != "POST":
        return redirect(_url(request, "api_tokens"))
    if request.POST.get("confirmed") != "yes":
        return render(
            request,
            "core/confirm.html",
            {
                "title": _("Revoke the token “%(name)s”?") % {"name": api_token.name},
                "consequences": [
                    _("Programs that use the token get “401 Unauthorized” from the next request on."),
                    _("A revoked token cannot be made valid again; make a new one if need be."),
                ],
                "action": _url(request, "api_token_revoke", token_id=api_token.pk),
                "fields": {},
                "submit_label": _("Revoke the token"),
                "cancel_url": _url(request, "api_tokens"),
                "danger": True,
            },
        )
    domain.revoke_api_token(api_token=api_token, by=request.user)
    messages.success(request, _("The token “%(name)s” was revoked.") % {"name": api_token.name})
    return redirect(_url(request, "api_tokens"))


@require_POST
def open_data_settings(request):
    """Switch open data on or off."""
    request.access.require(request.access.can_publish_open_data)
    form = forms.OpenDataForm(request.POST, k=opendata.min_units())
    if form.is_valid():
        enabled = form.cleaned_data["enabled"]
        domain.set_open_data(organizer=request.organizer, enabled=enabled, by=request.user)
        messages.success(
            request,
            _("Your figures are published as open data.") if enabled else _("Your figures are no longer published."),
        )
    return redirect(_url(request, "api_tokens"))


# -- the public files --------------------------------------------------------------------


MATURITY_COLUMNS = [
    "round",
    "school_year",
    "framework",
    "framework_version",
    "area_key",
    "area",
    "level",
    "district",
    "value",
    "units",
    "suppressed",
]
LEVEL_COLUMNS = [
    "round",
    "school_year",
    "framework",
    "framework_version",
    "area_key",
    "indicator",
    "indicator_title",
    "units",
    "suppressed",
]


def open_data_file(request, slug, table, fmt):
    """``/open/<slug>/<maturity|levels>.<csv|json>``: 404 unless the organiser opted in."""
    organizer = Organizer.objects.filter(slug=slug).first()
    if organizer is None or table not in ("maturity", "levels") or fmt not in ("csv", "json"):
        raise Http404
    with scope(organizer=organizer):
        if not domain.open_data_enabled(organizer):
            raise Http404
        rows = opendata.maturity_rows(organizer) if table == "maturity" else opendata.level_rows(organizer)
    if fmt == "json":
        body = {
            "organizer": {"name": organizer.name, "slug": organizer.slug},
            "table": table,
            "min_units": opendata.min_units(),
            "about": "Stegvis open data: closed rounds only; no figure rests on fewer than min_units units.",
            "rows": rows,
        }
        response = HttpResponse(
            json.dumps(body, ensure_ascii=False, indent=1), content_type="application/json; charset=utf-8"
        )
    else:
        response = HttpResponse(_csv(table, rows), content_type="text/csv; charset=utf-8")
        response["Content-Disposition"] = f'attachment; filename="{organizer.slug}-{table}.csv"'
    response["Access-Control-Allow-Origin"] = "*"
    response["Cache-Control"] = "public, max-age=300"
    return conditional(request, response)


def _csv(table, rows):
    out = io.StringIO()
    out.write("\ufeff")  # Excel reads UTF-8 with the byte-order mark
    writer = csv.writer(out)
    if table == "maturity":
        writer.writerow(MATURITY_COLUMNS)
        for row in rows:
            writer.writerow([_cell(row[c]) for c in MATURITY_COLUMNS])
    else:
        top = max((len(r["shares"]) for r in rows), default=0)
        levels = [str(n) for n in range(1, top + 1)]
        writer.writerow(LEVEL_COLUMNS + [f"share_level_{n}" for n in levels])
        for row in rows:
            writer.writerow([_cell(row[c]) for c in LEVEL_COLUMNS] + [_cell(row["shares"].get(n, "")) for n in levels])
    return out.getvalue()


def _cell(value):
    if value is None:
        return ""
    if isinstance(value, bool):
        return "true" if value else "false"
    return safe_cell(value)
