"""The vocabulary of Skolverket's school-unit register (Skolenhetsregistret) and the shapes of its JSON.

Skolverket's register is where an organiser's units really come from. Its open API (v2, and the
retired v1) and its Excel extract name school types by code (``GR``, ``FKLASS``, ``VUX`` ...) or
by their Swedish names ("Förskoleklass", "Kommunal vuxenutbildning" ...), and give each unit a
status (``AKTIV``, ``VILANDE``, ``UPPHORT``, ``PLANERAD``). This module maps both onto Stegvis's
school forms (``core.schoolforms``) and finds the unit records in the JSON shapes the register
returns. It reads nothing but what it is given; ``imports`` reads files with it.
"""

import unicodedata

from django.utils.translation import gettext_lazy as _

# Statuses (CodeSchoolUnitStatus in API v2; v1 wrote "Aktiv", "Vilande", "Upphörd").
ACTIVE, DORMANT, CEASED, PLANNED = "AKTIV", "VILANDE", "UPPHORT", "PLANERAD"
STATUS_LABELS = {
    ACTIVE: _("active"),
    DORMANT: _("dormant (vilande)"),
    CEASED: _("ceased (upphörd)"),
    PLANNED: _("planned (planerad)"),
}

# School types Stegvis does not assess: left out of a unit's school forms, with a note.
NOT_ASSESSED = "not_assessed"

# Register code -> (Stegvis school form code, or NOT_ASSESSED; the register's Swedish name).
# v2 codes (CodeSchoolType), the komvux parts (CodeSchoolTypePart), the older SS 12000 / v1 codes
# (GRS, GYS, TR, SARVUX ...) and the lower-case codes of Skolverket's planned-educations API.
SCHOOL_TYPES = {
    "FS": ("forskola", "Förskola"),
    "FKLASS": ("grundskola", "Förskoleklass"),
    "FSK": ("grundskola", "Förskoleklass"),
    "GR": ("grundskola", "Grundskola"),
    "SAM": ("grundskola", "Sameskola"),
    "SP": ("grundskola", "Specialskola"),
    "SPEC": ("grundskola", "Specialskola"),
    "GRAN": ("anpassad_skola", "Anpassad grundskola"),
    "GRS": ("anpassad_skola", "Grundsärskola"),
    "TR": ("anpassad_skola", "Träningsskola"),
    "GY": ("gymnasieskola", "Gymnasieskola"),
    "GYAN": ("anpassad_skola", "Anpassad gymnasieskola"),
    "GYS": ("anpassad_skola", "Gymnasiesärskola"),
    "VUX": ("vuxenutbildning", "Kommunal vuxenutbildning"),
    "VUXGR": ("vuxenutbildning", "Kommunal vuxenutbildning på grundläggande nivå"),
    "VUXGY": ("vuxenutbildning", "Kommunal vuxenutbildning på gymnasial nivå"),
    "VUXGRAN": ("vuxenutbildning", "Kommunal vuxenutbildning som anpassad utbildning på grundläggande nivå"),
    "VUXGYAN": ("vuxenutbildning", "Kommunal vuxenutbildning som anpassad utbildning på gymnasial nivå"),
    "VUXSFI": ("vuxenutbildning", "Kommunal vuxenutbildning i svenska för invandrare"),
    "SFI": ("vuxenutbildning", "Utbildning i svenska för invandrare"),
    "VUXSARGR": ("vuxenutbildning", "Komvux som särskild utbildning på grundläggande nivå"),
    "VUXSARGY": ("vuxenutbildning", "Komvux som särskild utbildning på gymnasial nivå"),
    "VUXSARTR": ("vuxenutbildning", "Komvux som särskild utbildning motsvarande träningsskolan"),
    "SARVUX": ("vuxenutbildning", "Särskild utbildning för vuxna"),
    "SARVUXGR": ("vuxenutbildning", "Särskild utbildning för vuxna på grundläggande nivå"),
    "SARVUXGY": ("vuxenutbildning", "Särskild utbildning för vuxna på gymnasial nivå"),
    "FTH": (NOT_ASSESSED, "Fritidshem"),
    "OPPFTH": (NOT_ASSESSED, "Öppen fritidsverksamhet"),
}

