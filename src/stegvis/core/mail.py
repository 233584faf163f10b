"""E-mail: one function sends every mail, and every mail is recorded (``core.SentMail``).

``send`` renders the mail (plain text and HTML, in the recipient's language, with a footer that
says why it came), records it as *queued* and enqueues ``core.tasks.deliver_mail``, so a slow
mail server never holds up a page. ``deliver`` hands one recorded mail to Django's mail backend;
a refusal or a time-out leaves it *failed* with the error, and ``retry_failed`` (run by the
scheduler) tries again, a bounded number of times. A mail is claimed by one atomic update
before it is handed over, so two workers never send it twice, and a ``dedupe_key`` makes
``send`` itself idempotent: the second call with the same key returns the first mail.

Without an SMTP host (``STEGVIS_EMAIL_HOST``) the backend is ``RecordOnlyBackend``: nothing leaves
the machine and the organiser's mail page is the only place to read the mails (``make demo``).

Templates: ``<template>.txt`` and ``<template>.html``, extending ``core/mail/base.txt`` and
``core/mail/base.html``; the context gets ``why``, ``link``, ``site_url`` and ``subject`` too.
See docs/accounts.md.
"""

import logging
import smtplib
import sys
from datetime import timedelta
from email.utils import make_msgid

from django.conf import settings
from django.core.mail import EmailMultiAlternatives, get_connection
from django.core.mail.backends.base import BaseEmailBackend
from django.db import IntegrityError, transaction
from django.db.models import F, Q
from django.template.loader import render_to_string
from django.utils import timezone, translation
from django.utils.translation import gettext_lazy as _
from django_scopes import scopes_disabled

from .models import SentMail

logger = logging.getLogger(__name__)

HIDDEN = "[…]"  # what a one-time secret reads as once the mail is delivered
RECORD_ONLY = "stegvis.core.mail.RecordOnlyBackend"
STALE = timedelta(minutes=15)  # a mail queued or being sent this long has lost its worker
RETRY_PAUSE = timedelta(minutes=5)  # at least this long between two attempts at one mail
BOUNCED = "Recipient refused:"  # how last_error of a bounced mail begins (see ``bounced``)
DELIVERY_BATCH = 200  # mails per delivery task when ``send_many`` queues many

_KINDS = {}
_HEADERS = {}  # kind -> function(mail) -> extra headers (e.g. List-Unsubscribe), looked up at delivery


def register_kind(kind, label, *, headers=None):
    """Name a kind of mail for the mail page (call from the room's ``AppConfig.ready``).

    ``headers``: a function of the SentMail returning extra headers for it (a dict), called each
    time the mail is handed to the server, e.g. a room's List-Unsubscribe headers (RFC 8058).
    """
    _KINDS[kind] = label
    if headers is not None:
        _HEADERS[kind] = headers


def kind_label(kind):
    return _KINDS.get(kind, kind)


def kinds():
    """(kind, label) pairs of every registered kind, for filters."""
    return sorted(_KINDS.items(), key=lambda item: str(item[1]))


def records_only():
    """Whether mail is only recorded, never sent (no SMTP server configured)."""
    return settings.EMAIL_BACKEND == RECORD_ONLY


def absolute_url(path, request=None):
    """``path`` as a full address for a mail: STEGVIS_SITE_URL, else the request's host."""
    if settings.SITE_URL:
        return settings.SITE_URL + path
    if request is not None:
        return request.build_absolute_uri(path)
    return "http://127.0.0.1:8000" + path


