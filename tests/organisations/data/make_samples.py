"""Writes the sample files of the made-up Exempelby kommun (kommunkod 0991) used by test_register_import.py.

Run from the worktree root: ``python tests/organisations/data/make_samples.py``. The files are
committed; this script only documents how they were made. The shapes follow Skolverket's
school-unit register (Skolenhetsregistret): the API v2 detail answer (``data.schoolUnitCode``,
``data.attributes`` with ``displayName``, ``status``, ``schoolTypes``, ``municipalityCode``;
the organiser in ``included``), the API v2 list (``data.attributes`` = [{schoolUnitCode, name,
status}]) and an Excel extract with a title above the header row. Every name, code and number
is invented.
"""

import json
from pathlib import Path

import openpyxl

HERE = Path(__file__).parent
KOMMUN, GRANNBY = "0991", "0992"
ORG = ("2120000991", "Exempelby kommun", "KOMMUN")
GLANTAN = ("5569990001", "Gläntan Utbildning AB", "ENSKILD")
MONTESSORI = ("5569990002", "Grannby Montessori ek. för.", "ENSKILD")

# code, name, school types, status, municipality, organiser, grades or programmes
UNITS = [
    ("49110001", "Ekbackens skola F-6", ["FKLASS", "GR", "FTH"], "AKTIV", KOMMUN, ORG),
    ("49110002", "Ekbackens skola 7-9", ["GR"], "AKTIV", KOMMUN, ORG),
    ("49110003", "Björkhagens skola", ["FKLASS", "GR", "FTH"], "AKTIV", KOMMUN, ORG),
    ("49110004", "Tallåsens skola", ["FKLASS", "GR", "FTH"], "AKTIV", KOMMUN, ORG),
    ("49110005", "Lindens anpassade grundskola", ["GRAN", "FTH"], "AKTIV", KOMMUN, ORG),
    ("49110006", "Exempelby gymnasium", ["GY"], "AKTIV", KOMMUN, ORG),
    ("49110007", "Exempelby gymnasium, anpassad gymnasieskola", ["GYAN"], "AKTIV", KOMMUN, ORG),
    ("49110008", "Vuxenutbildningen Exempelby", ["VUX"], "AKTIV", KOMMUN, ORG),
    ("49110009", "Sfi Exempelby", ["VUX"], "AKTIV", KOMMUN, ORG),
    ("49110010", "Fritidsgården Kvarnen", ["OPPFTH"], "AKTIV", KOMMUN, ORG),
    ("49110011", "Solrosens fritidshem", ["FTH"], "AKTIV", KOMMUN, ORG),
    ("49110012", "Norrby skola", ["FKLASS", "GR"], "VILANDE", KOMMUN, ORG),
    ("49110013", "Sjöviks skola", ["FKLASS", "GR", "FTH"], "UPPHORT", KOMMUN, ORG),
    ("49110014", "Strandskolan", ["GR"], "PLANERAD", KOMMUN, ORG),
    ("49110015", "Hagaskolan", ["FKLASS", "GR", "FTH"], "AKTIV", KOMMUN, ORG),
    ("49110016", "Hagaskolan", ["GR"], "AKTIV", KOMMUN, ORG),
    ("49110017", "Kyrkskolan", ["FKLASS", "GR", "FTH"], "VILANDE", KOMMUN, ORG),
    ("49110018", "Mosseskolan", ["GR"], "UPPHORT", KOMMUN, ORG),
    ("49110019", "Friskolan Gläntan", ["FKLASS", "GR", "FTH"], "AKTIV", KOMMUN, GLANTAN),
    ("49210020", "Grannby montessoriskola", ["GR"], "AKTIV", GRANNBY, MONTESSORI),
]

PROPERTIES = {
    "FKLASS": None,
    "FTH": None,
    "OPPFTH": None,
    "GR": {"grades": ["1", "2", "3", "4", "5", "6"]},
    "GRAN": {"grades": ["1", "2", "3", "4", "5", "6", "7", "8", "9"]},
    "GY": {"programmes": ["NA", "SA", "EE", "TE"]},
    "GYAN": {"programmes": ["ESEST", "HAHAN"]},
    "VUX": {"schoolTypeParts": ["VUXGR", "VUXGY", "VUXSFI"]},
}
NAMES = {
    "FKLASS": "Förskoleklass",
    "GR": "Grundskola",
    "GRAN": "Anpassad grundskola",
    "GY": "Gymnasieskola",
    "GYAN": "Anpassad gymnasieskola",
    "VUX": "Kommunal vuxenutbildning",
    "FTH": "Fritidshem",
    "OPPFTH": "Öppen fritidsverksamhet",
}
DATES = {"AKTIV": ("2011-07-01", None), "VILANDE": ("2009-07-01", None), "PLANERAD": ("2027-08-15", None)}


