"""A test-only URLconf: the product's URLs plus a few pages behind the token door, standing in
for the features that will use it (surveys, calendar feeds, unsubscribe links)."""

from django.http import HttpResponse, JsonResponse
from django.shortcuts import get_object_or_404
from django.urls import include, path

from stegvis import urls as product
from stegvis.organisations import door
from stegvis.organisations.models import Unit


@door.accepts("test-read")
def units(request):
    """Every unit the view can find, deliberately without ``organizer=``: the scope decides."""
    access = request.access
    return JsonResponse(
        {
            "organizer": request.organizer.slug,
            "units": sorted(Unit.objects.values_list("name", flat=True)),
            "logged_in": request.user.is_authenticated,
            "purpose": request.token.purpose,
            "rights": [access.is_member, access.can_manage, access.can_read_organiser, access.can_export],
            "visible_units": list(access.visible_units(Unit.objects.all()).values_list("name", flat=True)),
        }
    )


@door.accepts("test-read", "test-other")
def unit(request, unit_id):
    """One unit by id, again without ``organizer=`` on purpose."""
    return HttpResponse(get_object_or_404(Unit, pk=unit_id).name)


@door.accepts("test-target")
def target(request):
    return HttpResponse(request.access.target.name if request.access.target else "-")


def undeclared(request):
    """A view that declares no purpose: the door never opens to it."""
    return HttpResponse("should never be seen")


door_patterns = [
    path("units/", units, name="test_door_units"),
    path("units/<int:unit_id>/", unit, name="test_door_unit"),
    path("target/", target, name="test_door_target"),
    path("undeclared/", undeclared, name="test_door_undeclared"),
]

urlpatterns = [
    path("t/<str:access_token>/", include(door_patterns)),
    # a door view routed inside an organiser by mistake still refuses to run
    path("<slug:organizer_slug>/misrouted/", units, name="test_door_misrouted"),
    *product.urlpatterns,
]
