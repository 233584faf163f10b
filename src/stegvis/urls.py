from django.urls import include, path

from stegvis.core import views as core_views
from stegvis.organisations import invitation_views
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
]

urlpatterns = [
    path("", core_views.start, name="home"),
    path("health/", core_views.health, name="health"),
    path("", include("stegvis.accounts.urls")),  # login, logout, password change and reset
    path("invitation/<str:token>/", invitation_views.accept, name="invitation_accept"),
    path("i18n/", include("django.conf.urls.i18n")),
    path("<slug:organizer_slug>/", include(tenant_patterns)),
]
