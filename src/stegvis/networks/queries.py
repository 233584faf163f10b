"""Reads other rooms ask of networks (``organisations.access`` through its provider, the
calendar's source, the notifications' reminder pass)."""

from .models import NetworkMember


def network_roles_of(user, organizer):
    """{network_id: role} of the networks ``user`` is in, in ``organizer`` (one query)."""
    if user is None or not user.is_authenticated:
        return {}
    return dict(
        NetworkMember.objects.with_scopes_disabled()
        .filter(organizer=organizer, user=user)
        .values_list("network_id", "role")
    )
