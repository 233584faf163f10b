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


def people_counts(network_ids):
    """{network_id: (members, coordinators)} for the network list (one query)."""
    from django.db.models import Count, Q

    rows = (
        NetworkMember.objects.filter(network_id__in=network_ids)
        .values("network_id")
        .annotate(n=Count("id"), c=Count("id", filter=Q(role=NetworkMember.Role.COORDINATOR)))
    )
    return {r["network_id"]: (r["n"] - r["c"], r["c"]) for r in rows}


def people_of_network(network):
    """(coordinators, members) of the network as NetworkMember rows with their users."""
    rows = list(NetworkMember.objects.filter(network=network).select_related("user"))
    coordinators = [m for m in rows if m.role == NetworkMember.Role.COORDINATOR]
    return coordinators, [m for m in rows if m.role != NetworkMember.Role.COORDINATOR]
