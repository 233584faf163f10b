"""A real SMTP server on loopback (aiosmtpd) for tests that check what arrives.

``smtp_server`` starts one per test and points Django's SMTP backend at it; ``inbox.messages``
are the parsed mails (``email.message.EmailMessage``). ``inbox.refuse = "550 ..."`` makes it
refuse recipients; ``silent_smtp_server`` accepts connections and never answers (a time-out).
"""

import email
import email.policy
import re
import socket

import pytest
from aiosmtpd.controller import Controller
from aiosmtpd.smtp import AuthResult


def free_port():
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


class Inbox:
    def __init__(self):
        self.envelopes = []
        self.refuse = None
        self.logins = []

    async def handle_RCPT(self, server, session, envelope, address, rcpt_options):
        if self.refuse:
            return self.refuse
        envelope.rcpt_tos.append(address)
        return "250 OK"

    async def handle_DATA(self, server, session, envelope):
        self.envelopes.append(envelope)
        return "250 Message accepted for delivery"

    @property
    def messages(self):
        return [email.message_from_bytes(e.original_content, policy=email.policy.default) for e in self.envelopes]

    def authenticate(self, server, session, envelope, mechanism, auth_data):
        self.logins.append((auth_data.login.decode(), auth_data.password.decode()))
        return AuthResult(success=auth_data.password == b"hemligt-smtp")


def text_of(message):
    return message.get_body(preferencelist=("plain",)).get_content().replace("\r\n", "\n")


def html_of(message):
    return message.get_body(preferencelist=("html",)).get_content().replace("\r\n", "\n")


def links_in(message):
    return re.findall(r"https?://\S+", text_of(message))


def _point_django_at(settings, port):
    settings.EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    settings.EMAIL_HOST = "127.0.0.1"
    settings.EMAIL_PORT = port
    settings.EMAIL_USE_TLS = settings.EMAIL_USE_SSL = False
    settings.EMAIL_HOST_USER = settings.EMAIL_HOST_PASSWORD = ""
    settings.EMAIL_TIMEOUT = 5
    settings.DEFAULT_FROM_EMAIL = "Stegvis <stegvis@mittkoping.se>"
    settings.SITE_URL = "https://stegvis.mittkoping.se"


@pytest.fixture
def smtp_server(settings):
    inbox = Inbox()
    port = free_port()
    controller = Controller(inbox, hostname="127.0.0.1", port=port)
    controller.start()
    _point_django_at(settings, port)
    yield inbox
    controller.stop()


@pytest.fixture
def smtp_server_with_login(settings):
    """Requires AUTH (PLAIN/LOGIN, without TLS on loopback); the password is "hemligt-smtp"."""
    inbox = Inbox()
    port = free_port()
    controller = Controller(
        inbox,
        hostname="127.0.0.1",
        port=port,
        authenticator=inbox.authenticate,
        auth_required=True,
        auth_require_tls=False,
    )
    controller.start()
    _point_django_at(settings, port)
    yield inbox
    controller.stop()


@pytest.fixture
def silent_smtp_server(settings):
    """Takes connections and never says a word: every mail times out."""
    with socket.socket() as listener:
        listener.bind(("127.0.0.1", 0))
        listener.listen(8)
        _point_django_at(settings, listener.getsockname()[1])
        settings.EMAIL_TIMEOUT = 1
        yield listener
