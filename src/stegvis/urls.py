from django.urls import include, path

from stegvis.calendar import views as calendar_views
from stegvis.core import views as core_views
from stegvis.organisations import invitation_views
from stegvis.organisations import views as organisation_views
from stegvis.overview import views as overview_views

tenant_patterns = [
    path("", overview_views.home, name="org_home"),
    path("organisation/sign-in/", include("stegvis.sso.urls")),  # school-account sign-in settings
    path("organisation/", include("stegvis.organisations.urls")),
    path("", include("stegvis.cycles.urls")),
    path("", include("stegvis.assessments.urls")),
    path("", include("stegvis.planning.urls")),
    path("", include("stegvis.networks.urls")),  # networks and their meetings (docs/networks.md)
    path("", include("stegvis.library.urls")),
    path("", include("stegvis.overview.urls")),
    path("", include("stegvis.maturity.urls")),
    path("", include("stegvis.goals.urls")),
    path("", include("stegvis.exports.urls")),
    path("privacy/", include("stegvis.privacy.urls")),
    path("", include("stegvis.calendar.urls")),
    path("", include("stegvis.surveys.urls")),
    path("", include("stegvis.notifications.urls")),
    path("reflection/", include("stegvis.reflection.urls")),
    path("development/", include("stegvis.development.urls")),  # competence development
    path("api-access/", include("stegvis.api.tenant_urls")),
]

# The token door, /t/<access_token>/...: pages for people without an account. Each view
# declares the token purposes it accepts (``organisations.door.accepts``); a feature adds its
# URLs here, e.g. path("survey/", include("stegvis.surveys.door_urls")). docs/tenancy.md.
door_patterns = [
    path("calendar.ics", calendar_views.feed, name="calendar_feed"),  # docs/calendar.md
    path("survey/", include("stegvis.surveys.door_urls")),  # /t/<token>/survey/: answering a survey
    path("notifications/", include("stegvis.notifications.door_urls")),  # one-click unsubscribe
    path("reflection/", include("stegvis.reflection.door_urls")),  # a staff member's self-reflection
]

urlpatterns = [
    # first: a survey submission (hundreds a second) is resolved without trying the others
    path("t/<str:access_token>/", include(door_patterns)),
    path("", organisation_views.start, name="home"),
    path("health/", core_views.health, name="health"),
    path("", include("stegvis.accounts.urls")),  # login, logout, password change and reset
    path("", include("stegvis.sso.public_urls")),  # login with a school account (allauth's endpoints)
    path("invitation/<str:token>/", invitation_views.accept, name="invitation_accept"),
    path("email-change/<str:token>/", invitation_views.confirm_email_change, name="email_change_confirm"),
    path("i18n/", include("django.conf.urls.i18n")),
    path("", include("stegvis.api.urls")),  # /api/v1/... (REST API, OpenAPI) and /open/<slug>/... (open data)
    path("<slug:organizer_slug>/", include(tenant_patterns)),
]
