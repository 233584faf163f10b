"""Real identity providers on loopback for the SSO tests (docs/sso.md, "Tests").

- ``OidcProvider``: panva's ``oidc-provider`` (node, pinned in ``oidc_provider/package-lock.json``,
  installed with ``npm ci`` when missing) issuing RS256-signed ID tokens. Its development login
  page takes any password for the accounts it is given.
- ``SamlIdp``: pysaml2's IdP ``Server`` behind a small WSGI app: a login page choosing one of its
  users, then a signed Response with a signed Assertion (xmlsec1) posted back to the SP's ACS,
  with eduPersonPrincipalName and mail as SAML2 URI attributes, and its metadata at /metadata.

Ports come from the range given to these tests (8170-8179). Without node/npm or xmlsec1 the tests
skip, except in CI (``CI`` set), where .ci/run installs them and a missing tool is a failure.
"""

import datetime
import html
import json
import os
import re
import shutil
import socket
import subprocess
import threading
import time
import urllib.parse
from pathlib import Path
from wsgiref.simple_server import WSGIRequestHandler, make_server

import pytest

HERE = Path(__file__).parent
OIDC_DIR = HERE / "oidc_provider"
PORTS = range(8170, 8180)
XMLSEC1 = shutil.which("xmlsec1") or "/usr/bin/xmlsec1"


def _unavailable(reason):
    if os.environ.get("CI"):
        pytest.fail(f"{reason} (.ci/run installs it)")
    pytest.skip(reason)


def free_port():
    for port in PORTS:
        with socket.socket() as s:
            try:
                s.bind(("127.0.0.1", port))
            except OSError:
                continue
            return port
    raise RuntimeError("no free port in 8170-8179")


def _wait_for(port, proc=None, seconds=20):
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if proc is not None and proc.poll() is not None:
            raise RuntimeError(f"provider exited: {proc.stdout.read() if proc.stdout else ''}")
        with socket.socket() as s:
            if s.connect_ex(("127.0.0.1", port)) == 0:
                return
        time.sleep(0.05)
    raise RuntimeError(f"nothing answers on port {port}")


# ---- OpenID Connect -----------------------------------------------------------------------------


def ensure_oidc_provider_installed():
    if not shutil.which("node") or not shutil.which("npm"):
        _unavailable("node and npm are needed for the local OpenID provider (apt-get install nodejs npm)")
    if not (OIDC_DIR / "node_modules" / "oidc-provider").exists():
        done = subprocess.run(
            ["npm", "ci", "--no-audit", "--no-fund", "--loglevel=error"], cwd=OIDC_DIR, capture_output=True, text=True
        )
        if done.returncode != 0:
            _unavailable(f"npm ci failed for the local OpenID provider: {done.stderr[-500:]}")


class OidcProvider:
    """One running oidc-provider with the given clients and accounts (login -> claims)."""

    def __init__(self, *, clients, accounts):
        ensure_oidc_provider_installed()
        self.port = free_port()
        self.issuer = f"http://127.0.0.1:{self.port}"
        env = {
            **os.environ,
            "OIDC_PORT": str(self.port),
            "OIDC_CLIENTS": json.dumps(clients),
            "OIDC_ACCOUNTS": json.dumps(accounts),
        }
        self.proc = subprocess.Popen(
            ["node", "server.mjs"], cwd=OIDC_DIR, env=env, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True
        )
        _wait_for(self.port, self.proc)

    @property
    def discovery_url(self):
        return f"{self.issuer}/.well-known/openid-configuration"

    def stop(self):
        self.proc.terminate()
        try:
            self.proc.wait(5)
        except subprocess.TimeoutExpired:
            self.proc.kill()
        if self.proc.stdout:
            self.proc.stdout.close()

    def log_in(self, authorize_url, login):
        """What a person does at the provider: open the authorisation address, log in, consent.
        Returns the address the provider sends the browser back to (our callback with the code)."""
        import requests

        with requests.Session() as s:
            url = authorize_url
            for _step in range(10):
                r = s.get(url, allow_redirects=False) if not url.startswith("POST ") else None
                if r is None:
                    action, data = url[5:].split(" ", 1)
                    r = s.post(action, data=json.loads(data), allow_redirects=False)
                if r.is_redirect:
                    location = urllib.parse.urljoin(r.url, r.headers["location"])
                    if not location.startswith(self.issuer):
                        return location
                    url = location
                    continue
                form = re.search(r'<form[^>]*action="([^"]+)"', r.text)
                assert form, r.text[:500]
                action = urllib.parse.urljoin(r.url, html.unescape(form.group(1)))
                prompt = re.search(r'name="prompt" value="(\w+)"', r.text).group(1)
                data = {"prompt": prompt}
                if prompt == "login":
                    data.update(login=login, password="any")
                url = f"POST {action} {json.dumps(data)}"
            raise AssertionError("the provider did not send the browser back")