def send(
    *,
    to_email,
    to_user=None,
    kind,
    subject,
    template,
    context=None,
    language,
    organizer=None,
    link="",
    why,
    dedupe_key=None,
    secret="",
):
    """Render, record and queue one mail; returns its ``SentMail``.

    ``subject`` and ``why`` may be lazy translations: they are rendered, like the templates, with
    ``language`` active. ``link`` is a page the mail is about (shown on the mail page). ``secret``
    is a part of the bodies never to show again once delivered (a one-time link's token).
    With a ``dedupe_key`` already used, nothing happens and the earlier mail is returned.

    Side effects: a SentMail row (queued) and a ``deliver_mail`` task; with the immediate task
    backend the mail is delivered (or failed) on return.
    """
    from .tasks import deliver_mail

    with scopes_disabled():
        if dedupe_key and (earlier := SentMail.objects.filter(dedupe_key=dedupe_key).first()) is not None:
            return earlier
        subject, body_text, body_html = _render(
            subject=subject, template=template, context=context, language=language, link=link, why=why
        )
        domain = _domain()
        try:
            with transaction.atomic():
                mail = SentMail.objects.create(
                    organizer=organizer,
                    to_email=to_email.strip(),
                    to_user=to_user,
                    kind=kind,
                    subject=subject,
                    language=language,
                    link=link[:500],
                    body_text=body_text,
                    body_html=body_html,
                    secret=secret,
                    message_id=make_msgid("stegvis", domain=domain),
                    dedupe_key=dedupe_key or None,
                )
        except IntegrityError:
            if dedupe_key:  # the same mail, recorded a moment ago by another request
                return SentMail.objects.get(dedupe_key=dedupe_key)
            raise
    deliver_mail.enqueue(mail_id=mail.pk)
    return mail


def _render(*, subject, template, context, language, link, why):
    """(subject, plain text, HTML) of one mail, rendered with ``language`` active."""
    with translation.override(language):
        subject = " ".join(str(subject).split())[:300]
        ctx = {
            **(context or {}),
            "subject": subject,
            "why": str(why),
            "link": link,
            "language": language,
            "site_url": settings.SITE_URL or absolute_url(""),
        }
        body_text = render_to_string(f"{template}.txt", ctx).strip() + "\n"
        body_html = render_to_string(f"{template}.html", ctx)
    return subject, body_text, body_html


def _domain():
    return (settings.DEFAULT_FROM_EMAIL.rsplit("@", 1)[-1].rstrip(">").strip()) or "stegvis.local"


def send_many(mails):
    """Render, record and queue many mails at once: for a scheduled pass that may send thousands.

    ``mails``: dicts of ``send``'s keyword arguments (``to_user_id`` may stand for ``to_user``), each
    with a ``dedupe_key`` (required here).
    A mail whose key is already used is skipped, also when another process records it at the
    same moment (the key is unique; the insert ignores the conflict), so a pass run twice, or by
    two processes at once, records every mail once. Returns the new SentMail ids.

    Queries: one to find the keys already used, one insert per 500 mails, one to read the new
    ids, one ``deliver_mails`` task per DELIVERY_BATCH mails; none per mail.
    Side effects: SentMail rows (queued) and ``deliver_mails`` tasks.
    """
    from .tasks import deliver_mails

    mails = [m for m in mails if m.get("dedupe_key")]
    if len(mails) != len({m["dedupe_key"] for m in mails}):
        raise ValueError("send_many: every mail needs its own dedupe_key")
    if not mails:
        return []
    keys = [m["dedupe_key"] for m in mails]
    with scopes_disabled():
        used = set()
        for start in range(0, len(keys), 2000):
            used.update(
                SentMail.objects.filter(dedupe_key__in=keys[start : start + 2000]).values_list("dedupe_key", flat=True)
            )
        domain = _domain()
        rows = []
        for m in mails:
            if m["dedupe_key"] in used:
                continue
            subject, body_text, body_html = _render(
                subject=m["subject"],
                template=m["template"],
                context=m.get("context"),
                language=m["language"],
                link=m.get("link", ""),
                why=m["why"],
            )
            rows.append(
                SentMail(
                    organizer=m.get("organizer"),
                    to_email=m["to_email"].strip(),
                    to_user_id=m.get("to_user_id") or getattr(m.get("to_user"), "pk", None),
                    kind=m["kind"],
                    subject=subject,
                    language=m["language"],
                    link=m.get("link", "")[:500],
                    body_text=body_text,
                    body_html=body_html,
                    message_id=make_msgid("stegvis", domain=domain),
                    dedupe_key=m["dedupe_key"],
                )
            )
        if not rows:
            return []
        SentMail.objects.bulk_create(rows, batch_size=500, ignore_conflicts=True)
        # The ids of the rows this call wrote: a row another process wrote meanwhile has its own
        # Message-ID, so it is not counted (nor queued) twice.
        ids = []
        new_keys = [r.dedupe_key for r in rows]
        ours = {r.message_id for r in rows}
        for start in range(0, len(new_keys), 2000):
            ids.extend(
                pk
                for pk, message_id in SentMail.objects.filter(
                    dedupe_key__in=new_keys[start : start + 2000]
                ).values_list("pk", "message_id")
                if message_id in ours
            )
    ids.sort()
    for start in range(0, len(ids), DELIVERY_BATCH):
        deliver_mails.enqueue(mail_ids=ids[start : start + DELIVERY_BATCH])
    return ids


