from django.urls import include, path

from stegvis.core import views as core_views
from stegvis.organisations import invitation_views
from stegvis.organisations import views as organisation_views
from stegvis.overview import views as overview_views

tenant_patterns = [
    path("", overview_views.home, name="org_home"),
    path("organisation/", include("stegvis.organisations.urls")),
    path("", include("stegvis.cycles.urls")),
    path("", include("stegvis.assessments.urls")),
    path("", include("stegvis.planning.urls")),
    path("", include("stegvis.overview.urls")),
    path("", include("stegvis.maturity.urls")),
    path("", include("stegvis.exports.urls")),
    path("api-access/", include("stegvis.api.tenant_urls")),
]

# The token door, /t/<access_token>/...: pages for people without an account. Each view
# declares the token purposes it accepts (``organisations.door.accepts``); a feature adds its
# URLs here, e.g. path("survey/", include("stegvis.surveys.door_urls")). docs/tenancy.md.
door_patterns = []

urlpatterns = [
    path("", organisation_views.start, name="home"),
    path("health/", core_views.health, name="health"),
    path("", include("stegvis.accounts.urls")),  # login, logout, password change and reset
    path("invitation/<str:token>/", invitation_views.accept, name="invitation_accept"),
    path("email-change/<str:token>/", invitation_views.confirm_email_change, name="email_change_confirm"),
    path("i18n/", include("django.conf.urls.i18n")),
    path("t/<str:access_token>/", include(door_patterns)),
    path("", include("stegvis.api.urls")),  # /api/v1/... (REST API, OpenAPI) and /open/<slug>/... (open data)
    path("<slug:organizer_slug>/", include(tenant_patterns)),
]