# ---- SAML ---------------------------------------------------------------------------------------


def make_certificate(directory, name="idp"):
    """A self-signed RSA certificate and key (PEM files) for the IdP's signatures."""
    from cryptography import x509
    from cryptography.hazmat.primitives import hashes, serialization
    from cryptography.hazmat.primitives.asymmetric import rsa
    from cryptography.x509.oid import NameOID

    key = rsa.generate_private_key(public_exponent=65537, key_size=2048)
    subject = x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, f"Stegvis test {name}")])
    now = datetime.datetime.now(datetime.UTC)
    cert = (
        x509.CertificateBuilder()
        .subject_name(subject)
        .issuer_name(subject)
        .public_key(key.public_key())
        .serial_number(x509.random_serial_number())
        .not_valid_before(now - datetime.timedelta(days=1))
        .not_valid_after(now + datetime.timedelta(days=30))
        .sign(key, hashes.SHA256())
    )
    key_file = Path(directory) / f"{name}.key"
    cert_file = Path(directory) / f"{name}.crt"
    key_file.write_bytes(
        key.private_bytes(serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8, serialization.NoEncryption())
    )
    cert_file.write_bytes(cert.public_bytes(serialization.Encoding.PEM))
    return key_file, cert_file


class _Quiet(WSGIRequestHandler):
    def log_message(self, *args):
        pass


