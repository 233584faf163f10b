"""The organiser admin's settings of one sign-in provider, and the school-account login's choice
of organiser."""

from django import forms
from django.utils.translation import gettext_lazy as _

from stegvis.core.forms import Form

from . import domain, saml
from .models import SignInProvider, split_domains

METADATA_MAX_BYTES = 1_000_000


class ProviderForm(Form):
    """Entra ID: tenant, client, secret, domains. Google: client, secret, domains. SAML: the
    IdP's metadata by URL or file, its entity ID when the metadata has several, domains.
    The secret is never shown back: empty keeps the stored one. A plain form: the provider row
    changes only in ``domain.save_provider``."""

    enabled = forms.BooleanField(label=_("In use"), required=False)
    tenant_id = forms.CharField(label=_("Tenant ID (directory ID)"), max_length=36)
    client_id = forms.CharField(label=_("Client ID (application ID)"), max_length=200)
    client_secret = forms.CharField(
        label=_("Client secret"),
        max_length=500,
        widget=forms.PasswordInput(render_value=False, attrs={"autocomplete": "off"}),
    )
    metadata_url = forms.URLField(label=_("Metadata URL"), max_length=500, required=False, assume_scheme="https")
    metadata_file = forms.FileField(label=_("Metadata file"), required=False)
    idp_entity_id = forms.CharField(label=_("IdP entity ID"), max_length=500, required=False)
    domains = forms.CharField(
        label=_("E-mail domains"),
        max_length=500,
        help_text=_("The organiser's e-mail domains, separated by commas, e.g. mittkoping.se, edu.mittkoping.se."),
    )

    FIELDS_BY_KIND = {
        SignInProvider.Kind.ENTRA: ["enabled", "tenant_id", "client_id", "client_secret", "domains"],
        SignInProvider.Kind.GOOGLE: ["enabled", "client_id", "client_secret", "domains"],
        SignInProvider.Kind.SAML: ["enabled", "metadata_url", "metadata_file", "idp_entity_id", "domains"],
    }

    def __init__(self, *args, instance, **kwargs):
        self.instance = instance
        initial = {
            name: getattr(instance, name)
            for name in ("enabled", "tenant_id", "client_id", "metadata_url", "idp_entity_id", "domains")
        }
        super().__init__(*args, initial=initial, **kwargs)
        kind = self.instance.kind
        for name in list(self.fields):
            if name not in self.FIELDS_BY_KIND[kind]:
                del self.fields[name]
        self.metadata_text = None
        if "client_secret" in self.fields:
            has = bool(self.instance.client_secret)
            self.fields["client_secret"].required = not has
            self.fields["client_secret"].help_text = (
                _("A secret is stored (ending in …%(tail)s). Leave empty to keep it.")
                % {"tail": self.instance.client_secret[-4:]}
                if has
                else _("Shown once when you create it; it is stored here and never shown again.")
            )
        if "tenant_id" in self.fields:
            self.fields["tenant_id"].help_text = _(
                "Your own tenant's ID, a GUID (Entra admin centre, Overview). “common” and “organizations” are refused."
            )
        if "metadata_url" in self.fields:
            self.fields["metadata_url"].help_text = _(
                "The IdP's metadata address, e.g. from Skolfederation's metadata or your IdP. Or upload the file below."
            )
            self.fields["idp_entity_id"].help_text = _(
                "Only needed when the metadata describes several IdPs; read from the metadata otherwise."
            )
        self.fields["enabled"].help_text = _("Shown on the login page as “Log in with school account”.")

    def clean_tenant_id(self):
        try:
            return domain.check_tenant_id(self.cleaned_data["tenant_id"])
        except domain.ConfigError as e:
            raise forms.ValidationError(str(e)) from None

    def clean_domains(self):
        domains = split_domains(self.cleaned_data["domains"])
        if not domains:
            raise forms.ValidationError(_("Enter at least one e-mail domain, e.g. mittkoping.se."))
        for d in domains:
            if "." not in d or any(c in d for c in "/:@ "):
                raise forms.ValidationError(_("“%(domain)s” is not an e-mail domain.") % {"domain": d})
        return ", ".join(domains)

    def clean_metadata_file(self):
        upload = self.cleaned_data.get("metadata_file")
        if not upload:
            return None
        if upload.size > METADATA_MAX_BYTES:
            raise forms.ValidationError(_("The file is larger than 1 MB; metadata of one IdP is much smaller."))
        try:
            self.metadata_text = upload.read().decode("utf-8")
        except UnicodeDecodeError:
            raise forms.ValidationError(_("The file is not an XML metadata file (UTF-8).")) from None
        return upload

    def clean(self):
        data = super().clean()
        if self.instance.kind != SignInProvider.Kind.SAML or self.errors:
            return data
        url = data.get("metadata_url", "")
        if self.metadata_text is not None:
            xml, url = self.metadata_text, ""
        else:
            xml = "" if url else self.instance.metadata_xml
        if not url and not xml:
            raise forms.ValidationError(_("Give the IdP's metadata: its address or the file."))
        try:
            idp = saml.read_metadata(xml=xml, url=url, entity_id=data.get("idp_entity_id") or None)
        except saml.MetadataError:
            raise forms.ValidationError(
                _("The metadata could not be read as a SAML IdP's (with a login address and a signing certificate).")
            ) from None
        data["idp_entity_id"] = idp["entityId"]
        if self.metadata_text is not None:
            data["metadata_url"] = ""
        return data

    def domain_fields(self):
        return {name: self.cleaned_data[name] for name in self.fields if name != "metadata_file"}


class ChooseOrganizerForm(Form):
    who = forms.CharField(
        label=_("Your e-mail address or your organiser's short name"),
        max_length=254,
        help_text=_("For example anna.berg@mittkoping.se or mittkoping."),
        widget=forms.TextInput(attrs={"autocomplete": "username", "autofocus": True}),
    )