# More names the register and its extracts use (folded: lower case, no diacritics) -> code.
_MORE_NAMES = {
    "komvux": "VUX",
    "vuxenutbildning": "VUX",
    "kommunal vuxenutbildning sfi": "VUXSFI",
    "svenska for invandrare": "SFI",
    "sfi": "SFI",
    "anpassad utbildning for vuxna": "SARVUX",
    "komvux som sarskild utbildning": "SARVUX",
    "fritids": "FTH",
    "oppen fritidshem": "OPPFTH",
    "traningsskolan": "TR",
}


def fold(text):
    """Lower case without diacritics and with single spaces: "Öppen  fritidsverksamhet" -> "oppen fritidsverksamhet"."""
    decomposed = unicodedata.normalize("NFKD", str(text).casefold())
    plain = "".join(ch for ch in decomposed if not unicodedata.combining(ch))
    return " ".join(plain.replace("_", " ").replace("-", " ").split())


_BY_NAME = {fold(name): code for code, (_form, name) in SCHOOL_TYPES.items()}
_BY_NAME.update({fold(name): code for name, code in _MORE_NAMES.items()})


def school_type(text):
    """The register code for a school type written as a code or a name, or None when unknown."""
    text = str(text).strip()
    if text.upper() in SCHOOL_TYPES:
        return text.upper()
    return _BY_NAME.get(fold(text))


def type_name(code):
    return SCHOOL_TYPES[code][1] if code in SCHOOL_TYPES else code


_STATUSES = {
    "aktiv": ACTIVE,
    "active": ACTIVE,
    "vilande": DORMANT,
    "dormant": DORMANT,
    "upphort": CEASED,
    "upphord": CEASED,
    "nedlagd": CEASED,
    "ceased": CEASED,
    "planerad": PLANNED,
    "planned": PLANNED,
}


def status(text):
    """The register status for "AKTIV", "Aktiv", "Upphörd" ..., or None when unknown."""
    return _STATUSES.get(fold(text))


# JSON: the register's shapes.


def _text(value):
    if value is None or isinstance(value, bool):
        return ""
    if isinstance(value, int | float):
        return str(int(value)) if float(value).is_integer() else str(value)
    return str(value).strip() if isinstance(value, str) else ""


def _first(record, *keys):
    for key in keys:
        value = _text(record.get(key))
        if value:
            return value
    return ""


def _types(attributes):
    """School types of a record as written in the file (codes or names), or None when it has none."""
    for key in ("schoolTypes", "Skolformer", "typeOfSchooling", "skolformer", "school_types"):
        value = attributes.get(key)
        if value is None:
            continue
        items = value if isinstance(value, list) else [value]
        found = []
        for item in items:
            if isinstance(item, dict):
                item = _first(item, "code", "Benamning", "displayName", "type", "name")
            else:
                item = _text(item)
            if item:
                found.append(item)
        return found
    return None


def _municipality(attributes):
    code = _first(attributes, "municipalityCode", "Kommunkod", "geographicalAreaCode", "kommunkod")
    if not code and isinstance(attributes.get("Kommun"), dict):
        code = _first(attributes["Kommun"], "Kommunkod", "code")
    return code


def _organisation_number(attributes, included=None):
    number = _first(attributes, "organizationNumber", "PeOrgNr", "Organisationsnummer", "organisationNumber")
    if not number and isinstance(attributes.get("Huvudman"), dict):
        number = _first(attributes["Huvudman"], "PeOrgNr", "Organisationsnummer")
    if not number and isinstance(included, dict):
        number = _first(included, "organizationNumber") or _first(
            included.get("attributes") or {}, "organizationNumber"
        )
    return number