class SamlIdp:
    """pysaml2's IdP on loopback. ``users``: login -> {"eduPersonPrincipalName": ..., "mail": ...}.
    ``set_sp(metadata_xml)`` tells it the service provider (our SP metadata), as a federation's
    metadata would."""

    def __init__(self, *, users, directory):
        if not Path(XMLSEC1).exists():
            _unavailable("xmlsec1 is needed for the local SAML IdP (apt-get install xmlsec1)")
        self.users = users
        self.port = free_port()
        self.base = f"http://127.0.0.1:{self.port}"
        self.entity_id = f"{self.base}/metadata"
        self.key_file, self.cert_file = make_certificate(directory)
        self.server = None
        self.sp_metadata = None
        self._build()
        self.httpd = make_server("127.0.0.1", self.port, self.app, handler_class=_Quiet)
        self.thread = threading.Thread(target=self.httpd.serve_forever, daemon=True)
        self.thread.start()

    def _config(self):
        from saml2 import BINDING_HTTP_REDIRECT
        from saml2.config import IdPConfig
        from saml2.saml import NAME_FORMAT_URI, NAMEID_FORMAT_PERSISTENT

        conf = {
            "entityid": self.entity_id,
            "service": {
                "idp": {
                    "name": "Stegvis test IdP",
                    "endpoints": {"single_sign_on_service": [(f"{self.base}/sso", BINDING_HTTP_REDIRECT)]},
                    "policy": {
                        "default": {
                            "lifetime": {"minutes": 5},
                            "attribute_restrictions": None,
                            "name_form": NAME_FORMAT_URI,
                        }
                    },
                    "name_id_format": [NAMEID_FORMAT_PERSISTENT],
                    "want_authn_requests_signed": False,
                }
            },
            "key_file": str(self.key_file),
            "cert_file": str(self.cert_file),
            "xmlsec_binary": XMLSEC1,
            "metadata": {"inline": [self.sp_metadata]} if self.sp_metadata else {},
        }
        config = IdPConfig()
        config.load(conf)
        return config

    def _build(self):
        from saml2.server import Server

        self.server = Server(config=self._config())

    def set_sp(self, metadata_xml):
        self.sp_metadata = metadata_xml
        self._build()

    @property
    def metadata_xml(self):
        from saml2.metadata import entity_descriptor

        return str(entity_descriptor(self._config()))

    def stop(self):
        self.httpd.shutdown()
        self.httpd.server_close()

    # the IdP's pages
    def app(self, environ, start_response):
        path = environ["PATH_INFO"]
        try:
            if path == "/metadata":
                return self._answer(start_response, self.metadata_xml, "application/samlmetadata+xml")
            if path == "/sso":
                query = urllib.parse.parse_qs(environ.get("QUERY_STRING", ""))
                return self._answer(
                    start_response, self._login_page(query["SAMLRequest"][0], query.get("RelayState", [""])[0])
                )
            if path == "/login" and environ["REQUEST_METHOD"] == "POST":
                size = int(environ.get("CONTENT_LENGTH") or 0)
                form = urllib.parse.parse_qs(environ["wsgi.input"].read(size).decode())
                return self._answer(
                    start_response,
                    self.respond(form["SAMLRequest"][0], form.get("RelayState", [""])[0], form["login"][0]),
                )
        except Exception as e:  # a test IdP: say what went wrong
            start_response("500 Internal Server Error", [("Content-Type", "text/plain")])
            return [repr(e).encode()]
        start_response("404 Not Found", [("Content-Type", "text/plain")])
        return [b"not found"]

    @staticmethod
    def _answer(start_response, body, content_type="text/html; charset=utf-8"):
        start_response("200 OK", [("Content-Type", content_type)])
        return [body.encode()]

    def _login_page(self, saml_request, relay_state):
        options = "".join(f'<option value="{html.escape(u)}">{html.escape(u)}</option>' for u in self.users)
        return (
            '<!DOCTYPE html><html lang="en"><head><title>Test IdP</title></head><body><main><h1>Test IdP</h1>'
            f'<form method="post" action="{self.base}/login">'
            f'<input type="hidden" name="SAMLRequest" value="{html.escape(saml_request)}">'
            f'<input type="hidden" name="RelayState" value="{html.escape(relay_state)}">'
            f'<label for="login">User</label><select id="login" name="login">{options}</select>'
            '<button type="submit">Sign in</button></form></main></body></html>'
        )

    def respond(self, saml_request, relay_state, login):
        """The signed Response (HTML form posting to the SP's ACS) for a user of this IdP."""
        from saml2 import BINDING_HTTP_POST, BINDING_HTTP_REDIRECT
        from saml2.saml import NAMEID_FORMAT_PERSISTENT, NameID
        from saml2.xmldsig import DIGEST_SHA256, SIG_RSA_SHA256

        request = self.server.parse_authn_request(saml_request, BINDING_HTTP_REDIRECT)
        args = self.server.response_args(request.message, [BINDING_HTTP_POST])
        user = self.users[login]
        identity = {"eduPersonPrincipalName": [user["eduPersonPrincipalName"]], "mail": [user["mail"]]}
        response = self.server.create_authn_response(
            identity,
            userid=login,
            name_id=NameID(format=NAMEID_FORMAT_PERSISTENT, text=f"pid-{login}"),
            authn={"class_ref": "urn:oasis:names:tc:SAML:2.0:ac:classes:Password"},
            sign_response=True,
            sign_assertion=True,
            sign_alg=SIG_RSA_SHA256,
            digest_alg=DIGEST_SHA256,
            **args,
        )
        http = self.server.apply_binding(
            BINDING_HTTP_POST, str(response), args["destination"], relay_state, response=True
        )
        return http["data"]


def saml_form(page):
    """The ACS address and the fields of the IdP's auto-posting form."""
    action = html.unescape(re.search(r'<form[^>]*action="([^"]+)"', page).group(1))
    fields = {
        html.unescape(m.group(1)): html.unescape(m.group(2))
        for m in re.finditer(r'<input[^>]*name="([^"]+)"[^>]*value="([^"]*)"', page)
    }
    return action, fields
