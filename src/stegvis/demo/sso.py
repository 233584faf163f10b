"""The demo organiser's school-account settings (docs/sso.md): Entra ID set up but not in use
(no real tenant answers for the demo), so the settings page and its addresses can be looked at.
The admin's second factor is asked at the first password login, as in production."""

from stegvis.sso import domain as sso
from stegvis.sso.models import SignInProvider

DEMO_TENANT = "5d1f3c2a-8e4b-4f6a-9c7d-1b2e3f4a5b6c"  # made up


def add_sign_in_providers(*, org, admin, domain):
    """Side effects: one disabled SignInProvider (Entra ID) and its audit event."""
    provider = SignInProvider(organizer=org, kind=SignInProvider.Kind.ENTRA)
    return sso.save_provider(
        provider=provider,
        by=admin,
        fields={
            "enabled": False,
            "tenant_id": DEMO_TENANT,
            "client_id": "0f8e9d7c-6b5a-4c3d-8e2f-1a0b9c8d7e6f",
            "client_secret": "demo-secret-not-valid",
            "domains": domain,
        },
    )