def unit_record(item, *, included=None):
    """One unit as a plain dict (code, name, status, types, municipality, organisation) or None.

    ``item`` is a v2 list item (``schoolUnitCode``, ``name``, ``status``), a v2 detail's ``data``
    (``schoolUnitCode`` next to ``attributes``), a v1 list item (``Skolenhetskod``,
    ``Skolenhetsnamn``, ``Kommunkod``, ``PeOrgNr``), a v1 detail (``SkolenhetInfo``) or a
    planned-educations item (``code``, ``name``, ``typeOfSchooling``).
    """
    if not isinstance(item, dict):
        return None
    attributes = item.get("attributes") if isinstance(item.get("attributes"), dict) else {}
    merged = {**item, **attributes}
    code = _first(merged, "schoolUnitCode", "Skolenhetskod", "skolenhetskod", "code")
    if not code and not any(k in merged for k in ("name", "displayName", "Skolenhetsnamn", "Namn")):
        return None
    return {
        "code": code,
        "name": _first(merged, "displayName", "name", "Skolenhetsnamn", "Namn", "schoolUnitName", "namn"),
        "status": _first(merged, "status", "Status"),
        "types": _types(merged),
        "municipality": _municipality(merged),
        "organisation": _organisation_number(merged, included),
    }


def find_units(document):
    """The unit records in a JSON document, and a name for its shape.

    Returns ``(records, shape)``: ``records`` is a list of ``unit_record`` results (None where an
    entry is not a unit), ``shape`` one of "v2-list", "v2-detail", "v2-details" (a list of v2
    detail answers), "v1-list", "v1-detail",
    "planned-educations", "list", or None when no units were found.
    """
    if isinstance(document, list):
        records, details = [], 0
        for entry in document:
            details += isinstance(entry, dict) and isinstance(entry.get("data"), dict)
            if isinstance(entry, dict) and isinstance(entry.get("data"), dict):  # a list of v2 detail answers
                records.append(unit_record(entry["data"], included=entry.get("included")))
            elif isinstance(entry, dict) and isinstance(entry.get("SkolenhetInfo"), dict):  # v1 details
                records.append(unit_record(entry["SkolenhetInfo"]))
            else:
                records.append(unit_record(entry))
        return records, "v2-details" if document and details == len(document) else "list"
    if not isinstance(document, dict):
        return [], None
    data = document.get("data")
    if isinstance(data, dict) and isinstance(data.get("attributes"), list):
        return [unit_record(entry) for entry in data["attributes"]], "v2-list"
    if isinstance(data, dict):
        return [unit_record(data, included=document.get("included"))], "v2-detail"
    if isinstance(data, list):
        return [unit_record(entry) for entry in data], "v2-list"
    if isinstance(document.get("Skolenheter"), list):
        return [unit_record(entry) for entry in document["Skolenheter"]], "v1-list"
    if isinstance(document.get("SkolenhetInfo"), dict):
        return [unit_record(document["SkolenhetInfo"])], "v1-detail"
    body = document.get("body", document.get("_embedded"))
    if isinstance(body, dict | list):
        embedded = body.get("_embedded", body) if isinstance(body, dict) else body
        if isinstance(embedded, dict):
            for key in ("listedSchoolUnits", "schoolUnits", "compactSchoolUnits"):
                if isinstance(embedded.get(key), list):
                    return [unit_record(entry) for entry in embedded[key]], "planned-educations"
        records, _shape = find_units(embedded)
        return records, "planned-educations" if records else None
    for key in ("schoolUnits", "school_units", "units", "Skolenheter", "skolenheter"):
        if isinstance(document.get(key), list):
            return [unit_record(entry) for entry in document[key]], "list"
    record = unit_record(document)
    return ([record], "list") if record else ([], None)