def bounced(queryset):
    """The mails of ``queryset`` whose recipient the mail server refused for good (a bounced
    address), or refused until the mail was given up."""
    return queryset.filter(
        Q(last_error__startswith=BOUNCED)
        | Q(last_error__startswith="SMTPRecipientsRefused", attempts__gte=settings.STEGVIS_MAIL_MAX_ATTEMPTS),
        status=SentMail.Status.FAILED,
    )


def _message(mail):
    message = EmailMultiAlternatives(
        subject=mail.subject,
        body=mail.body_text,
        from_email=settings.DEFAULT_FROM_EMAIL,
        to=[mail.to_email],
        headers={
            # The same Message-ID on every attempt, so a server that got it once can tell.
            "Message-ID": mail.message_id,
            "Auto-Submitted": "auto-generated",
            "Content-Language": mail.language,
        },
    )
    if mail.kind in _HEADERS:
        message.extra_headers.update(_HEADERS[mail.kind](mail) or {})
    if mail.body_html:
        message.attach_alternative(mail.body_html, "text/html")
    return message


def _without_secret(mail):
    """Fields that blank the mail's secret out of its bodies."""
    if not mail.secret:
        return {}
    return {
        "body_text": mail.body_text.replace(mail.secret, HIDDEN),
        "body_html": mail.body_html.replace(mail.secret, HIDDEN),
        "secret": "",
    }


def _describe(error):
    text = f"{type(error).__name__}: {error}".replace("\n", " ")
    return text[:500]


def _permanent(error):
    """Whether every refusal in an SMTPRecipientsRefused is permanent (a 5xx reply)."""
    codes = [code for code, _text in error.recipients.values()]
    return bool(codes) and all(isinstance(code, int) and code >= 500 for code in codes)


def _failed(mail, error):
    given_up = mail.attempts >= settings.STEGVIS_MAIL_MAX_ATTEMPTS
    logger.warning("Mail %s to %s failed (attempt %s): %s", mail.pk, mail.to_email, mail.attempts, error)
    SentMail.objects.filter(pk=mail.pk).update(
        status=SentMail.Status.FAILED,
        last_error=_describe(error),
        **(_without_secret(mail) if given_up else {}),
    )
    return SentMail.Status.FAILED


def deliver(*, mail_id):
    """Hand one recorded mail to the mail backend, unless it is sent, being sent, or given up.

    Returns the new status, or None when the mail was not this call's to send.
    Side effects: the SentMail's status, attempts, times and last error; once it is sent (or
    failed for the last time) its secret is blanked out of the stored bodies.
    """
    with scopes_disabled():
        claimed = SentMail.objects.filter(
            pk=mail_id,
            status__in=[SentMail.Status.QUEUED, SentMail.Status.FAILED],
            attempts__lt=settings.STEGVIS_MAIL_MAX_ATTEMPTS,  # a mail given up stays so
        ).update(status=SentMail.Status.SENDING, attempts=F("attempts") + 1, attempted_at=timezone.now())
        if not claimed:
            return None
        mail = SentMail.objects.get(pk=mail_id)
        try:
            with get_connection(fail_silently=False) as connection:
                connection.send_messages([_message(mail)])
        except smtplib.SMTPRecipientsRefused as error:
            if not _permanent(error):
                return _failed(mail, error)
            # The server refused the address itself for good (5xx, a bounce): trying again cannot help.
            logger.warning("Mail %s to %s bounced: %s", mail.pk, mail.to_email, error)
            SentMail.objects.filter(pk=mail.pk).update(
                status=SentMail.Status.FAILED,
                attempts=max(mail.attempts, settings.STEGVIS_MAIL_MAX_ATTEMPTS),
                last_error=(BOUNCED + " " + _describe(error))[:500],
                **_without_secret(mail),
            )
            return SentMail.Status.FAILED
        except Exception as error:
            return _failed(mail, error)
        SentMail.objects.filter(pk=mail.pk).update(
            status=SentMail.Status.SENT, sent_at=timezone.now(), last_error="", **_without_secret(mail)
        )
    return SentMail.Status.SENT