def detail(code, name, types, status, municipality, organiser):
    start, end = DATES.get(status, ("2008-07-01", "2025-06-30"))
    number, organiser_name, organiser_type = organiser
    properties = {t.lower(): PROPERTIES[t] for t in types if PROPERTIES.get(t)}
    if code == "49110009":
        properties = {"vux": {"schoolTypeParts": ["VUXSFI"]}}
    return {
        "meta": {"created": "2021-03-15", "modified": "2026-02-20", "extractDate": "2026-03-01"},
        "links": {"href": f"https://api.skolverket.se/skolenhetsregistret/v2/school-units/{code}"},
        "data": {
            "type": "schoolunit",
            "schoolUnitCode": code,
            "attributes": {
                "displayName": name,
                "status": status,
                "schoolUnitType": "SKOLENHET",
                "orientationType": "ALLMAN" if organiser_type == "KOMMUN" else "EJ_RELEVANT",
                "municipalityCode": municipality,
                "schoolTypes": types,
                "schoolTypeProperties": properties,
                "startdate": start,
                "endDate": end,
                "url": f"https://exempelby.example/skolor/{code}",
                "phoneNumber": "0991-123 45",
                "addresses": [
                    {
                        "type": "BESOKSADRESS",
                        "streetAddress": "Skolvägen 1",
                        "postalCode": "999 91",
                        "locality": "Exempelby",
                        "geoCoordinates": {"latitude": "57.123456", "longitude": "12.654321"},
                    }
                ],
            },
        },
        "included": {
            "type": "organizer",
            "organizationNumber": number,
            "attributes": {"displayName": organiser_name, "organizerType": organiser_type},
        },
    }


def write_json():
    details = [detail(*unit) for unit in UNITS]
    (HERE / "exempelby_v2_detaljer.json").write_text(json.dumps(details, ensure_ascii=False, indent=1) + "\n")
    # The list a year later, fetched with ?organization_number=2120000991: only code, name and status.
    later = {
        "49110002": ("Ekbackaskolan 7-9", "AKTIV"),
        "49110003": ("Björkhagens skola", "UPPHORT"),
        "49110012": ("Norrby skola", "AKTIV"),
    }
    items = [
        {
            "schoolUnitCode": code,
            "name": later.get(code, (name, status))[0],
            "status": later.get(code, (name, status))[1],
        }
        for code, name, _types, status, _m, organiser in UNITS
        if organiser == ORG
    ]
    listing = {
        "meta": {"extractDate": "2027-03-01"},
        "links": {
            "href": "https://api.skolverket.se/skolenhetsregistret/v2/school-units?organization_number=2120000991"
        },
        "data": {"type": "schoolunit", "attributes": items},
    }
    (HERE / "exempelby_v2_lista.json").write_text(json.dumps(listing, ensure_ascii=False, indent=1) + "\n")


def write_xlsx():
    workbook = openpyxl.Workbook()
    sheet = workbook.active
    sheet.title = "Skolenheter"
    sheet.append(["Utdrag ur skolenhetsregistret – Exempelby kommun"])
    sheet.append(["Uttagsdatum: 2026-03-01"])
    sheet.append([])
    sheet.append(
        [
            "Skolenhetskod",
            "Skolenhetens namn",
            "Skolform(er)",
            "Status",
            "Kommun",
            "Kod",
            "Huvudman",
            "Organisationsnummer",
            "Besöksadress",
        ]
    )
    statuses = {"AKTIV": "Aktiv", "VILANDE": "Vilande", "UPPHORT": "Upphörd", "PLANERAD": "Planerad"}
    for code, name, types, status, municipality, organiser in UNITS:
        # Excel keeps codes as numbers: the municipality code loses its leading zero (0991 -> 991).
        sheet.append(
            [
                int(code),
                name,
                ", ".join(NAMES[t] for t in types),
                statuses[status],
                "Exempelby" if municipality == KOMMUN else "Grannby",
                int(municipality),
                organiser[1],
                f"{organiser[0][:6]}-{organiser[0][6:]}",
                "Skolvägen 1, 999 91 Exempelby",
            ]
        )
    info = workbook.create_sheet("Information")
    info.append(["Skolenhetsregistret innehåller uppgifter som huvudmännen själva lämnar."])
    info.append(["Förskolor ingår inte i registret."])
    workbook.save(HERE / "exempelby_utdrag.xlsx")


if __name__ == "__main__":
    write_json()
    write_xlsx()
