"""SAML specifics: the IdP's metadata (by URL, or the text of an uploaded file) read with
python3-saml's metadata parser, for allauth's SAML provider."""

from onelogin.saml2.idp_metadata_parser import OneLogin_Saml2_IdPMetadataParser

METADATA_TIMEOUT = 10  # seconds to wait for a metadata URL
METADATA_CACHE_SECONDS = 3600  # allauth keeps fetched metadata this long (Django's cache)


class MetadataError(ValueError):
    pass


def read_metadata(*, xml="", url="", entity_id=None):
    """The IdP part of metadata as python3-saml reads it ({"entityId", "singleSignOnService",
    "x509cert" or "x509certMulti"}); raises MetadataError when it holds no usable IdP."""
    try:
        if url:
            data = OneLogin_Saml2_IdPMetadataParser.parse_remote(url, entity_id=entity_id, timeout=METADATA_TIMEOUT)
        else:
            data = OneLogin_Saml2_IdPMetadataParser.parse(xml, entity_id=entity_id)
    except Exception as e:  # network errors, XML errors: all mean "cannot use this"
        raise MetadataError(str(e)) from e
    idp = data.get("idp") or {}
    if not idp.get("entityId") or not (idp.get("singleSignOnService") or {}).get("url"):
        raise MetadataError("no IdP with a single sign-on service")
    if not signing_certificate(idp):
        raise MetadataError("no signing certificate")
    return idp


def signing_certificate(idp):
    if idp.get("x509cert"):
        return idp["x509cert"]
    multi = idp.get("x509certMulti") or {}
    signing = multi.get("signing") or []
    return signing[0] if signing else ""


def idp_settings(provider):
    """allauth's ``idp`` settings for a provider: by URL (allauth fetches and caches it) or the
    entity, address and certificate read from the stored file."""
    if provider.metadata_url:
        return {
            "metadata_url": provider.metadata_url,
            "entity_id": provider.idp_entity_id or None,
            "metadata_request_timeout": METADATA_TIMEOUT,
            "metadata_cache_timeout": METADATA_CACHE_SECONDS,
        }
    idp = read_metadata(xml=provider.metadata_xml, entity_id=provider.idp_entity_id or None)
    return {
        "entity_id": idp["entityId"],
        "sso_url": idp["singleSignOnService"]["url"],
        "x509cert": signing_certificate(idp),
    }