def record_as_sent(*, mail_id, at):
    """Mark a queued mail sent at ``at`` without sending it: for demo data, which must never
    reach a real mailbox whatever the mail settings. Side effects: the SentMail's status and
    times; its secret blanked out."""
    with scopes_disabled():
        mail = SentMail.objects.get(pk=mail_id)
        SentMail.objects.filter(pk=mail_id, status=SentMail.Status.QUEUED).update(
            status=SentMail.Status.SENT, attempts=1, attempted_at=at, sent_at=at, **_without_secret(mail)
        )


def retry_failed(*, max_attempts=None, limit=200):
    """Try again the mails that failed (fewer than ``max_attempts`` tries, default
    STEGVIS_EMAIL_MAX_ATTEMPTS) and those whose worker was lost. Returns how many were sent.

    Meant for the scheduler (every few minutes). A mail is retried at most every RETRY_PAUSE.
    A mail left *being sent* for STALE (its worker died mid-delivery) counts as failed and is
    tried again: it may then arrive twice, which is better than not at all. A mail *queued*
    for STALE (its task was lost) is delivered here.
    Side effects: those of ``deliver`` for each mail; stale SentMail rows marked failed.
    """
    max_attempts = max_attempts or settings.STEGVIS_MAIL_MAX_ATTEMPTS
    now = timezone.now()
    with scopes_disabled():
        SentMail.objects.filter(status=SentMail.Status.SENDING, attempted_at__lt=now - STALE).update(
            status=SentMail.Status.FAILED, last_error="The delivery was interrupted."
        )
        due = (
            SentMail.objects.filter(
                Q(status=SentMail.Status.FAILED, attempts__lt=max_attempts, attempted_at__lt=now - RETRY_PAUSE)
                | Q(status=SentMail.Status.QUEUED, created_at__lt=now - STALE)
            )
            .order_by("created_at", "pk")
            .values_list("pk", flat=True)[:limit]
        )
        ids = list(due)
        # Mails that will not be tried again lose their secret now.
        for mail in SentMail.objects.filter(
            status=SentMail.Status.FAILED, attempts__gte=max_attempts, secret__gt=""
        ).only("pk", "secret", "body_text", "body_html"):
            SentMail.objects.filter(pk=mail.pk).update(**_without_secret(mail))
    return sum(deliver(mail_id=pk) == SentMail.Status.SENT for pk in ids)


def shown_body(mail):
    """The mail's bodies as the mail page shows them: any secret still in them hidden."""
    if not mail.secret:
        return mail.body_text, mail.body_html
    return mail.body_text.replace(mail.secret, HIDDEN), mail.body_html.replace(mail.secret, HIDDEN)


class RecordOnlyBackend(BaseEmailBackend):
    """Sends nothing: the SentMail row is all there is of a mail (no SMTP host configured).

    With DEBUG on it also writes each mail's plain text to the console, so that a developer can
    follow a link in it (the mail page hides one-time links).
    """

    def send_messages(self, email_messages):
        if settings.DEBUG:
            for message in email_messages:
                sys.stderr.write(
                    f"--- mail (recorded, not sent) to {', '.join(message.to)}: {message.subject}\n{message.body}\n---\n"
                )
        return len(email_messages)


register_kind("test", _("Test mail"))
