"""The login side: choosing the organiser, its buttons, and allauth's protocol endpoints
(/accounts/oidc/<key>/login/ and /callback/, /accounts/saml/<key>/login/, acs/, metadata/).
Only these of allauth's URLs exist: its own login and sign-up pages are not mounted."""

from django.urls import include, path

from . import views

urlpatterns = [
    path("login/school/", views.choose, name="sso_choose"),
    path("login/school/<slug:slug>/", views.providers, name="sso_providers"),
    path("accounts/", include("allauth.socialaccount.providers.openid_connect.urls")),  # oidc/<key>/...
    path("accounts/", include("allauth.socialaccount.providers.saml.urls")),
]
