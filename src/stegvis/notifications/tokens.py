"""Unsubscribe links through the token door: ``/t/<token>/notifications/unsubscribe/<kind>/``.

Every user who gets notification mail from an organiser has one ``organisations.AccessToken``
(purpose ``unsubscribe``, target their ``Preference`` row). Like every door token it is stored
as a selector and a hash. Its secret half is an HMAC of the selector under SECRET_KEY, so the
pass that sends thousands of mails can put the link in each of them without storing the token
and without a new token per mail: whoever holds the database alone cannot make a link (as with
Django's password reset links, rotating SECRET_KEY closes them all). Revoking the AccessToken
closes one user's links.
"""

import base64
import hashlib
import hmac
import secrets

from django.conf import settings
from django.contrib.contenttypes.models import ContentType
from django.urls import reverse
from django_scopes import scopes_disabled

from stegvis.core.mail import absolute_url
from stegvis.organisations import door
from stegvis.organisations.models import AccessToken

from .models import Preference

PURPOSE = "unsubscribe"


def secret_for(selector):
    """The secret half of the token with this selector (43 URL-safe characters)."""
    digest = hmac.new(settings.SECRET_KEY.encode(), f"stegvis.unsubscribe:{selector}".encode(), hashlib.sha256)
    return base64.urlsafe_b64encode(digest.digest()).rstrip(b"=").decode()


def token_for(selector):
    return selector + secret_for(selector)


def preferences(*, organizer, user_ids):
    """{user id: Preference} for these users of the organiser, with an unsubscribe token each:
    the missing rows and tokens made in bulk. A few queries whatever the number of users."""
    user_ids = sorted(set(user_ids))
    if not user_ids:
        return {}
    with scopes_disabled():
        have = {p.user_id: p for p in Preference.objects.filter(organizer=organizer, user_id__in=user_ids)}
        missing = [u for u in user_ids if u not in have]
        if missing:
            Preference.objects.bulk_create(
                [Preference(organizer=organizer, user_id=u) for u in missing], ignore_conflicts=True
            )
            have = {p.user_id: p for p in Preference.objects.filter(organizer=organizer, user_id__in=user_ids)}
        without = [p for p in have.values() if not p.selector]
        if without:
            content_type = ContentType.objects.get_for_model(Preference)
            rows = []
            for pref in without:
                pref.selector = secrets.token_urlsafe(12)
                rows.append(
                    AccessToken(
                        organizer=organizer,
                        purpose=PURPOSE,
                        selector=pref.selector,
                        digest=AccessToken.digest_of(secret_for(pref.selector)),
                        target_type=content_type,
                        target_id=str(pref.pk),
                    )
                )
            AccessToken.objects.bulk_create(rows)
            # Two passes at once may both get here: both tokens work, the last selector is kept.
            Preference.objects.bulk_update(without, ["selector"])
    return have


def unsubscribe_url(pref, kind):
    assert door.TOKEN_PATTERN.fullmatch(token_for(pref.selector))
    return absolute_url(reverse("unsubscribe", kwargs={"access_token": token_for(pref.selector), "kind": kind}))


def unsubscribe_headers(mail):
    """RFC 2369 / RFC 8058 headers of a notification mail: one-click unsubscribe from its kind."""
    if not mail.to_user_id or not mail.organizer_id:
        return {}
    with scopes_disabled():
        pref = Preference.objects.filter(organizer_id=mail.organizer_id, user_id=mail.to_user_id).first()
    if pref is None or not pref.selector:
        return {}
    return {
        "List-Unsubscribe": f"<{unsubscribe_url(pref, mail.kind)}>",
        "List-Unsubscribe-Post": "List-Unsubscribe=One-Click",
    }
